import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../../database/database.module';
import { quoteQualified } from '../../schema-engine/identifiers';
import type { RouteGroup, UsageCell } from './usage-aggregator';

/** A collection's table, as the stats count it. */
export interface TableRef {
  name: string;
  schema: string;
  table: string;
}

export interface TableCount {
  name: string;
  records: number;
  estimate: boolean;
}

/** Tables with at most this many rows (by the planner's estimate) are counted exactly. */
export const EXACT_COUNT_LIMIT = 10_000;

/**
 * One statement that adds the cells to `backendify.usage_minutes`, so several processes' rows
 * for the same minute sum up. Rows of projects that no longer exist are dropped.
 */
export function buildFlushStatement(cells: readonly UsageCell[]): {
  text: string;
  values: unknown[];
} {
  const rows = cells.map((c) => ({
    project_id: c.projectId,
    minute: new Date(c.minute).toISOString(),
    route_group: c.group,
    count: c.count,
    errors_4xx: c.errors4xx,
    errors_5xx: c.errors5xx,
    latency_buckets: c.buckets,
  }));
  return {
    text: `INSERT INTO backendify.usage_minutes AS u
    (project_id, minute, route_group, count, errors_4xx, errors_5xx, latency_buckets)
  SELECT p.id, r.minute, r.route_group, r.count, r.errors_4xx, r.errors_5xx, r.latency_buckets
  FROM json_to_recordset($1::json) AS r(project_id text, minute timestamptz, route_group text,
    count bigint, errors_4xx bigint, errors_5xx bigint, latency_buckets bigint[])
  JOIN backendify.projects p ON p.id::text = r.project_id
  ON CONFLICT (project_id, minute, route_group) DO UPDATE SET
    count = u.count + EXCLUDED.count,
    errors_4xx = u.errors_4xx + EXCLUDED.errors_4xx,
    errors_5xx = u.errors_5xx + EXCLUDED.errors_5xx,
    latency_buckets = ARRAY(
      SELECT coalesce(a, 0) + coalesce(b, 0)
      FROM unnest(u.latency_buckets, EXCLUDED.latency_buckets) WITH ORDINALITY AS t(a, b, i)
      ORDER BY i)`,
    values: [JSON.stringify(rows)],
  };
}

