import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type FieldError } from './app-error';
import { ERROR_CODES, ERROR_TITLES, type ErrorCode } from './error-codes';

interface PgLikeError {
  code?: string;
  constraint?: string;
  column?: string;
  detail?: string;
}

const PG_MAP: Record<string, { code: ErrorCode; detail: string }> = {
  '23505': { code: 'UNIQUE_VIOLATION', detail: 'A record with this value already exists' },
  '23503': {
    code: 'FOREIGN_KEY_VIOLATION',
    detail:
      'The record is referenced by, or references, a record that does not exist or is still in use',
  },
  '23502': { code: 'VALIDATION_FAILED', detail: 'A required value is missing' },
  '23514': { code: 'VALIDATION_FAILED', detail: 'A value breaks a check constraint' },
  '22P02': { code: 'VALIDATION_FAILED', detail: 'A value has the wrong type' },
  '22003': { code: 'VALIDATION_FAILED', detail: 'A number is out of range' },
  '22007': { code: 'VALIDATION_FAILED', detail: 'A date or time value is invalid' },
  '22008': { code: 'VALIDATION_FAILED', detail: 'A date or time value is out of range' },
  '22001': { code: 'VALIDATION_FAILED', detail: 'A value is too long' },
  '22021': {
    code: 'VALIDATION_FAILED',
    detail: 'A value contains a character that cannot be stored',
  },
  '22P05': {
    code: 'VALIDATION_FAILED',
    detail: 'A value contains a character that cannot be stored',
  },
  '55P03': { code: 'CONFLICT', detail: 'The resource is busy; try again' },
  '40001': { code: 'CONFLICT', detail: 'A concurrent change conflicted; try again' },
  '40P01': { code: 'CONFLICT', detail: 'A concurrent change conflicted; try again' },
  // statement_timeout (DESIGN §8 Limits) cut the statement.
  '57014': {
    code: 'TIMEOUT',
    detail: 'The request took too long and was cancelled; narrow it down or try again later',
  },
};

/** The database refused or lost the connection (its connection limit, a restart): retryable. */
const PG_UNAVAILABLE = /^(53300|53400|57P01|57P02|57P03|08\w{3})$/;
const UNAVAILABLE_DETAIL = 'The database is busy or unavailable; try again shortly';
export const UNAVAILABLE_RETRY_AFTER_S = 1;

/** pg-pool's own "no connection in time" and a refused or dropped socket. */
function isConnectionFailure(e: { code?: unknown; message?: unknown }): boolean {
  if (typeof e.code === 'string' && (PG_UNAVAILABLE.test(e.code) || e.code === 'ECONNREFUSED'))
    return true;
  return (
    typeof e.message === 'string' &&
    /^(timeout exceeded when trying to connect|Connection terminated)/.test(e.message)
  );
}

const HTTP_STATUS_CODES: Record<number, ErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  errors?: FieldError[];
}

/** Serves the console's index.html for unknown GET paths outside the API (SPA fallback). */
export type SpaFallback = (req: FastifyRequest, reply: FastifyReply) => boolean;

/** Turns every error into RFC 9457 problem+json; never leaks stacks or SQL. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly spaFallback?: SpaFallback) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const req = ctx.getRequest<FastifyRequest>();
    if (
      exception instanceof HttpException &&
      exception.getStatus() === 404 &&
      !(exception instanceof AppError) &&
      this.spaFallback?.(req, reply)
    ) {
      return;
    }
    const problem = this.toProblem(exception, req);
    if (exception instanceof AppError && exception.headers) {
      for (const [k, v] of Object.entries(exception.headers)) reply.header(k, v);
    }
    if (problem.code === 'SERVICE_UNAVAILABLE')
      reply.header('retry-after', String(UNAVAILABLE_RETRY_AFTER_S));
    reply.status(problem.status).header('content-type', 'application/problem+json').send(problem);
  }

  private toProblem(exception: unknown, req: FastifyRequest): ProblemBody {
    if (exception instanceof AppError) {
      return build(exception.code, exception.detail, exception.errors, exception.status);
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code: ErrorCode =
        HTTP_STATUS_CODES[status] ?? (status >= 500 ? 'INTERNAL' : 'BAD_REQUEST');
      if (status >= 500) this.logger.error({ err: exception, reqId: req.id }, 'http exception');
      const res = exception.getResponse();
      const message =
        typeof res === 'string'
          ? res
          : typeof (res as { message?: unknown }).message === 'string'
            ? (res as { message: string }).message
            : exception.message;
      const detail =
        status === 429
          ? 'Rate limit exceeded. Try again later.'
          : status >= 500
            ? 'Internal server error'
            : message;
      return build(code, detail, undefined, status);
    }
    const fastifyErr = exception as { statusCode?: number; code?: string; message?: string };
    if (
      typeof fastifyErr.statusCode === 'number' &&
      fastifyErr.statusCode < 500 &&
      fastifyErr.code?.startsWith('FST_')
    ) {
      const status = fastifyErr.statusCode;
      const code = HTTP_STATUS_CODES[status] ?? 'BAD_REQUEST';
      const detail =
        fastifyErr.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
        fastifyErr.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
          ? 'The request body is not valid JSON'
          : status === 413
            ? 'The request body is too large'
            : status === 415
              ? 'Unsupported content type'
              : 'The request is malformed';
      return build(code, detail, undefined, status);
    }
    if (exception instanceof SyntaxError && /JSON/.test(exception.message)) {
      return build('BAD_REQUEST', 'The request body is not valid JSON');
    }
    const pg = exception as PgLikeError;
    if (typeof pg?.code === 'string' && PG_MAP[pg.code]) {
      const mapped = PG_MAP[pg.code];
      const errors: FieldError[] | undefined = pg.column
        ? [{ field: pg.column, rule: mapped.code.toLowerCase(), message: mapped.detail }]
        : undefined;
      return build(mapped.code, mapped.detail, errors);
    }
    if (pg && isConnectionFailure(pg as { code?: unknown; message?: unknown })) {
      this.logger.warn({ err: exception, reqId: req.id }, 'database unavailable');
      return build('SERVICE_UNAVAILABLE', UNAVAILABLE_DETAIL);
    }
    this.logger.error({ err: exception, reqId: req.id }, 'unhandled error');
    return build('INTERNAL', 'Internal server error');
  }
}

function build(
  code: ErrorCode,
  detail: string,
  errors?: FieldError[],
  status?: number,
): ProblemBody {
  const body: ProblemBody = {
    type: `https://backendify.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`,
    title: ERROR_TITLES[code],
    status: status ?? ERROR_CODES[code],
    detail,
    code,
  };
  if (errors && errors.length > 0) body.errors = errors;
  return body;
}
