import { createHash } from 'node:crypto';

import type { OnDeleteAction } from './catalog.types';

/** Column types an op may carry; the field-type registry renders them from validated options only. */
export type IdType = 'bigint' | 'uuid';

/** `btree` and `unique` are plain btree indexes; `trigram` is `gin (col gin_trgm_ops)`. */
export type IndexMethod = 'btree' | 'unique' | 'trigram';

/** Extensions a schema change may install; nothing outside this list is ever created. */
export const ALLOWED_EXTENSIONS = ['pg_trgm'] as const;
export type AllowedExtension = (typeof ALLOWED_EXTENSIONS)[number];

/** The only system tables the engine creates under a name that breaks the user identifier rule. */
export const USERS_TABLE = '_users';

export interface CreateSchemaOp {
  kind: 'createSchema';
  schema: string;
}
export interface DropSchemaOp {
  kind: 'dropSchema';
  schema: string;
  cascade: boolean;
}
/** A collection table with the system columns (DESIGN §4). */
export interface CreateTableOp {
  kind: 'createTable';
  schema: string;
  table: string;
  idType: IdType;
}
/** The `_users` system collection of a project. */
export interface CreateUsersTableOp {
  kind: 'createUsersTable';
  schema: string;
}
export interface DropTableOp {
  kind: 'dropTable';
  schema: string;
  table: string;
}
export interface RenameTableOp {
  kind: 'renameTable';
  schema: string;
  from: string;
  to: string;
}
export interface AddColumnOp {
  kind: 'addColumn';
  schema: string;
  table: string;
  column: string;
  /** From the field-type registry (or the target's id type for a relation column). */
  columnType: string;
  notNull: boolean;
  /** Already validated and cast to text by the field type; rendered as an escaped literal `::columnType`. */
  defaultValue: string | null;
  /** A many-to-one relation's `<name>_id` column; recorded as `add_relation_column`. */
  relation?: boolean;
}
export interface DropColumnOp {
  kind: 'dropColumn';
  schema: string;
  table: string;
  column: string;
}
export interface RenameColumnOp {
  kind: 'renameColumn';
  schema: string;
  table: string;
  from: string;
  to: string;
}
export interface AlterColumnTypeOp {
  kind: 'alterColumnType';
  schema: string;
  table: string;
  column: string;
  columnType: string;
}
export interface SetNotNullOp {
  kind: 'setNotNull';
  schema: string;
  table: string;
  column: string;
}
export interface DropNotNullOp {
  kind: 'dropNotNull';
  schema: string;
  table: string;
  column: string;
}
export interface SetDefaultOp {
  kind: 'setDefault';
  schema: string;
  table: string;
  column: string;
  columnType: string;
  /** Validated and cast to text by the field type; never pasted raw. */
  value: string;
}
export interface DropDefaultOp {
  kind: 'dropDefault';
  schema: string;
  table: string;
  column: string;
}
export interface CreateIndexOp {
  kind: 'createIndex';
  schema: string;
  table: string;
  column: string;
  method: IndexMethod;
  /** From `indexName(table, [column], …)`. */
  name: string;
}
export interface DropIndexOp {
  kind: 'dropIndex';
  schema: string;
  name: string;
}
/** Keeps deterministic names in step with table/column renames, so a later create cannot collide. */
export interface RenameIndexOp {
  kind: 'renameIndex';
  schema: string;
  from: string;
  to: string;
}
export interface AddForeignKeyOp {
  kind: 'addForeignKey';
  schema: string;
  table: string;
  column: string;
  targetTable: string;
  /** Target tables always reference their `id` column. */
  onDelete: OnDeleteAction;
  name: string;
}
export interface DropConstraintOp {
  kind: 'dropConstraint';
  schema: string;
  table: string;
  name: string;
}
export interface RenameConstraintOp {
  kind: 'renameConstraint';
  schema: string;
  table: string;
  from: string;
  to: string;
}
export interface JunctionSide {
  column: string;
  /** Referenced table in the same schema; its `id` is the key. */
  table: string;
  idType: IdType;
}
/** Many-to-many: two cascading FKs, composite primary key, index on the second column. */
export interface CreateJunctionTableOp {
  kind: 'createJunctionTable';
  schema: string;
  table: string;
  source: JunctionSide;
  target: JunctionSide;
}
export interface EnsureExtensionOp {
  kind: 'ensureExtension';
  name: AllowedExtension;
}

