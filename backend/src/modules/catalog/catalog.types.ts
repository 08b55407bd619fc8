import type { CollectionMeta, FieldMeta } from '../../schema-engine/catalog.types';

/** A collection row as stored, beside its engine-facing meta. */
export interface CollectionRecord {
  id: string;
  projectId: string;
  name: string;
  displayName: string;
  description: string | null;
  icon: string | null;
  displayField: string | null;
  sqlTableName: string;
  isActive: boolean;
  isSystem: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface FieldRecord {
  id: string;
  collectionId: string;
  description: string | null;
  position: number;
  deletedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface CatalogCollection {
  meta: CollectionMeta;
  record: CollectionRecord;
  fieldRecords: Map<string, FieldRecord>;
}

/** Everything the engines need about one project's data, cached per process. */
export interface ProjectCatalog {
  projectId: string;
  schema: string;
  byName: Map<string, CatalogCollection>;
  byId: Map<string, CatalogCollection>;
  /** Old collection name → collection id, while the alias lasts. */
  collectionAliases: Map<string, string>;
  /** Collection id → (old field name → current field name). */
  fieldAliases: Map<string, Map<string, string>>;
}

export interface NewCollectionRow {
  id: string;
  projectId: string;
  name: string;
  displayName: string;
  description: string | null;
  icon: string | null;
  sqlTableName: string;
  isSystem: boolean;
  displayField?: string | null;
}

export interface FieldExtras {
  description?: string | null;
  position?: number;
}

/** The collection columns a catalog write may change; absent keys stay as they are. */
export interface CollectionPatch {
  displayName?: string;
  description?: string | null;
  icon?: string | null;
  displayField?: string | null;
  name?: string;
  sqlTableName?: string;
}

export type { CollectionMeta, FieldMeta };
