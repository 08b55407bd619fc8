import { ERROR_CODES, type ErrorCode } from './error-codes';

/** One entry of `errors` in a problem+json body. */
export interface FieldError {
  field: string;
  rule: string;
  message: string;
  row?: number;
}

/** The only error type services throw; the global filter turns it into problem+json. */
export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    /** A human sentence; clients of the original read it. */
    readonly detail: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail);
    this.name = 'AppError';
    this.status = ERROR_CODES[code];
  }

  static notFound(what: string): AppError {
    return new AppError('NOT_FOUND', `${what} not found`);
  }

  static validation(detail: string, errors?: FieldError[]): AppError {
    return new AppError('VALIDATION_FAILED', detail, errors);
  }

  static badRequest(detail: string, errors?: FieldError[]): AppError {
    return new AppError('BAD_REQUEST', detail, errors);
  }

  static conflict(detail: string): AppError {
    return new AppError('CONFLICT', detail);
  }

  /** A collection and a view share `/data/{name}`, so neither may take the other's name. */
  static nameTaken(detail: string, field: string): AppError {
    return new AppError('NAME_TAKEN', detail, [{ field, rule: 'unique_name', message: detail }]);
  }

  static unauthenticated(detail = 'Not authenticated'): AppError {
    return new AppError('UNAUTHENTICATED', detail);
  }

  static forbidden(detail = 'Permission denied'): AppError {
    return new AppError('FORBIDDEN', detail);
  }
}
