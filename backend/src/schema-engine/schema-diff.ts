import type { CollectionMeta, FieldMeta, OnDeleteAction } from './catalog.types';
import { getFieldType } from './field-types/registry';
import {
  createdByIndexName,
  foreignKeyName,
  indexName,
  primaryKeyName,
  USERS_TABLE,
  type IdType,
  type IndexMethod,
  type SchemaOp,
} from './schema-op';

/** What the planner needs to know about a relation target other than the collection itself. */
export interface RelationTarget {
  table: string;
  idType: IdType;
}

export interface PlanContext {
  targetOf?: (collectionId: string) => RelationTarget | undefined;
}

export class PlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanError';
  }
}

interface ColumnSpec {
  column: string;
  columnType: string;
  notNull: boolean;
  defaultValue: string | null;
  relation: boolean;
}

interface IndexSpec {
  column: string;
  method: IndexMethod;
  name: string;
}

interface ForeignKeySpec {
  column: string;
  targetTable: string;
  onDelete: OnDeleteAction;
  name: string;
}

interface JunctionSpec {
  table: string;
  sourceColumn: string;
  targetColumn: string;
  target: RelationTarget;
}

/** The physical shape a collection's metadata asks for, keyed by field id. */
interface Shape {
  schema: string;
  table: string;
  columns: Map<string, ColumnSpec>;
  /** Key: `<field id>:<method>`. */
  indexes: Map<string, IndexSpec>;
  foreignKeys: Map<string, ForeignKeySpec>;
  junctions: Map<string, JunctionSpec>;
}

function targetOf(
  collection: CollectionMeta,
  field: FieldMeta,
  context: PlanContext,
): RelationTarget {
  const id = field.relation?.targetCollectionId;
  if (id === undefined) throw new PlanError(`Field ${field.name} has no relation target`);
  if (id === collection.id) return { table: collection.table, idType: collection.idType };
  const target = context.targetOf?.(id);
  if (!target) throw new PlanError(`Relation target of ${field.name} is unknown`);
  return target;
}

function shapeOf(collection: CollectionMeta, context: PlanContext): Shape {
  const shape: Shape = {
    schema: collection.schema,
    table: collection.table,
    columns: new Map(),
    indexes: new Map(),
    foreignKeys: new Map(),
    junctions: new Map(),
  };
  const { table } = collection;
  for (const field of collection.fields) {
    if (field.isSystem) continue;
    const relation = field.relation;
    if (field.type === 'relation' && relation?.kind === 'many_to_many') {
      const { junctionTable, junctionSourceColumn, junctionTargetColumn } = relation;
      if (!junctionTable || !junctionSourceColumn || !junctionTargetColumn) {
        throw new PlanError(`Many-to-many field ${field.name} has no junction table`);
      }
      shape.junctions.set(field.id, {
        table: junctionTable,
        sourceColumn: junctionSourceColumn,
        targetColumn: junctionTargetColumn,
        target: targetOf(collection, field, context),
      });
      continue;
    }
    if (field.type === 'relation' && relation?.kind !== 'many_to_one') continue;

    const target = field.type === 'relation' ? targetOf(collection, field, context) : null;
    const columnType = target ? target.idType : getFieldType(field.type).columnType(field.options);
    shape.columns.set(field.id, {
      column: field.column,
      columnType,
      // A soft-deleted field keeps its data but must not block inserts that no longer send it.
      notNull: field.isRequired && !field.isDeleted,
      defaultValue: field.defaultValue,
      relation: target !== null,
    });
    const addIndex = (method: IndexMethod): void => {
      shape.indexes.set(`${field.id}:${method}`, {
        column: field.column,
        method,
        name: indexName(table, field.column, method),
      });
    };
    if (field.isUnique) addIndex('unique');
    else if (field.isIndexed || target) addIndex('btree');
    if (field.isIndexed && !target && getFieldType(field.type).textual) addIndex('trigram');
    if (target && relation) {
      shape.foreignKeys.set(field.id, {
        column: field.column,
        targetTable: target.table,
        onDelete: relation.onDelete,
        name: foreignKeyName(table, field.column),
      });
    }
  }
  return shape;
}

function emptyShape(collection: CollectionMeta): Shape {
  return {
    schema: collection.schema,
    table: collection.table,
    columns: new Map(),
    indexes: new Map(),
    foreignKeys: new Map(),
    junctions: new Map(),
  };
}