export type SchemaOp =
  | CreateSchemaOp
  | DropSchemaOp
  | CreateTableOp
  | CreateUsersTableOp
  | DropTableOp
  | RenameTableOp
  | AddColumnOp
  | DropColumnOp
  | RenameColumnOp
  | AlterColumnTypeOp
  | SetNotNullOp
  | DropNotNullOp
  | SetDefaultOp
  | DropDefaultOp
  | CreateIndexOp
  | DropIndexOp
  | RenameIndexOp
  | AddForeignKeyOp
  | DropConstraintOp
  | RenameConstraintOp
  | CreateJunctionTableOp
  | EnsureExtensionOp;

export type SchemaOpKind = SchemaOp['kind'];

/** Names recorded in `schema_ops.op_type`: the original's where it had one, snake_case otherwise. */
export function opTypeName(op: SchemaOp): string {
  switch (op.kind) {
    case 'addColumn':
      return op.relation ? 'add_relation_column' : 'add_column';
    case 'alterColumnType':
      return 'change_column_type';
    default:
      return op.kind.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  }
}

/** Suffix of a derived object name: PostgreSQL's own conventions, plus `trgm` for trigram indexes. */
export type ObjectNameSuffix = 'pkey' | 'idx' | 'key' | 'trgm' | 'fkey';

export const MAX_IDENTIFIER_BYTES = 63;
const OBJECT_NAME_PATTERN = /^[a-z_][a-z0-9_]*$/;

export class InvalidObjectNameError extends Error {
  constructor(readonly objectName: string) {
    super(`Invalid index or constraint name '${objectName}'`);
    this.name = 'InvalidObjectNameError';
  }
}

/** Index and constraint names: only ever produced by `objectName`, still checked before use. */
export function assertValidObjectName(name: unknown): asserts name is string {
  if (
    typeof name !== 'string' ||
    !OBJECT_NAME_PATTERN.test(name) ||
    Buffer.byteLength(name) > MAX_IDENTIFIER_BYTES
  ) {
    throw new InvalidObjectNameError(String(name));
  }
}

/**
 * `<table>_<col>[_<col>…]_<suffix>`, as PostgreSQL would name it. When that exceeds 63 bytes the
 * stem is cut and `_<8 hex of sha256(full name)>` is inserted before the suffix, so the result is
 * stable and two long names that share a prefix still differ.
 */
export function objectName(
  table: string,
  columns: readonly string[],
  suffix: ObjectNameSuffix,
): string {
  const full = [table, ...columns, suffix].join('_');
  if (Buffer.byteLength(full) <= MAX_IDENTIFIER_BYTES) {
    assertValidObjectName(full);
    return full;
  }
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  const tail = `_${hash}_${suffix}`;
  const stem = [table, ...columns].join('_').slice(0, MAX_IDENTIFIER_BYTES - tail.length);
  const name = `${stem.replace(/_+$/, '')}${tail}`;
  assertValidObjectName(name);
  return name;
}

const INDEX_SUFFIX: Record<IndexMethod, ObjectNameSuffix> = {
  btree: 'idx',
  unique: 'key',
  trigram: 'trgm',
};

export function indexName(table: string, column: string, method: IndexMethod): string {
  return objectName(table, [column], INDEX_SUFFIX[method]);
}

export function foreignKeyName(table: string, column: string): string {
  return objectName(table, [column], 'fkey');
}

export function primaryKeyName(table: string): string {
  return objectName(table, [], 'pkey');
}

/** The index every collection table has on `created_by_app_user_id`. */
export function createdByIndexName(table: string): string {
  return indexName(table, 'created_by_app_user_id', 'btree');
}
