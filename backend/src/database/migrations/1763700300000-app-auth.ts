import type { MigrationInterface, QueryRunner } from 'typeorm';

/** App-user auth: per-project settings, refresh-token families, email tokens, OTPs, identities, lockout, OAuth state, mail outbox. */
export class AppAuth1763700300000 implements MigrationInterface {
  name = 'AppAuth1763700300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE backendify.project_auth_settings (
      project_id uuid PRIMARY KEY REFERENCES backendify.projects(id) ON DELETE CASCADE,
      enable_email_password boolean NOT NULL DEFAULT true,
      enable_magic_link boolean NOT NULL DEFAULT false,
      enable_otp boolean NOT NULL DEFAULT false,
      enable_oauth_google boolean NOT NULL DEFAULT false,
      enable_oauth_github boolean NOT NULL DEFAULT false,
      enable_oauth_oidc boolean NOT NULL DEFAULT false,
      access_ttl_minutes integer NOT NULL DEFAULT 15 CHECK (access_ttl_minutes BETWEEN 1 AND 1440),
      refresh_ttl_days integer NOT NULL DEFAULT 7 CHECK (refresh_ttl_days BETWEEN 1 AND 365),
      session_mode text NOT NULL DEFAULT 'header' CHECK (session_mode IN ('header','cookie')),
      allow_public_signup boolean NOT NULL DEFAULT true,
      require_email_verification boolean NOT NULL DEFAULT false,
      oauth_providers jsonb NOT NULL DEFAULT '{}'::jsonb,
      allowed_redirect_uris jsonb NOT NULL DEFAULT '[]'::jsonb,
      lockout_threshold integer NOT NULL DEFAULT 5 CHECK (lockout_threshold BETWEEN 1 AND 100),
      lockout_minutes integer NOT NULL DEFAULT 15 CHECK (lockout_minutes BETWEEN 1 AND 1440),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE backendify.app_refresh_tokens (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      project_id uuid NOT NULL REFERENCES backendify.projects(id) ON DELETE CASCADE,
      app_user_id uuid NOT NULL,
      family_id uuid NOT NULL,
      token_hash text NOT NULL,
      revoked_at timestamptz,
      replaced_by uuid,
      rotated_at timestamptz,
      grace_token_enc text,
      expires_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz,
      ip_address text,
      user_agent text
    )`);
    await q.query(
      `CREATE UNIQUE INDEX uq_app_refresh_tokens_hash ON backendify.app_refresh_tokens (token_hash)`,
    );
    await q.query(
      `CREATE INDEX ix_app_refresh_tokens_user ON backendify.app_refresh_tokens (project_id, app_user_id)`,
    );
    await q.query(
      `CREATE INDEX ix_app_refresh_tokens_family ON backendify.app_refresh_tokens (family_id)`,
    );
    await q.query(`CREATE TABLE backendify.app_email_tokens (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      project_id uuid NOT NULL REFERENCES backendify.projects(id) ON DELETE CASCADE,
      app_user_id uuid NOT NULL,
      token_hash text NOT NULL,
      purpose text NOT NULL CHECK (purpose IN ('verify_email','reset_password')),
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(
      `CREATE UNIQUE INDEX uq_app_email_tokens_hash ON backendify.app_email_tokens (token_hash)`,
    );
    await q.query(
      `CREATE INDEX ix_app_email_tokens_user ON backendify.app_email_tokens (project_id, app_user_id, purpose)`,
    );
    await q.query(`CREATE TABLE backendify.app_otp_codes (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      project_id uuid NOT NULL REFERENCES backendify.projects(id) ON DELETE CASCADE,
      email text NOT NULL,
      code_hash text NOT NULL,
      magic_token_hash text,
      purpose text NOT NULL DEFAULT 'login',
      attempts integer NOT NULL DEFAULT 0,
      expires_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(
      `CREATE INDEX ix_app_otp_codes_email ON backendify.app_otp_codes (project_id, email)`,
    );
    await q.query(
      `CREATE UNIQUE INDEX uq_app_otp_codes_magic ON backendify.app_otp_codes (magic_token_hash) WHERE magic_token_hash IS NOT NULL`,
    );
    await q.query(`CREATE TABLE backendify.app_identities (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      project_id uuid NOT NULL REFERENCES backendify.projects(id) ON DELETE CASCADE,
      app_user_id uuid NOT NULL,
      provider text NOT NULL,
      provider_user_id text NOT NULL,
      email text,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (project_id, provider, provider_user_id)
    )`);
    await q.query(
      `CREATE INDEX ix_app_identities_user ON backendify.app_identities (project_id, app_user_id)`,
    );
    await q.query(`CREATE TABLE backendify.app_login_attempts (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      project_id uuid NOT NULL REFERENCES backendify.projects(id) ON DELETE CASCADE,
      email text NOT NULL,
      success boolean NOT NULL,
      ip_address text,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(
      `CREATE INDEX ix_app_login_attempts_email ON backendify.app_login_attempts (project_id, email, created_at DESC)`,
    );
    await q.query(`CREATE TABLE backendify.oauth_states (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      project_id uuid NOT NULL REFERENCES backendify.projects(id) ON DELETE CASCADE,
      state_hash text NOT NULL,
      provider text NOT NULL,
      redirect_uri text NOT NULL,
      code_verifier_enc text NOT NULL,
      expires_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(
      `CREATE UNIQUE INDEX uq_oauth_states_hash ON backendify.oauth_states (state_hash)`,
    );
    await q.query(`CREATE TABLE backendify.mail_outbox (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      project_id uuid REFERENCES backendify.projects(id) ON DELETE CASCADE,
      to_address text NOT NULL,
      subject text NOT NULL,
      text_body text NOT NULL,
      html_body text,
      kind text NOT NULL,
      status text NOT NULL CHECK (status IN ('pending','sent','failed','dev')),
      attempts integer NOT NULL DEFAULT 0,
      error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz
    )`);
    await q.query(
      `CREATE INDEX ix_mail_outbox_project ON backendify.mail_outbox (project_id, created_at DESC)`,
    );
    await q.query(
      `CREATE INDEX ix_mail_outbox_pending ON backendify.mail_outbox (created_at) WHERE status = 'pending'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'mail_outbox',
      'oauth_states',
      'app_login_attempts',
      'app_identities',
      'app_otp_codes',
      'app_email_tokens',
      'app_refresh_tokens',
      'project_auth_settings',
    ])
      await q.query(`DROP TABLE IF EXISTS backendify.${t}`);
  }
}
