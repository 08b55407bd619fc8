import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { PG_POOL } from '../../database/database.module';
import type { AuthSettings, StoredProviders } from './auth-settings.types';
import { inTransaction } from '../../database/transaction';

interface SettingsRow {
  project_id: string;
  enable_email_password: boolean;
  enable_magic_link: boolean;
  enable_otp: boolean;
  enable_oauth_google: boolean;
  enable_oauth_github: boolean;
  enable_oauth_oidc: boolean;
  access_ttl_minutes: number;
  refresh_ttl_days: number;
  session_mode: 'header' | 'cookie';
  allow_public_signup: boolean;
  require_email_verification: boolean;
  oauth_providers: StoredProviders;
  allowed_redirect_uris: string[];
  site_url: string | null;
  lockout_threshold: number;
  lockout_minutes: number;
}

const fromRow = (r: SettingsRow): AuthSettings => ({
  projectId: r.project_id,
  enableEmailPassword: r.enable_email_password,
  enableMagicLink: r.enable_magic_link,
  enableOtp: r.enable_otp,
  enableOauthGoogle: r.enable_oauth_google,
  enableOauthGithub: r.enable_oauth_github,
  enableOauthOidc: r.enable_oauth_oidc,
  accessTtlMinutes: r.access_ttl_minutes,
  refreshTtlDays: r.refresh_ttl_days,
  sessionMode: r.session_mode,
  allowPublicSignup: r.allow_public_signup,
  requireEmailVerification: r.require_email_verification,
  oauthProviders: r.oauth_providers ?? {},
  allowedRedirectUris: r.allowed_redirect_uris ?? [],
  siteUrl: r.site_url ?? null,
  lockoutThreshold: r.lockout_threshold,
  lockoutMinutes: r.lockout_minutes,
});

/** `backendify.project_auth_settings` (and the project lookup its public routes need). */
@Injectable()
export class AuthSettingsRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async projectName(projectId: string): Promise<string | null> {
    const res = await this.pool.query<{ name: string }>(
      `SELECT name FROM backendify.projects WHERE id = $1`,
      [projectId],
    );
    return res.rows[0]?.name ?? null;
  }

  /** Whether an owner of the project has proven their console address (a sender of record). */
  async hasVerifiedOwner(projectId: string): Promise<boolean> {
    const res = await this.pool.query(
      `SELECT 1 FROM backendify.memberships m JOIN backendify.users u ON u.id = m.user_id
       WHERE m.project_id = $1 AND m.role = 'owner' AND u.email_verified_at IS NOT NULL LIMIT 1`,
      [projectId],
    );
    return (res.rowCount ?? 0) > 0;
  }

  /** Creates the defaults row lazily; the caller has checked that the project exists. */
  async getOrCreate(projectId: string, db: Pool | PoolClient = this.pool): Promise<AuthSettings> {
    await db.query(
      `INSERT INTO backendify.project_auth_settings (project_id) VALUES ($1) ON CONFLICT DO NOTHING`,
      [projectId],
    );
    const res = await db.query<SettingsRow>(
      `SELECT * FROM backendify.project_auth_settings WHERE project_id = $1${db === this.pool ? '' : ' FOR UPDATE'}`,
      [projectId],
    );
    return fromRow(res.rows[0]);
  }

  async save(db: PoolClient, s: AuthSettings): Promise<void> {
    await db.query(
      `UPDATE backendify.project_auth_settings SET
         enable_email_password = $2, enable_magic_link = $3, enable_otp = $4,
         enable_oauth_google = $5, enable_oauth_github = $6, enable_oauth_oidc = $7,
         access_ttl_minutes = $8, refresh_ttl_days = $9, session_mode = $10,
         allow_public_signup = $11, require_email_verification = $12,
         oauth_providers = $13::jsonb, allowed_redirect_uris = $14::jsonb,
         lockout_threshold = $15, lockout_minutes = $16, site_url = $17, updated_at = now()
       WHERE project_id = $1`,
      [
        s.projectId,
        s.enableEmailPassword,
        s.enableMagicLink,
        s.enableOtp,
        s.enableOauthGoogle,
        s.enableOauthGithub,
        s.enableOauthOidc,
        s.accessTtlMinutes,
        s.refreshTtlDays,
        s.sessionMode,
        s.allowPublicSignup,
        s.requireEmailVerification,
        JSON.stringify(s.oauthProviders),
        JSON.stringify(s.allowedRedirectUris),
        s.lockoutThreshold,
        s.lockoutMinutes,
        s.siteUrl,
      ],
    );
  }

  transaction<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, fn);
  }
}
