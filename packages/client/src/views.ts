import { seg, type CallOptions, type QueryValue, type SessionScope, type Transport } from './http';
import type { FilterNode } from './data';

/** A run of a view (`POST …/views/{name}/execute`, the original's shape). */
export interface ViewResult<T = Record<string, unknown>> {
  data: T[];
  total: number;
  limit: number;
  offset: number;
  view_name: string;
  view_version: number;
}

export interface ViewQuery {
  /** Values of the view's `{{params}}` (bound, never pasted). */
  params?: Record<string, unknown>;
  /** Capped by the view's `max_limit`. */
  limit?: number;
  offset?: number;
}

/** `GET /data/{view}` parameters: the data query language over the view's output columns. */
export type ViewListParams = {
  filter?: FilterNode;
  sort?: readonly string[] | string;
  limit?: number;
  offset?: number;
  /** Values of the view's `{{params}}`, sent as `params=<JSON>`. */
  params?: Record<string, unknown>;
} & { [filter: `${string}__${string}`]: QueryValue };

/** Running saved views: apps, API keys and app users alike, under every collection's policies. */
export interface ViewsApi {
  execute<T = Record<string, unknown>>(name: string, query?: ViewQuery): Promise<ViewResult<T>>;
  /** The view as a read-only collection: `{records, total, limit, offset}` like `list`. */
  list<T = Record<string, unknown>>(
    name: string,
    params?: ViewListParams,
    call?: CallOptions,
  ): Promise<{ records: T[]; total: number | null; limit: number; offset: number }>;
}

export function createViewsApi(
  http: Transport,
  projectId: string,
  session: SessionScope,
): ViewsApi {
  return {
    execute: (name, query = {}) =>
      http.request('POST', `/api/projects/${seg(projectId)}/views/${seg(name)}/execute`, {
        body: query,
        session,
      }),
    list(name, params = {}, call) {
      const { filter, params: values, ...rest } = params;
      const query: Record<string, QueryValue> = { ...rest };
      if (filter) query.filter = JSON.stringify(filter);
      if (values) query.params = JSON.stringify(values);
      return http.request('GET', `/api/projects/${seg(projectId)}/data/${seg(name)}`, {
        query,
        session,
        ...call,
      });
    },
  };
}

/** An accepted asynchronous function call (`async: true`, or a run past the wait). */
export interface FunctionRun {
  run_id: string;
  status: string;
}

/** Functions: workflows with an `http` trigger (`POST /api/projects/{pid}/functions/{slug}`). */
export interface FunctionsApi {
  /** Calls the function with `input` as its JSON body; resolves with the last step's output. */
  invoke<T = unknown>(slug: string, input?: unknown): Promise<T>;
}

export function createFunctionsApi(
  http: Transport,
  projectId: string,
  session: SessionScope,
): FunctionsApi {
  return {
    invoke: (slug, input) =>
      http.request('POST', `/api/projects/${seg(projectId)}/functions/${seg(slug)}`, {
        body: input ?? {},
        session,
      }),
  };
}
