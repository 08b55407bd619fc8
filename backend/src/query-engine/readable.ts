import type { CollectionMeta } from '../schema-engine/catalog.types';
import { searchColumns } from './compile-filter';
import {
  resolveColumn,
  visibleColumns,
  type CatalogLookup,
  type ResolvedColumn,
} from './field-resolver';
import type { FilterAst } from './filter';
import { queryError, unknownField } from './query-errors';
import type { SortKey } from './sort';

/**
 * The field names a caller may read (policies' `read_fields`); null/undefined = every visible
 * field. System columns are readable, except the actor columns, which a set must name; hidden
 * fields never are, whatever the set says.
 */
export type ReadableFields = ReadonlySet<string> | null | undefined;

/** Who wrote a row: a set of readable fields leaves them out unless it names them. */
export const ACTOR_COLUMNS: readonly string[] = ['created_by_user_id', 'created_by_app_user_id'];
const ACTOR_SET: ReadonlySet<string> = new Set(ACTOR_COLUMNS);

export function isReadable(column: ResolvedColumn, readable: ReadableFields): boolean {
  if (column.field === null)
    return !readable || !ACTOR_SET.has(column.key) || readable.has(column.key);
  if (column.field.isHidden || column.field.isDeleted) return false;
  return !readable || readable.has(column.field.name);
}

/** The visible columns the caller may read, in catalog order. */
export function readableColumns(
  collection: CollectionMeta,
  catalog: CatalogLookup | undefined,
  readable: ReadableFields,
): readonly ResolvedColumn[] {
  const all = visibleColumns(collection, catalog);
  return readable ? all.filter((c) => isReadable(c, readable)) : all;
}

/** A user filter may only name readable fields; anything else is an unknown field (no oracle). */
export function assertFilterReadable(
  filter: FilterAst | null | undefined,
  collection: CollectionMeta,
  readable: ReadableFields,
  catalog?: CatalogLookup,
): void {
  if (!filter || !readable) return;
  switch (filter.kind) {
    case 'cond': {
      const column = resolveColumn(collection, filter.field, { catalog });
      if (!column || !isReadable(column, readable)) throw unknownField(filter.field);
      return;
    }
    case 'and':
    case 'or':
      for (const child of filter.children)
        assertFilterReadable(child, collection, readable, catalog);
      return;
    case 'not':
      assertFilterReadable(filter.child, collection, readable, catalog);
      return;
    default:
      return;
  }
}

export function assertSortReadable(keys: readonly SortKey[], readable: ReadableFields): void {
  if (!readable) return;
  for (const k of keys) if (!isReadable(k.column, readable)) throw unknownField(k.column.key);
}

/** `search=` covers every visible textual field, so it needs all of them readable. */
export function assertSearchReadable(
  collection: CollectionMeta,
  readable: ReadableFields,
  catalog?: CatalogLookup,
): void {
  if (!readable) return;
  if (searchColumns(collection, catalog).some((c) => !isReadable(c, readable))) {
    throw queryError('search', 'read_fields', 'search covers fields you cannot read');
  }
}
