import { seg, type QueryValue, type Transport } from './http';

/** Filter operators of the data API (DESIGN §5). */
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

export type FilterScalar = string | number | boolean | Date | null;
/** A filter value; `in`, `notin` and `between` take arrays. */
export type FilterValue = FilterScalar | readonly FilterScalar[];

/** A leaf of a JSON filter tree: `{ field: 'price', op: 'gte', value: 100 }`. */
export interface FilterLeaf {
  field: string;
  op: FilterOp;
  value?: FilterValue;
}

/** A JSON filter tree, sent as `filter=<JSON>`. */
export type FilterNode =
  FilterLeaf | { and: readonly FilterNode[] } | { or: readonly FilterNode[] } | { not: FilterNode };

export type RecordId = number | string;

/** Columns every collection has. */
export interface SystemFields {
  id: RecordId;
  created_at: string;
  updated_at: string;
  created_by_user_id: string | null;
  created_by_app_user_id: string | null;
}

/** A record as returned by the server. */
export type Row<T> = T & SystemFields;

type FieldName<T> = (keyof T & string) | keyof SystemFields;

/** Options shared by `list` and `get`. */
export interface ReadOptions {
  /** Only these fields: `['title', 'price']`. */
  fields?: readonly string[] | string;
  /** Relations to embed: `['category', 'author.profile']`. */
  expand?: readonly string[] | string;
}

/** Query options of `list` besides `field__op` filters. */
export interface ListOptions extends ReadOptions {
  /** JSON filter tree, combined with `field__op` filters. */
  filter?: FilterNode;
  /** `'-price,title'` or `['-price', 'title']`. */
  sort?: readonly string[] | string;
  /** Page size, default 100, at most 1000. */
  limit?: number;
  offset?: number;
  /** Keyset pagination: the `next_cursor` of the previous page (not with `offset`). */
  after?: string;
  /** `false` skips computing `total`. */
  count?: boolean;
  /** Full-text search over text fields. */
  search?: string;
}

/** `list` parameters: options plus filters such as `{ price__gte: 10, status__in: ['a', 'b'] }`. */
export type ListParams<T> = ListOptions & {
  [K in `${FieldName<T>}__${FilterOp}`]?: FilterValue;
};

/** One page of records. */
export interface ListResult<T> {
  records: Row<T>[];
  /** Matching records in total; null with `count: false`. */
  total: number | null;
  limit: number;
  offset: number;
  /** Pass as `after` to get the next page; null on the last page. */
  next_cursor: string | null;
}

export interface BulkInput<T> {
  create?: Partial<T>[];
  update?: (Partial<T> & { id: RecordId })[];
  delete?: RecordId[];
}

export interface BulkResult<T> {
  created: Row<T>[];
  updated: Row<T>[];
  deleted: RecordId[];
}

/** Records of one collection (`/api/projects/{pid}/data/{collection}`). */
export interface CollectionApi<T> {
  list(params?: ListParams<T>): Promise<ListResult<T>>;
  get(id: RecordId, options?: ReadOptions): Promise<Row<T>>;
  create(data: Partial<T>): Promise<Row<T>>;
  update(id: RecordId, data: Partial<T>): Promise<Row<T>>;
  delete(id: RecordId): Promise<void>;
  /** Creates, updates and deletes in one transaction; any failure writes nothing. */
  bulk(input: BulkInput<T>): Promise<BulkResult<T>>;
}

/** One project's data, authenticated by the client's API key or session. */
export interface ProjectApi {
  readonly id: string;
  collection<T extends object = Record<string, unknown>>(name: string): CollectionApi<T>;
}

function readQuery(options: ReadOptions | undefined): Record<string, QueryValue> {
  return { fields: options?.fields, expand: options?.expand };
}

function listQuery(params: object = {}): Record<string, QueryValue> {
  const { filter, fields, expand, ...rest } = params as ListOptions & Record<string, QueryValue>;
  return {
    ...rest,
    ...readQuery({ fields, expand }),
    filter: filter === undefined ? undefined : JSON.stringify(filter, jsonDates),
  };
}

function jsonDates(this: unknown, _key: string, value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

export function createProjectApi(http: Transport, projectId: string): ProjectApi {
  return {
    id: projectId,
    collection<T extends object>(name: string): CollectionApi<T> {
      const base = `/api/projects/${seg(projectId)}/data/${seg(name)}`;
      const one = (id: RecordId) => `${base}/${seg(id)}`;
      return {
        list: (params) => http.request('GET', base, { query: listQuery(params) }),
        get: (id, options) => http.request('GET', one(id), { query: readQuery(options) }),
        create: (body) => http.request('POST', base, { body }),
        update: (id, body) => http.request('PATCH', one(id), { body }),
        delete: (id) => http.request('DELETE', one(id)),
        bulk: (body) => http.request('POST', `${base}/bulk`, { body }),
      };
    },
  };
}
