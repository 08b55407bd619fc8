import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../../database/database.module';
import { CACHE_CHANNEL, CACHE_SCOPES, type CacheScope, type StaleScope } from './cache-scope';

/** A pg client or pool, or a TypeORM manager: anything that runs a statement in a transaction. */
export interface StatementRunner {
  query(text: string, values?: unknown[]): Promise<unknown>;
}

// One statement: the bump rows (sorted scopes, so two bumping transactions lock rows in the same
// order) and one NOTIFY, which PostgreSQL coalesces with the transaction's other identical ones.
const BUMP_SQL = `WITH bumped AS (
    INSERT INTO backendify.cache_versions AS v (scope, project_id)
    SELECT s, $2::uuid FROM unnest($1::text[]) AS s
    ON CONFLICT (scope, coalesce(project_id, '00000000-0000-0000-0000-000000000000'::uuid))
    DO UPDATE SET version = v.version + 1, xact_id = pg_current_xact_id(), updated_at = now()
    RETURNING 1
  )
  SELECT pg_notify('${CACHE_CHANNEL}', '') FROM (SELECT count(*) FROM bumped) AS n`;

// Rows whose last writer was not yet visible in the previous snapshot, and the current snapshot,
// read in one statement (one snapshot): a transaction that commits late is caught next time.
const CHANGED_SQL = `SELECT pg_current_snapshot()::text AS snapshot,
    coalesce((SELECT json_agg(json_build_object('scope', scope, 'projectId', project_id))
      FROM backendify.cache_versions
      WHERE $1::pg_snapshot IS NOT NULL
        AND xact_id >= pg_snapshot_xmin($1::pg_snapshot)
        AND NOT pg_visible_in_snapshot(xact_id, $1::pg_snapshot)), '[]'::json) AS changed`;

export interface ChangedSince {
  /** Where the next read starts. */
  snapshot: string;
  changed: StaleScope[];
}

/** The `cache_versions` table: bumps written by changes, read by every process. */
@Injectable()
export class CacheSyncRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Bumps the scopes of a project (null = every project) on `db`, in its transaction when it has one. */
  async bump(
    db: StatementRunner | null,
    scopes: readonly CacheScope[],
    projectId: string | null,
  ): Promise<void> {
    const sorted = [...new Set(scopes)].sort();
    await (db ?? this.pool).query(BUMP_SQL, [sorted, projectId]);
  }

  /**
   * The current version of a scope for each project, as `<project row>:<every-project row>`
   * ('0' for a row never written), read on `db` (a consumer's transaction sees what committed
   * before its statement).
   */
  async versions(
    db: StatementRunner | null,
    scope: CacheScope,
    projectIds: readonly string[],
  ): Promise<Map<string, string>> {
    const res = (await (db ?? this.pool).query(
      `SELECT p.id::text AS project_id,
              coalesce(v.version, 0)::text || ':' || coalesce(g.version, 0)::text AS version
         FROM unnest($2::uuid[]) AS p(id)
         LEFT JOIN backendify.cache_versions v ON v.scope = $1 AND v.project_id = p.id
         LEFT JOIN backendify.cache_versions g ON g.scope = $1 AND g.project_id IS NULL`,
      [scope, projectIds],
    )) as { rows: { project_id: string; version: string }[] };
    return new Map(res.rows.map((r) => [r.project_id, r.version]));
  }

  /** What committed since `snapshot` (nothing when null: the first read only takes a snapshot). */
  async changedSince(snapshot: string | null): Promise<ChangedSince> {
    const { rows } = await this.pool.query<{ snapshot: string; changed: StaleScope[] }>(
      CHANGED_SQL,
      [snapshot],
    );
    const known = new Set<string>(CACHE_SCOPES);
    return {
      snapshot: rows[0].snapshot,
      // A newer process's scope this one does not know has nothing here to drop.
      changed: rows[0].changed.filter((c) => known.has(c.scope)),
    };
  }
}
