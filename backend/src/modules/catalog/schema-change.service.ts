import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { PG_POOL } from '../../database/database.module';
import { withCommitHooks } from '../../database/transaction';
import { plan, PlanError, type PlanContext } from '../../schema-engine/schema-diff';
import { SchemaMigrator } from '../../schema-engine/schema-migrator';
import type { SchemaOp } from '../../schema-engine/schema-op';
import { AppError } from '../../common/errors/app-error';
import { CatalogWriter, type MetadataWriter } from './catalog-writer';
import { CatalogService } from './catalog.service';
import { ChangeLogService } from '../change-log/change-log.service';
import { CacheSyncService } from '../cache-sync/cache-sync.service';
import { opTypeName } from '../../schema-engine/schema-op';
import type { CollectionMeta, ProjectCatalog } from './catalog.types';

export interface SchemaChangeInput {
  projectId: string;
  actorUserId: string | null;
  collectionId?: string | null;
  before: CollectionMeta | null;
  after: CollectionMeta | null;
  /** Extra ops that the diff cannot see (e.g. a reverse relation's junction lives elsewhere). */
  extraOps?: SchemaOp[];
  /** Catalog writes in the DDL's transaction: `meta` for the catalog, `client` for the caller's own rows. */
  writeMetadata?: (client: PoolClient, meta: MetadataWriter) => Promise<void>;
  /** Only compute the plan and its SQL (preview); nothing is applied. */
  dryRun?: boolean;
}

/** Turns a metadata change into DDL (planner) and applies it with the metadata in one transaction (migrator). */
@Injectable()
export class SchemaChangeService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly migrator: SchemaMigrator,
    private readonly catalog: CatalogService,
    private readonly changeLog: ChangeLogService,
    private readonly writer: CatalogWriter,
    private readonly cacheSync: CacheSyncService,
  ) {}

  planContext(catalog: ProjectCatalog): PlanContext {
    return {
      targetOf: (id) => {
        const c = catalog.byId.get(id);
        return c ? { table: c.meta.table, idType: c.meta.idType } : undefined;
      },
    };
  }

  async plan(input: SchemaChangeInput): Promise<SchemaOp[]> {
    const catalog = await this.catalog.project(input.projectId);
    try {
      return [
        ...plan(input.before, input.after, this.planContext(catalog)),
        ...(input.extraOps ?? []),
      ];
    } catch (err) {
      if (err instanceof PlanError) throw AppError.badRequest(err.message);
      throw err;
    }
  }

  async apply(input: SchemaChangeInput): Promise<{ sql: string[]; ops: SchemaOp[] }> {
    const ops = await this.plan(input);
    const write = input.writeMetadata;
    const client = await this.pool.connect();
    try {
      // The migrator commits before it resolves, so hints queued by the change log go after it.
      const result = await withCommitHooks(() =>
        this.migrator.apply(client, {
          projectId: input.projectId,
          ops,
          actorUserId: input.actorUserId,
          collectionId: input.collectionId ?? null,
          writeMetadata: async (c) => {
            await write?.(c, this.writer.in(c, input.projectId));
            // One `schema.<op_type>` change event per op, committed with the DDL (DESIGN §4, §8).
            const collection = input.after ?? input.before;
            await this.changeLog.appendMany(
              c,
              ops.map((op) => ({
                projectId: input.projectId,
                kind: 'schema' as const,
                action: `schema.${opTypeName(op)}`,
                collection: collection?.name ?? null,
                collectionId: input.collectionId ?? collection?.id ?? null,
                meta: { op },
              })),
            );
            await this.cacheSync.bumpIn(c, 'catalog', input.projectId);
          },
        }),
      );
      return { sql: result.sql, ops };
    } finally {
      client.release();
      // Also after a failure: the catalog may have been read while the change was running.
      this.cacheSync.dropLocal('catalog', input.projectId);
    }
  }
}
