import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import * as argon2 from 'argon2';
import type { PoolClient } from 'pg';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { ADMIN_AUDIENCE } from '../../common/auth/principal';
import { generateOpaqueToken, hashToken } from '../../common/auth/token-hash';
import { MailService } from '../mail/mail.service';
import { platformLink, renderAdminVerificationMail } from '../mail/mail-templates';
import type { EntityManager } from 'typeorm';
import { AuthErrors } from './auth.errors';
import { AuthRepository } from './auth.repository';
import type { MeResponseDto, TokenPairResponseDto, VerifyEmailResponseDto } from './dto/auth.dto';

const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 };
const VERIFY_TTL_MS = 24 * 3600_000;

export interface ClientInfo {
  userAgent: string | null;
  ip: string | null;
}

@Injectable()
export class AuthService {
  // Verifying against a real hash when the email is unknown keeps login timing uniform.
  private dummyHash: Promise<string> | null = null;

  constructor(
    private readonly repo: AuthRepository,
    private readonly jwt: JwtService,
    private readonly mail: MailService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Creates the account and mails it a verification link (DESIGN §8 Projects). */
  async register(
    email: string,
    password: string,
    client: ClientInfo,
  ): Promise<TokenPairResponseDto> {
    const normalized = email.toLowerCase();
    if (await this.repo.findUserByEmail(normalized)) throw AuthErrors.userExists();
    const hash = await argon2.hash(password, ARGON2_OPTIONS);
    let created: { userId: string; mailId: string };
    try {
      created = await this.repo.transactionWithClient(async (m, pg) => {
        const user = await this.repo.createUser(normalized, hash, m);
        return {
          userId: user.id,
          mailId: await this.createVerification(m, pg, user.id, normalized),
        };
      });
    } catch (err) {
      if ((err as { code?: string }).code === '23505') throw AuthErrors.userExists();
      throw err;
    }
    this.mail.dispatch([created.mailId]);
    return this.issueTokens(created.userId, randomUUID(), client);
  }

  async login(email: string, password: string, client: ClientInfo): Promise<TokenPairResponseDto> {
    const user = await this.repo.findUserByEmail(email.toLowerCase());
    if (!user) {
      this.dummyHash ??= argon2.hash('timing-equaliser', ARGON2_OPTIONS);
      await argon2.verify(await this.dummyHash, password).catch(() => false);
      throw AuthErrors.invalidCredentials();
    }
    const ok = await argon2.verify(user.passwordHash, password).catch(() => false);
    if (!ok) throw AuthErrors.invalidCredentials();
    return this.issueTokens(user.id, randomUUID(), client);
  }

  /** The link only works for the signed-in account it was mailed to. */
  async verifyEmail(userId: string, token: string): Promise<VerifyEmailResponseDto> {
    const outcome = await this.repo.transaction(async (m) => {
      const row = await this.repo.findVerifyTokenForUpdate(m, hashToken(token));
      if (!row || row.used_at || row.user_id !== userId) return AuthErrors.badVerifyToken();
      if (new Date(row.expires_at).getTime() <= Date.now()) return AuthErrors.verifyTokenExpired();
      await this.repo.useVerifyToken(m, row.id);
      await this.repo.markVerified(m, userId);
      return null;
    });
    if (outcome) throw outcome;
    const me = await this.me(userId);
    return { message: 'Email verified successfully', email: me.email, is_email_verified: true };
  }

  async resendVerification(userId: string): Promise<{ message: string }> {
    const user = await this.repo.findUserById(userId);
    if (!user) throw AuthErrors.invalidCredentials();
    if (user.emailVerifiedAt) throw AuthErrors.alreadyVerified();
    const id = await this.repo.transactionWithClient((m, pg) =>
      this.createVerification(m, pg, user.id, user.email),
    );
    this.mail.dispatch([id]);
    return { message: 'Verification email sent' };
  }

  /** Rotates a refresh token; presenting an already-rotated token revokes its whole family. */
  async refresh(refreshToken: string, client: ClientInfo): Promise<TokenPairResponseDto> {
    const tokenHash = hashToken(refreshToken);
    const outcome = await this.repo.transaction<
      { error: string } | { userId: string; refresh: string }
    >(async (m) => {
      const row = await this.repo.findRefreshTokenForUpdate(tokenHash, m);
      if (!row) return { error: 'Invalid refresh token' };
      if (row.revokedAt) {
        await this.repo.revokeFamily(row.familyId, m);
        return { error: 'Invalid refresh token' };
      }
      if (row.expiresAt.getTime() <= Date.now()) return { error: 'Refresh token expired' };
      const next = generateOpaqueToken();
      const inserted = await this.repo.insertRefreshToken(
        {
          userId: row.userId,
          familyId: row.familyId,
          tokenHash: hashToken(next),
          expiresAt: this.refreshExpiry(),
          userAgent: client.userAgent,
          ipAddress: client.ip,
        },
        m,
      );
      await this.repo.markRotated(row.id, inserted.id, m);
      return { userId: row.userId, refresh: next };
    });
    if ('error' in outcome) throw AuthErrors.invalidRefresh(outcome.error);
    return this.tokenPair(outcome.userId, outcome.refresh);
  }

  async logout(refreshToken: string): Promise<void> {
    const row = await this.repo.findRefreshToken(hashToken(refreshToken));
    if (row) await this.repo.revokeFamily(row.familyId);
  }

  async me(userId: string): Promise<MeResponseDto> {
    const user = await this.repo.findUserById(userId);
    if (!user) throw AuthErrors.invalidRefresh('User not found');
    return {
      id: user.id,
      email: user.email,
      is_email_verified: user.emailVerifiedAt !== null,
      created_at: user.createdAt.toISOString(),
    };
  }

  private async createVerification(
    m: EntityManager,
    pg: PoolClient,
    userId: string,
    email: string,
  ): Promise<string> {
    const token = generateOpaqueToken();
    await this.repo.replaceVerifyToken(
      m,
      userId,
      hashToken(token),
      new Date(Date.now() + VERIFY_TTL_MS),
    );
    const mail = renderAdminVerificationMail(
      platformLink(this.config.publicUrl, '/verify-email', token),
    );
    return this.mail.enqueue(pg, {
      projectId: null,
      to: email,
      kind: 'admin_verify_email',
      ...mail,
    });
  }

  private async issueTokens(
    userId: string,
    familyId: string,
    client: ClientInfo,
  ): Promise<TokenPairResponseDto> {
    const refresh = generateOpaqueToken();
    await this.repo.insertRefreshToken({
      userId,
      familyId,
      tokenHash: hashToken(refresh),
      expiresAt: this.refreshExpiry(),
      userAgent: client.userAgent,
      ipAddress: client.ip,
    });
    return this.tokenPair(userId, refresh);
  }

  private tokenPair(userId: string, refresh: string): TokenPairResponseDto {
    const ttl = this.config.accessTokenTtlSeconds;
    const access = this.jwt.sign(
      { typ: 'admin' },
      {
        subject: userId,
        audience: ADMIN_AUDIENCE,
        expiresIn: ttl,
        jwtid: randomUUID(),
        algorithm: 'HS256',
      },
    );
    return { access_token: access, refresh_token: refresh, token_type: 'bearer', expires_in: ttl };
  }

  private refreshExpiry(): Date {
    return new Date(Date.now() + this.config.refreshTokenTtlDays * 86400_000);
  }
}
