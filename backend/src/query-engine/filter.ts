import type { CollectionMeta } from '../schema-engine/catalog.types';
import {
  FILTER_OPERATORS,
  type FilterOperator,
  type ParseResult,
} from '../schema-engine/field-types/field-type';
import { resolveColumn, type ResolvedColumn, type ResolveOptions } from './field-resolver';
import { queryError, unknownField } from './query-errors';

/** A filter whose leaf values are already parsed by field type (bind parameters, never SQL). */
export type FilterAst =
  | { kind: 'and' | 'or'; children: FilterAst[] }
  | { kind: 'not'; child: FilterAst }
  | { kind: 'cond'; field: string; op: FilterOperator; value: unknown }
  /** `null` is SQL's unknown (a comparison with a variable the caller lacks): neither true nor false. */
  | { kind: 'literal'; value: boolean | null };

export const MAX_FILTER_DEPTH = 10;
export const MAX_FILTER_NODES = 200;
export const MAX_LIST_VALUES = 1000;

/** Query keys that are never filters. */
export const DEFAULT_RESERVED_KEYS: readonly string[] = [
  'limit',
  'offset',
  'sort',
  'fields',
  'expand',
  'search',
  'filter',
  'after',
  'count',
];

const OPERATOR_SET: ReadonlySet<string> = new Set(FILTER_OPERATORS);
const PATTERN_OPERATORS: ReadonlySet<FilterOperator> = new Set<FilterOperator>([
  'contains',
  'icontains',
  'startswith',
  'endswith',
  'like',
  'ilike',
]);
const BOOLEAN_TEXT = new Map<string, boolean>([
  ['true', true],
  ['false', false],
  ['1', true],
  ['0', false],
]);

export type FilterOptions = Pick<ResolveOptions, 'aliases' | 'catalog'> & {
  /**
   * Resolves names instead of the collection's own columns: a view's columns (`category.name`,
   * aggregate aliases). The AST then names `column.key`, which the compiler's `refOf` maps back.
   */
  columns?: (name: string) => ResolvedColumn | null;
};

export function isOperator(op: string): op is FilterOperator {
  return OPERATOR_SET.has(op);
}

/** `and` of the given filters, skipping nulls; null when nothing is left. */
export function andFilters(...filters: (FilterAst | null | undefined)[]): FilterAst | null {
  const children = filters.filter((f): f is FilterAst => f !== null && f !== undefined);
  if (children.length === 0) return null;
  return children.length === 1 ? children[0] : { kind: 'and', children };
}

function resolveUserColumn(
  collection: CollectionMeta,
  name: string,
  options: FilterOptions,
): ResolvedColumn {
  const column = options.columns
    ? options.columns(name)
    : resolveColumn(collection, name, { ...options, includeHidden: false });
  if (!column) throw unknownField(name);
  return column;
}

function assertOperatorAllowed(column: ResolvedColumn, name: string, op: FilterOperator): void {
  if (!column.type.operators.includes(op)) {
    throw queryError(
      name,
      'operator_not_allowed',
      `Operator '${op}' is not allowed on field '${name}' (${column.type.name})`,
    );
  }
}

function unwrap(result: ParseResult, name: string): unknown {
  if (!result.ok)
    throw queryError(name, 'invalid_value', `Invalid value for ${name}: ${result.message}`);
  return result.value;
}

function parsePattern(raw: unknown, name: string): string {
  if (typeof raw !== 'string')
    throw queryError(name, 'invalid_value', `Invalid value for ${name}: must be a string`);
  if (raw.includes('\u0000')) {
    throw queryError(
      name,
      'invalid_value',
      `Invalid value for ${name}: must not contain NUL characters`,
    );
  }
  return raw;
}

function parseIsNull(raw: unknown, name: string): boolean {
  if (typeof raw === 'boolean') return raw;
  const value = typeof raw === 'string' ? BOOLEAN_TEXT.get(raw.toLowerCase()) : undefined;
  if (value === undefined)
    throw queryError(
      name,
      'invalid_value',
      `Invalid value for ${name}: isnull takes true or false`,
    );
  return value;
}

