import type { PoolClient } from 'pg';

import { AppError } from '../common/errors/app-error';
import type { ErrorCode } from '../common/errors/error-codes';
import { InvalidColumnTypeError } from './ddl/sql-parts';
import { renderOp } from './ddl/render-op';
import { InvalidIdentifierError } from './identifiers';
import { InvalidObjectNameError, opTypeName, type SchemaOp } from './schema-op';

export interface ApplyInput {
  projectId: string;
  ops: SchemaOp[];
  actorUserId: string | null;
  collectionId?: string | null;
  /** Writes the catalog rows of this change on the same client, inside the same transaction. */
  writeMetadata?: (client: PoolClient) => Promise<void>;
  /** The caller already ran BEGIN: work inside a SAVEPOINT and leave COMMIT to the caller. */
  inTransaction?: boolean;
}

export interface ApplyResult {
  sql: string[];
}

/** A schema change that failed and was rolled back; `detail` is safe to show, never SQL. */
export class SchemaChangeError extends AppError {
  constructor(
    code: ErrorCode,
    detail: string,
    readonly pgCode: string | null,
    /** Index into `ops` of the op that failed, or null when it failed outside one. */
    readonly opIndex: number | null,
  ) {
    super(code, detail);
    this.name = 'SchemaChangeError';
  }
}

const SAVEPOINT = 'backendify_schema_change';
const LOCK_SQL = `SELECT pg_advisory_xact_lock(hashtextextended('backendify:schema:' || $1, 0))`;
const INSERT_OP_SQL = `INSERT INTO backendify.schema_ops
  (project_id, collection_id, op_type, payload_json, sql, status, error, actor_user_id)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`;

interface PgErrorLike {
  code?: unknown;
  message?: unknown;
}

