/** The session kept by the client after `login`/`register`. */
export interface TokenPair {
  access_token: string;
  refresh_token: string;
}

/** Where the client keeps its session; may be synchronous or asynchronous. */
export interface TokenStorage {
  get(): TokenPair | null | Promise<TokenPair | null>;
  set(tokens: TokenPair | null): void | Promise<void>;
}

/** Keeps the session in memory (the default); it is lost when the process or page ends. */
export function memoryStorage(initial: TokenPair | null = null): TokenStorage {
  let tokens = initial;
  return {
    get: () => tokens,
    set: (next) => {
      tokens = next;
    },
  };
}

/** The subset of the Web Storage API used by {@link webStorage}. */
export interface WebStorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Keeps the session in `localStorage`/`sessionStorage` (or anything with the same methods). */
export function webStorage(storage: WebStorageLike, key = 'backendify.session'): TokenStorage {
  return {
    get: () => {
      const raw = storage.getItem(key);
      if (!raw) return null;
      try {
        const parsed = JSON.parse(raw) as Partial<TokenPair>;
        return typeof parsed.access_token === 'string' && typeof parsed.refresh_token === 'string'
          ? { access_token: parsed.access_token, refresh_token: parsed.refresh_token }
          : null;
      } catch {
        return null;
      }
    },
    set: (tokens) => {
      if (tokens) storage.setItem(key, JSON.stringify(tokens));
      else storage.removeItem(key);
    },
  };
}
