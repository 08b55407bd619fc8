import type { FieldOptions, FieldTypeName } from './field-types/field-type';

export type RelationKind = 'many_to_one' | 'one_to_many' | 'many_to_many';
export type OnDeleteAction = 'RESTRICT' | 'CASCADE' | 'SET NULL';

/** A field as the engines see it: metadata is the truth, columns follow it. */
export interface FieldMeta {
  id: string;
  name: string;
  displayName: string;
  column: string;
  type: FieldTypeName;
  options: FieldOptions;
  isRequired: boolean;
  isUnique: boolean;
  isIndexed: boolean;
  isHidden: boolean;
  isSystem: boolean;
  isDeleted: boolean;
  defaultValue: string | null;
  relation?: {
    kind: RelationKind;
    targetCollectionId: string;
    onDelete: OnDeleteAction;
    displayField: string | null;
    /** many_to_many only: the junction table and its two columns. */
    junctionTable?: string;
    junctionSourceColumn?: string;
    junctionTargetColumn?: string;
  };
}

export interface CollectionMeta {
  id: string;
  projectId: string;
  name: string;
  displayName: string;
  /** The project's Postgres schema, `p_<uuid with _>`. */
  schema: string;
  table: string;
  isSystem: boolean;
  /** `uuid` for `_users`, `bigint` for every other collection. */
  idType: 'bigint' | 'uuid';
  fields: FieldMeta[];
}

/** Columns every collection table has besides its fields (DESIGN §4). */
export const SYSTEM_COLUMNS = [
  'id',
  'created_at',
  'updated_at',
  'created_by_user_id',
  'created_by_app_user_id',
] as const;
