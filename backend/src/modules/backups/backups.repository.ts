import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import Cursor from 'pg-cursor';
import { PG_POOL } from '../../database/database.module';
import { inTransaction } from '../../database/transaction';
import { quoteIdent, quoteQualified } from '../../schema-engine/identifiers';

export type BackupTarget = 'local' | 's3';

export interface BackupRow {
  id: string;
  project_id: string;
  target: BackupTarget;
  storage_key: string;
  trigger: 'manual' | 'schedule';
  status: 'running' | 'ready' | 'failed';
  size_bytes: string | null;
  sha256: string | null;
  error: string | null;
  created_by: string | null;
  created_at: Date;
  finished_at: Date | null;
}

export interface ScheduleRow {
  project_id: string;
  enabled: boolean;
  cron: string;
  keep_last: number;
  target: BackupTarget;
  next_run_at: Date | null;
  updated_at: Date;
}

/** Rows fetched per cursor read: memory stays flat however large the table. */
const CURSOR_BATCH = 500;
/** PostgreSQL takes at most 65535 bind parameters per statement. */
const MAX_PARAMS = 60_000;

/**
 * Backup rows and schedules, and the raw row copy of project tables. Identifiers come from the
 * catalog and go through quoteIdent; every value is a bind parameter.
 */
@Injectable()
export class BackupsRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  transaction<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, fn);
  }

  /** The table's stored columns (generated ones are derived, not data), in table order. */
  async columns(
    schema: string,
    table: string,
    db: Pool | PoolClient = this.pool,
  ): Promise<string[]> {
    const r = await db.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns
        WHERE table_schema = $1 AND table_name = $2 AND is_generated = 'NEVER'
        ORDER BY ordinal_position`,
      [schema, table],
    );
    return r.rows.map((x) => x.column_name);
  }

  /**
   * Every row of a table as text values (exact: numeric, timestamps and json keep their text
   * form), in batches, read through a server-side cursor in one snapshot.
   */
  async *rows(
    schema: string,
    table: string,
    columns: readonly string[],
    orderBy: readonly string[],
  ): AsyncGenerator<(string | null)[][]> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const select = columns.map((c) => `${quoteIdent(c)}::text`).join(', ');
      const order = orderBy.map(quoteIdent).join(', ');
      const cursor = client.query(
        new Cursor(`SELECT ${select} FROM ${quoteQualified(schema, table)} ORDER BY ${order}`, [], {
          rowMode: 'array',
        }),
      );
      for (;;) {
        const batch = (await cursor.read(CURSOR_BATCH)) as (string | null)[][];
        if (batch.length === 0) break;
        yield batch;
      }
      await cursor.close();
      await client.query('COMMIT');
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
  }

  /** Inserts rows as given, ids included (identity columns are overridden). */
  async insertRows(
    client: PoolClient,
    schema: string,
    table: string,
    columns: readonly string[],
    rows: readonly (string | null)[][],
  ): Promise<void> {
    const per = Math.max(1, Math.floor(MAX_PARAMS / Math.max(1, columns.length)));
    const cols = columns.map(quoteIdent).join(', ');
    for (let i = 0; i < rows.length; i += per) {
      const chunk = rows.slice(i, i + per);
      const values: (string | null)[] = [];
      const tuples = chunk.map((row) => {
        const start = values.length;
        values.push(...row);
        return `(${row.map((_, k) => `$${start + k + 1}`).join(', ')})`;
      });
      await client.query(
        `INSERT INTO ${quoteQualified(schema, table)} (${cols}) OVERRIDING SYSTEM VALUE VALUES ${tuples.join(', ')}`,
        values,
      );
    }
  }

  /** Sets one column by id for rows loaded before the rows they point to. */
  async setColumn(
    client: PoolClient,
    schema: string,
    table: string,
    column: string,
    pairs: readonly [string, string][],
  ): Promise<void> {
    for (let i = 0; i < pairs.length; i += 10_000) {
      const chunk = pairs.slice(i, i + 10_000);
      await client.query(
        // The text value is cast to the column's own type by the row type's input functions
        // (no type name is pasted into the statement).
        `UPDATE ${quoteQualified(schema, table)} t
            SET ${quoteIdent(column)} = (jsonb_populate_record(NULL::${quoteQualified(schema, table)},
                  jsonb_build_object($3::text, v.val))).${quoteIdent(column)}
           FROM unnest($1::text[], $2::text[]) AS v(id, val)
          WHERE t.${quoteIdent('id')}::text = v.id`,
        [chunk.map((p) => p[0]), chunk.map((p) => p[1]), column],
      );
    }
  }

  /** The identity sequence continues after the largest restored id. */
  async resetIdentity(client: PoolClient, schema: string, table: string): Promise<void> {
    const qualified = quoteQualified(schema, table);
    await client.query(
      `SELECT setval(pg_get_serial_sequence($1, 'id'), m)
         FROM (SELECT max(${quoteIdent('id')}) AS m FROM ${qualified}) x WHERE m IS NOT NULL`,
      [qualified],
    );
  }

  /** App-user role assignments of a project, by role name. */
  async assignments(projectId: string): Promise<{ app_user_id: string; role: string }[]> {
    const r = await this.pool.query<{ app_user_id: string; role: string }>(
      `SELECT a.app_user_id::text AS app_user_id, r.name AS role
         FROM backendify.app_user_roles a JOIN backendify.roles r ON r.id = a.role_id
        WHERE a.project_id = $1 ORDER BY a.app_user_id, r.name`,
      [projectId],
    );
    return r.rows;
  }

  // ------------------------------------------------------------------ stored backups

  async insertBackup(
    row: Pick<BackupRow, 'id' | 'project_id' | 'target' | 'storage_key' | 'trigger' | 'created_by'>,
  ): Promise<void> {
    await this.pool.query(
      `INSERT INTO backendify.backups (id, project_id, target, storage_key, trigger, status, created_by)
       VALUES ($1, $2, $3, $4, $5, 'running', $6)`,
      [row.id, row.project_id, row.target, row.storage_key, row.trigger, row.created_by],
    );
  }

  async finishBackup(
    id: string,
    out: { status: 'ready' | 'failed'; size?: number; sha256?: string; error?: string },
  ): Promise<void> {
    await this.pool.query(
      `UPDATE backendify.backups SET status = $2, size_bytes = $3, sha256 = $4, error = $5,
              finished_at = now() WHERE id = $1`,
      [id, out.status, out.size ?? null, out.sha256 ?? null, out.error ?? null],
    );
  }

  async listBackups(projectId: string): Promise<BackupRow[]> {
    const r = await this.pool.query<BackupRow>(
      `SELECT * FROM backendify.backups WHERE project_id = $1 ORDER BY created_at DESC, id`,
      [projectId],
    );
    return r.rows;
  }

  async backup(projectId: string, id: string): Promise<BackupRow | null> {
    const r = await this.pool.query<BackupRow>(
      `SELECT * FROM backendify.backups WHERE project_id = $1 AND id = $2`,
      [projectId, id],
    );
    return r.rows[0] ?? null;
  }

  async deleteBackup(projectId: string, id: string): Promise<void> {
    await this.pool.query(`DELETE FROM backendify.backups WHERE project_id = $1 AND id = $2`, [
      projectId,
      id,
    ]);
  }

  /** Ready backups past the newest `keep`, oldest first. */
  async beyondRetention(projectId: string, keep: number): Promise<BackupRow[]> {
    const r = await this.pool.query<BackupRow>(
      `SELECT * FROM backendify.backups WHERE project_id = $1 AND status = 'ready'
        ORDER BY created_at DESC, id OFFSET $2`,
      [projectId, keep],
    );
    return r.rows.reverse();
  }

  // ------------------------------------------------------------------ schedules

  async schedule(projectId: string): Promise<ScheduleRow | null> {
    const r = await this.pool.query<ScheduleRow>(
      `SELECT * FROM backendify.backup_schedules WHERE project_id = $1`,
      [projectId],
    );
    return r.rows[0] ?? null;
  }

  async putSchedule(row: Omit<ScheduleRow, 'updated_at'>): Promise<ScheduleRow> {
    const r = await this.pool.query<ScheduleRow>(
      `INSERT INTO backendify.backup_schedules (project_id, enabled, cron, keep_last, target, next_run_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (project_id) DO UPDATE SET enabled = $2, cron = $3, keep_last = $4, target = $5,
         next_run_at = $6, updated_at = now()
       RETURNING *`,
      [row.project_id, row.enabled, row.cron, row.keep_last, row.target, row.next_run_at],
    );
    return r.rows[0];
  }

  /**
   * Claims the due schedules (one process wins each), moving each one's next run on with
   * `next`; `enqueue` adds their jobs in the same transaction, so a crash loses none.
   */
  async claimDue(
    next: (s: ScheduleRow) => Date | null,
    enqueue: (client: PoolClient, due: ScheduleRow[]) => Promise<void>,
  ): Promise<ScheduleRow[]> {
    return this.transaction(async (client) => {
      const r = await client.query<ScheduleRow>(
        `SELECT * FROM backendify.backup_schedules
          WHERE enabled AND next_run_at <= now() FOR UPDATE SKIP LOCKED LIMIT 100`,
      );
      for (const s of r.rows)
        await client.query(
          `UPDATE backendify.backup_schedules SET next_run_at = $2 WHERE project_id = $1`,
          [s.project_id, next(s)],
        );
      await enqueue(client, r.rows);
      return r.rows;
    });
  }
}
