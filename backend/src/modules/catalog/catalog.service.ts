import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import { CacheSyncService } from '../cache-sync/cache-sync.service';
import { CatalogRepository } from './catalog.repository';
import type { CatalogCollection, ProjectCatalog } from './catalog.types';

/**
 * The per-process catalog cache. Schema changes bump the `catalog` scope in their transaction;
 * the cache sync drops a project's entry here, in every process.
 */
@Injectable()
export class CatalogService {
  private readonly cache = new Map<string, Promise<ProjectCatalog | null>>();

  constructor(
    private readonly repo: CatalogRepository,
    cacheSync: CacheSyncService,
  ) {
    cacheSync.onStale('catalog', (projectId) =>
      projectId ? this.cache.delete(projectId) : this.cache.clear(),
    );
  }

  async project(projectId: string): Promise<ProjectCatalog> {
    let pending = this.cache.get(projectId);
    if (!pending) {
      pending = this.repo.load(projectId);
      this.cache.set(projectId, pending);
      pending.catch(() => this.cache.delete(projectId));
    }
    const catalog = await pending;
    if (!catalog) {
      this.cache.delete(projectId);
      throw AppError.notFound('Project');
    }
    return catalog;
  }

  /** By current name, or by an old name while its alias lasts. */
  async collectionByName(
    projectId: string,
    name: string,
    opts: { aliases?: boolean } = {},
  ): Promise<CatalogCollection> {
    const catalog = await this.project(projectId);
    let entry = catalog.byName.get(name);
    if (!entry && opts.aliases) {
      const id = catalog.collectionAliases.get(name);
      if (id) entry = catalog.byId.get(id);
    }
    if (!entry) throw AppError.notFound('Collection');
    return entry;
  }

  async collectionById(projectId: string, id: string): Promise<CatalogCollection> {
    const entry = (await this.project(projectId)).byId.get(id);
    if (!entry) throw AppError.notFound('Collection');
    return entry;
  }
}
