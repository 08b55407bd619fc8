import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import type { CatalogLookup } from '../../query-engine/field-resolver';
import type { CollectionMeta } from '../../schema-engine/catalog.types';
import type { AccessContext, RecordAction } from '../access/access-context';
import { CatalogService } from '../catalog/catalog.service';
import type { CatalogCollection, ProjectCatalog } from '../catalog/catalog.types';
import { deniedError } from '../policies/policy-decisions.service';
import { DataViews, type DataViewReader } from './data-views';

/** Writes (and record routes) on a view: views are read-only, listed at `/data/{view}` only. */
export function readOnlyView(name: string): AppError {
  return new AppError(
    'METHOD_NOT_ALLOWED',
    `${name} is a view: it is read-only, and only GET /data/${name} lists it`,
    [{ field: 'collection', rule: 'read_only_view', message: `${name} is a read-only view` }],
    { allow: 'GET' },
  );
}

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
  constructor(
    private readonly catalog: CatalogService,
    private readonly views: DataViews,
  ) {}

  /** The view reader when `name` names no collection (nor an old name of one) but a view. */
  async viewFor(access: AccessContext, name: string): Promise<DataViewReader | null> {
    const catalog = await this.catalog.project(access.projectId);
    if (catalog.byName.has(name) || catalog.collectionAliases.has(name)) return null;
    return this.views.find(access.projectId, name);
  }

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
      if (
        err instanceof AppError &&
        err.code === 'NOT_FOUND' &&
        (await this.views.find(access.projectId, name))
      )
        throw readOnlyView(name);
      const kind = access.principal.kind;
      if (
        err instanceof AppError &&
        err.code === 'NOT_FOUND' &&
        (kind === 'anonymous' || kind === 'app_user')
      )
        throw deniedError(access.principal, action, name);
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
