/** The view shapes of `/api/projects/{pid}/views` (backend ViewDto and friends). */
export type JoinType = 'left' | 'inner';
export type AggregateFn = 'count' | 'count_distinct' | 'sum' | 'avg' | 'min' | 'max';
export const AGGREGATE_FNS: AggregateFn[] = ['count', 'count_distinct', 'sum', 'avg', 'min', 'max'];
export type ParamType = 'string' | 'number' | 'integer' | 'boolean' | 'date' | 'datetime' | 'list';
export const PARAM_TYPES: ParamType[] = [
  'string',
  'number',
  'integer',
  'boolean',
  'date',
  'datetime',
  'list',
];
export const FILTER_OPS = [
  'eq',
  'neq',
  'gt',
  'gte',
  'lt',
  'lte',
  'contains',
  'icontains',
  'startswith',
  'endswith',
  'in',
  'notin',
  'isnull',
] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

export interface ViewJoin {
  relation: string;
  type: JoinType;
  fields: string[];
}
export interface ViewAggregate {
  fn: AggregateFn;
  field: string | null;
  as: string;
}
export interface ViewSort {
  field: string;
  desc: boolean;
}
export interface FilterLeaf {
  field: string;
  op: FilterOp;
  value: unknown;
}
export interface ParamSpec {
  type: ParamType;
  required?: boolean;
  default?: unknown;
  description?: string;
}

/** What the builder edits and the API stores. */
export interface ViewDefinitionInput {
  base_collection: string;
  projection: string[] | null;
  joins: ViewJoin[];
  filters: FilterLeaf[] | unknown;
  sorts: ViewSort[];
  group_by: string[];
  aggregates: ViewAggregate[];
  having: unknown;
  params_schema: Record<string, ParamSpec>;
  default_limit: number;
  max_limit: number;
}

export interface View extends Omit<ViewDefinitionInput, 'base_collection'> {
  id: string;
  name: string;
  display_name: string;
  description: string | null;
  base_collection_id: string;
  base_collection: string | null;
  version: number;
  is_active: boolean;
  created_at: string;
  updated_at: string;
}

export interface ViewVersion extends Omit<ViewDefinitionInput, 'base_collection'> {
  id: string;
  view_id: string;
  version: number;
  display_name: string;
  created_at: string;
  created_by_user_id: string | null;
}

export interface ViewColumn {
  name: string;
  type: string;
  kind: 'field' | 'aggregate';
  source: string | null;
}

export interface PreviewResult {
  sql: string;
  params: unknown[];
  columns: ViewColumn[];
  rows: Record<string, unknown>[];
  total: number;
}

export interface ViewsSearch {
  view?: string;
}