/** Op groups in the order they run; see `plan`. */
interface Phases {
  tables: SchemaOp[];
  columns: SchemaOp[];
  renames: SchemaOp[];
  beforeTypes: SchemaOp[];
  types: SchemaOp[];
  nullsAndDefaults: SchemaOp[];
  indexes: SchemaOp[];
  foreignKeys: SchemaOp[];
  drops: SchemaOp[];
}

function renameTableOps(schema: string, from: string, to: string): SchemaOp[] {
  return [
    { kind: 'renameTable', schema, from, to },
    { kind: 'renameIndex', schema, from: primaryKeyName(from), to: primaryKeyName(to) },
    { kind: 'renameIndex', schema, from: createdByIndexName(from), to: createdByIndexName(to) },
  ];
}

function junctionOps(
  schema: string,
  owner: RelationTarget,
  before: Shape,
  after: Shape,
  p: Phases,
): void {
  for (const [id, next] of after.junctions) {
    const prev = before.junctions.get(id);
    if (!prev) {
      p.columns.push({
        kind: 'createJunctionTable',
        schema,
        table: next.table,
        source: { column: next.sourceColumn, table: owner.table, idType: owner.idType },
        target: { column: next.targetColumn, table: next.target.table, idType: next.target.idType },
      });
    } else if (prev.table !== next.table) {
      p.renames.push(
        { kind: 'renameTable', schema, from: prev.table, to: next.table },
        {
          kind: 'renameIndex',
          schema,
          from: primaryKeyName(prev.table),
          to: primaryKeyName(next.table),
        },
        {
          kind: 'renameIndex',
          schema,
          from: indexName(prev.table, prev.targetColumn, 'btree'),
          to: indexName(next.table, next.targetColumn, 'btree'),
        },
      );
      for (const column of [next.sourceColumn, next.targetColumn]) {
        p.renames.push({
          kind: 'renameConstraint',
          schema,
          table: next.table,
          from: foreignKeyName(prev.table, column),
          to: foreignKeyName(next.table, column),
        });
      }
    }
  }
  for (const [id, prev] of before.junctions) {
    if (!after.junctions.has(id)) p.drops.push({ kind: 'dropTable', schema, table: prev.table });
  }
}

function columnOps(before: Shape, after: Shape, p: Phases): Set<string> {
  const { schema, table } = after;
  const retyped = new Set<string>();
  for (const [id, next] of after.columns) {
    const prev = before.columns.get(id);
    if (!prev) {
      p.columns.push({
        kind: 'addColumn',
        schema,
        table,
        column: next.column,
        columnType: next.columnType,
        notNull: next.notNull,
        defaultValue: next.defaultValue,
        ...(next.relation ? { relation: true } : {}),
      });
      continue;
    }
    const column = next.column;
    if (prev.column !== next.column) {
      p.renames.push({ kind: 'renameColumn', schema, table, from: prev.column, to: next.column });
    }
    let previousDefault = prev.defaultValue;
    if (prev.columnType !== next.columnType) {
      retyped.add(id);
      // The old default is of the old type and may not convert; it is set again below.
      if (previousDefault !== null) {
        p.beforeTypes.push({ kind: 'dropDefault', schema, table, column });
        previousDefault = null;
      }
      p.types.push({ kind: 'alterColumnType', schema, table, column, columnType: next.columnType });
    }
    if (prev.notNull !== next.notNull) {
      p.nullsAndDefaults.push({
        kind: next.notNull ? 'setNotNull' : 'dropNotNull',
        schema,
        table,
        column,
      });
    }
    if (previousDefault !== next.defaultValue) {
      p.nullsAndDefaults.push(
        next.defaultValue === null
          ? { kind: 'dropDefault', schema, table, column }
          : {
              kind: 'setDefault',
              schema,
              table,
              column,
              columnType: next.columnType,
              value: next.defaultValue,
            },
      );
    }
  }
  for (const [id, prev] of before.columns) {
    if (!after.columns.has(id))
      p.drops.push({ kind: 'dropColumn', schema, table, column: prev.column });
  }
  return retyped;
}

