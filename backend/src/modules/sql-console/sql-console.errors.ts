import { AppError } from '../../common/errors/app-error';

/** A statement PostgreSQL refused or failed: its SQLSTATE and its own message, nothing of ours. */
export class SqlStatementError extends AppError {
  constructor(
    readonly sqlstate: string,
    message: string,
  ) {
    super('SQL_ERROR', message, [{ field: 'query', rule: sqlstate, message }]);
    this.name = 'SqlStatementError';
  }
}

export class SqlParamCountError extends AppError {
  constructor(expected: number, given: number) {
    const message = `The statement takes ${expected} parameter(s); ${given} given`;
    super('VALIDATION_FAILED', message, [{ field: 'params', rule: 'count', message }]);
    this.name = 'SqlParamCountError';
  }
}

export const sqlWriteForbidden = (): AppError =>
  AppError.forbidden('Only project owners may run SQL with read_only: false');

interface PgErrorLike {
  code?: unknown;
  severity?: unknown;
  message?: unknown;
}

/** A PostgreSQL error answer (it has a severity and a five-character SQLSTATE), else null. */
export function sqlErrorOf(error: unknown): SqlStatementError | null {
  const e = error as PgErrorLike | null;
  if (!e || typeof e.severity !== 'string' || typeof e.code !== 'string') return null;
  if (!/^[0-9A-Z]{5}$/.test(e.code)) return null;
  // Lost connections and server shutdowns are ours to answer (503), not the statement's.
  if (e.code.startsWith('08') || /^57P0[1-3]$/.test(e.code)) return null;
  return new SqlStatementError(e.code, typeof e.message === 'string' ? e.message : 'SQL error');
}
