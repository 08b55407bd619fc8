import { BackendifyError, type ProblemDetails } from './errors';
import type { TokenPair, TokenStorage } from './storage';

/** The part of a fetch `Response` the client reads. */
export interface FetchResponseLike {
  status: number;
  ok: boolean;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** The part of fetch's `RequestInit` the client sends. */
export interface FetchInitLike {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

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

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** `none` sends no credentials and never refreshes (the auth endpoints themselves). */
  auth?: 'default' | 'none';
}

export interface TransportOptions {
  url: string;
  apiKey?: string;
  accessToken?: string;
  fetch?: FetchLike;
  storage: TokenStorage;
}

const REFRESH_PATH = '/api/auth/refresh';

/** Sends requests, attaches credentials, parses problem+json and refreshes the session on 401. */
export class Transport {
  private readonly baseUrl: string;
  private readonly fetchFn: FetchLike;
  private refreshing: Promise<boolean> | null = null;

  constructor(private readonly options: TransportOptions) {
    this.baseUrl = options.url.replace(/\/+$/, '');
    const fetchFn = options.fetch ?? (globalThis as { fetch?: FetchLike }).fetch;
    if (!fetchFn) throw new Error('No fetch available: pass `fetch` to createClient');
    this.fetchFn = fetchFn;
  }

  get storage(): TokenStorage {
    return this.options.storage;
  }

  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const useAuth = opts.auth !== 'none';
    const session = useAuth ? await this.options.storage.get() : null;
    const res = await this.send(method, path, opts, session?.access_token);
    if (res.status === 401 && session && (await this.refreshAfter(session))) {
      const fresh = await this.options.storage.get();
      return this.parse<T>(await this.send(method, path, opts, fresh?.access_token));
    }
    return this.parse<T>(res);
  }

  /** Refreshes the session now (single-flight); resolves false when there is none to refresh. */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async refreshAfter(used: TokenPair): Promise<boolean> {
    const current = await this.options.storage.get();
    if (!current) return false;
    // Another call already refreshed while this one was in flight: just retry with the new token.
    if (current.access_token !== used.access_token) return true;
    return this.refresh();
  }

  private async doRefresh(): Promise<boolean> {
    const current = await this.options.storage.get();
    if (!current) return false;
    try {
      const pair = await this.request<TokenPair>('POST', REFRESH_PATH, {
        auth: 'none',
        body: { refresh_token: current.refresh_token },
      });
      await this.options.storage.set({
        access_token: pair.access_token,
        refresh_token: pair.refresh_token,
      });
      return true;
    } catch (err) {
      if (err instanceof BackendifyError && (err.status === 401 || err.status === 400)) {
        await this.options.storage.set(null);
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
    const headers: Record<string, string> = { accept: 'application/json' };
    if (opts.auth !== 'none') {
      const token = sessionToken ?? this.options.accessToken;
      if (token) headers.authorization = `Bearer ${token}`;
      else if (this.options.apiKey) headers['x-api-key'] = this.options.apiKey;
    }
    let body: string | undefined;
    if (opts.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    try {
      return await this.fetchFn(this.baseUrl + path + toQueryString(opts.query), {
        method,
        headers,
        body,
      });
    } catch (err) {
      throw new BackendifyError(0, {
        code: 'NETWORK_ERROR',
        detail: `Network error: ${err instanceof Error ? err.message : String(err)}`,
      });
    }
  }

  private async parse<T>(res: FetchResponseLike): Promise<T> {
    const text = await res.text();
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
