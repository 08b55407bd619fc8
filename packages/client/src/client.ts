import { createAdminApi, type AdminApi } from './admin';
import { createProjectApi, type ProjectApi } from './data';
import { Transport, type FetchLike } from './http';
import { memoryStorage, type TokenStorage } from './storage';

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
}

/** The Backendify client. */
export interface BackendifyClient {
  admin: AdminApi;
  /** Data of one project. */
  project(projectId: string): ProjectApi;
}

/** Creates a client for one Backendify server. */
export function createClient(options: ClientOptions): BackendifyClient {
  const http = new Transport({ ...options, storage: options.storage ?? memoryStorage() });
  return {
    admin: createAdminApi(http),
    project: (projectId) => createProjectApi(http, projectId),
  };
}
