import { createAdminApi, type AdminApi } from './admin';
import { createProjectApi, type ProjectApi } from './data';
import { Transport, type FetchLike, type RequestOptions } from './http';
import type { RealtimeOptions } from './realtime';
import { memoryStorage, type TokenStorage } from './storage';
import type { DatabaseTypes, UntypedDatabase } from './typed';

export interface ClientOptions {
  /** Server origin, e.g. `http://127.0.0.1:3000` (without `/api`). */
  url: string;
  /** A project API key, sent as `X-API-Key` when there is no access token. */
  apiKey?: string;
  /** A fixed bearer token (admin or app user); a kept session takes precedence. */
  accessToken?: string;
  /** Custom `fetch`; defaults to the global one. */
  fetch?: FetchLike;
  /** Where the session from `login`/`register` is kept; defaults to memory. */
  storage?: TokenStorage;
  /**
   * Called when a request that needs credentials ends with 401 and no kept session could fix it
   * (none kept, refresh refused, or still 401 after refreshing); `sessionKey` is `undefined` for
   * the administrator session, `app:<projectId>` for an app-user one. A browser app sends its user
   * to the sign-in page here.
   */
  onUnauthorized?: (sessionKey: string | undefined) => void;
  /** Realtime settings: the WebSocket implementation, reconnect backoff, ping interval. */
  realtime?: RealtimeOptions;
}

/** Options of {@link BackendifyClient.request}. */
export type RawRequestOptions = Omit<RequestOptions, 'session'>;

/**
 * The Backendify client. `DB` is a project's generated `Database` type (`pnpm backendify types`):
 * with it, `project(id).collection('posts')` knows the records, filters, fields and relations.
 */
export interface BackendifyClient<DB extends DatabaseTypes = UntypedDatabase> {
  admin: AdminApi;
  /** Data of one project. */
  project(projectId: string): ProjectApi<DB>;
  /**
   * Calls any route (path from the server root, e.g. `/api/me`) with the administrator session,
   * its refresh on 401 and problem+json errors: for routes without a typed method.
   */
  request<T = unknown>(method: string, path: string, options?: RawRequestOptions): Promise<T>;
}

/** Creates a client for one Backendify server: `createClient<Database>({ url, apiKey })`. */
export function createClient<DB extends DatabaseTypes = UntypedDatabase>(
  options: ClientOptions,
): BackendifyClient<DB> {
  const http = new Transport({ ...options, storage: options.storage ?? memoryStorage() });
  return {
    admin: createAdminApi(http),
    project: (projectId) => createProjectApi<DB>(http, projectId, options.realtime),
    request: (method, path, options) => http.request(method, path, options),
  };
}
