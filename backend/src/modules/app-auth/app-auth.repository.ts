import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { PG_POOL } from '../../database/database.module';
import type { Db } from './app-users.repository';
import { inTransaction } from '../../database/transaction';

export interface RefreshTokenRow {
  id: string;
  project_id: string;
  app_user_id: string;
  family_id: string;
  revoked_at: Date | null;
  replaced_by: string | null;
  rotated_at: Date | null;
  grace_token_enc: string | null;
  expires_at: Date;
}

export interface SessionRow {
  family_id: string;
  started_at: Date;
  last_used_at: Date | null;
  expires_at: Date;
  ip_address: string | null;
  user_agent: string | null;
}

export interface EmailTokenRow {
  id: string;
  app_user_id: string;
  expires_at: Date;
  used_at: Date | null;
}

export interface OtpRow {
  id: string;
  email: string;
  code_hash: string;
  attempts: number;
  expires_at: Date;
}

export interface OAuthStateRow {
  id: string;
  provider: string;
  redirect_uri: string;
  code_verifier_enc: string;
  expires_at: Date;
}

export type EmailTokenPurpose = 'verify_email' | 'reset_password';

/** App-auth system tables in `backendify`: the only code touching them. */
@Injectable()
export class AppAuthRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  get db(): Pool {
    return this.pool;
  }

  transaction<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, fn);
  }

  // ---- refresh tokens (sessions = families) ----

  async insertRefreshToken(
    db: Db,
    t: {
      projectId: string;
      userId: string;
      familyId: string;
      tokenHash: string;
      expiresAt: Date;
      ip: string | null;
      userAgent: string | null;
    },
  ): Promise<string> {
    const res = await db.query<{ id: string }>(
      `INSERT INTO backendify.app_refresh_tokens
         (project_id, app_user_id, family_id, token_hash, expires_at, ip_address, user_agent, last_used_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now()) RETURNING id`,
      [t.projectId, t.userId, t.familyId, t.tokenHash, t.expiresAt, t.ip, t.userAgent],
    );
    return res.rows[0].id;
  }

  async findRefreshTokenForUpdate(
    db: PoolClient,
    tokenHash: string,
  ): Promise<RefreshTokenRow | null> {
    const res = await db.query<RefreshTokenRow>(
      `SELECT id, project_id, app_user_id::text, family_id, revoked_at, replaced_by, rotated_at, grace_token_enc, expires_at
       FROM backendify.app_refresh_tokens WHERE token_hash = $1 FOR UPDATE`,
      [tokenHash],
    );
    return res.rows[0] ?? null;
  }

  async findRefreshTokenById(db: PoolClient, id: string): Promise<RefreshTokenRow | null> {
    const res = await db.query<RefreshTokenRow>(
      `SELECT id, project_id, app_user_id::text, family_id, revoked_at, replaced_by, rotated_at, grace_token_enc, expires_at
       FROM backendify.app_refresh_tokens WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return res.rows[0] ?? null;
  }

  async findRefreshTokenFamily(
    db: Db,
    projectId: string,
    tokenHash: string,
  ): Promise<RefreshTokenRow | null> {
    const res = await db.query<RefreshTokenRow>(
      `SELECT id, project_id, app_user_id::text, family_id, revoked_at, replaced_by, rotated_at, grace_token_enc, expires_at
       FROM backendify.app_refresh_tokens WHERE token_hash = $1 AND project_id = $2`,
      [tokenHash, projectId],
    );
    return res.rows[0] ?? null;
  }

  async markRotated(
    db: PoolClient,
    id: string,
    replacedBy: string,
    graceTokenEnc: string,
  ): Promise<void> {
    await db.query(
      `UPDATE backendify.app_refresh_tokens
       SET revoked_at = now(), rotated_at = now(), last_used_at = now(), replaced_by = $2, grace_token_enc = $3
       WHERE id = $1`,
      [id, replacedBy, graceTokenEnc],
    );
  }

  /** Drops grace copies of successors once their window has passed. */
  async clearStaleGrace(db: Db, familyId: string, graceSeconds: number): Promise<void> {
    await db.query(
      `UPDATE backendify.app_refresh_tokens SET grace_token_enc = NULL
       WHERE family_id = $1 AND grace_token_enc IS NOT NULL AND rotated_at < now() - make_interval(secs => $2)`,
      [familyId, graceSeconds],
    );
  }

  async touch(db: Db, id: string): Promise<void> {
    await db.query(`UPDATE backendify.app_refresh_tokens SET last_used_at = now() WHERE id = $1`, [
      id,
    ]);
  }

  async revokeFamily(db: Db, projectId: string, familyId: string): Promise<number> {
    const res = await db.query(
      `UPDATE backendify.app_refresh_tokens SET revoked_at = now(), grace_token_enc = NULL
       WHERE project_id = $1 AND family_id = $2 AND revoked_at IS NULL`,
      [projectId, familyId],
    );
    return res.rowCount ?? 0;
  }

  /** Revokes every session of a user, except `keepFamilyId` when given; returns the sessions ended. */
  async revokeUserSessions(
    db: Db,
    projectId: string,
    userId: string,
    keepFamilyId: string | null = null,
  ): Promise<number> {
    const res = await db.query<{ family_id: string }>(
      `UPDATE backendify.app_refresh_tokens SET revoked_at = now(), grace_token_enc = NULL
       WHERE project_id = $1 AND app_user_id = $2 AND revoked_at IS NULL
         AND ($3::uuid IS NULL OR family_id <> $3::uuid)
       RETURNING family_id`,
      [projectId, userId, keepFamilyId],
    );
    return new Set(res.rows.map((r) => r.family_id)).size;
  }

  async listSessions(projectId: string, userId: string): Promise<SessionRow[]> {
    const res = await this.pool.query<SessionRow>(
      `SELECT t.family_id, f.started_at, t.last_used_at, t.expires_at, t.ip_address, t.user_agent
       FROM backendify.app_refresh_tokens t
       JOIN (SELECT family_id, min(created_at) AS started_at FROM backendify.app_refresh_tokens
             WHERE project_id = $1 AND app_user_id = $2 GROUP BY family_id) f USING (family_id)
       WHERE t.project_id = $1 AND t.app_user_id = $2 AND t.revoked_at IS NULL AND t.expires_at > now()
       ORDER BY t.last_used_at DESC NULLS LAST, t.created_at DESC`,
      [projectId, userId],
    );
    return res.rows;
  }

  async revokeUserFamily(
    db: Db,
    projectId: string,
    userId: string,
    familyId: string,
  ): Promise<number> {
    const res = await db.query(
      `UPDATE backendify.app_refresh_tokens SET revoked_at = now(), grace_token_enc = NULL
       WHERE project_id = $1 AND app_user_id = $2 AND family_id = $3 AND revoked_at IS NULL AND expires_at > now()`,
      [projectId, userId, familyId],
    );
    return res.rowCount ?? 0;
  }

  /** The user and whether the token's session is still live, in one round trip. */
  async accessCheck(
    schemaTable: string,
    projectId: string,
    userId: string,
    familyId: string,
  ): Promise<{
    email: string;
    is_email_verified: boolean;
    is_disabled: boolean;
    session_active: boolean;
  } | null> {
    const res = await this.pool.query(
      `SELECT u.email, u.is_email_verified, u.is_disabled,
         EXISTS (SELECT 1 FROM backendify.app_refresh_tokens t
                 WHERE t.project_id = $2 AND t.family_id = $3 AND t.app_user_id = $1
                   AND t.revoked_at IS NULL AND t.expires_at > now()) AS session_active
       FROM ${schemaTable} u WHERE u.id = $1`,
      [userId, projectId, familyId],
    );
    return res.rows[0] ?? null;
  }

  // ---- email tokens ----

  async replaceEmailToken(
    db: Db,
    t: {
      projectId: string;
      userId: string;
      tokenHash: string;
      purpose: EmailTokenPurpose;
      expiresAt: Date;
    },
  ): Promise<void> {
    await db.query(
      `DELETE FROM backendify.app_email_tokens
       WHERE project_id = $1 AND app_user_id = $2 AND purpose = $3 AND used_at IS NULL`,
      [t.projectId, t.userId, t.purpose],
    );
    await db.query(
      `INSERT INTO backendify.app_email_tokens (project_id, app_user_id, token_hash, purpose, expires_at)
       VALUES ($1, $2, $3, $4, $5)`,
      [t.projectId, t.userId, t.tokenHash, t.purpose, t.expiresAt],
    );
  }

  async findEmailTokenForUpdate(
    db: PoolClient,
    projectId: string,
    tokenHash: string,
    purpose: EmailTokenPurpose,
  ): Promise<EmailTokenRow | null> {
    const res = await db.query<EmailTokenRow>(
      `SELECT id, app_user_id::text, expires_at, used_at FROM backendify.app_email_tokens
       WHERE project_id = $1 AND token_hash = $2 AND purpose = $3 FOR UPDATE`,
      [projectId, tokenHash, purpose],
    );
    return res.rows[0] ?? null;
  }

  async useEmailToken(db: Db, id: string): Promise<void> {
    await db.query(`UPDATE backendify.app_email_tokens SET used_at = now() WHERE id = $1`, [id]);
  }

  /** Unused reset and verification links, codes and magic links of a user: gone after a credential change. */
  async revokeEmailSecrets(
    db: Db,
    projectId: string,
    userId: string,
    emails: string[],
  ): Promise<void> {
    await db.query(
      `DELETE FROM backendify.app_email_tokens WHERE project_id = $1 AND app_user_id = $2 AND used_at IS NULL`,
      [projectId, userId],
    );
    await db.query(
      `DELETE FROM backendify.app_otp_codes WHERE project_id = $1 AND email = ANY($2::text[])`,
      [projectId, emails.map((e) => e.toLowerCase())],
    );
  }

  // ---- OTP / magic link ----

  async replaceOtp(
    db: Db,
    o: {
      projectId: string;
      email: string;
      codeHash: string;
      magicTokenHash: string | null;
      expiresAt: Date;
    },
  ): Promise<void> {
    await db.query(`DELETE FROM backendify.app_otp_codes WHERE project_id = $1 AND email = $2`, [
      o.projectId,
      o.email,
    ]);
    await db.query(
      `INSERT INTO backendify.app_otp_codes (project_id, email, code_hash, magic_token_hash, expires_at)
       VALUES ($1, $2, $3, $4, $5)`,
      [o.projectId, o.email, o.codeHash, o.magicTokenHash, o.expiresAt],
    );
  }

  async findOtpByEmailForUpdate(
    db: PoolClient,
    projectId: string,
    email: string,
  ): Promise<OtpRow | null> {
    const res = await db.query<OtpRow>(
      `SELECT id, email, code_hash, attempts, expires_at FROM backendify.app_otp_codes
       WHERE project_id = $1 AND email = $2 ORDER BY created_at DESC LIMIT 1 FOR UPDATE`,
      [projectId, email],
    );
    return res.rows[0] ?? null;
  }

  async findOtpByMagicForUpdate(
    db: PoolClient,
    projectId: string,
    magicHash: string,
  ): Promise<OtpRow | null> {
    const res = await db.query<OtpRow>(
      `SELECT id, email, code_hash, attempts, expires_at FROM backendify.app_otp_codes
       WHERE project_id = $1 AND magic_token_hash = $2 FOR UPDATE`,
      [projectId, magicHash],
    );
    return res.rows[0] ?? null;
  }

  async bumpOtpAttempts(db: Db, id: string): Promise<number> {
    const res = await db.query<{ attempts: number }>(
      `UPDATE backendify.app_otp_codes SET attempts = attempts + 1 WHERE id = $1 RETURNING attempts`,
      [id],
    );
    return res.rows[0]?.attempts ?? 0;
  }

  async deleteOtp(db: Db, id: string): Promise<void> {
    await db.query(`DELETE FROM backendify.app_otp_codes WHERE id = $1`, [id]);
  }

  // ---- login attempts (lockout) ----

  async recordLoginAttempt(
    projectId: string,
    email: string,
    success: boolean,
    ip: string | null,
  ): Promise<void> {
    await this.pool.query(
      `INSERT INTO backendify.app_login_attempts (project_id, email, success, ip_address) VALUES ($1, $2, $3, $4)`,
      [projectId, email, success, ip],
    );
  }

  /** Failures since the last success inside the window, and when the newest of them happened. */
  async recentFailures(
    projectId: string,
    email: string,
    windowMinutes: number,
  ): Promise<{ count: number; latest: Date | null }> {
    const res = await this.pool.query<{ n: string; latest: Date | null }>(
      `SELECT count(*)::text AS n, max(created_at) AS latest FROM backendify.app_login_attempts a
       WHERE a.project_id = $1 AND a.email = $2 AND NOT a.success
         AND a.created_at > now() - make_interval(mins => $3)
         AND a.created_at > COALESCE((SELECT max(created_at) FROM backendify.app_login_attempts s
                                      WHERE s.project_id = $1 AND s.email = $2 AND s.success), '-infinity')`,
      [projectId, email, windowMinutes],
    );
    return { count: Number(res.rows[0].n), latest: res.rows[0].latest };
  }

  // ---- identities ----

  async findIdentity(
    db: Db,
    projectId: string,
    provider: string,
    providerUserId: string,
  ): Promise<{ app_user_id: string } | null> {
    const res = await db.query<{ app_user_id: string }>(
      `SELECT app_user_id::text FROM backendify.app_identities WHERE project_id = $1 AND provider = $2 AND provider_user_id = $3`,
      [projectId, provider, providerUserId],
    );
    return res.rows[0] ?? null;
  }

  async insertIdentity(
    db: Db,
    i: {
      projectId: string;
      userId: string;
      provider: string;
      providerUserId: string;
      email: string | null;
    },
  ): Promise<void> {
    await db.query(
      `INSERT INTO backendify.app_identities (project_id, app_user_id, provider, provider_user_id, email)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (project_id, provider, provider_user_id) DO NOTHING`,
      [i.projectId, i.userId, i.provider, i.providerUserId, i.email],
    );
  }

  // ---- OAuth state ----

  async insertOAuthState(s: {
    projectId: string;
    stateHash: string;
    provider: string;
    redirectUri: string;
    verifierEnc: string;
    expiresAt: Date;
  }): Promise<void> {
    await this.pool.query(
      `INSERT INTO backendify.oauth_states (project_id, state_hash, provider, redirect_uri, code_verifier_enc, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [s.projectId, s.stateHash, s.provider, s.redirectUri, s.verifierEnc, s.expiresAt],
    );
    await this.pool.query(
      `DELETE FROM backendify.oauth_states WHERE expires_at < now() - interval '1 hour'`,
    );
  }

  /** Deletes and returns the state: single use, whatever happens next. */
  async consumeOAuthState(projectId: string, stateHash: string): Promise<OAuthStateRow | null> {
    const res = await this.pool.query<OAuthStateRow>(
      `DELETE FROM backendify.oauth_states WHERE project_id = $1 AND state_hash = $2
       RETURNING id, provider, redirect_uri, code_verifier_enc, expires_at`,
      [projectId, stateHash],
    );
    return res.rows[0] ?? null;
  }

  // ---- user deletion ----

  async deleteUserArtifacts(
    db: Db,
    projectId: string,
    userId: string,
    email: string,
  ): Promise<void> {
    await db.query(
      `DELETE FROM backendify.app_refresh_tokens WHERE project_id = $1 AND app_user_id = $2`,
      [projectId, userId],
    );
    await db.query(
      `DELETE FROM backendify.app_email_tokens WHERE project_id = $1 AND app_user_id = $2`,
      [projectId, userId],
    );
    await db.query(
      `DELETE FROM backendify.app_identities WHERE project_id = $1 AND app_user_id = $2`,
      [projectId, userId],
    );
    await db.query(`DELETE FROM backendify.app_otp_codes WHERE project_id = $1 AND email = $2`, [
      projectId,
      email,
    ]);
  }
}
