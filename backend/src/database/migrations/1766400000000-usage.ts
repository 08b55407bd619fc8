import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Usage at a glance (issue 15.5): request counts per (project, minute, route group), summed over
 * every API process's flushes, with a fixed latency histogram (bucket bounds in usage-aggregator).
 */
export class Usage1766400000000 implements MigrationInterface {
  name = 'Usage1766400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE backendify.usage_minutes (
      project_id uuid NOT NULL REFERENCES backendify.projects(id) ON DELETE CASCADE,
      minute timestamptz NOT NULL,
      route_group varchar(16) NOT NULL,
      count bigint NOT NULL DEFAULT 0,
      errors_4xx bigint NOT NULL DEFAULT 0,
      errors_5xx bigint NOT NULL DEFAULT 0,
      latency_buckets bigint[] NOT NULL,
      PRIMARY KEY (project_id, minute, route_group)
    )`);
    // The daily prune's look for old rows.
    await q.query(`CREATE INDEX ix_usage_minutes_minute ON backendify.usage_minutes (minute)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS backendify.usage_minutes`);
  }
}
