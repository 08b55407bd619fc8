import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Backups (DESIGN §5): stored archives per project and each project's backup schedule. */
export class Backups1766300000000 implements MigrationInterface {
  name = 'Backups1766300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE backendify.backups (
      id uuid PRIMARY KEY,
      project_id uuid NOT NULL REFERENCES backendify.projects(id) ON DELETE CASCADE,
      target varchar(8) NOT NULL,
      storage_key text NOT NULL,
      trigger varchar(16) NOT NULL,
      status varchar(16) NOT NULL,
      size_bytes bigint,
      sha256 varchar(64),
      error text,
      created_by uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz
    )`);
    await q.query(
      `CREATE INDEX ix_backups_project ON backendify.backups (project_id, created_at DESC)`,
    );
    await q.query(`CREATE TABLE backendify.backup_schedules (
      project_id uuid PRIMARY KEY REFERENCES backendify.projects(id) ON DELETE CASCADE,
      enabled boolean NOT NULL DEFAULT false,
      cron text NOT NULL,
      keep_last integer NOT NULL,
      target varchar(8) NOT NULL,
      next_run_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(
      `CREATE INDEX ix_backup_schedules_due ON backendify.backup_schedules (next_run_at) WHERE enabled`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS backendify.backup_schedules`);
    await q.query(`DROP TABLE IF EXISTS backendify.backups`);
  }
}
