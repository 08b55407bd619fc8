import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Collection policies, per-project roles and app-user role assignments. */
export class PoliciesRbac1763700200000 implements MigrationInterface {
  name = 'PoliciesRbac1763700200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE backendify.policies (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      collection_id uuid NOT NULL REFERENCES backendify.collections(id) ON DELETE CASCADE,
      name text NOT NULL,
      action text NOT NULL CHECK (action IN ('create', 'read', 'update', 'delete', 'list')),
      effect text NOT NULL DEFAULT 'allow' CHECK (effect IN ('allow', 'deny')),
      condition jsonb,
      is_active boolean NOT NULL DEFAULT true,
      priority integer NOT NULL DEFAULT 0,
      allowed_principals text[] NOT NULL DEFAULT '{}',
      require_email_verified boolean NOT NULL DEFAULT false,
      allowed_roles text[] NOT NULL DEFAULT '{}',
      read_fields text[],
      write_fields text[],
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(
      `CREATE INDEX ix_policies_collection ON backendify.policies (collection_id, action, priority DESC)`,
    );
    await q.query(`CREATE TABLE backendify.roles (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      project_id uuid NOT NULL REFERENCES backendify.projects(id) ON DELETE CASCADE,
      name text NOT NULL,
      display_name text NOT NULL,
      description text,
      is_system boolean NOT NULL DEFAULT false,
      is_default boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT uq_roles_project_name UNIQUE (project_id, name)
    )`);
    // At most one default role per project (the original could end up with two).
    await q.query(
      `CREATE UNIQUE INDEX uq_roles_project_default ON backendify.roles (project_id) WHERE is_default`,
    );
    await q.query(`CREATE TABLE backendify.app_user_roles (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      project_id uuid NOT NULL REFERENCES backendify.projects(id) ON DELETE CASCADE,
      app_user_id uuid NOT NULL,
      role_id uuid NOT NULL REFERENCES backendify.roles(id) ON DELETE CASCADE,
      assigned_by uuid,
      assigned_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT uq_app_user_roles UNIQUE (app_user_id, role_id)
    )`);
    await q.query(
      `CREATE INDEX ix_app_user_roles_user ON backendify.app_user_roles (project_id, app_user_id)`,
    );
    await q.query(`CREATE INDEX ix_app_user_roles_role ON backendify.app_user_roles (role_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS backendify.app_user_roles`);
    await q.query(`DROP TABLE IF EXISTS backendify.roles`);
    await q.query(`DROP TABLE IF EXISTS backendify.policies`);
  }
}
