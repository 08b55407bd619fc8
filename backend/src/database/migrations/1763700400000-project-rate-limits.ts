import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Per-project request limits on the data routes, per principal kind and minute. */
export class ProjectRateLimits1763700400000 implements MigrationInterface {
  name = 'ProjectRateLimits1763700400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE backendify.projects ADD COLUMN rate_limits jsonb NOT NULL DEFAULT '{}'::jsonb`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE backendify.projects DROP COLUMN rate_limits`);
  }
}
