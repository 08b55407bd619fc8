import { Inject, Injectable } from '@nestjs/common';
import { Pool, types, type PoolClient } from 'pg';
import { PG_POOL } from '../../database/database.module';
import { inTransaction } from '../../database/transaction';
import { quoteIdent } from '../../schema-engine/identifiers';
import { ensureSqlRole } from '../../schema-engine/sql-role';
import {
  renderSandboxFunction,
  SANDBOX_FUNCTION,
  type SandboxType,
} from '../../schema-engine/sql-sandbox';
import { DescribeStatement } from './describe-statement';
import { SqlParamCountError } from './sql-console.errors';

/** Connections of the console only, each used for one run and then closed (see `run`). */
export const SQL_POOL = Symbol('SQL_POOL');

export interface SqlRunInput {
  projectId: string;
  schema: string;
  query: string;
  params: (string | null)[];
  readOnly: boolean;
  rowCap: number;
  timeoutMs: number;
  /** Write runs only: called after the statement, as the session user, before COMMIT. */
  beforeCommit?: (client: PoolClient, out: SqlRunOutput) => Promise<void>;
}

export interface SqlRunOutput {
  columns: { name: string; type: string }[];
  /** Rows as PostgreSQL sent them (see VALUE_PARSERS), at most `rowCap + 1`. */
  rows: unknown[][];
  /** Affected rows for a statement that returns none; null otherwise. */
  affected: number | null;
  durationMs: number;
}

export interface SqlHistoryRow {
  id: string;
  query: string;
  params: unknown[] | null;
  read_only: boolean;
  status: 'ok' | 'error';
  error_code: string | null;
  error: string | null;
  row_count: number | null;
  truncated: boolean;
  duration_ms: number | null;
  created_at: Date;
}

export type SqlHistoryInput = Omit<SqlHistoryRow, 'id' | 'created_at'> & {
  projectId: string;
  userId: string;
};

interface Queryable {
  query: PoolClient['query'];
}

const PASS_TEXT = (v: string) => v;
/** Values a browser can show without loss: numbers that fit, booleans, JSON; the rest as PG's text. */
const VALUE_PARSERS: Record<number, (v: string) => unknown> = {
  16: types.getTypeParser(16, 'text'),
  21: types.getTypeParser(21, 'text'),
  23: types.getTypeParser(23, 'text'),
  26: types.getTypeParser(26, 'text'),
  700: types.getTypeParser(700, 'text'),
  701: types.getTypeParser(701, 'text'),
  114: (v) => JSON.parse(v) as unknown,
  3802: (v) => JSON.parse(v) as unknown,
};
const RESULT_TYPES = {
  getTypeParser: (oid: number) => VALUE_PARSERS[oid] ?? PASS_TEXT,
};

const TYPES_SQL = `SELECT pg_catalog.format_type(t.oid, m.typmod) AS sql, t.typtype = 'p' AS pseudo
  FROM unnest($1::oid[], $2::int4[]) WITH ORDINALITY AS m(oid, typmod, i)
  JOIN pg_catalog.pg_type t ON t.oid = m.oid ORDER BY m.i`;

const INSERT_HISTORY_SQL = `INSERT INTO backendify.sql_history
  (project_id, user_id, query, params, read_only, status, error_code, error, row_count, truncated, duration_ms)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`;

