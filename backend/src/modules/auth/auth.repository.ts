import { typeormTransaction } from '../../database/transaction';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PoolClient } from 'pg';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { AdminRefreshTokenEntity } from './admin-refresh-token.entity';
import { AdminUserEntity } from './admin-user.entity';

@Injectable()
export class AuthRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  findUserByEmail(email: string): Promise<AdminUserEntity | null> {
    return this.ds
      .getRepository(AdminUserEntity)
      .createQueryBuilder('u')
      .where('lower(u.email) = lower(:email)', { email })
      .getOne();
  }

  findUserById(id: string): Promise<AdminUserEntity | null> {
    return this.ds.getRepository(AdminUserEntity).findOneBy({ id });
  }

  createUser(
    email: string,
    passwordHash: string,
    m: EntityManager = this.ds.manager,
  ): Promise<AdminUserEntity> {
    const repo = m.getRepository(AdminUserEntity);
    return repo.save(repo.create({ email, passwordHash, emailVerifiedAt: null }));
  }

  /** One transaction with both the TypeORM manager and its pg client (mail is enqueued on it). */
  transactionWithClient<T>(fn: (m: EntityManager, client: PoolClient) => Promise<T>): Promise<T> {
    return typeormTransaction(this.ds, fn);
  }

  /** Replaces the account's unused verification token. */
  async replaceVerifyToken(
    m: EntityManager,
    userId: string,
    tokenHash: string,
    expiresAt: Date,
  ): Promise<void> {
    await m.query(
      `DELETE FROM backendify.admin_email_tokens WHERE user_id = $1 AND purpose = 'verify_email' AND used_at IS NULL`,
      [userId],
    );
    await m.query(
      `INSERT INTO backendify.admin_email_tokens (user_id, token_hash, purpose, expires_at)
       VALUES ($1, $2, 'verify_email', $3)`,
      [userId, tokenHash, expiresAt],
    );
  }

  async findVerifyTokenForUpdate(
    m: EntityManager,
    tokenHash: string,
  ): Promise<{ id: string; user_id: string; expires_at: Date; used_at: Date | null } | null> {
    const rows = (await m.query(
      `SELECT id, user_id::text, expires_at, used_at FROM backendify.admin_email_tokens
       WHERE token_hash = $1 AND purpose = 'verify_email' FOR UPDATE`,
      [tokenHash],
    )) as { id: string; user_id: string; expires_at: Date; used_at: Date | null }[];
    return rows[0] ?? null;
  }

  async useVerifyToken(m: EntityManager, id: string): Promise<void> {
    await m.query(`UPDATE backendify.admin_email_tokens SET used_at = now() WHERE id = $1`, [id]);
  }

  /** Marks the address proven and drops every other outstanding verification link. */
  async markVerified(m: EntityManager, userId: string): Promise<void> {
    await m.query(
      `UPDATE backendify.users SET email_verified_at = COALESCE(email_verified_at, now()), updated_at = now() WHERE id = $1`,
      [userId],
    );
    await m.query(
      `DELETE FROM backendify.admin_email_tokens WHERE user_id = $1 AND used_at IS NULL`,
      [userId],
    );
  }

  insertRefreshToken(
    row: Pick<
      AdminRefreshTokenEntity,
      'userId' | 'familyId' | 'tokenHash' | 'expiresAt' | 'userAgent' | 'ipAddress'
    >,
    manager: EntityManager = this.ds.manager,
  ): Promise<AdminRefreshTokenEntity> {
    const repo = manager.getRepository(AdminRefreshTokenEntity);
    return repo.save(repo.create({ ...row, revokedAt: null, replacedBy: null }));
  }

  transaction<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(fn);
  }

  findRefreshTokenForUpdate(
    tokenHash: string,
    m: EntityManager,
  ): Promise<AdminRefreshTokenEntity | null> {
    return m
      .getRepository(AdminRefreshTokenEntity)
      .createQueryBuilder('t')
      .setLock('pessimistic_write')
      .where('t.token_hash = :tokenHash', { tokenHash })
      .getOne();
  }

  async markRotated(id: string, replacedBy: string, m: EntityManager): Promise<void> {
    await m
      .getRepository(AdminRefreshTokenEntity)
      .update({ id }, { revokedAt: new Date(), replacedBy });
  }

  async revokeFamily(familyId: string, m: EntityManager = this.ds.manager): Promise<void> {
    await m
      .getRepository(AdminRefreshTokenEntity)
      .update({ familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  findRefreshToken(tokenHash: string): Promise<AdminRefreshTokenEntity | null> {
    return this.ds.getRepository(AdminRefreshTokenEntity).findOneBy({ tokenHash });
  }
}
