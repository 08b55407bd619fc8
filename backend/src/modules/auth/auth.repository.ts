import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
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

  createUser(email: string, passwordHash: string): Promise<AdminUserEntity> {
    const repo = this.ds.getRepository(AdminUserEntity);
    return repo.save(repo.create({ email, passwordHash }));
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
