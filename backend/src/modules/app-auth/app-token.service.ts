import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import { projectAudience, type TokenClaims } from '../../common/auth/principal';
import { generateOpaqueToken, hashToken } from '../../common/auth/token-hash';
import { projectSchemaName, quoteQualified } from '../../schema-engine/identifiers';
import type { AuthSettings } from '../auth-settings/auth-settings.types';
import { SecretBox } from '../auth-settings/secret-box';
import { AppAuthErrors } from './app-auth.errors';
import { AppAuthRepository, type SessionRow } from './app-auth.repository';
import { AppUsersRepository, type Db } from './app-users.repository';
import type { TokenPairDto } from './dto/app-auth.dto';
import { isUuid } from '../../common/util/uuid';

/** Concurrent refreshes of one token within this window get the same successor. */
export const REFRESH_GRACE_SECONDS = 10;

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

/** A verified app-user access token, checked against the user row and its live session. */
export interface AppUserIdentity {
  projectId: string;
  userId: string;
  email: string;
  emailVerified: boolean;
  disabled: boolean;
  sessionId: string;
}

interface AppTokenClaims extends TokenClaims {
  sid?: string;
}

type RefreshOutcome =
  | { ok: true; userId: string; familyId: string; refresh: string }
  | { ok: false; error: 'invalid' | 'expired' | 'disabled' | 'unverified' };

/**
 * App-user tokens: access JWTs (`typ: app_user`, `aud: backendify:project:<pid>`, `sid` = session)
 * and opaque refresh tokens in families with rotation, reuse detection and a short grace window.
 */
