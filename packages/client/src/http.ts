import { BackendifyError, type ProblemDetails } from './errors';
import type { TokenPair, TokenStorage } from './storage';

/** The part of a fetch `Response` the client reads. */
export interface FetchResponseLike {
  status: number;
  ok: boolean;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
  /** Needed only for binary downloads (`files.download`); the global `fetch` has it. */
  arrayBuffer?(): Promise<ArrayBuffer>;
}

/**
 * The environment's `AbortSignal` (DOM or Node typings); the client is built without either, so
 * it is looked up on `globalThis` where the types are used.
 */
export type AbortSignalLike = typeof globalThis extends { AbortSignal: { prototype: infer S } }
  ? S
  : { readonly aborted: boolean };

/** The part of fetch's `RequestInit` the client sends. */
export interface FetchInitLike {
  method?: string;
  headers?: Record<string, string>;
  /**
   * JSON or text. File uploads (`files.upload`) pass a `FormData` or bytes here instead, as the
   * global `fetch` takes them; a custom `fetch` used for uploads must hand it on unchanged.
   */
  body?: string;
  signal?: AbortSignalLike;
}

/**
 * A body sent as is: `FormData` (multipart, the runtime sets the boundary), a `Blob`/`File`, or
 * bytes (`Uint8Array`, Node's `Buffer`). Typed structurally: the client is built without DOM typings.
 */
export type BinaryBody = object;

/** A `fetch`-compatible function; the global `fetch` fits. */
export type FetchLike = (url: string, init?: FetchInitLike) => Promise<FetchResponseLike>;

/** A query-string value; arrays are sent comma-separated, dates as ISO strings. */
export type QueryValue =
  | string
  | number
  | boolean
  | Date
  | null
  | undefined
  | readonly (string | number | boolean | Date | null)[];

/** Which kept session a request uses, and how that session is refreshed. */
export interface SessionScope {
  /** Storage key of the session; `undefined` is the console-administrator session. */
  key?: string;
  /** `POST` endpoint that rotates this session's refresh token. */
  refreshPath: string;
  /** Scope whose session is used when this one has none kept. */
  fallback?: SessionScope;
  /** `false` never sends the API key for this scope (app-user auth endpoints). */
  apiKey?: boolean;
}

/** The console-administrator session. */
export const ADMIN_SESSION: SessionScope = { refreshPath: '/api/auth/refresh' };

/** Per-call options every read method takes last. */
export interface CallOptions {
  /** Aborts the request (e.g. the `signal` TanStack Query passes to a query function). */
  signal?: AbortSignalLike;
}

export interface RequestOptions extends CallOptions {
  query?: Record<string, QueryValue>;
  /** Sent as JSON. */
  body?: unknown;
  /** A raw text body sent as is (instead of `body`), with `contentType`. */
  text?: string;
  contentType?: string;
  /** A body sent as is (instead of `body`/`text`); `contentType` is set unless it is `FormData`. */
  raw?: BinaryBody;
  /** `text` resolves with the raw response body, `bytes` with its bytes, instead of parsed JSON. */
  response?: 'json' | 'text' | 'bytes';
  /** `none` sends no credentials and never refreshes (the auth endpoints themselves). */
  auth?: 'default' | 'none';
  /** The session to send; defaults to the admin session. */
  session?: SessionScope;
  /** Sees the headers of a successful answer (e.g. `X-Total-Count` beside an array). */
  onHeaders?: (headers: { get(name: string): string | null }) => void;
}

export interface TransportOptions {
  url: string;
  apiKey?: string;
  accessToken?: string;
  fetch?: FetchLike;
  storage: TokenStorage;
  onUnauthorized?: (sessionKey: string | undefined) => void;
}

/** Sends requests, attaches credentials, parses problem+json and refreshes a session on 401. */
export class Transport {
  private readonly baseUrl: string;
  private readonly fetchFn: FetchLike;
  /** In-flight refreshes by session key ('' = admin): one at a time per session. */
  private readonly refreshing = new Map<string, Promise<boolean>>();

  constructor(private readonly options: TransportOptions) {
    this.baseUrl = options.url.replace(/\/+$/, '');
    const globalFetch = (globalThis as { fetch?: FetchLike }).fetch;
    if (!options.fetch && !globalFetch) {
      throw new Error('No fetch available: pass `fetch` to createClient');
    }
    // Browsers reject `fetch` called with another `this` ("Illegal invocation"), so bind it.
    this.fetchFn = options.fetch ?? globalFetch!.bind(globalThis);
  }

  get storage(): TokenStorage {
    return this.options.storage;
  }

  /** The server origin, without a trailing slash. */
  get origin(): string {
    return this.baseUrl;
  }

