import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Admins, refresh-token families, projects, memberships, API keys and the schema-op log. */
export class Foundation1763700000000 implements MigrationInterface {
  name = 'Foundation1763700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS backendify`);
    await q.query(`CREATE TABLE backendify.users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      email text NOT NULL,
      password_hash text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE UNIQUE INDEX uq_users_email ON backendify.users (lower(email))`);
    await q.query(`CREATE TABLE backendify.admin_refresh_tokens (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES backendify.users(id) ON DELETE CASCADE,
      family_id uuid NOT NULL,
      token_hash text NOT NULL,
      revoked_at timestamptz,
      replaced_by uuid,
      expires_at timestamptz NOT NULL,
      user_agent text,
      ip_address text,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(
      `CREATE UNIQUE INDEX uq_admin_refresh_tokens_hash ON backendify.admin_refresh_tokens (token_hash)`,
    );
    await q.query(
      `CREATE INDEX ix_admin_refresh_tokens_family ON backendify.admin_refresh_tokens (family_id)`,
    );
    await q.query(
      `CREATE INDEX ix_admin_refresh_tokens_user ON backendify.admin_refresh_tokens (user_id)`,
    );
    await q.query(`CREATE TABLE backendify.projects (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      schema_name text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE backendify.memberships (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES backendify.users(id) ON DELETE CASCADE,
      project_id uuid NOT NULL REFERENCES backendify.projects(id) ON DELETE CASCADE,
      role text NOT NULL CHECK (role IN ('owner','admin','developer','viewer')),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (project_id, user_id)
    )`);
    await q.query(`CREATE INDEX ix_memberships_user ON backendify.memberships (user_id)`);
    await q.query(`CREATE TABLE backendify.api_keys (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      project_id uuid NOT NULL REFERENCES backendify.projects(id) ON DELETE CASCADE,
      name text NOT NULL,
      prefix text NOT NULL,
      key_hash text NOT NULL,
      revoked boolean NOT NULL DEFAULT false,
      expires_at timestamptz,
      last_used_at timestamptz,
      created_by_user_id uuid REFERENCES backendify.users(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE UNIQUE INDEX uq_api_keys_hash ON backendify.api_keys (key_hash)`);
    await q.query(`CREATE INDEX ix_api_keys_project ON backendify.api_keys (project_id)`);
    await q.query(`CREATE TABLE backendify.schema_ops (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      project_id uuid NOT NULL REFERENCES backendify.projects(id) ON DELETE CASCADE,
      collection_id uuid,
      op_type text NOT NULL,
      payload_json jsonb NOT NULL DEFAULT '{}'::jsonb,
      sql text NOT NULL DEFAULT '',
      status text NOT NULL,
      error text,
      actor_user_id uuid,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(
      `CREATE INDEX ix_schema_ops_project ON backendify.schema_ops (project_id, created_at DESC)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS backendify.schema_ops`);
    await q.query(`DROP TABLE IF EXISTS backendify.api_keys`);
    await q.query(`DROP TABLE IF EXISTS backendify.memberships`);
    await q.query(`DROP TABLE IF EXISTS backendify.projects`);
    await q.query(`DROP TABLE IF EXISTS backendify.admin_refresh_tokens`);
    await q.query(`DROP TABLE IF EXISTS backendify.users`);
  }
}