/** Per-minute usage rows, and the project figures the Overview shows beside them. */
@Injectable()
export class UsageRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async flush(cells: readonly UsageCell[]): Promise<void> {
    if (cells.length === 0) return;
    const { text, values } = buildFlushStatement(cells);
    await this.pool.query(text, values);
  }

  async prune(olderThan: Date): Promise<number> {
    const res = await this.pool.query(`DELETE FROM backendify.usage_minutes WHERE minute < $1`, [
      olderThan,
    ]);
    return res.rowCount ?? 0;
  }

  async minutes(projectId: string, from: Date): Promise<UsageCell[]> {
    const res = await this.pool.query<{
      minute: Date;
      route_group: RouteGroup;
      count: string;
      errors_4xx: string;
      errors_5xx: string;
      latency_buckets: string[];
    }>(
      `SELECT minute, route_group, count, errors_4xx, errors_5xx, latency_buckets
       FROM backendify.usage_minutes WHERE project_id = $1 AND minute >= $2 ORDER BY minute`,
      [projectId, from],
    );
    return res.rows.map((r) => ({
      projectId,
      minute: r.minute.getTime(),
      group: r.route_group,
      count: Number(r.count),
      errors4xx: Number(r.errors_4xx),
      errors5xx: Number(r.errors_5xx),
      buckets: r.latency_buckets.map(Number),
    }));
  }

  /**
   * Rows per table: the planner's estimate (`reltuples`) for big tables, an exact count (capped
   * just past the limit) for the rest, so the answer stays cheap whatever the table sizes.
   */
  async tableCounts(tables: readonly TableRef[]): Promise<TableCount[]> {
    if (tables.length === 0) return [];
    const est = await this.pool.query<{ schema: string; table: string; reltuples: number }>(
      `SELECT n.nspname AS schema, c.relname AS table, c.reltuples::float8 AS reltuples
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind IN ('r', 'p')
         AND (n.nspname, c.relname) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
      [tables.map((t) => t.schema), tables.map((t) => t.table)],
    );
    const estimates = new Map(est.rows.map((r) => [`${r.schema}.${r.table}`, r.reltuples]));
    const small = tables.filter(
      (t) => (estimates.get(`${t.schema}.${t.table}`) ?? -1) <= EXACT_COUNT_LIMIT,
    );
    const exact = new Map<string, number>();
    if (small.length > 0) {
      const parts = small.map(
        (t, i) =>
          `SELECT ${i}::int AS i, (SELECT count(*) FROM (SELECT 1 FROM ${quoteQualified(t.schema, t.table)} LIMIT ${EXACT_COUNT_LIMIT + 1}) s)::int AS n`,
      );
      const res = await this.pool.query<{ i: number; n: number }>(parts.join(' UNION ALL '));
      for (const r of res.rows) exact.set(small[r.i].name, r.n);
    }
    return tables.map((t) => {
      const n = exact.get(t.name);
      if (n !== undefined && n <= EXACT_COUNT_LIMIT)
        return { name: t.name, records: n, estimate: false };
      const e = estimates.get(`${t.schema}.${t.table}`) ?? -1;
      return { name: t.name, records: Math.max(Math.round(e), n ?? 0), estimate: true };
    });
  }

  /** Bytes of every table of the schema, with its indexes and TOAST. */
  async schemaBytes(schema: string): Promise<number> {
    const res = await this.pool.query<{ bytes: string }>(
      `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint AS bytes
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND c.relkind IN ('r', 'm', 'p')`,
      [schema],
    );
    return Number(res.rows[0].bytes);
  }

  async fileBytes(projectId: string): Promise<{ bucket: string; files: number; bytes: number }[]> {
    const res = await this.pool.query<{ bucket: string; files: string; bytes: string }>(
      `SELECT b.name AS bucket, count(f.id) AS files, coalesce(sum(f.size_bytes), 0)::bigint AS bytes
       FROM backendify.file_buckets b
       LEFT JOIN backendify.files f ON f.bucket_id = b.id AND f.status = 'ready'
       WHERE b.project_id = $1 GROUP BY b.name ORDER BY b.name`,
      [projectId],
    );
    return res.rows.map((r) => ({
      bucket: r.bucket,
      files: Number(r.files),
      bytes: Number(r.bytes),
    }));
  }

  /** Webhook deliveries created since `from`, by status. */
  async deliveriesByStatus(projectId: string, from: Date): Promise<Record<string, number>> {
    return this.countBy(
      `SELECT d.status, count(*) AS n FROM backendify.webhook_deliveries d
       WHERE d.webhook_id IN (SELECT id FROM backendify.webhooks WHERE project_id = $1)
         AND d.created_at >= $2 GROUP BY d.status`,
      projectId,
      from,
    );
  }

  /** Workflow runs created since `from`, by status. */
  async runsByStatus(projectId: string, from: Date): Promise<Record<string, number>> {
    return this.countBy(
      `SELECT r.status, count(*) AS n FROM backendify.workflow_runs r
       WHERE r.workflow_id IN (SELECT id FROM backendify.workflows WHERE project_id = $1)
         AND r.created_at >= $2 GROUP BY r.status`,
      projectId,
      from,
    );
  }

  private async countBy(
    sql: string,
    projectId: string,
    from: Date,
  ): Promise<Record<string, number>> {
    const res = await this.pool.query<{ status: string; n: string }>(sql, [projectId, from]);
    return Object.fromEntries(res.rows.map((r) => [r.status, Number(r.n)]));
  }
}
