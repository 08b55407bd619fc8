import type { Collection, FieldDef, FieldType } from '@/lib/schema-meta';

export type RecordRow = Record<string, unknown> & { id: string | number };

export interface RecordList {
  records: RecordRow[];
  total: number | null;
  limit: number;
  offset: number;
  next_cursor: string | null;
}

export type FilterOp =
  | 'eq'
  | 'neq'
  | 'gt'
  | 'gte'
  | 'lt'
  | 'lte'
  | 'contains'
  | 'icontains'
  | 'startswith'
  | 'endswith'
  | 'in'
  | 'notin'
  | 'isnull'
  | 'like'
  | 'ilike'
  | 'between';

export const OP_LABELS: Record<FilterOp, string> = {
  eq: 'equals',
  neq: 'not equal',
  gt: 'greater than',
  gte: 'at least',
  lt: 'less than',
  lte: 'at most',
  contains: 'contains',
  icontains: 'contains (any case)',
  startswith: 'starts with',
  endswith: 'ends with',
  in: 'is one of',
  notin: 'is none of',
  isnull: 'is empty',
  like: 'matches (LIKE)',
  ilike: 'matches (ILIKE)',
  between: 'between',
};

export const OP_SYMBOLS: Partial<Record<FilterOp, string>> = {
  eq: '=',
  neq: '≠',
  gt: '>',
  gte: '≥',
  lt: '<',
  lte: '≤',
};

const TEXT_OPS: FilterOp[] = [
  'eq',
  'neq',
  'contains',
  'icontains',
  'startswith',
  'endswith',
  'in',
  'notin',
  'isnull',
  'like',
  'ilike',
];
const ORDERED_OPS: FilterOp[] = [
  'eq',
  'neq',
  'gt',
  'gte',
  'lt',
  'lte',
  'in',
  'notin',
  'isnull',
  'between',
];
const ID_OPS: FilterOp[] = ['eq', 'neq', 'in', 'notin', 'isnull'];

/** Operators the data API accepts for each field type (DESIGN §5). */
export const OPERATORS_BY_TYPE: Record<FieldType, FilterOp[]> = {
  string: TEXT_OPS,
  text: TEXT_OPS,
  int: ORDERED_OPS,
  float: ORDERED_OPS,
  decimal: ORDERED_OPS,
  date: ORDERED_OPS,
  datetime: ORDERED_OPS,
  bool: ['eq', 'neq', 'isnull'],
  uuid: ID_OPS,
  file: ID_OPS,
  relation: ID_OPS,
  enum: ['eq', 'neq', 'in', 'notin', 'isnull'],
  json: ['isnull'],
};

export interface Filter {
  field: string;
  op: FilterOp;
  value: string;
}

/** Filters live in the URL as `field__op=value` strings, the data API's own syntax. */
export function parseFilter(raw: string): Filter | null {
  const m = /^([a-z][a-z0-9_]*)__([a-z]+)=(.*)$/s.exec(raw);
  if (!m?.[1] || !m[2] || !(m[2] in OP_LABELS)) return null;
  return { field: m[1], op: m[2] as FilterOp, value: m[3] ?? '' };
}

export function formatFilter(f: Filter): string {
  return `${f.field}__${f.op}=${f.value}`;
}

/** A column of the grid: a system column or a field, keyed as the API returns it. */
export interface Column {
  key: string;
  label: string;
  type: FieldType;
  field: FieldDef | null;
  /** Set for many-to-one relations: the name to `expand` and the target collection. */
  relation?: { name: string; target: Collection | undefined; displayField: string };
  readOnly: boolean;
  width: number;
}

export const PAGE_SIZES = [25, 50, 100] as const;
export type PageSize = (typeof PAGE_SIZES)[number];

export interface DataSearch {
  collection?: string;
  sort?: string;
  limit?: PageSize;
  offset?: number;
  where?: string[];
  search?: string;
}

/** One version of a record in its history (newest first), from the change log. */
export interface RecordVersion {
  /** The change event id; revert takes it. */
  id: string;
  action: 'create' | 'update' | 'delete';
  actor: { type: string; id: string | null; api_key_prefix: string | null };
  at: string;
  /** The record after the change (before it, for a delete). */
  record: Record<string, unknown> | null;
  changed: string[] | null;
}
