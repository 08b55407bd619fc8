import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import { CatalogRepository } from './catalog.repository';
import type { CatalogCollection, ProjectCatalog } from './catalog.types';

type InvalidationListener = (projectId: string) => void;

/**
 * The per-process catalog cache. Every schema change calls `invalidate`; listeners let an event bus
 * carry invalidations to other processes.
 */
@Injectable()
export class CatalogService {
  private readonly cache = new Map<string, Promise<ProjectCatalog | null>>();
  private readonly listeners: InvalidationListener[] = [];

  constructor(private readonly repo: CatalogRepository) {}

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

  /** Drops this process's copy; set `local` when the change came from another process's broadcast. */
  invalidate(projectId: string, opts: { local?: boolean } = {}): void {
    this.cache.delete(projectId);
    if (!opts.local) for (const l of this.listeners) l(projectId);
  }

  onInvalidate(listener: InvalidationListener): void {
    this.listeners.push(listener);
  }
}