/** A JSON value for one item: the body parser first, then the query-text parser for strings ("true", "5"). */
function parseItem(
  column: ResolvedColumn,
  raw: unknown,
  name: string,
  fromQuery: boolean,
): unknown {
  if (raw === null)
    throw queryError(name, 'invalid_value', `Invalid value for ${name}: must not be null`);
  if (typeof raw === 'string' && fromQuery)
    return unwrap(column.type.parseQuery(raw, column.options), name);
  const parsed = column.type.parse(raw, column.options);
  if (!parsed.ok && typeof raw === 'string') {
    return unwrap(column.type.parseQuery(raw, column.options), name);
  }
  return unwrap(parsed, name);
}

function listOf(raw: unknown, name: string): unknown[] {
  const items = typeof raw === 'string' ? raw.split(',') : raw;
  if (!Array.isArray(items))
    throw queryError(name, 'invalid_value', `Invalid value for ${name}: must be a list`);
  if (items.length === 0)
    throw queryError(
      name,
      'invalid_value',
      `Invalid value for ${name}: must list at least one value`,
    );
  if (items.length > MAX_LIST_VALUES) {
    throw queryError(
      name,
      'invalid_value',
      `Invalid value for ${name}: at most ${MAX_LIST_VALUES} values`,
    );
  }
  return items as unknown[];
}

/** Builds one leaf: checks the operator against the type and parses the value by type. */
function buildCondition(
  collection: CollectionMeta,
  name: string,
  op: FilterOperator,
  raw: unknown,
  fromQuery: boolean,
  options: FilterOptions,
): FilterAst {
  const column = resolveUserColumn(collection, name, options);
  assertOperatorAllowed(column, name, op);
  const field = column.key;
  if (op === 'isnull') return { kind: 'cond', field, op, value: parseIsNull(raw, name) };
  if (PATTERN_OPERATORS.has(op)) {
    const value = parsePattern(raw, name);
    // PostgreSQL rejects a LIKE pattern ending in a lone escape; that must be a 400, not a 500.
    if ((op === 'like' || op === 'ilike') && /(^|[^\\])(\\\\)*\\$/.test(value)) {
      throw queryError(
        name,
        'invalid_value',
        `Invalid value for ${name}: pattern must not end with \\`,
      );
    }
    return { kind: 'cond', field, op, value };
  }
  if (op === 'in' || op === 'notin') {
    const values = listOf(raw, name).map((item) => parseItem(column, item, name, fromQuery));
    return { kind: 'cond', field, op, value: values };
  }
  if (op === 'between') {
    const items = listOf(raw, name);
    if (items.length !== 2)
      throw queryError(
        name,
        'invalid_value',
        `Invalid value for ${name}: between takes two values`,
      );
    return {
      kind: 'cond',
      field,
      op,
      value: items.map((item) => parseItem(column, item, name, fromQuery)),
    };
  }
  if (raw === null && (op === 'eq' || op === 'neq') && !fromQuery) {
    return { kind: 'cond', field, op, value: null };
  }
  return { kind: 'cond', field, op, value: parseItem(column, raw, name, fromQuery) };
}

/** `field__op` key → field and operator; a key that is itself a field name means `eq`. */
function splitKey(
  key: string,
  collection: CollectionMeta,
  options: FilterOptions,
): { name: string; op: FilterOperator } {
  const at = key.lastIndexOf('__');
  const whole = options.columns
    ? options.columns(key)
    : resolveColumn(collection, key, { ...options, includeHidden: false });
  if (at <= 0 || whole) {
    return { name: key, op: 'eq' };
  }
  const name = key.slice(0, at);
  const op = key.slice(at + 2);
  if (!isOperator(op)) throw queryError(key, 'unknown_operator', `Unknown operator: ${op}`);
  return { name, op };
}

/**
 * Filters from `field__op=value` query parameters, AND-ed. Unknown fields, unknown operators,
 * operators the type does not allow and unparsable values are 400s, never ignored.
 */
