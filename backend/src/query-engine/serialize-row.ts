import type { CollectionMeta } from '../schema-engine/catalog.types';
import { visibleColumns, type CatalogLookup, type ResolvedColumn } from './field-resolver';

export type JsonRecord = Record<string, unknown>;
export type RowSerializer = (row: Readonly<Record<string, unknown>>) => JsonRecord;

/**
 * The response key of a column: relation FKs keep their column name (`author_id`, so `author`
 * is free for the expanded record), other fields use their field name.
 */
export function outputKey(column: ResolvedColumn): string {
  return column.field && column.field.type !== 'relation' ? column.field.name : column.column;
}

/** Precomputes key, column and serializer per column once; the per-row work is one loop. */
export function createRowSerializer(columns: readonly ResolvedColumn[]): RowSerializer {
  const visible = columns.filter((c) => !c.field?.isHidden && !c.field?.isDeleted);
  const keys = visible.map(outputKey);
  const sources = visible.map((c) => c.column);
  const serializers = visible.map((c) => c.type.serialize);
  const count = visible.length;
  return (row) => {
    const out: JsonRecord = {};
    for (let i = 0; i < count; i += 1) {
      const value = row[sources[i]];
      out[keys[i]] = value === undefined || value === null ? null : serializers[i](value);
    }
    return out;
  };
}

const FULL_SERIALIZERS = new WeakMap<
  CollectionMeta,
  { columns: readonly ResolvedColumn[]; serialize: RowSerializer }
>();

/** The serializer for every visible column of a collection, rebuilt only when its columns change. */
export function serializerFor(collection: CollectionMeta, catalog?: CatalogLookup): RowSerializer {
  const columns = visibleColumns(collection, catalog);
  const cached = FULL_SERIALIZERS.get(collection);
  if (cached && cached.columns === columns) return cached.serialize;
  const serialize = createRowSerializer(columns);
  FULL_SERIALIZERS.set(collection, { columns, serialize });
  return serialize;
}

export function serializeRows(
  rows: readonly Readonly<Record<string, unknown>>[],
  columns: readonly ResolvedColumn[],
): JsonRecord[] {
  const serialize = createRowSerializer(columns);
  return rows.map(serialize);
}
