import type { CollectionMeta } from '../schema-engine/catalog.types';
import { resolveColumn, type ResolvedColumn, type ResolveOptions } from './field-resolver';
import { queryError, unknownField } from './query-errors';

export type SortDirection = 'asc' | 'desc';

export interface SortKey {
  column: ResolvedColumn;
  direction: SortDirection;
}

export const MAX_SORT_KEYS = 10;

/** The order when `sort` is absent: newest id first, as the original did. */
export function defaultSort(collection: CollectionMeta): SortKey[] {
  return [{ column: resolveColumn(collection, 'id') as ResolvedColumn, direction: 'desc' }];
}

/**
 * `sort=-a,b` → keys, with `id` appended as the tiebreaker so every order is total (keyset
 * pagination depends on it). Unknown, hidden and json fields are 400s.
 */
export function parseSort(
  raw: string | null | undefined,
  collection: CollectionMeta,
  options: Pick<ResolveOptions, 'aliases' | 'catalog'> = {},
): SortKey[] {
  if (raw === null || raw === undefined || raw.trim() === '') return defaultSort(collection);
  const parts = raw.split(',').map((part) => part.trim());
  if (parts.length > MAX_SORT_KEYS) {
    throw queryError('sort', 'too_many_keys', `sort takes at most ${MAX_SORT_KEYS} fields`);
  }
  const keys: SortKey[] = [];
  const seen = new Set<string>();
  for (const part of parts) {
    const direction: SortDirection = part.startsWith('-') ? 'desc' : 'asc';
    const name = part.replace(/^[-+]/, '');
    if (name === '') throw queryError('sort', 'invalid_sort', 'sort has an empty field name');
    const column = resolveColumn(collection, name, { ...options, includeHidden: false });
    if (!column) throw unknownField(name);
    if (column.type.name === 'json') {
      throw queryError(name, 'not_sortable', `Field '${name}' cannot be sorted`);
    }
    if (seen.has(column.column)) continue;
    seen.add(column.column);
    keys.push({ column, direction });
  }
  if (!seen.has('id')) {
    keys.push({ column: resolveColumn(collection, 'id') as ResolvedColumn, direction: 'asc' });
  }
  return keys;
}
