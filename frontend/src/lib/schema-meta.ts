import { queryOptions } from '@tanstack/react-query';
import { backend } from './backend';
import { PROJECT_MODULES, type ModuleSlug } from './modules';

/** Collection and field metadata, shared by the Schema and Data modules. */
export type FieldType =
  | 'string'
  | 'text'
  | 'int'
  | 'float'
  | 'decimal'
  | 'bool'
  | 'date'
  | 'datetime'
  | 'uuid'
  | 'json'
  | 'enum'
  | 'file'
  | 'relation';

export interface FieldOptions {
  values?: string[];
  precision?: number;
  scale?: number;
  max_length?: number;
  bucket?: string;
}

export interface Collection {
  id: string;
  name: string;
  display_name: string;
  description: string | null;
  icon: string | null;
  display_field: string | null;
  sql_table_name: string;
  is_active: boolean;
  is_system: boolean;
  field_count: number;
  created_at: string;
  updated_at: string;
}

export interface FieldDef {
  id: string;
  collection_id: string;
  name: string;
  display_name: string;
  description: string | null;
  field_type: FieldType;
  sql_column_name: string;
  options: FieldOptions | null;
  is_required: boolean;
  is_unique: boolean;
  is_indexed: boolean;
  default_value: unknown;
  is_system: boolean;
  is_hidden: boolean;
  is_deleted: boolean;
  deleted_at: string | null;
  relation_target_collection_id: string | null;
  relation_type: string | null;
  relation_on_delete: string | null;
  relation_display_field: string | null;
  created_at: string;
  updated_at: string;
}

/** Field types that need a module of their own: offered only once that module is ready. */
const TYPE_MODULES: Partial<Record<FieldType, ModuleSlug>> = { file: 'files' };

const moduleReady = (type: FieldType) => {
  const slug = TYPE_MODULES[type];
  return slug === undefined || !!PROJECT_MODULES.find((m) => m.slug === slug)?.ready;
};

/** Types an admin can add in the field dialog; relations are made in the Relations module. */
export const CREATABLE_FIELD_TYPES: Exclude<FieldType, 'relation'>[] = (
  [
    'string',
    'text',
    'int',
    'float',
    'decimal',
    'bool',
    'date',
    'datetime',
    'uuid',
    'json',
    'enum',
    'file',
  ] satisfies Exclude<FieldType, 'relation'>[]
).filter(moduleReady);

/** The same rule the server applies to collection and field names. */
export const IDENTIFIER_PATTERN = /^[a-z][a-z0-9_]{0,62}$/;

export const schemaKeys = {
  all: ['schema'] as const,
  project: (projectId: string) => [...schemaKeys.all, projectId] as const,
  collections: (projectId: string) => [...schemaKeys.project(projectId), 'collections'] as const,
  fields: (projectId: string, collection: string) =>
    [...schemaKeys.project(projectId), 'fields', collection] as const,
};

export const collectionsQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: schemaKeys.collections(projectId),
    queryFn: ({ signal }) => backend.admin.schema(projectId).collections.list({ signal }),
  });

export const fieldsQueryOptions = (projectId: string, collection: string) =>
  queryOptions({
    queryKey: schemaKeys.fields(projectId, collection),
    queryFn: ({ signal }): Promise<FieldDef[]> =>
      backend.admin.schema(projectId).fields(collection).list({ include_hidden: true }, { signal }),
  });