export function parseQueryFilters(
  query: Readonly<Record<string, string | string[] | undefined>>,
  collection: CollectionMeta,
  reservedKeys: Iterable<string> = DEFAULT_RESERVED_KEYS,
  options: FilterOptions = {},
): FilterAst | null {
  const reserved = new Set(reservedKeys);
  const conditions: FilterAst[] = [];
  for (const [key, rawValue] of Object.entries(query)) {
    if (reserved.has(key) || rawValue === undefined) continue;
    const { name, op } = splitKey(key, collection, options);
    for (const value of Array.isArray(rawValue) ? rawValue : [rawValue]) {
      if (typeof value !== 'string')
        throw queryError(key, 'invalid_value', `Invalid value for ${key}`);
      conditions.push(buildCondition(collection, name, op, value, true, options));
      if (conditions.length > MAX_FILTER_NODES) {
        throw queryError(
          key,
          'too_many_conditions',
          `At most ${MAX_FILTER_NODES} filter conditions`,
        );
      }
    }
  }
  return andFilters(...conditions);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const LEAF_KEYS: ReadonlySet<string> = new Set(['field', 'op', 'value']);

/**
 * The `filter=` JSON tree: leaves `{"field","op","value"}`, nodes `{"and":[…]}`, `{"or":[…]}`,
 * `{"not":{…}}`; at most 10 levels and 200 nodes.
 */
export function parseJsonFilter(
  json: unknown,
  collection: CollectionMeta,
  options: FilterOptions = {},
): FilterAst {
  let nodes = 0;
  const visit = (node: unknown, depth: number): FilterAst => {
    nodes += 1;
    if (depth > MAX_FILTER_DEPTH) {
      throw queryError(
        'filter',
        'too_deep',
        `filter is nested deeper than ${MAX_FILTER_DEPTH} levels`,
      );
    }
    if (nodes > MAX_FILTER_NODES) {
      throw queryError(
        'filter',
        'too_many_nodes',
        `filter has more than ${MAX_FILTER_NODES} nodes`,
      );
    }
    if (!isPlainObject(node))
      throw queryError('filter', 'invalid_filter', 'Each filter node must be an object');
    const keys = Object.keys(node);
    if (keys.length === 1 && (keys[0] === 'and' || keys[0] === 'or')) {
      const kind = keys[0];
      const children = node[kind];
      if (!Array.isArray(children) || children.length === 0) {
        throw queryError('filter', 'invalid_filter', `'${kind}' takes a non-empty list of filters`);
      }
      if (children.length > MAX_FILTER_NODES) {
        throw queryError(
          'filter',
          'too_many_nodes',
          `filter has more than ${MAX_FILTER_NODES} nodes`,
        );
      }
      return { kind, children: children.map((child: unknown) => visit(child, depth + 1)) };
    }
    if (keys.length === 1 && keys[0] === 'not')
      return { kind: 'not', child: visit(node.not, depth + 1) };
    if (!keys.every((k) => LEAF_KEYS.has(k)) || typeof node.field !== 'string') {
      throw queryError(
        'filter',
        'invalid_filter',
        'A filter node is {"field","op","value"}, {"and":[…]}, {"or":[…]} or {"not":{…}}',
      );
    }
    const op = node.op === undefined ? 'eq' : node.op;
    if (typeof op !== 'string' || !isOperator(op)) {
      throw queryError(node.field, 'unknown_operator', `Unknown operator: ${String(op)}`);
    }
    if (!('value' in node)) {
      throw queryError(
        node.field,
        'invalid_value',
        `Invalid value for ${node.field}: value is required`,
      );
    }
    return buildCondition(collection, node.field, op, node.value, false, options);
  };
  return visit(json, 1);
}

/** `filter=` as query text: JSON syntax errors are 400s too. */
export function parseJsonFilterParam(
  raw: string,
  collection: CollectionMeta,
  options: FilterOptions = {},
): FilterAst {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw queryError('filter', 'invalid_json', 'filter must be valid JSON');
  }
  return parseJsonFilter(json, collection, options);
}
