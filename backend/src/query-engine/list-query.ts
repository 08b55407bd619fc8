import type { CollectionMeta } from '../schema-engine/catalog.types';
import { expandRequiredFields, parseExpand, type ExpandNode } from './expand';
import type { CatalogLookup, ResolveOptions } from './field-resolver';
import {
  andFilters,
  DEFAULT_RESERVED_KEYS,
  parseJsonFilterParam,
  parseQueryFilters,
  type FilterAst,
} from './filter';
import { queryError } from './query-errors';
import { validatePage, type SelectInput } from './query-compiler';
import { parseSort } from './sort';

export type QueryParams = Readonly<Record<string, string | string[] | undefined>>;

export interface ListQueryOptions {
  reservedKeys?: Iterable<string>;
  aliases?: ResolveOptions['aliases'];
  catalog?: CatalogLookup;
}

/** `count=true` (default) exact total, `false` none (`total: null`), `estimated` exact up to a threshold, the planner's estimate above. */
export type CountMode = 'exact' | 'none' | 'estimated';

const COUNT_MODES: Readonly<Record<string, CountMode>> = {
  true: 'exact',
  '1': 'exact',
  exact: 'exact',
  false: 'none',
  '0': 'none',
  estimated: 'estimated',
};

export interface ParsedListQuery extends Omit<SelectInput, 'collection' | 'policyFilter'> {
  filter: FilterAst | null;
  expand: ExpandNode[];
  countMode: CountMode;
}

function single(query: QueryParams, key: string): string | undefined {
  const value = query[key];
  if (Array.isArray(value)) {
    if (value.length > 1)
      throw queryError(key, 'duplicate_parameter', `${key} is given more than once`);
    return value[0];
  }
  return value;
}

function integerParam(query: QueryParams, key: string): number | undefined {
  const raw = single(query, key);
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d{1,10}$/.test(raw))
    throw queryError(key, 'invalid_value', `${key} must be a non-negative integer`);
  return Number(raw);
}

/**
 * A whole list request (`field__op`, `filter`, `search`, `sort`, `fields`, `limit`, `offset`,
 * `after`, `count`, `expand`) → the compiler's input, minus the caller's policy filter.
 */
export function parseListQuery(
  query: QueryParams,
  collection: CollectionMeta,
  options: ListQueryOptions = {},
): ParsedListQuery {
  const resolve = { aliases: options.aliases, catalog: options.catalog };
  const limit = integerParam(query, 'limit');
  const offset = integerParam(query, 'offset');
  const after = single(query, 'after') || null;
  validatePage(limit, offset, after);

  const count = single(query, 'count');
  const countMode: CountMode | undefined =
    count === undefined
      ? 'exact'
      : Object.hasOwn(COUNT_MODES, count)
        ? COUNT_MODES[count]
        : undefined;
  if (!countMode) {
    throw queryError('count', 'invalid_value', 'count must be true, false or estimated');
  }
  const rawFilter = single(query, 'filter');
  const filter = andFilters(
    parseQueryFilters(query, collection, options.reservedKeys ?? DEFAULT_RESERVED_KEYS, resolve),
    rawFilter ? parseJsonFilterParam(rawFilter, collection, resolve) : null,
  );
  const search = single(query, 'search');
  if (search !== undefined && search.includes('\u0000')) {
    throw queryError('search', 'invalid_value', 'search must not contain NUL characters');
  }
  const rawExpand = single(query, 'expand');
  if (rawExpand && !options.catalog)
    throw queryError('expand', 'unsupported', 'expand is not available here');
  const expand =
    rawExpand && options.catalog ? parseExpand(rawExpand, collection, options.catalog) : [];
  const rawFields = single(query, 'fields');
  const fields = rawFields
    ? [
        ...rawFields
          .split(',')
          .map((f) => f.trim())
          .filter(Boolean),
        ...expandRequiredFields(expand),
      ]
    : null;
  return {
    filter,
    search: search || null,
    sort: parseSort(single(query, 'sort'), collection, resolve),
    fields,
    limit,
    offset,
    after,
    withTotal: countMode !== 'none',
    countMode,
    expand,
    catalog: options.catalog,
    aliases: options.aliases,
  };
}
