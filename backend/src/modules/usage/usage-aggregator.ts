/** What the Overview charts split traffic by (issue 15.5). */
export const ROUTE_GROUPS = [
  'data',
  'auth',
  'files',
  'realtime',
  'functions',
  'views',
  'sql',
  'admin',
] as const;
export type RouteGroup = (typeof ROUTE_GROUPS)[number];

/**
 * Upper bounds (ms) of the latency buckets; the last bucket takes everything above. Fixed and
 * shared by every process, so rows merge exactly by adding counts bucket by bucket.
 */
export const LATENCY_BOUNDS_MS = [
  1, 2, 3, 5, 8, 13, 20, 30, 50, 80, 130, 200, 300, 500, 800, 1300, 2000, 3000, 5000, 10000,
] as const;
export const BUCKET_COUNT = LATENCY_BOUNDS_MS.length + 1;

/** Index of the bucket `ms` falls in (a value on a bound belongs to that bound's bucket). */
export function bucketOf(ms: number): number {
  for (let i = 0; i < LATENCY_BOUNDS_MS.length; i++) if (ms <= LATENCY_BOUNDS_MS[i]) return i;
  return LATENCY_BOUNDS_MS.length;
}

/**
 * The `q` quantile (0–1) of bucketed latencies as the upper bound of the bucket it falls in
 * (the overflow bucket answers the last bound); null without samples.
 */
export function quantileFromBuckets(buckets: readonly number[], q: number): number | null {
  let total = 0;
  for (const n of buckets) total += n;
  if (total === 0) return null;
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (let i = 0; i < buckets.length; i++) {
    seen += buckets[i];
    if (seen >= rank) return LATENCY_BOUNDS_MS[Math.min(i, LATENCY_BOUNDS_MS.length - 1)];
  }
  return LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1];
}

/** Counts of one (project, minute, route group), as kept in memory and in `usage_minutes`. */
export interface UsageCell {
  projectId: string;
  /** Start of the minute, in ms since the epoch. */
  minute: number;
  group: RouteGroup;
  count: number;
  errors4xx: number;
  errors5xx: number;
  buckets: number[];
}

export const emptyBuckets = (): number[] => new Array<number>(BUCKET_COUNT).fill(0);

/** Adds `from` into `into` (same key); exact, since buckets are fixed. */
export function mergeCell(
  into: Omit<UsageCell, 'projectId' | 'minute' | 'group'>,
  from: Omit<UsageCell, 'projectId' | 'minute' | 'group'>,
): void {
  into.count += from.count;
  into.errors4xx += from.errors4xx;
  into.errors5xx += from.errors5xx;
  for (let i = 0; i < BUCKET_COUNT; i++) into.buckets[i] += from.buckets[i] ?? 0;
}

const PROJECT_ROUTE = '/api/projects/:projectId/';
const GROUP_BY_SEGMENT: Readonly<Record<string, RouteGroup>> = {
  data: 'data',
  auth: 'auth',
  files: 'files',
  functions: 'functions',
  views: 'views',
  sql: 'sql',
  realtime: 'realtime',
};

/** The group of a route template (`req.routeOptions.url`), or null when it is not a project's. */
export function routeGroupOf(route: string): RouteGroup | null {
  if (!route.startsWith(PROJECT_ROUTE))
    return route === '/api/projects/:projectId' ? 'admin' : null;
  const rest = route.slice(PROJECT_ROUTE.length);
  const slash = rest.indexOf('/');
  const segment = slash < 0 ? rest : rest.slice(0, slash);
  return GROUP_BY_SEGMENT[segment] ?? 'admin';
}

/**
 * Per-process request counts by (project, minute, route group): a map update per request, no
 * I/O. `drain` hands the cells to the flusher and starts afresh.
 */
export class UsageAggregator {
  private cells = new Map<string, UsageCell>();
  /** Route template → group, so the per-request path is one map read. */
  private readonly groups = new Map<string, RouteGroup | null>();

  groupOf(route: string): RouteGroup | null {
    let g = this.groups.get(route);
    if (g === undefined) {
      g = routeGroupOf(route);
      this.groups.set(route, g);
    }
    return g;
  }

  record(projectId: string, group: RouteGroup, status: number, ms: number, now: number): void {
    const minute = now - (now % 60_000);
    const key = `${minute}|${group}|${projectId}`;
    let cell = this.cells.get(key);
    if (!cell) {
      cell = {
        projectId,
        minute,
        group,
        count: 0,
        errors4xx: 0,
        errors5xx: 0,
        buckets: emptyBuckets(),
      };
      this.cells.set(key, cell);
    }
    cell.count++;
    if (status >= 500) cell.errors5xx++;
    else if (status >= 400) cell.errors4xx++;
    cell.buckets[bucketOf(ms)]++;
  }

  get size(): number {
    return this.cells.size;
  }

  drain(): UsageCell[] {
    const out = [...this.cells.values()];
    this.cells = new Map();
    return out;
  }

  /** Puts cells back (a failed flush), adding to whatever was recorded meanwhile. */
  restore(cells: readonly UsageCell[]): void {
    for (const c of cells) {
      const key = `${c.minute}|${c.group}|${c.projectId}`;
      const cur = this.cells.get(key);
      if (cur) mergeCell(cur, c);
      else this.cells.set(key, { ...c, buckets: [...c.buckets] });
    }
  }
}