@Injectable()
export class SqlConsoleRepository {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(SQL_POOL) private readonly sqlPool: Pool,
  ) {}

  async findSchema(projectId: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ schema_name: string }>(
      `SELECT schema_name FROM backendify.projects WHERE id = $1`,
      [projectId],
    );
    return rows[0]?.schema_name ?? null;
  }

  /** The project's console role, made or brought up to date with its tables (schema engine). */
  ensureRole(projectId: string, schema: string): Promise<string> {
    return inTransaction(this.pool, (client) => ensureSqlRole(client, projectId, schema));
  }

  /**
   * One statement as the project's role, on a connection of its own that is closed afterwards
   * (so no temp object, prepared statement, session setting or advisory lock outlives the run):
   * BEGIN; the timeout; SET LOCAL ROLE; search_path = the project schema; Describe (parse only);
   * the sandbox function; READ ONLY unless a write; the statement inside the function; then,
   * back as the session user, the caller's audit for a write, and COMMIT (write) or ROLLBACK.
   * PostgreSQL errors are thrown as they come.
   */
  async run(role: string, input: SqlRunInput): Promise<SqlRunOutput> {
    const client = await this.sqlPool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `SELECT set_config('statement_timeout', $1, true), set_config('idle_in_transaction_session_timeout', $2, true)`,
        [`${input.timeoutMs}ms`, `${input.timeoutMs * 4}ms`],
      );
      await client.query(`SET LOCAL ROLE ${quoteIdent(role)}`);
      await client.query(`SELECT set_config('search_path', $1, true)`, [
        `${quoteIdent(input.schema)}, pg_temp`,
      ]);
      const describe = new DescribeStatement(input.query);
      client.query(describe);
      const shape = await describe.done;
      if (shape.paramTypes.length !== input.params.length) {
        throw new SqlParamCountError(shape.paramTypes.length, input.params.length);
      }
      const params = await this.typesOf(
        client,
        shape.paramTypes.map((oid) => ({ oid, typmod: -1 })),
      );
      const fields = shape.fields ?? [];
      const columnTypes = await this.typesOf(
        client,
        fields.map((f) => ({ oid: f.dataTypeID, typmod: f.dataTypeModifier })),
      );
      const returnsRows = fields.length > 0;
      await client.query(
        renderSandboxFunction({
          schema: input.schema,
          params,
          columns: returnsRows ? columnTypes : null,
          fetchLimit: input.rowCap + 1,
        }),
      );
      if (input.readOnly) {
        await client.query(`SELECT set_config('transaction_read_only', 'on', true)`);
      }
      const started = performance.now();
      const result = await client.query<unknown[]>({
        text: `SELECT * FROM ${SANDBOX_FUNCTION}($1, $2)`,
        values: [input.query, input.params],
        rowMode: 'array',
        types: RESULT_TYPES,
      });
      const durationMs = Math.round(performance.now() - started);
      await client.query('RESET ROLE');
      // The statement may have SET these for the rest of the transaction; ours come first now.
      await client.query(
        `SELECT set_config('search_path', 'pg_catalog, pg_temp', true), set_config('statement_timeout', $1, true)`,
        [`${input.timeoutMs}ms`],
      );
      const out: SqlRunOutput = {
        columns: uniqueNames(fields.map((f) => f.name)).map((name, i) => ({
          name,
          type: columnTypes[i].sql,
        })),
        rows: returnsRows ? result.rows : [],
        affected: returnsRows ? null : Number(result.rows[0]?.[0] ?? 0),
        durationMs,
      };
      if (input.readOnly) {
        await client.query('ROLLBACK');
      } else {
        if (input.beforeCommit) await input.beforeCommit(client, out);
        await client.query('COMMIT');
      }
      return out;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release(true);
    }
  }

  private async typesOf(
    client: PoolClient,
    list: { oid: number; typmod: number }[],
  ): Promise<SandboxType[]> {
    if (list.length === 0) return [];
    const { rows } = await client.query<SandboxType>(TYPES_SQL, [
      list.map((t) => t.oid),
      list.map((t) => t.typmod),
    ]);
    return rows;
  }

  async insertHistory(db: Queryable, h: SqlHistoryInput): Promise<void> {
    await db.query(INSERT_HISTORY_SQL, [
      h.projectId,
      h.userId,
      h.query,
      h.params === null ? null : JSON.stringify(h.params),
      h.read_only,
      h.status,
      h.error_code,
      h.error,
      h.row_count,
      h.truncated,
      h.duration_ms,
    ]);
  }

  /** Runs `fn` in a transaction of the system pool (history and audit of a run that wrote nothing). */
  inSystemTransaction<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, fn);
  }

  async listHistory(projectId: string, userId: string, limit: number): Promise<SqlHistoryRow[]> {
    const { rows } = await this.pool.query<SqlHistoryRow>(
      `SELECT id::text AS id, query, params, read_only, status, error_code, error,
         row_count::float8 AS row_count, truncated, duration_ms, created_at
       FROM backendify.sql_history WHERE project_id = $1 AND user_id = $2
       ORDER BY sql_history.id DESC LIMIT $3`,
      [projectId, userId, limit],
    );
    return rows;
  }
}

/** `a, a, b` → `a, a_2, b`: rows are objects keyed by these names, so none may repeat. */
export function uniqueNames(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.map((name) => {
    let candidate = name;
    for (let n = 2; seen.has(candidate); n += 1) candidate = `${name}_${n}`;
    seen.add(candidate);
    return candidate;
  });
}
