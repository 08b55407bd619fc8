/** One entry of `errors` in a problem+json body. */
export interface FieldError {
  field?: string;
  rule?: string;
  message: string;
  row?: number;
}

/** The RFC 9457 body the server sends with every error. */
export interface ProblemDetails {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: FieldError[];
  [key: string]: unknown;
}

/** Thrown for every non-2xx response (and for network failures, with `status` 0). */
export class BackendifyError extends Error {
  /** HTTP status, or 0 when no response arrived. */
  readonly status: number;
  /** Stable machine-readable code, e.g. `VALIDATION_FAILED`, `UNIQUE_VIOLATION`, `NOT_FOUND`. */
  readonly code: string;
  /** Human sentence from the server, suitable for showing to a user. */
  readonly detail: string;
  /** Per-field problems, when the server lists them. */
  readonly errors: FieldError[];
  /** The parsed problem+json body, or the raw text when it was not JSON. */
  readonly body: ProblemDetails | string | null;

  constructor(status: number, body: ProblemDetails | string | null) {
    const problem = typeof body === 'object' && body !== null ? body : {};
    const detail =
      typeof problem.detail === 'string'
        ? problem.detail
        : typeof body === 'string' && body
          ? body.slice(0, 200)
          : `Request failed with status ${status}`;
    super(detail);
    this.name = 'BackendifyError';
    this.status = status;
    this.code = typeof problem.code === 'string' ? problem.code : codeForStatus(status);
    this.detail = detail;
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
    this.body = body;
  }
}

function codeForStatus(status: number): string {
  const byStatus: Record<number, string> = {
    0: 'NETWORK_ERROR',
    400: 'BAD_REQUEST',
    401: 'UNAUTHENTICATED',
    403: 'FORBIDDEN',
    404: 'NOT_FOUND',
    409: 'CONFLICT',
    413: 'PAYLOAD_TOO_LARGE',
    415: 'UNSUPPORTED_MEDIA_TYPE',
    429: 'RATE_LIMITED',
  };
  return byStatus[status] ?? (status >= 500 ? 'INTERNAL' : 'HTTP_ERROR');
}
