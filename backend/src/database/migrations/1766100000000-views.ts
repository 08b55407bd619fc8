import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Views (DESIGN §5, §8): saved, versioned queries. `definition` holds the current version's
 * definition; every version (the first included) is kept in `view_versions`. One active view per
 * name and project; a deleted view frees its name.
 */
export class Views1766100000000 implements MigrationInterface {
  name = 'Views1766100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE backendify.views (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      project_id uuid NOT NULL REFERENCES backendify.projects(id) ON DELETE CASCADE,
      name varchar(63) NOT NULL,
      display_name varchar(255) NOT NULL,
      description text,
      base_collection_id uuid NOT NULL,
      definition jsonb NOT NULL,
      version integer NOT NULL DEFAULT 1,
      is_active boolean NOT NULL DEFAULT true,
      created_by_user_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(
      `CREATE UNIQUE INDEX ux_views_project_name ON backendify.views (project_id, name) WHERE is_active`,
    );
    await q.query(`CREATE INDEX ix_views_project ON backendify.views (project_id)`);
    await q.query(`CREATE TABLE backendify.view_versions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      view_id uuid NOT NULL REFERENCES backendify.views(id) ON DELETE CASCADE,
      version integer NOT NULL,
      display_name varchar(255) NOT NULL,
      description text,
      definition jsonb NOT NULL,
      created_by_user_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (view_id, version)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS backendify.view_versions`);
    await q.query(`DROP TABLE IF EXISTS backendify.views`);
  }
}
