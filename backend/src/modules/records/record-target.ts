import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import type { CatalogLookup } from '../../query-engine/field-resolver';
import type { CollectionMeta } from '../../schema-engine/catalog.types';
import type { AccessContext, RecordAction } from '../access/access-context';
import { CatalogService } from '../catalog/catalog.service';
import type { CatalogCollection, ProjectCatalog } from '../catalog/catalog.types';
import { deniedError } from '../policies/policy-decisions.service';

/** A collection a data request acts on, with what the query engine needs to resolve it. */
export interface RecordTarget {
  catalog: ProjectCatalog;
  entry: CatalogCollection;
  meta: CollectionMeta;
  lookup: CatalogLookup;
  aliases: ReadonlyMap<string, string> | undefined;
}

const LOOKUPS = new WeakMap<ProjectCatalog, CatalogLookup>();

export function catalogLookup(catalog: ProjectCatalog): CatalogLookup {
  let lookup = LOOKUPS.get(catalog);
  if (!lookup) {
    lookup = {
      getCollection: (id) => catalog.byId.get(id)?.meta,
      findCollectionByName: (name) => catalog.byName.get(name)?.meta,
    };
    LOOKUPS.set(catalog, lookup);
  }
  return lookup;
}

/** Resolves the collection of a data route by current or aliased name. */
@Injectable()
export class RecordTargets {
  constructor(private readonly catalog: CatalogService) {}

  /**
   * A missing collection answers app users and anonymous callers exactly as one no policy lets
   * them use (401/403), so they cannot probe which collections exist; members still get 404.
   */
  async resolve(access: AccessContext, name: string, action: RecordAction): Promise<RecordTarget> {
    const catalog = await this.catalog.project(access.projectId);
    let entry: CatalogCollection;
    try {
      entry = await this.catalog.collectionByName(access.projectId, name, { aliases: true });
    } catch (err) {
      const kind = access.principal.kind;
      if (
        err instanceof AppError &&
        err.code === 'NOT_FOUND' &&
        (kind === 'anonymous' || kind === 'app_user')
      )
        throw deniedError(access.principal, action);
      throw err;
    }
    return {
      catalog,
      entry,
      meta: entry.meta,
      lookup: catalogLookup(catalog),
      aliases: catalog.fieldAliases.get(entry.meta.id),
    };
  }
}