@Injectable()
export class AppTokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly repo: AppAuthRepository,
    private readonly users: AppUsersRepository,
    private readonly box: SecretBox,
  ) {}

  /**
   * Verifies signature, expiry, `aud` (this project only) and `typ` before reading any claim,
   * then checks that the user exists and the session has not been revoked.
   * Throws 401 `UNAUTHENTICATED` otherwise; a disabled user is returned with `disabled: true`.
   */
  async verifyAccessToken(projectId: string, token: string): Promise<AppUserIdentity> {
    let claims: AppTokenClaims;
    try {
      claims = await this.jwt.verifyAsync<AppTokenClaims>(token, {
        algorithms: ['HS256'],
        audience: projectAudience(projectId),
      });
    } catch {
      throw AppAuthErrors.invalidToken();
    }
    if (
      claims.typ !== 'app_user' ||
      typeof claims.sub !== 'string' ||
      !isUuid(claims.sub) ||
      typeof claims.sid !== 'string' ||
      !isUuid(claims.sid)
    )
      throw AppAuthErrors.invalidToken();
    const row = await this.repo.accessCheck(
      quoteQualified(projectSchemaName(projectId), '_users'),
      projectId,
      claims.sub,
      claims.sid,
    );
    if (!row || !row.session_active) throw AppAuthErrors.invalidToken();
    return {
      projectId,
      userId: claims.sub,
      email: row.email,
      emailVerified: row.is_email_verified,
      disabled: row.is_disabled,
      sessionId: claims.sid,
    };
  }

  /** Starts a new session (refresh family) and returns its first token pair. */
  async issue(
    db: Db,
    settings: AuthSettings,
    userId: string,
    client: ClientInfo,
  ): Promise<TokenPairDto> {
    const familyId = randomUUID();
    const refresh = generateOpaqueToken();
    await this.repo.insertRefreshToken(db, {
      projectId: settings.projectId,
      userId,
      familyId,
      tokenHash: hashToken(refresh),
      expiresAt: this.refreshExpiry(settings),
      ip: client.ip,
      userAgent: client.userAgent,
    });
    return this.pair(settings, userId, familyId, refresh);
  }

  /** Rotates a refresh token. Reusing a rotated one (after the grace window) revokes its family. */
  async refresh(settings: AuthSettings, token: string, client: ClientInfo): Promise<TokenPairDto> {
    const projectId = settings.projectId;
    const outcome = await this.repo.transaction<RefreshOutcome>(async (tx) => {
      const row = await this.repo.findRefreshTokenForUpdate(tx, hashToken(token));
      if (!row || row.project_id !== projectId) return { ok: false, error: 'invalid' };
      if (row.revoked_at) {
        const successor = await this.graceSuccessor(tx, row);
        if (successor) {
          const check = await this.userCheck(tx, settings, row.app_user_id);
          if (check) return { ok: false, error: check };
          return { ok: true, userId: row.app_user_id, familyId: row.family_id, refresh: successor };
        }
        // A rotated token came back: whoever holds the family is not trustworthy any more.
        await this.repo.revokeFamily(tx, projectId, row.family_id);
        return { ok: false, error: 'invalid' };
      }
      if (new Date(row.expires_at).getTime() <= Date.now()) return { ok: false, error: 'expired' };
      const check = await this.userCheck(tx, settings, row.app_user_id);
      if (check === 'invalid') await this.repo.revokeFamily(tx, projectId, row.family_id);
      if (check) return { ok: false, error: check };
      const next = generateOpaqueToken();
      const nextId = await this.repo.insertRefreshToken(tx, {
        projectId,
        userId: row.app_user_id,
        familyId: row.family_id,
        tokenHash: hashToken(next),
        expiresAt: this.refreshExpiry(settings),
        ip: client.ip,
        userAgent: client.userAgent,
      });
      await this.repo.clearStaleGrace(tx, row.family_id, REFRESH_GRACE_SECONDS);
      await this.repo.markRotated(
        tx,
        row.id,
        nextId,
        this.box.seal(next, this.gracePurpose(row.id)),
      );
      return { ok: true, userId: row.app_user_id, familyId: row.family_id, refresh: next };
    });
    if (!outcome.ok) {
      if (outcome.error === 'expired') throw AppAuthErrors.refreshExpired();
      if (outcome.error === 'disabled') throw AppAuthErrors.disabled();
      if (outcome.error === 'unverified') throw AppAuthErrors.verificationRequired();
      throw AppAuthErrors.invalidRefresh();
    }
    return this.pair(settings, outcome.userId, outcome.familyId, outcome.refresh);
  }

  /**
   * Ends the session the refresh token belongs to; returns its user and session, or null when
   * nothing was live to end (unknown token, session already ended).
   */
  async logout(
    db: Db,
    projectId: string,
    token: string,
  ): Promise<{ userId: string; sessionId: string } | null> {
    const row = await this.repo.findRefreshTokenFamily(db, projectId, hashToken(token));
    if (!row || (await this.repo.revokeFamily(db, projectId, row.family_id)) === 0) return null;
    return { userId: row.app_user_id, sessionId: row.family_id };
  }

  revokeAll(
    projectId: string,
    userId: string,
    keepSessionId: string | null = null,
    db?: Db,
  ): Promise<number> {
    return this.repo.revokeUserSessions(db ?? this.repo.db, projectId, userId, keepSessionId);
  }

  async listSessions(projectId: string, userId: string, currentSessionId: string | null) {
    const rows = await this.repo.listSessions(projectId, userId);
    return { sessions: rows.map((r) => sessionDto(r, currentSessionId)) };
  }

  async revokeSession(projectId: string, userId: string, sessionId: string, db: Db): Promise<void> {
    if (!isUuid(sessionId)) throw AppAuthErrors.sessionNotFound();
    const n = await this.repo.revokeUserFamily(db, projectId, userId, sessionId);
    if (n === 0) throw AppAuthErrors.sessionNotFound();
  }

  private async graceSuccessor(
    tx: PoolClient,
    row: {
      id: string;
      replaced_by: string | null;
      rotated_at: Date | null;
      grace_token_enc: string | null;
    },
  ): Promise<string | null> {
    if (!row.replaced_by || !row.rotated_at || !row.grace_token_enc) return null;
    if (Date.now() - new Date(row.rotated_at).getTime() > REFRESH_GRACE_SECONDS * 1000) return null;
    const successor = await this.repo.findRefreshTokenById(tx, row.replaced_by);
    if (
      !successor ||
      successor.revoked_at ||
      new Date(successor.expires_at).getTime() <= Date.now()
    )
      return null;
    return this.box.open(row.grace_token_enc, this.gracePurpose(row.id));
  }

  private async userCheck(
    tx: PoolClient,
    settings: AuthSettings,
    userId: string,
  ): Promise<'invalid' | 'disabled' | 'unverified' | null> {
    const user = await this.users.findById(settings.projectId, userId, tx);
    if (!user) return 'invalid';
    if (user.isDisabled) return 'disabled';
    if (settings.requireEmailVerification && !user.isEmailVerified) return 'unverified';
    return null;
  }

  private pair(
    settings: AuthSettings,
    userId: string,
    familyId: string,
    refresh: string,
  ): TokenPairDto {
    const ttl = settings.accessTtlMinutes * 60;
    const access = this.jwt.sign(
      { typ: 'app_user', sid: familyId },
      {
        subject: userId,
        audience: projectAudience(settings.projectId),
        expiresIn: ttl,
        jwtid: randomUUID(),
        algorithm: 'HS256',
      },
    );
    return { access_token: access, refresh_token: refresh, token_type: 'bearer', expires_in: ttl };
  }

  private refreshExpiry(settings: AuthSettings): Date {
    return new Date(Date.now() + settings.refreshTtlDays * 86_400_000);
  }

  private gracePurpose(rowId: string): string {
    return `refresh-grace:${rowId}`;
  }
}

function sessionDto(r: SessionRow, current: string | null) {
  return {
    id: r.family_id,
    created_at: new Date(r.started_at).toISOString(),
    last_used_at: r.last_used_at ? new Date(r.last_used_at).toISOString() : null,
    expires_at: new Date(r.expires_at).toISOString(),
    ip_address: r.ip_address,
    user_agent: r.user_agent,
    current: r.family_id === current,
  };
}
