/** The console's one connection to the API: `@backendify/client` with the admin session. */
import { BackendifyError, createClient, type TokenStorage } from '@backendify/client';

export { BackendifyError as ApiError };
export type { FieldError as ProblemFieldError } from '@backendify/client';

/** The admin session as the console keeps it in localStorage (its format predates the client). */
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
/** Set once this browser has held a session: the sign-in page then says "Welcome back". */
const RETURNING_KEY = 'backendify.returning';

export function isReturningVisitor(): boolean {
  try {
    return localStorage.getItem(RETURNING_KEY) === '1';
  } catch {
    return false;
  }
}
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
    localStorage.setItem(RETURNING_KEY, '1');
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

/** The client keeps (and refreshes) the admin session in the console's own store. */
const consoleStorage: TokenStorage = {
  get: (key) => {
    if (key !== undefined) return null;
    const tokens = readTokens();
    return tokens && { access_token: tokens.accessToken, refresh_token: tokens.refreshToken };
  },
  set: (tokens, key) => {
    if (key !== undefined) return;
    if (tokens)
      tokenStore.set({ accessToken: tokens.access_token, refreshToken: tokens.refresh_token });
    else tokenStore.clear();
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

/** Same origin: the API is served under `/api` next to the console. */
export const backend = createClient({
  url: '',
  storage: consoleStorage,
  onUnauthorized: () => {
    tokenStore.clear();
    onSessionExpired();
  },
});

/** A human sentence for any thrown value, preferring the server's `detail`. */
export function errorMessage(error: unknown): string {
  if (error instanceof BackendifyError) {
    const extra = error.errors.filter((e) => !error.detail.includes(e.message));
    return extra.length > 0
      ? `${error.detail} (${extra.map((e) => e.message).join('; ')})`
      : error.detail;
  }
  if (error instanceof Error) return error.message;
  return 'Something went wrong';
}

/** Query-string values the console builds; empty ones are left out, as the API expects. */
export type QueryParams = Record<string, string | number | boolean | null | undefined>;

export function compactQuery(query: QueryParams): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') out[key] = value;
  }
  return out;
}
