import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { PG_POOL } from '../../database/database.module';
import { inTransaction } from '../../database/transaction';
import { escapeLike, SqlParams } from '../../query-engine/sql-params';
import type { ChangeEvent } from '../change-log/change-event';
import { EVENT_COLUMNS, toEvent } from '../change-log/change-event-row';

export interface AuditFilter {
  action?: { exact?: string; prefix?: string };
  collection?: string;
  collectionId?: string;
  recordId?: string;
  actorType?: string;
  actorId?: string;
  from?: Date;
  to?: Date;
  search?: string;
  /** Keyset: only events older (smaller id) than this one. */
  beforeId?: string;
}

export interface RetentionSettings {
  retentionDays: number | null;
  maxRows: number | null;
}

const RETENTION_BATCH = 5000;

/** Reads of the change log as audit entries, retention deletes, and audit settings. */
@Injectable()
export class AuditRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  private where(projectId: string, f: AuditFilter, p: SqlParams, withCursor: boolean): string {
    const c = [`project_id = ${p.add(projectId)}`];
    if (f.action?.exact) c.push(`action = ${p.add(f.action.exact)}`);
    if (f.action?.prefix) c.push(`action LIKE ${p.add(escapeLike(f.action.prefix) + '%')}`);
    if (f.collection) c.push(`collection = ${p.add(f.collection)}`);
    if (f.collectionId) c.push(`collection_id::text = ${p.add(f.collectionId)}`);
    if (f.recordId) c.push(`record_id = ${p.add(f.recordId)}`);
    if (f.actorType) c.push(`actor_type = ${p.add(f.actorType)}`);
    if (f.actorId) c.push(`actor_id = ${p.add(f.actorId)}`);
    if (f.from) c.push(`created_at >= ${p.add(f.from)}`);
    if (f.to) c.push(`created_at < ${p.add(f.to)}`);
    if (f.search) {
      const s = p.add(`%${escapeLike(f.search)}%`);
      c.push(
        `(record_id ILIKE ${s} OR record::text ILIKE ${s} OR old_record::text ILIKE ${s} OR meta::text ILIKE ${s} OR ip ILIKE ${s})`,
      );
    }
    if (withCursor && f.beforeId) c.push(`id < ${p.add(f.beforeId)}::bigint`);
    return c.join(' AND ');
  }

  async list(
    projectId: string,
    f: AuditFilter,
    limit: number,
    offset: number,
  ): Promise<ChangeEvent[]> {
    const p = new SqlParams();
    const where = this.where(projectId, f, p, true);
    const { rows } = await this.pool.query(
      `SELECT ${EVENT_COLUMNS} FROM backendify.change_events WHERE ${where}
       ORDER BY id DESC LIMIT ${p.add(limit)} OFFSET ${p.add(offset)}`,
      p.values,
    );
    return rows.map(toEvent);
  }

  async count(projectId: string, f: AuditFilter): Promise<number> {
    const p = new SqlParams();
    const { rows } = await this.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM backendify.change_events WHERE ${this.where(projectId, f, p, false)}`,
      p.values,
    );
    return Number(rows[0].n);
  }

  async history(projectId: string, collectionId: string, recordId: string): Promise<ChangeEvent[]> {
    const { rows } = await this.pool.query(
      `SELECT ${EVENT_COLUMNS} FROM backendify.change_events
       WHERE project_id = $1 AND collection_id = $2 AND record_id = $3 AND kind = 'record'
       ORDER BY id DESC LIMIT 1000`,
      [projectId, collectionId, recordId],
    );
    return rows.map(toEvent);
  }

  async event(projectId: string, id: string): Promise<ChangeEvent | null> {
    if (!/^[0-9]{1,19}$/.test(id)) return null;
    const { rows } = await this.pool.query(
      `SELECT ${EVENT_COLUMNS} FROM backendify.change_events WHERE project_id = $1 AND id = $2::bigint`,
      [projectId, id],
    );
    return rows[0] ? toEvent(rows[0]) : null;
  }

  transaction<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, fn);
  }

  async settings(projectId: string, db: Pool | PoolClient = this.pool): Promise<RetentionSettings> {
    const { rows } = await db.query<{
      retention_days: number | null;
      max_rows: number | null;
    }>(`SELECT retention_days, max_rows FROM backendify.audit_settings WHERE project_id = $1`, [
      projectId,
    ]);
    return { retentionDays: rows[0]?.retention_days ?? null, maxRows: rows[0]?.max_rows ?? null };
  }

  async saveSettings(db: PoolClient, projectId: string, s: RetentionSettings): Promise<void> {
    await db.query(
      `INSERT INTO backendify.audit_settings (project_id, retention_days, max_rows) VALUES ($1, $2, $3)
       ON CONFLICT (project_id) DO UPDATE SET retention_days = $2, max_rows = $3, updated_at = now()`,
      [projectId, s.retentionDays, s.maxRows],
    );
  }

  async projectsWithRetention(): Promise<(RetentionSettings & { projectId: string })[]> {
    const { rows } = await this.pool.query<{
      project_id: string;
      retention_days: number | null;
      max_rows: number | null;
    }>(
      `SELECT project_id, retention_days, max_rows FROM backendify.audit_settings
       WHERE retention_days IS NOT NULL OR max_rows IS NOT NULL`,
    );
    return rows.map((r) => ({
      projectId: r.project_id,
      retentionDays: r.retention_days,
      maxRows: r.max_rows,
    }));
  }

  /**
   * Deletes one batch of a project's expired events; never one a change-log consumer has not read
   * yet (so retention cannot lose a webhook delivery). Returns how many rows went.
   */
  async deleteBatch(projectId: string, s: RetentionSettings): Promise<number> {
    const conds: string[] = [];
    const values: unknown[] = [projectId, RETENTION_BATCH];
    if (s.retentionDays) {
      values.push(s.retentionDays);
      conds.push(`created_at < now() - make_interval(days => $${values.length}::int)`);
    }
    if (s.maxRows) {
      values.push(s.maxRows);
      conds.push(`id <= (SELECT id FROM backendify.change_events WHERE project_id = $1
        ORDER BY id DESC OFFSET $${values.length}::int LIMIT 1)`);
    }
    if (!conds.length) return 0;
    const { rowCount } = await this.pool.query(
      `DELETE FROM backendify.change_events WHERE id IN (
         SELECT id FROM backendify.change_events
         WHERE project_id = $1 AND (${conds.join(' OR ')})
           AND xact_id < COALESCE((SELECT min(xact_id) FROM backendify.change_cursors),
                                  pg_snapshot_xmin(pg_current_snapshot()))
         ORDER BY id LIMIT $2)`,
      values,
    );
    return rowCount ?? 0;
  }
}
