import {
  keepPreviousData,
  queryOptions,
  useQueries,
  useQuery,
  useSuspenseQuery,
} from '@tanstack/react-query';
import { backend, compactQuery } from '@/lib/backend';
import {
  isFinished,
  type Run,
  type RunDetail,
  type RunStatus,
  type RunsPage,
  type Secret,
  type Workflow,
} from '../types';
import { workflowKeys } from './keys';

export const RUN_PAGE_SIZE = 20;
/** How often a run on screen is polled until it finishes (the live step-by-step view). */
export const LIVE_POLL_MS = 500;

export const workflowsPath = (projectId: string, ...rest: string[]) =>
  [
    `/api/projects/${encodeURIComponent(projectId)}/workflows`,
    ...rest.map(encodeURIComponent),
  ].join('/');

export const workflowsQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: workflowKeys.list(projectId),
    queryFn: ({ signal }) =>
      backend.request<Workflow[]>('GET', workflowsPath(projectId), { signal }),
  });

export function useWorkflows(projectId: string) {
  return useSuspenseQuery(workflowsQueryOptions(projectId));
}

export const secretsQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: workflowKeys.secrets(projectId),
    queryFn: ({ signal }) =>
      backend.request<Secret[]>('GET', workflowsPath(projectId, 'secrets'), { signal }),
  });

export function useSecrets(projectId: string) {
  return useQuery(secretsQueryOptions(projectId));
}

const activeRuns = (runs: readonly Run[] | undefined) =>
  runs?.some((r) => !isFinished(r.status)) ?? false;

/** The newest run of each workflow, for the list's "last run" column. */
export function useLastRuns(projectId: string, workflowIds: string[]) {
  return useQueries({
    queries: workflowIds.map((id) => ({
      queryKey: workflowKeys.lastRun(projectId, id),
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        backend.request<RunsPage>('GET', workflowsPath(projectId, id, 'runs'), {
          signal,
          query: { limit: 1 },
        }),
      refetchInterval: (q: { state: { data?: RunsPage } }) =>
        activeRuns(q.state.data?.runs) ? 2000 : 30_000,
    })),
  });
}

export function useRuns(
  projectId: string,
  workflowId: string,
  status: RunStatus | undefined,
  offset: number,
) {
  return useQuery({
    queryKey: workflowKeys.runPage(projectId, workflowId, status, offset),
    queryFn: ({ signal }) =>
      backend.request<RunsPage>('GET', workflowsPath(projectId, workflowId, 'runs'), {
        signal,
        query: compactQuery({ status, limit: RUN_PAGE_SIZE, offset: offset || undefined }),
      }),
    placeholderData: keepPreviousData,
    // Unfinished runs move on by themselves; new ones arrive from triggers.
    refetchInterval: (q) => (activeRuns(q.state.data?.runs) ? 1000 : 5000),
  });
}

/** One run with its steps, polled every LIVE_POLL_MS until it has finished. */
export function useRun(projectId: string, workflowId: string, runId: string | null) {
  return useQuery({
    queryKey: workflowKeys.run(projectId, workflowId, runId ?? ''),
    queryFn: ({ signal }) =>
      backend.request<RunDetail>('GET', workflowsPath(projectId, workflowId, 'runs', runId ?? ''), {
        signal,
      }),
    enabled: runId !== null,
    refetchInterval: (q) =>
      q.state.data && isFinished(q.state.data.status) ? false : LIVE_POLL_MS,
  });
}

export function useCronPreview(projectId: string, cron: string, timezone: string) {
  return useQuery({
    queryKey: workflowKeys.cronPreview(projectId, cron, timezone),
    queryFn: ({ signal }) =>
      backend.request<{ next: string[] }>('POST', workflowsPath(projectId, 'cron-preview'), {
        signal,
        body: { cron, timezone },
      }),
    enabled: cron.trim() !== '',
    retry: false,
    staleTime: 30_000,
    placeholderData: keepPreviousData,
  });
}