function indexOps(before: Shape, after: Shape, retyped: Set<string>, p: Phases): void {
  const { schema, table } = after;
  let needsTrigram = false;
  for (const [key, next] of after.indexes) {
    const prev = before.indexes.get(key);
    const fieldId = key.slice(0, key.lastIndexOf(':'));
    if (prev && !retyped.has(fieldId)) {
      if (prev.name !== next.name) {
        p.renames.push({ kind: 'renameIndex', schema, from: prev.name, to: next.name });
      }
      continue;
    }
    if (prev) p.beforeTypes.push({ kind: 'dropIndex', schema, name: prev.name });
    needsTrigram ||= next.method === 'trigram';
    p.indexes.push({ kind: 'createIndex', schema, table, ...next });
  }
  for (const [key, prev] of before.indexes) {
    if (after.indexes.has(key)) continue;
    const fieldId = key.slice(0, key.lastIndexOf(':'));
    // An index whose column changes type may not survive the conversion, so it goes first.
    (retyped.has(fieldId) ? p.beforeTypes : p.drops).unshift({
      kind: 'dropIndex',
      schema,
      name: prev.name,
    });
  }
  if (needsTrigram) p.indexes.unshift({ kind: 'ensureExtension', name: 'pg_trgm' });
}

function foreignKeyOps(before: Shape, after: Shape, retyped: Set<string>, p: Phases): void {
  const { schema, table } = after;
  for (const [id, next] of after.foreignKeys) {
    const prev = before.foreignKeys.get(id);
    const same =
      prev &&
      !retyped.has(id) &&
      prev.targetTable === next.targetTable &&
      prev.onDelete === next.onDelete;
    if (prev && same) {
      if (prev.name !== next.name) {
        p.renames.push({ kind: 'renameConstraint', schema, table, from: prev.name, to: next.name });
      }
      continue;
    }
    if (prev) p.beforeTypes.unshift({ kind: 'dropConstraint', schema, table, name: prev.name });
    p.foreignKeys.push({ kind: 'addForeignKey', schema, table, ...next });
  }
  for (const [id, prev] of before.foreignKeys) {
    if (!after.foreignKeys.has(id))
      p.drops.unshift({ kind: 'dropConstraint', schema, table, name: prev.name });
  }
}

/**
 * The schema ops that turn `before` into `after` (either may be null: create or drop). Fields are
 * matched by id, so a changed name is a rename. Order: schema and tables (create or rename) →
 * new columns and junction tables → column, index and constraint renames → index/FK drops and
 * default drops that a type change needs first → type changes → null and default changes →
 * new indexes → new FKs → other drops (FKs, indexes, columns, tables) last.
 */
export function plan(
  before: CollectionMeta | null,
  after: CollectionMeta | null,
  context: PlanContext = {},
): SchemaOp[] {
  const p: Phases = {
    tables: [],
    columns: [],
    renames: [],
    beforeTypes: [],
    types: [],
    nullsAndDefaults: [],
    indexes: [],
    foreignKeys: [],
    drops: [],
  };
  if (before === null && after === null) return [];
  if (before && after && (before.id !== after.id || before.schema !== after.schema)) {
    throw new PlanError('before and after must describe the same collection');
  }

  if (after === null) {
    const prev = before as CollectionMeta;
    if (prev.isSystem) throw new PlanError(`The ${prev.name} collection cannot be deleted`);
    for (const junction of shapeOf(prev, context).junctions.values()) {
      p.drops.push({ kind: 'dropTable', schema: prev.schema, table: junction.table });
    }
    p.drops.push({ kind: 'dropTable', schema: prev.schema, table: prev.table });
    return p.drops;
  }

  const { schema } = after;
  if (before === null) {
    p.tables.push({ kind: 'createSchema', schema });
    p.tables.push(
      after.table === USERS_TABLE && after.isSystem
        ? { kind: 'createUsersTable', schema }
        : { kind: 'createTable', schema, table: after.table, idType: after.idType },
    );
  } else if (before.table !== after.table) {
    if (before.isSystem) throw new PlanError(`The ${before.name} collection cannot be renamed`);
    p.tables.push(...renameTableOps(schema, before.table, after.table));
  }

  const prevShape = before ? shapeOf(before, context) : emptyShape(after);
  const nextShape = shapeOf(after, context);
  junctionOps(schema, { table: after.table, idType: after.idType }, prevShape, nextShape, p);
  const retyped = columnOps(prevShape, nextShape, p);
  indexOps(prevShape, nextShape, retyped, p);
  foreignKeyOps(prevShape, nextShape, retyped, p);

  return [
    ...p.tables,
    ...p.columns,
    ...p.renames,
    ...p.beforeTypes,
    ...p.types,
    ...p.nullsAndDefaults,
    ...p.indexes,
    ...p.foreignKeys,
    ...p.drops,
  ];
}
