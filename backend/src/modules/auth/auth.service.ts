import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import * as argon2 from 'argon2';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { ADMIN_AUDIENCE } from '../../common/auth/principal';
import { generateOpaqueToken, hashToken } from '../../common/auth/token-hash';
import { AppError } from '../../common/errors/app-error';
import { AuthRepository } from './auth.repository';
import type { MeResponseDto, TokenPairResponseDto } from './dto/auth.dto';

const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 };

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
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async register(
    email: string,
    password: string,
    client: ClientInfo,
  ): Promise<TokenPairResponseDto> {
    const normalized = email.toLowerCase();
    if (await this.repo.findUserByEmail(normalized)) throw AppError.conflict('User already exists');
    const hash = await argon2.hash(password, ARGON2_OPTIONS);
    let userId: string;
    try {
      userId = (await this.repo.createUser(normalized, hash)).id;
    } catch (err) {
      if ((err as { code?: string }).code === '23505')
        throw AppError.conflict('User already exists');
      throw err;
    }
    return this.issueTokens(userId, randomUUID(), client);
  }

  async login(email: string, password: string, client: ClientInfo): Promise<TokenPairResponseDto> {
    const user = await this.repo.findUserByEmail(email.toLowerCase());
    if (!user) {
      this.dummyHash ??= argon2.hash('timing-equaliser', ARGON2_OPTIONS);
      await argon2.verify(await this.dummyHash, password).catch(() => false);
      throw AppError.unauthenticated('Invalid credentials');
    }
    const ok = await argon2.verify(user.passwordHash, password).catch(() => false);
    if (!ok) throw AppError.unauthenticated('Invalid credentials');
    return this.issueTokens(user.id, randomUUID(), client);
  }

  /** Rotates a refresh token; presenting an already-rotated token revokes its whole family. */
  async refresh(refreshToken: string, client: ClientInfo): Promise<TokenPairResponseDto> {
    const tokenHash = hashToken(refreshToken);
    const outcome = await this.repo.transaction(async (m) => {
      const row = await this.repo.findRefreshTokenForUpdate(tokenHash, m);
      if (!row) return { error: 'Invalid refresh token' } as const;
      if (row.revokedAt) {
        await this.repo.revokeFamily(row.familyId, m);
        return { error: 'Invalid refresh token' } as const;
      }
      if (row.expiresAt.getTime() <= Date.now()) return { error: 'Refresh token expired' } as const;
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
      return { userId: row.userId, refresh: next } as const;
    });
    if ('error' in outcome) throw AppError.unauthenticated(outcome.error);
    return this.tokenPair(outcome.userId, outcome.refresh);
  }

  async logout(refreshToken: string): Promise<void> {
    const row = await this.repo.findRefreshToken(hashToken(refreshToken));
    if (row) await this.repo.revokeFamily(row.familyId);
  }

  async me(userId: string): Promise<MeResponseDto> {
    const user = await this.repo.findUserById(userId);
    if (!user) throw AppError.unauthenticated('User not found');
    return { id: user.id, email: user.email, created_at: user.createdAt.toISOString() };
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
