import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiKeyEntity } from './api-key.entity';

@Injectable()
export class ApiKeysRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  create(
    row: Pick<
      ApiKeyEntity,
      'projectId' | 'name' | 'prefix' | 'keyHash' | 'expiresAt' | 'createdByUserId'
    >,
  ) {
    const repo = this.ds.getRepository(ApiKeyEntity);
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

  async revoke(id: string): Promise<void> {
    await this.ds.getRepository(ApiKeyEntity).update({ id }, { revoked: true });
  }

  async delete(id: string): Promise<void> {
    await this.ds.getRepository(ApiKeyEntity).delete({ id });
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.ds.getRepository(ApiKeyEntity).update({ id }, { lastUsedAt: at });
  }
}
