/** The per-process caches another process's change can make stale (DESIGN §4). */
export const CACHE_SCOPES = [
  'api_keys',
  'catalog',
  'policies',
  'roles',
  'settings',
  'validations',
  'workflows',
] as const;

export type CacheScope = (typeof CACHE_SCOPES)[number];

/** The NOTIFY channel that wakes every process's cache sync: a hint, never the transport. */
export const CACHE_CHANNEL = 'backendify_cache';

/** One changed row of `cache_versions`: a scope of one project (null = every project). */
export interface StaleScope {
  scope: CacheScope;
  projectId: string | null;
}
