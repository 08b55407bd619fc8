import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Console accounts prove their address; project invitations; a site URL for app-user mail links. */
export class AdminVerificationInvitations1764800200000 implements MigrationInterface {
  name = 'AdminVerificationInvitations1764800200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE backendify.users ADD COLUMN email_verified_at timestamptz`);
    // Where mailed app-user links (magic link, verification, reset) point by default.
    await q.query(`ALTER TABLE backendify.project_auth_settings ADD COLUMN site_url text`);
    await q.query(`CREATE TABLE backendify.admin_email_tokens (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES backendify.users(id) ON DELETE CASCADE,
      token_hash text NOT NULL UNIQUE,
      purpose text NOT NULL CHECK (purpose IN ('verify_email')),
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(
      `CREATE INDEX ix_admin_email_tokens_user ON backendify.admin_email_tokens (user_id, purpose)`,
    );
    await q.query(`CREATE TABLE backendify.project_invitations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      project_id uuid NOT NULL REFERENCES backendify.projects(id) ON DELETE CASCADE,
      email text NOT NULL,
      role text NOT NULL CHECK (role IN ('owner','admin','developer','viewer')),
      token_hash text NOT NULL UNIQUE,
      invited_by uuid REFERENCES backendify.users(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      accepted_at timestamptz
    )`);
    // One open invitation per address and project; inviting again replaces its token.
    await q.query(
      `CREATE UNIQUE INDEX uq_project_invitations_pending ON backendify.project_invitations (project_id, lower(email)) WHERE accepted_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE backendify.project_invitations`);
    await q.query(`DROP TABLE backendify.admin_email_tokens`);
    await q.query(`ALTER TABLE backendify.project_auth_settings DROP COLUMN site_url`);
    await q.query(`ALTER TABLE backendify.users DROP COLUMN email_verified_at`);
  }
}
