import { createAppAuthApi, appSession, type AppAuthApi } from './app-auth';
import { createFilesApi, type FilesApi } from './files';
import { realtimeFor, type RealtimeApi, type RealtimeOptions } from './realtime';
import { createFunctionsApi, createViewsApi, type FunctionsApi, type ViewsApi } from './views';
import type {
  CollectionName,
  DatabaseTypes,
  TypedCollectionApi,
  TypedSubscribe,
  UntypedDatabase,
} from './typed';
import {
  ADMIN_SESSION,
  seg,
  type CallOptions,
  type QueryValue,
  type SessionScope,
  type Transport,
} from './http';

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

/** A field of `T` or a system column: what `fields`, `sort` and `field__op` filters may name. */
export type FieldName<T> = (keyof T & string) | keyof SystemFields;

/**
 * Expanded relations, typed loosely: `expand: ['author']` adds `author` (the record or null),
 * a reverse or many-to-many relation adds an array. Pass a type to `list`/`get` to be precise.
 */
export type Expanded = { [relation: string]: unknown };

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
  /** `false` skips computing `total`; `'estimated'` counts exactly up to a threshold and estimates above. */
  count?: boolean | 'estimated';
  /** Full-text search over text fields. */
  search?: string;
}

/** `list` parameters: options plus filters such as `{ price__gte: 10, status__in: ['a', 'b'] }`. */
export type ListParams<T> = ListOptions & {
  [K in `${FieldName<T>}__${FilterOp}`]?: FilterValue;
};

/** `export` parameters: the format plus the filters, sort, fields and search of `list`. */
export type ExportParams<T> = Omit<
  ListParams<T>,
  'limit' | 'offset' | 'after' | 'count' | 'expand'
> & {
  /** Default `json` (a JSON array); `csv` has a header row. */
  format?: 'csv' | 'json';
};

export interface ImportResult {
  inserted: number;
}

/** One page of records. */
export interface ListResult<T, X extends object = Expanded> {
  records: (Row<T> & X)[];
  /** Matching records in total; null with `count: false`. */
  total: number | null;
  /** With `count: 'estimated'`: true when `total` is the planner's estimate. */
  total_estimated?: boolean;
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
  list<X extends object = Expanded>(
    params?: ListParams<T>,
    call?: CallOptions,
  ): Promise<ListResult<T, X>>;
  get<X extends object = Expanded>(
    id: RecordId,
    options?: ReadOptions,
    call?: CallOptions,
  ): Promise<Row<T> & X>;
  create(data: Partial<T>): Promise<Row<T>>;
  update(id: RecordId, data: Partial<T>): Promise<Row<T>>;
  delete(id: RecordId): Promise<void>;
  /** Creates, updates and deletes in one transaction; any failure writes nothing. */
  bulk(input: BulkInput<T>): Promise<BulkResult<T>>;
  /** The matching records as text: a JSON array (default) or CSV with a header row. */
  export(params?: ExportParams<T>, call?: CallOptions): Promise<string>;
  /**
   * Inserts records from an array or from text: CSV (header row of field names) or, with
   * `{ format: 'json' }`, a JSON array as read from a file, sent as is. All or nothing: any bad
   * row (or unparsable text) rejects with 400 and `errors[].row`.
   */
  import(
    rows: readonly Partial<T>[] | string,
    options?: { format?: 'csv' | 'json' },
  ): Promise<ImportResult>;
}

/**
 * One project: its app-user auth and its data. Data calls send the project's app-user session
 * when one is kept, else the admin session, else the fixed access token or the API key.
 * `DB` is the project's generated `Database` type (`pnpm backendify types`), when there is one.
 */
export interface ProjectApi<DB extends DatabaseTypes = UntypedDatabase> {
  readonly id: string;
  /** App-user (end-user) auth of this project. */
  auth: AppAuthApi;
  /** A collection named in the generated types: records, filters, `fields` and `expand` typed. */
  collection<N extends CollectionName<DB>>(name: N): TypedCollectionApi<DB['collections'][N]>;
  /** Any collection, with the record type you give (or `Record<string, unknown>`). */
  collection<T extends object = Record<string, unknown>>(name: string): CollectionApi<T>;
  /** Buckets and files: uploads (multipart or resumable tus with progress), downloads, signed URLs. */
  readonly files: FilesApi;
  /** Saved views, run under every collection's policies. */
  readonly views: ViewsApi;
  /** Functions (workflows with an http trigger). */
  readonly functions: FunctionsApi;
  /**
   * The project's TypeScript types (`GET …/types.ts`), for `createClient<Database>()`; members and
   * service keys only. `pnpm backendify types` writes them to a file.
   */
  types(call?: CallOptions): Promise<string>;
  /** Live changes of this project's collections over one WebSocket (same credentials as data calls). */
  readonly realtime: { subscribe: TypedSubscribe<DB> } & RealtimeApi;
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

function exportQuery(params: object = {}): Record<string, QueryValue> {
  const { format, ...rest } = params as { format?: string };
  return { ...listQuery(rest), format: format ?? 'json' };
}

export function createProjectApi<DB extends DatabaseTypes = UntypedDatabase>(
  http: Transport,
  projectId: string,
  realtimeOptions: RealtimeOptions = {},
): ProjectApi<DB> {
  const session: SessionScope = { ...appSession(projectId), apiKey: true, fallback: ADMIN_SESSION };
  return {
    id: projectId,
    get realtime() {
      return realtimeFor(http, projectId, session, realtimeOptions);
    },
    auth: createAppAuthApi(http, projectId),
    files: createFilesApi(http, projectId, session),
    views: createViewsApi(http, projectId, session),
    functions: createFunctionsApi(http, projectId, session),
    types: (call) =>
      http.request('GET', `/api/projects/${seg(projectId)}/types.ts`, {
        response: 'text',
        session,
        ...call,
      }),
    // One implementation serves both overloads: the generated types only narrow what it returns.
    collection: ((name: string) =>
      collectionApi(http, projectId, session, name)) as ProjectApi<DB>['collection'],
  };
}

function collectionApi<T extends object>(
  http: Transport,
  projectId: string,
  session: SessionScope,
  name: string,
): CollectionApi<T> {
  const base = `/api/projects/${seg(projectId)}/data/${seg(name)}`;
  const one = (id: RecordId) => `${base}/${seg(id)}`;
  return {
    list: (params, call) =>
      http.request('GET', base, { query: listQuery(params), session, ...call }),
    get: (id, options, call) =>
      http.request('GET', one(id), { query: readQuery(options), session, ...call }),
    create: (body) => http.request('POST', base, { body, session }),
    update: (id, body) => http.request('PATCH', one(id), { body, session }),
    delete: (id) => http.request('DELETE', one(id), { session }),
    bulk: (body) => http.request('POST', `${base}/bulk`, { body, session }),
    export: (params, call) =>
      http.request('GET', `${base}/export`, {
        query: exportQuery(params),
        response: 'text',
        session,
        ...call,
      }),
    import: (rows, { format = 'csv' } = {}) =>
      typeof rows === 'string'
        ? http.request('POST', `${base}/import`, {
            text: rows,
            contentType: format === 'json' ? 'application/json' : 'text/csv',
            session,
          })
        : http.request('POST', `${base}/import`, { body: rows, session }),
  };
}
