/** A session kept by the client after `login`/`register`. */
export interface TokenPair {
  access_token: string;
  refresh_token: string;
}

/**
 * Where the client keeps its sessions; may be synchronous or asynchronous.
 *
 * `key` tells the sessions apart: `undefined` is the console-administrator session,
 * `app:<projectId>` the app-user session of one project. A storage must keep one session per key.
 */
export interface TokenStorage {
  get(key?: string): TokenPair | null | Promise<TokenPair | null>;
  set(tokens: TokenPair | null, key?: string): void | Promise<void>;
}

/** Keeps the sessions in memory (the default); they are lost when the process or page ends. */
export function memoryStorage(initial: TokenPair | null = null): TokenStorage {
  const slots = new Map<string, TokenPair>();
  if (initial) slots.set('', initial);
  return {
    get: (key = '') => slots.get(key) ?? null,
    set: (next, key = '') => {
      if (next) slots.set(key, next);
      else slots.delete(key);
    },
  };
}

/** The subset of the Web Storage API used by {@link webStorage}. */
export interface WebStorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * Keeps the sessions in `localStorage`/`sessionStorage` (or anything with the same methods):
 * the admin session under `key`, an app-user session under `<key>:app:<projectId>`.
 */
export function webStorage(storage: WebStorageLike, key = 'backendify.session'): TokenStorage {
  const itemKey = (slot: string | undefined) => (slot ? `${key}:${slot}` : key);
  return {
    get: (slot) => {
      const raw = storage.getItem(itemKey(slot));
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
    set: (tokens, slot) => {
      if (tokens) storage.setItem(itemKey(slot), JSON.stringify(tokens));
      else storage.removeItem(itemKey(slot));
    },
  };
}
