import { queryOptions } from '@tanstack/react-query';
import { backend } from '@/lib/backend';
import { projectKeys } from './keys';

export type UsageRange = '1h' | '24h';

/** One step of GET /usage (a minute over 1h, ten minutes over 24h). */
export interface UsagePoint {
  t: string;
  requests: number;
  requests_per_min: number;
  errors_4xx: number;
  errors_5xx: number;
  error_rate: number;
  p95_ms: number | null;
}

export interface UsageReport {
  range: UsageRange;
  step_seconds: number;
  from: string;
  to: string;
  totals: UsagePoint;
  groups: (UsagePoint & { group: string })[];
  overall: UsagePoint[];
  series: { group: string; points: UsagePoint[] }[];
}

export interface ProjectStats {
  range: UsageRange;
  from: string;
  collections: { name: string; records: number; estimate: boolean }[];
  storage: {
    database_bytes: number;
    files_bytes: number;
    files_count: number;
    buckets: { bucket: string; files: number; bytes: number }[];
  };
  webhook_deliveries: { delivered: number; failed: number; pending: number };
  workflow_runs: Record<
    'queued' | 'running' | 'waiting' | 'completed' | 'failed' | 'cancelled',
    number
  >;
}

/** How often the Overview's usage refreshes (the server flushes every 10 s). */
const REFRESH_MS = 15_000;
const base = (projectId: string) => `/api/projects/${encodeURIComponent(projectId)}`;

export const usageQueryOptions = (projectId: string, range: UsageRange) =>
  queryOptions({
    queryKey: projectKeys.usage(projectId, range),
    queryFn: ({ signal }) =>
      backend.request<UsageReport>('GET', `${base(projectId)}/usage?range=${range}`, { signal }),
    refetchInterval: REFRESH_MS,
  });

/** Also read by the Overview's counts, so a cold load asks for /stats once. */
export const statsQueryOptions = (projectId: string, range: UsageRange) =>
  queryOptions({
    queryKey: projectKeys.stats(projectId, range),
    queryFn: ({ signal }) =>
      backend.request<ProjectStats>('GET', `${base(projectId)}/stats?range=${range}`, { signal }),
    refetchInterval: REFRESH_MS,
  });
