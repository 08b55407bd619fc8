import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cross-process cache invalidation (DESIGN §4): one row per cached scope and project (null =
 * every project), rewritten in the transaction of each change. `xact_id` is the last writer, so
 * a process can ask for exactly the rows committed since its previous snapshot.
 */
export class CacheVersions1764900100000 implements MigrationInterface {
  name = 'CacheVersions1764900100000';

  async up(q: QueryRunner): Promise<void> {
    // No foreign key to projects: deleting a project must leave its bump for the others to read.
    await q.query(`CREATE TABLE backendify.cache_versions (
      scope text NOT NULL,
      project_id uuid,
      version bigint NOT NULL DEFAULT 1,
      xact_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(
      `CREATE UNIQUE INDEX uq_cache_versions_scope_project ON backendify.cache_versions
       (scope, coalesce(project_id, '00000000-0000-0000-0000-000000000000'::uuid))`,
    );
    await q.query(`CREATE INDEX ix_cache_versions_xact ON backendify.cache_versions (xact_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS backendify.cache_versions`);
  }
}
