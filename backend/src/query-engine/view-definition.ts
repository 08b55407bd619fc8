import type { FilterOperator } from '../schema-engine/field-types/field-type';
import { identifierProblem } from '../schema-engine/identifiers';
import { isOperator } from './filter';
import { MAX_FILTER_DEPTH, MAX_FILTER_NODES } from './filter';
import type { FieldError } from '../common/errors/app-error';

export const VIEW_AGGREGATE_FNS = ['count', 'count_distinct', 'sum', 'avg', 'min', 'max'] as const;
export type ViewAggregateFn = (typeof VIEW_AGGREGATE_FNS)[number];
export const VIEW_JOIN_TYPES = ['left', 'inner'] as const;
export type ViewJoinType = (typeof VIEW_JOIN_TYPES)[number];
export const VIEW_PARAM_TYPES = [
  'string',
  'number',
  'integer',
  'boolean',
  'date',
  'datetime',
  'list',
  'limit',
  'offset',
  'sort_field',
  'sort_direction',
] as const;
export type ViewParamType = (typeof VIEW_PARAM_TYPES)[number];

export const MAX_VIEW_JOINS = 5;
export const MAX_VIEW_AGGREGATES = 20;
export const MAX_VIEW_GROUP_BY = 10;
export const MAX_VIEW_COLUMNS = 100;
export const MAX_VIEW_SORTS = 10;
export const MAX_VIEW_PARAMS = 30;
/** The row cap of every view answer, whatever its `max_limit` says. */
export const VIEW_LIMIT_CAP = 1000;

export interface ViewJoin {
  /** A relation of the base (`category`), or of an earlier join (`category.parent`). */
  relation: string;
  type: ViewJoinType;
  /** Columns of the joined collection to return, as `<relation>.<field>`. */
  fields: string[];
}

export interface ViewSort {
  field: string;
  desc: boolean;
  is_param?: boolean;
  param_name?: string;
  desc_is_param?: boolean;
  desc_param_name?: string;
}

export interface ViewAggregate {
  fn: ViewAggregateFn;
  /** Absent (or `*`) for `count`: rows. */
  field: string | null;
  as: string;
}

export interface ViewParamSpec {
  type: ViewParamType;
  required?: boolean;
  description?: string;
  example?: unknown;
  default?: unknown;
}

/** A view's stored definition (the JSON kept per version). */
export interface ViewDefinition {
  base_collection_id: string;
  projection: string[] | null;
  joins: ViewJoin[];
  /** As given: the original list of conditions, or a filter tree (`{and|or|not}`, leaves `{field, op, value}`). */
  filters: unknown;
  sorts: ViewSort[];
  group_by: string[];
  aggregates: ViewAggregate[];
  having: unknown;
  params_schema: Record<string, ViewParamSpec>;
  default_limit: number;
  max_limit: number;
}

/** A filter tree whose leaf values may name params (`"{{name}}"`), before binding. */
export type FilterTemplate =
  | { kind: 'and' | 'or'; children: FilterTemplate[] }
  | { kind: 'not'; child: FilterTemplate }
  | { kind: 'leaf'; field: string; op: FilterOperator; value: unknown; path: string };

/** The original's operator names (§4.11) beside the data API's. */
const ORIGINAL_OPERATORS: Readonly<Record<string, { op: FilterOperator; value?: boolean }>> = {
  '=': { op: 'eq' },
  '!=': { op: 'neq' },
  '>': { op: 'gt' },
  '<': { op: 'lt' },
  '>=': { op: 'gte' },
  '<=': { op: 'lte' },
  not_in: { op: 'notin' },
  starts_with: { op: 'startswith' },
  ends_with: { op: 'endswith' },
  is_null: { op: 'isnull', value: true },
  is_not_null: { op: 'isnull', value: false },
};

/** The operators `GET /views/operators` lists: the original's 13 plus the data API's own names. */
export const VIEW_OPERATORS: readonly { value: string; label: string; types: string }[] = [
  { value: '=', label: 'Equals', types: 'all' },
  { value: '!=', label: 'Not equals', types: 'all' },
  { value: '>', label: 'Greater than', types: 'numeric/date' },
  { value: '<', label: 'Less than', types: 'numeric/date' },
  { value: '>=', label: 'Greater than or equal', types: 'numeric/date' },
  { value: '<=', label: 'Less than or equal', types: 'numeric/date' },
  { value: 'in', label: 'In list', types: 'all' },
  { value: 'not_in', label: 'Not in list', types: 'all' },
  { value: 'contains', label: 'Contains', types: 'string' },
  { value: 'starts_with', label: 'Starts with', types: 'string' },
  { value: 'ends_with', label: 'Ends with', types: 'string' },
  { value: 'is_null', label: 'Is null', types: 'all' },
  { value: 'is_not_null', label: 'Is not null', types: 'all' },
];

