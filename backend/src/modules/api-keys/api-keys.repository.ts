import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PoolClient } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { typeormTransaction } from '../../database/transaction';
import { ApiKeyEntity } from './api-key.entity';

@Injectable()
export class ApiKeysRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** One transaction: writes below take its manager, the change log its pg client. */
  transaction<T>(fn: (m: EntityManager, client: PoolClient) => Promise<T>): Promise<T> {
    return typeormTransaction(this.ds, fn);
  }

  create(
    m: EntityManager,
    row: Pick<
      ApiKeyEntity,
      'projectId' | 'name' | 'prefix' | 'kind' | 'keyHash' | 'expiresAt' | 'createdByUserId'
    >,
  ) {
    const repo = m.getRepository(ApiKeyEntity);
    return repo.save(repo.create({ ...row, revoked: false, lastUsedAt: null }));
  }

  list(projectId: string): Promise<ApiKeyEntity[]> {
    return this.ds
      .getRepository(ApiKeyEntity)
      .find({ where: { projectId }, order: { createdAt: 'DESC' } });
  }

  find(projectId: string, id: string): Promise<ApiKeyEntity | null> {
    return this.ds.getRepository(ApiKeyEntity).findOneBy({ projectId, id });
  }

  findByHash(keyHash: string): Promise<ApiKeyEntity | null> {
    return this.ds.getRepository(ApiKeyEntity).findOneBy({ keyHash });
  }

  async revoke(m: EntityManager, id: string): Promise<void> {
    await m.getRepository(ApiKeyEntity).update({ id }, { revoked: true });
  }

  async delete(m: EntityManager, id: string): Promise<void> {
    await m.getRepository(ApiKeyEntity).delete({ id });
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.ds.getRepository(ApiKeyEntity).update({ id }, { lastUsedAt: at });
  }
}
