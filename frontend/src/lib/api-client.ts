/**
 * Raw routes for the modules not yet on the typed client (features/auth, features/members):
 * a thin layer over `backend.request`, with the same session, refresh and errors.
 */
import type { RawRequestOptions } from '@backendify/client';
import { backend, compactQuery, type QueryParams } from './backend';

export {
  ApiError,
  errorMessage,
  setSessionExpiredHandler,
  tokenStore,
  type ProblemFieldError,
  type QueryParams,
  type TokenPair,
  type TokenResponse,
} from './backend';

export interface RequestOptions {
  query?: QueryParams;
  /** Send the bearer token and refresh on 401 (default true). */
  auth?: boolean;
  signal?: AbortSignal;
}

function call<T>(method: string, path: string, body: unknown, options: RequestOptions = {}) {
  const opts: RawRequestOptions = {
    body,
    signal: options.signal,
    query: options.query && compactQuery(options.query),
    auth: options.auth === false ? 'none' : 'default',
  };
  return backend.request<T>(method, path, opts);
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => call<T>('GET', path, undefined, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    call<T>('POST', path, body, options),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    call<T>('PUT', path, body, options),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    call<T>('PATCH', path, body, options),
  delete: <T = void>(path: string, options?: RequestOptions) =>
    call<T>('DELETE', path, undefined, options),
};
