import type { MigrationInterface, QueryRunner } from 'typeorm';

/** SQL console (DESIGN §5): each member's runs, newest first, with their outcome. */
export class SqlHistory1766200000000 implements MigrationInterface {
  name = 'SqlHistory1766200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE backendify.sql_history (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      project_id uuid NOT NULL REFERENCES backendify.projects(id) ON DELETE CASCADE,
      user_id uuid NOT NULL,
      query text NOT NULL,
      params jsonb,
      read_only boolean NOT NULL,
      status varchar(16) NOT NULL,
      error_code varchar(5),
      error text,
      row_count bigint,
      truncated boolean NOT NULL DEFAULT false,
      duration_ms integer,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(
      `CREATE INDEX ix_sql_history_member ON backendify.sql_history (project_id, user_id, id DESC)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS backendify.sql_history`);
  }
}