function pgCodeOf(error: unknown): string | null {
  const code = (error as PgErrorLike | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null;
}

const PG_CODE_ERRORS: Record<string, [ErrorCode, string]> = {
  '42P07': ['CONFLICT', 'A table or index with that name already exists.'],
  '42701': ['CONFLICT', 'A column with that name already exists.'],
  '42710': ['CONFLICT', 'A constraint with that name already exists.'],
  '23505': ['CONFLICT', 'Existing rows hold duplicate values, so the field cannot be made unique.'],
  '23502': [
    'VALIDATION_FAILED',
    'Existing rows have no value for this field, so it cannot be required; give it a default or fill those rows first.',
  ],
  '23503': [
    'FOREIGN_KEY_VIOLATION',
    'Existing values do not match any record of the target collection.',
  ],
  '42804': ['VALIDATION_FAILED', 'Existing values cannot be converted to the new type.'],
  '42846': ['VALIDATION_FAILED', 'Existing values cannot be converted to the new type.'],
  '22P02': ['VALIDATION_FAILED', 'Existing values cannot be converted to the new type.'],
  '22003': ['VALIDATION_FAILED', 'Existing values are out of range for the new type.'],
  '22007': ['VALIDATION_FAILED', 'Existing values cannot be converted to the new type.'],
  '22008': ['VALIDATION_FAILED', 'Existing values are out of range for the new type.'],
  '22001': ['VALIDATION_FAILED', 'Existing values are too long for the new type.'],
  // A NUL or otherwise unstorable character in a name, description or default.
  '22021': [
    'VALIDATION_FAILED',
    'A value contains a character that cannot be stored (such as NUL).',
  ],
  '22P05': [
    'VALIDATION_FAILED',
    'A value contains a character that cannot be stored (such as NUL).',
  ],
  '55P03': ['CONFLICT', 'Could not acquire lock for schema change'],
  '40P01': ['CONFLICT', 'The schema change conflicted with another change; try again.'],
  '2BP01': ['CONFLICT', 'Other tables or relations still depend on this; remove them first.'],
};

/**
 * Turns any failure into a `SchemaChangeError` whose sentence names no SQL; an `AppError` thrown by
 * `writeMetadata` passes through unchanged. `opIndex` null means the failure was outside the DDL.
 */
export function toSchemaChangeError(error: unknown, opIndex: number | null): AppError {
  if (error instanceof AppError) return error;
  if (
    error instanceof InvalidIdentifierError ||
    error instanceof InvalidObjectNameError ||
    error instanceof InvalidColumnTypeError
  ) {
    return new SchemaChangeError('VALIDATION_FAILED', error.message, null, opIndex);
  }
  const pgCode = pgCodeOf(error);
  if (pgCode === '23505' && opIndex === null) {
    return new SchemaChangeError(
      'CONFLICT',
      'An item with that name already exists.',
      pgCode,
      null,
    );
  }
  const mapped = pgCode ? PG_CODE_ERRORS[pgCode] : undefined;
  if (mapped) return new SchemaChangeError(mapped[0], mapped[1], pgCode, opIndex);
  return new SchemaChangeError('INTERNAL', 'The schema change failed.', pgCode, opIndex);
}

function errorText(error: unknown): string {
  const message = (error as PgErrorLike | null)?.message;
  return typeof message === 'string' ? message : String(error);
}

/**
 * The one runner of schema changes: renders every op, then applies them with the catalog rows
 * and one `schema_ops` row per op in a single transaction under the project's advisory lock.
 * A failure rolls everything back and leaves one `failed` row behind.
 */
export class SchemaMigrator {
  async apply(client: PoolClient, input: ApplyInput): Promise<ApplyResult> {
    const rendered = this.renderAll(input.ops);
    const collectionId = input.collectionId ?? null;
    const inTransaction = input.inTransaction ?? false;
    let failedOp: number | null = null;
    let failedSql: string | null = null;

    await client.query(inTransaction ? `SAVEPOINT ${SAVEPOINT}` : 'BEGIN');
    let callerLockTimeout: string | null = null;
    try {
      if (inTransaction) {
        const { rows } = await client.query<{ lock_timeout: string }>(
          `SELECT current_setting('lock_timeout') AS lock_timeout`,
        );
        callerLockTimeout = rows[0].lock_timeout;
      }
      await client.query(`SET LOCAL lock_timeout = '5s'`);
      await client.query(LOCK_SQL, [input.projectId]);
      for (const [index, statements] of rendered.entries()) {
        failedOp = index;
        for (const statement of statements) {
          failedSql = statement;
          await client.query(statement);
        }
      }
      failedOp = null;
      failedSql = null;
      if (input.writeMetadata) await input.writeMetadata(client);
      for (const [index, op] of input.ops.entries()) {
        await client.query(INSERT_OP_SQL, [
          input.projectId,
          collectionId,
          opTypeName(op),
          JSON.stringify(op),
          rendered[index].join(';\n'),
          'applied',
          null,
          input.actorUserId,
        ]);
      }
      if (callerLockTimeout !== null) {
        // SET LOCAL outlives RELEASE SAVEPOINT; give the caller's transaction its setting back.
        await client.query(`SELECT set_config('lock_timeout', $1, true)`, [callerLockTimeout]);
      }
      await client.query(inTransaction ? `RELEASE SAVEPOINT ${SAVEPOINT}` : 'COMMIT');
    } catch (error) {
      await this.rollback(client, inTransaction);
      await this.recordFailure(client, input, collectionId, failedOp, failedSql, error);
      throw toSchemaChangeError(error, failedOp);
    }
    return { sql: rendered.flat() };
  }

  private renderAll(ops: readonly SchemaOp[]): string[][] {
    return ops.map((op, index) => {
      try {
        return renderOp(op);
      } catch (error) {
        throw toSchemaChangeError(error, index);
      }
    });
  }

  private async rollback(client: PoolClient, inTransaction: boolean): Promise<void> {
    try {
      if (inTransaction) {
        await client.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
        await client.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
      } else {
        await client.query('ROLLBACK');
      }
    } catch {
      // A broken connection already discarded the transaction; the original error matters more.
    }
  }

  /** Best effort: in the caller's transaction the row survives only if the caller commits. */
  private async recordFailure(
    client: PoolClient,
    input: ApplyInput,
    collectionId: string | null,
    opIndex: number | null,
    sql: string | null,
    error: unknown,
  ): Promise<void> {
    const op = opIndex === null ? undefined : input.ops[opIndex];
    try {
      await client.query(INSERT_OP_SQL, [
        input.projectId,
        collectionId,
        op ? opTypeName(op) : 'schema_change',
        JSON.stringify({ ops: input.ops, failed_op_index: opIndex }),
        sql,
        'failed',
        errorText(error),
        input.actorUserId,
      ]);
    } catch {
      // Recording is best effort; the caller still gets the real error.
    }
  }
}
