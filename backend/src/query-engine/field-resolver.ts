import type { CollectionMeta, FieldMeta } from '../schema-engine/catalog.types';
import type { FieldOptions, FieldTypeDefinition } from '../schema-engine/field-types/field-type';
import { getFieldType } from '../schema-engine/field-types/registry';

/** How the query engine finds other collections (expand targets, relation id types). */
export interface CatalogLookup {
  getCollection(id: string): CollectionMeta | undefined;
  findCollectionByName?(name: string): CollectionMeta | undefined;
}

/** A column a query may name: a visible field or a system column, always taken from the meta. */
export interface ResolvedColumn {
  /** The public name: the field name, or the system column name. */
  key: string;
  column: string;
  type: FieldTypeDefinition;
  options: FieldOptions;
  field: FieldMeta | null;
  nullable: boolean;
  /** timestamptz: cursors read it as text to keep microseconds. */
  isTimestamp: boolean;
}

export interface ResolveOptions {
  /** Old field name → current field name, for the alias period after a rename. */
  aliases?: Readonly<Record<string, string>> | ReadonlyMap<string, string>;
  catalog?: CatalogLookup;
  /** Server-built filters (policies) may address hidden fields; user input never does. */
  includeHidden?: boolean;
}

/** Fields whose value lives in a column of the collection's own table. */
export function hasColumn(field: FieldMeta): boolean {
  if (field.isDeleted) return false;
  if (field.type !== 'relation') return true;
  return !field.relation || field.relation.kind === 'many_to_one';
}

function systemColumns(collection: CollectionMeta): ResolvedColumn[] {
  const idType = collection.idType === 'uuid' ? getFieldType('uuid') : getFieldType('int');
  const datetime = getFieldType('datetime');
  const text = getFieldType('string');
  const make = (
    column: string,
    type: FieldTypeDefinition,
    nullable: boolean,
    isTimestamp = false,
  ): ResolvedColumn => ({
    key: column,
    column,
    type,
    options: {},
    field: null,
    nullable,
    isTimestamp,
  });
  return [
    make('id', idType, false),
    make('created_at', datetime, false, true),
    make('updated_at', datetime, false, true),
    make('created_by_user_id', text, true),
    make('created_by_app_user_id', text, true),
  ];
}

function fieldColumn(field: FieldMeta, catalog: CatalogLookup | undefined): ResolvedColumn {
  let type = getFieldType(field.type);
  if (field.type === 'relation' && field.relation && catalog) {
    const target = catalog.getCollection(field.relation.targetCollectionId);
    if (target?.idType === 'uuid') type = { ...getFieldType('uuid'), name: 'relation' };
  }
  return {
    key: field.name,
    column: field.column,
    type,
    options: field.options ?? {},
    field,
    nullable: !field.isRequired,
    isTimestamp: field.type === 'datetime',
  };
}

interface ColumnIndex {
  fields: readonly FieldMeta[];
  fieldCount: number;
  visible: ResolvedColumn[];
  byName: Map<string, ResolvedColumn>;
  hiddenByName: Map<string, ResolvedColumn>;
}

const INDEX_CACHE = new WeakMap<CollectionMeta, WeakMap<object, ColumnIndex>>();
const NO_CATALOG = {};

/** Built once per collection meta object (the catalog cache hands out a new object when it changes). */
function indexOf(collection: CollectionMeta, catalog: CatalogLookup | undefined): ColumnIndex {
  let perCatalog = INDEX_CACHE.get(collection);
  if (!perCatalog) {
    perCatalog = new WeakMap();
    INDEX_CACHE.set(collection, perCatalog);
  }
  const cacheKey = catalog ?? NO_CATALOG;
  const cached = perCatalog.get(cacheKey);
  // A meta mutated in place (rather than replaced) is caught by the array identity/length check.
  if (
    cached &&
    cached.fields === collection.fields &&
    cached.fieldCount === collection.fields.length
  ) {
    return cached;
  }

  const visible: ResolvedColumn[] = systemColumns(collection);
  const byName = new Map<string, ResolvedColumn>(visible.map((c) => [c.key, c]));
  const hiddenByName = new Map<string, ResolvedColumn>();
  const live = collection.fields.filter(hasColumn).map((field) => fieldColumn(field, catalog));
  for (const resolved of live) {
    if (!resolved.field?.isHidden) visible.push(resolved);
  }
  // A field may be addressed by name or by column (`author` or `author_id`); names win over columns.
  for (const key of ['name', 'column'] as const) {
    for (const resolved of live) {
      const field = resolved.field as FieldMeta;
      const target = field.isHidden ? hiddenByName : byName;
      if (!target.has(field[key])) target.set(field[key], resolved);
    }
  }
  const index = {
    fields: collection.fields,
    fieldCount: collection.fields.length,
    visible,
    byName,
    hiddenByName,
  };
  perCatalog.set(cacheKey, index);
  return index;
}

function aliasOf(name: string, aliases: ResolveOptions['aliases']): string | undefined {
  if (!aliases) return undefined;
  if (aliases instanceof Map) return aliases.get(name);
  const record = aliases as Readonly<Record<string, string>>;
  return Object.prototype.hasOwnProperty.call(record, name) ? record[name] : undefined;
}

/** Finds a column by field name, column name or alias; hidden and deleted fields are invisible to users. */
export function resolveColumn(
  collection: CollectionMeta,
  name: string,
  options: ResolveOptions = {},
): ResolvedColumn | null {
  const index = indexOf(collection, options.catalog);
  const lookup = (n: string): ResolvedColumn | undefined =>
    index.byName.get(n) ?? (options.includeHidden ? index.hiddenByName.get(n) : undefined);
  const direct = lookup(name);
  if (direct) return direct;
  const aliased = aliasOf(name, options.aliases);
  return aliased === undefined ? null : (lookup(aliased) ?? null);
}

/** System columns then visible fields, in catalog order. */
export function visibleColumns(
  collection: CollectionMeta,
  catalog?: CatalogLookup,
): readonly ResolvedColumn[] {
  return indexOf(collection, catalog).visible;
}
