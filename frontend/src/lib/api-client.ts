/** Typed fetch wrapper for the Backendify admin API (same origin, root-relative `/api`). */

export interface ProblemFieldError {
  field: string;
  rule?: string;
  message: string;
  /** Import errors name the 1-based row of the file. */
  row?: number;
}

interface ProblemDetails {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: ProblemFieldError[];
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly title: string;
  readonly errors: ProblemFieldError[];

  constructor(status: number, problem: ProblemDetails) {
    const detail = problem.detail ?? problem.title ?? `Request failed with status ${status}`;
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.code = problem.code ?? (status === 0 ? 'NETWORK_ERROR' : 'UNKNOWN');
    this.detail = detail;
    this.title = problem.title ?? '';
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
  }
}

/** A human sentence for any thrown value, preferring the server's `detail`. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    const extra = error.errors.filter((e) => !error.detail.includes(e.message));
    return extra.length > 0
      ? `${error.detail} (${extra.map((e) => e.message).join('; ')})`
      : error.detail;
  }
  if (error instanceof Error) return error.message;
  return 'Something went wrong';
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

export interface TokenResponse {
  access_token: string;
  refresh_token: string;
  token_type: 'bearer';
  expires_in: number;
}

const TOKENS_KEY = 'backendify.tokens';
type Listener = () => void;
const listeners = new Set<Listener>();

function readTokens(): TokenPair | null {
  try {
    const raw = localStorage.getItem(TOKENS_KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<TokenPair>;
    if (typeof parsed.accessToken !== 'string' || typeof parsed.refreshToken !== 'string') {
      return null;
    }
    return { accessToken: parsed.accessToken, refreshToken: parsed.refreshToken };
  } catch {
    return null;
  }
}

export const tokenStore = {
  get: readTokens,
  set(tokens: TokenPair): void {
    localStorage.setItem(TOKENS_KEY, JSON.stringify(tokens));
    listeners.forEach((l) => l());
  },
  setFromResponse(res: TokenResponse): void {
    tokenStore.set({ accessToken: res.access_token, refreshToken: res.refresh_token });
  },
  clear(): void {
    localStorage.removeItem(TOKENS_KEY);
    listeners.forEach((l) => l());
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

let onSessionExpired: () => void = () => {
  const here = window.location.pathname + window.location.search;
  window.location.assign(`/login?redirect=${encodeURIComponent(here)}`);
};

/** Lets the app route to /login with its router instead of a full page load. */
export function setSessionExpiredHandler(handler: () => void): void {
  onSessionExpired = handler;
}

let refreshInFlight: Promise<boolean> | null = null;

/** Single-flight: concurrent 401s share one refresh call. */
function refreshTokens(): Promise<boolean> {
  refreshInFlight ??= (async () => {
    const current = tokenStore.get();
    if (!current) return false;
    try {
      const res = await fetch('/api/auth/refresh', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ refresh_token: current.refreshToken }),
      });
      if (!res.ok) return false;
      tokenStore.setFromResponse((await res.json()) as TokenResponse);
      return true;
    } catch {
      return false;
    }
  })().finally(() => {
    refreshInFlight = null;
  });
  return refreshInFlight;
}

export type QueryParams = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: QueryParams;
  /** Send the bearer token and refresh on 401 (default true). */
  auth?: boolean;
  signal?: AbortSignal;
  /** A body sent as is (CSV text, a file) instead of JSON; needs `contentType`. */
  rawBody?: Blob | string;
  contentType?: string;
}

function buildUrl(path: string, query?: QueryParams): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function send(path: string, options: RequestOptions, token: string | null) {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.rawBody !== undefined) headers['Content-Type'] = options.contentType ?? 'text/plain';
  if (token) headers.Authorization = `Bearer ${token}`;
  try {
    return await fetch(buildUrl(path, options.query), {
      method: options.method ?? 'GET',
      headers,
      body:
        options.rawBody !== undefined
          ? options.rawBody
          : options.body === undefined
            ? undefined
            : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, { detail: 'Could not reach the server. Check your connection.' });
  }
}

async function parseError(res: Response): Promise<ApiError> {
  let problem: ProblemDetails = {};
  try {
    const text = await res.text();
    if (text) problem = JSON.parse(text) as ProblemDetails;
  } catch {
    problem = {};
  }
  return new ApiError(res.status, { ...problem, title: problem.title ?? res.statusText });
}

async function request(path: string, options: RequestOptions): Promise<Response> {
  const useAuth = options.auth ?? true;
  const sentToken = useAuth ? (tokenStore.get()?.accessToken ?? null) : null;
  let res = await send(path, options, sentToken);

  if (res.status === 401 && useAuth) {
    const latest = tokenStore.get()?.accessToken ?? null;
    // Another request may already have refreshed while this one was in flight.
    const refreshed = latest !== null && latest !== sentToken ? true : await refreshTokens();
    if (!refreshed) {
      tokenStore.clear();
      onSessionExpired();
      throw await parseError(res);
    }
    res = await send(path, options, tokenStore.get()?.accessToken ?? null);
    if (res.status === 401) {
      tokenStore.clear();
      onSessionExpired();
    }
  }

  if (!res.ok) throw await parseError(res);
  return res;
}

export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const res = await request(path, options);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A GET whose answer also carries a header (e.g. `X-Total-Count` beside an array). */
export async function apiGetWithHeader<T>(
  path: string,
  header: string,
  options: Omit<RequestOptions, 'method' | 'body'> = {},
): Promise<{ body: T; header: string | null }> {
  const res = await request(path, { ...options, method: 'GET' });
  return { body: (await res.json()) as T, header: res.headers.get(header) };
}

/** Downloads a file with the admin's token; the name comes from Content-Disposition. */
export async function apiDownload(
  path: string,
  options: Omit<RequestOptions, 'method' | 'body'> = {},
): Promise<{ blob: Blob; filename: string | null }> {
  const res = await request(path, { ...options, method: 'GET' });
  const disposition = res.headers.get('Content-Disposition') ?? '';
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  return { blob: await res.blob(), filename: match?.[1] ? decodeURIComponent(match[1]) : null };
}

export const api = {
  get: <T>(path: string, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    apiRequest<T>(path, { ...options, method: 'GET' }),
  post: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    apiRequest<T>(path, { ...options, method: 'POST', body }),
  put: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    apiRequest<T>(path, { ...options, method: 'PUT', body }),
  patch: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    apiRequest<T>(path, { ...options, method: 'PATCH', body }),
  delete: <T = void>(path: string, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    apiRequest<T>(path, { ...options, method: 'DELETE' }),
};