const PARAM_REF = /^\{\{\s*([a-z][a-z0-9_]{0,62})\s*\}\}$/;

/** `"{{name}}"` → `name`; anything else → null. */
export function paramRef(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const m = PARAM_REF.exec(value);
  return m ? m[1] : null;
}

export class ViewDefinitionErrors {
  readonly errors: FieldError[] = [];
  add(field: string, rule: string, message: string): void {
    if (this.errors.length < 50) this.errors.push({ field, rule, message });
  }
  get empty(): boolean {
    return this.errors.length === 0;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The filters of a definition as one template tree: the original's list of
 * `{field, operator, value, is_param, param_name}` (AND-ed), a list of `{field, op, value}`
 * leaves, or a `{and|or|not}` tree. Problems go to `errs` under `path`.
 */
export function toFilterTemplate(
  input: unknown,
  path: string,
  errs: ViewDefinitionErrors,
): FilterTemplate | null {
  if (input === null || input === undefined) return null;
  let nodes = 0;
  const visit = (node: unknown, at: string, depth: number): FilterTemplate | null => {
    nodes += 1;
    if (depth > MAX_FILTER_DEPTH) {
      errs.add(at, 'too_deep', `filters nest at most ${MAX_FILTER_DEPTH} levels`);
      return null;
    }
    if (nodes > MAX_FILTER_NODES) {
      if (nodes === MAX_FILTER_NODES + 1)
        errs.add(path, 'too_many_nodes', `filters have at most ${MAX_FILTER_NODES} nodes`);
      return null;
    }
    if (Array.isArray(node)) {
      const children = node
        .map((c, i) => visit(c, `${at}[${i}]`, depth + 1))
        .filter((c): c is FilterTemplate => c !== null);
      return children.length === 0 ? null : { kind: 'and', children };
    }
    if (!isPlainObject(node)) {
      errs.add(at, 'invalid_filter', 'Each filter node must be an object');
      return null;
    }
    const keys = Object.keys(node);
    if (keys.length === 1 && (keys[0] === 'and' || keys[0] === 'or')) {
      const kind = keys[0];
      const list = node[kind];
      if (!Array.isArray(list) || list.length === 0) {
        errs.add(at, 'invalid_filter', `'${kind}' takes a non-empty list of filters`);
        return null;
      }
      const children = list
        .map((c, i) => visit(c, `${at}.${kind}[${i}]`, depth + 1))
        .filter((c): c is FilterTemplate => c !== null);
      return children.length === 0 ? null : { kind, children };
    }
    if (keys.length === 1 && keys[0] === 'not') {
      const child = visit(node.not, `${at}.not`, depth + 1);
      return child ? { kind: 'not', child } : null;
    }
    if (typeof node.field !== 'string' || node.field === '') {
      errs.add(at, 'invalid_filter', 'A filter leaf is {"field","op","value"}');
      return null;
    }
    const rawOp = node.op ?? node.operator ?? 'eq';
    let op: FilterOperator;
    let value: unknown = node.value;
    if (typeof rawOp === 'string' && Object.hasOwn(ORIGINAL_OPERATORS, rawOp)) {
      const mapped = ORIGINAL_OPERATORS[rawOp];
      op = mapped.op;
      if (mapped.value !== undefined) value = mapped.value;
    } else if (typeof rawOp === 'string' && isOperator(rawOp)) {
      op = rawOp;
    } else {
      errs.add(`${at}.op`, 'unknown_operator', `Invalid operator: ${String(rawOp)}`);
      return null;
    }
    if (node.is_param === true) {
      const name = typeof node.param_name === 'string' && node.param_name ? node.param_name : null;
      value = `{{${name ?? node.field}}}`;
    }
    if (value === undefined && op !== 'isnull') {
      errs.add(`${at}.value`, 'required', 'value is required');
      return null;
    }
    return { kind: 'leaf', field: node.field, op, value: value ?? true, path: at };
  };
  return visit(input, path, 1);
}

/** The param names a template uses. */
export function templateParams(t: FilterTemplate | null, out = new Set<string>()): Set<string> {
  if (!t) return out;
  if (t.kind === 'leaf') {
    const values = Array.isArray(t.value) ? t.value : [t.value];
    for (const v of values) {
      const name = paramRef(v);
      if (name) out.add(name);
    }
  } else if (t.kind === 'not') templateParams(t.child, out);
  else for (const c of t.children) templateParams(c, out);
  return out;
}

/** Whether `name` passes the one identifier rule (aggregate aliases, param names). */
export function identifierError(name: unknown): string | null {
  return identifierProblem(name);
}
