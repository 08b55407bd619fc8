import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { CatalogWriterRepository } from './catalog-writer.repository';
import type {
  CollectionPatch,
  FieldExtras,
  FieldMeta,
  NewCollectionRow,
  ProjectCatalog,
} from './catalog.types';

/**
 * One project's catalog writes, bound to an open transaction so DDL and metadata commit together.
 * Other modules get one from `SchemaChangeService.apply`'s `writeMetadata` (or `CatalogWriter.in`).
 */
export interface MetadataWriter {
  insertCollection(c: Omit<NewCollectionRow, 'projectId'>): Promise<void>;
  updateCollection(id: string, patch: CollectionPatch): Promise<void>;
  deleteCollection(id: string): Promise<void>;
  insertField(collectionId: string, f: FieldMeta, extras?: FieldExtras): Promise<void>;
  updateField(f: FieldMeta, extras?: { description?: string | null }): Promise<void>;
  deleteField(id: string): Promise<void>;
  insertCollectionAlias(collectionId: string, oldName: string, expiresAt: Date): Promise<void>;
  insertFieldAlias(
    collectionId: string,
    fieldId: string,
    oldName: string,
    expiresAt: Date,
  ): Promise<void>;
  /** Removes aliases that would shadow a name now in use again (collection ones when `collectionId` is null). */
  deleteAliasesNamed(collectionId: string | null, name: string): Promise<void>;
  /** Relations elsewhere that display the renamed or dropped field of `targetId` follow it. */
  retargetDisplayFields(
    catalog: ProjectCatalog,
    targetId: string,
    oldName: string,
    newName: string | null,
  ): Promise<void>;
}

/** The catalog module's only door for metadata writes; the repository stays inside the module. */
@Injectable()
export class CatalogWriter {
  constructor(private readonly repo: CatalogWriterRepository) {}

  /** The writes of `projectId`'s catalog on the transaction `client` belongs to. */
  in(client: PoolClient, projectId: string): MetadataWriter {
    const repo = this.repo;
    const writer: MetadataWriter = {
      insertCollection: (c) => repo.insertCollection(client, { ...c, projectId }),
      updateCollection: (id, patch) => repo.updateCollection(client, id, patch),
      deleteCollection: (id) => repo.deleteCollection(client, id),
      insertField: (collectionId, f, extras) => repo.insertField(client, collectionId, f, extras),
      updateField: (f, extras) => repo.updateField(client, f, extras),
      deleteField: (id) => repo.deleteField(client, id),
      insertCollectionAlias: (collectionId, oldName, expiresAt) =>
        repo.insertCollectionAlias(client, projectId, collectionId, oldName, expiresAt),
      insertFieldAlias: (collectionId, fieldId, oldName, expiresAt) =>
        repo.insertFieldAlias(client, collectionId, fieldId, oldName, expiresAt),
      deleteAliasesNamed: (collectionId, name) =>
        repo.deleteAliasesNamed(client, projectId, collectionId, name),
      retargetDisplayFields: async (catalog, targetId, oldName, newName) => {
        for (const other of catalog.byId.values()) {
          for (const rf of other.meta.fields) {
            if (
              rf.relation?.targetCollectionId === targetId &&
              rf.relation.displayField === oldName
            ) {
              await repo.updateField(client, {
                ...rf,
                relation: { ...rf.relation, displayField: newName },
              });
            }
          }
        }
      },
    };
    return writer;
  }
}