  /**
   * What a request in `scope` would authenticate with: a kept session's access token (and the
   * scope it belongs to, for a refresh), else the fixed token, else the API key, else nothing.
   */
  async credentials(
    scope: SessionScope = ADMIN_SESSION,
  ): Promise<{ token?: string; apiKey?: string; session?: SessionScope }> {
    const found = await this.findSession(scope);
    if (found) return { token: found.tokens.access_token, session: found.scope };
    if (this.options.accessToken) return { token: this.options.accessToken };
    if (this.options.apiKey && scope.apiKey !== false) return { apiKey: this.options.apiKey };
    return {};
  }

  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const found = opts.auth === 'none' ? null : await this.findSession(opts.session);
    let res = await this.send(method, path, opts, found?.tokens.access_token);
    if (res.status === 401 && found && (await this.refreshAfter(found.scope, found.tokens))) {
      const fresh = await this.options.storage.get(found.scope.key);
      res = await this.send(method, path, opts, fresh?.access_token);
      // Refreshed, yet still refused: the session is no good any more.
      if (res.status === 401) await this.options.storage.set(null, found.scope.key);
    }
    if (res.status === 401 && opts.auth !== 'none') {
      this.options.onUnauthorized?.(found ? found.scope.key : opts.session?.key);
    }
    return this.parse<T>(res, opts);
  }

  /** Refreshes a session now (single-flight); resolves false when there is none to refresh. */
  refresh(scope: SessionScope = ADMIN_SESSION): Promise<boolean> {
    const slot = scope.key ?? '';
    let pending = this.refreshing.get(slot);
    if (!pending) {
      pending = this.doRefresh(scope).finally(() => this.refreshing.delete(slot));
      this.refreshing.set(slot, pending);
    }
    return pending;
  }

  private async findSession(
    scope: SessionScope = ADMIN_SESSION,
  ): Promise<{ scope: SessionScope; tokens: TokenPair } | null> {
    for (let s: SessionScope | undefined = scope; s; s = s.fallback) {
      const tokens = await this.options.storage.get(s.key);
      if (tokens) return { scope: s, tokens };
    }
    return null;
  }

  private async refreshAfter(scope: SessionScope, used: TokenPair): Promise<boolean> {
    const current = await this.options.storage.get(scope.key);
    if (!current) return false;
    // Another call already refreshed while this one was in flight: just retry with the new token.
    if (current.access_token !== used.access_token) return true;
    return this.refresh(scope);
  }

  private async doRefresh(scope: SessionScope): Promise<boolean> {
    const current = await this.options.storage.get(scope.key);
    if (!current) return false;
    try {
      const pair = await this.request<TokenPair>('POST', scope.refreshPath, {
        auth: 'none',
        body: { refresh_token: current.refresh_token },
      });
      await this.options.storage.set(
        { access_token: pair.access_token, refresh_token: pair.refresh_token },
        scope.key,
      );
      return true;
    } catch (err) {
      if (err instanceof BackendifyError && (err.status === 401 || err.status === 400)) {
        await this.options.storage.set(null, scope.key);
        return false;
      }
      throw err;
    }
  }

  private async send(
    method: string,
    path: string,
    opts: RequestOptions,
    sessionToken: string | undefined,
  ): Promise<FetchResponseLike> {
    const headers: Record<string, string> = {
      accept: opts.response === 'text' || opts.response === 'bytes' ? '*/*' : 'application/json',
    };
    if (opts.auth !== 'none') {
      const token = sessionToken ?? this.options.accessToken;
      if (token) headers.authorization = `Bearer ${token}`;
      else if (this.options.apiKey && opts.session?.apiKey !== false) {
        headers['x-api-key'] = this.options.apiKey;
      }
    }
    let body: string | BinaryBody | undefined;
    if (opts.raw !== undefined) {
      if (opts.contentType) headers['content-type'] = opts.contentType;
      body = opts.raw;
    } else if (opts.text !== undefined) {
      headers['content-type'] = opts.contentType ?? 'text/plain';
      body = opts.text;
    } else if (opts.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    try {
      return await this.fetchFn(this.baseUrl + path + toQueryString(opts.query), {
        method,
        headers,
        // A FormData/bytes body only on uploads (see FetchInitLike.body); typed as text so
        // existing `fetch` wrappers keep compiling.
        body: body as string | undefined,
        ...(opts.signal && { signal: opts.signal }),
      });
    } catch (err) {
      // An aborted call rejects with the signal's own error, so callers can tell it apart.
      if (opts.signal?.aborted) throw err;
      throw new BackendifyError(0, {
        code: 'NETWORK_ERROR',
        detail: `Network error: ${err instanceof Error ? err.message : String(err)}`,
      });
    }
  }

  private async parse<T>(res: FetchResponseLike, opts: RequestOptions): Promise<T> {
    if (res.ok && opts.response === 'bytes') {
      if (!res.arrayBuffer)
        throw new Error('This fetch cannot read binary answers (no arrayBuffer)');
      opts.onHeaders?.(res.headers);
      return new Uint8Array(await res.arrayBuffer()) as T;
    }
    const text = await res.text();
    if (res.ok && opts.response === 'text') return text as T;
    let parsed: unknown = null;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    if (!res.ok) {
      throw new BackendifyError(
        res.status,
        typeof parsed === 'string' ? parsed : ((parsed as ProblemDetails | null) ?? null),
      );
    }
    opts.onHeaders?.(res.headers);
    return (text ? parsed : undefined) as T;
  }
}

function toQueryString(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    const items = Array.isArray(value) ? value : [value];
    const text = items.map((v) => (v instanceof Date ? v.toISOString() : String(v))).join(',');
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(text)}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

/** Encodes one path segment. */
export const seg = (value: string | number): string => encodeURIComponent(String(value));
