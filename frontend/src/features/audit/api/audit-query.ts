import {
  infiniteQueryOptions,
  queryOptions,
  useInfiniteQuery,
  useQuery,
} from '@tanstack/react-query';
import { backend, compactQuery } from '@/lib/backend';
import { auditQuery, type AuditPage, type AuditSearch, type AuditSettings } from '../types';
import { auditKeys } from './keys';

export const AUDIT_PAGE_SIZE = 50;

const base = (projectId: string) => `/api/projects/${encodeURIComponent(projectId)}/audit`;

/** Keyset pages, newest first: each "Load more" asks for the events older than the last one. */
export const auditEventsQueryOptions = (projectId: string, filters: AuditSearch) =>
  infiniteQueryOptions({
    queryKey: auditKeys.list(projectId, filters),
    queryFn: ({ pageParam, signal }) =>
      backend.request<AuditPage>('GET', `${base(projectId)}/events`, {
        signal,
        query: compactQuery({
          ...auditQuery(filters),
          limit: AUDIT_PAGE_SIZE,
          after: pageParam,
          // The total of the filtered view is counted once, with the first page.
          count: pageParam === undefined ? undefined : 'false',
        }),
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });

export function useAuditEvents(projectId: string, filters: AuditSearch) {
  return useInfiniteQuery(auditEventsQueryOptions(projectId, filters));
}

export const auditSettingsQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: auditKeys.settings(projectId),
    queryFn: ({ signal }) =>
      backend.request<AuditSettings>('GET', `${base(projectId)}/settings`, { signal }),
  });

export function useAuditSettings(projectId: string) {
  return useQuery(auditSettingsQueryOptions(projectId));
}

/** Member emails by user id, so admin actors read as people rather than ids. */
export function useMemberNames(projectId: string) {
  return useQuery({
    queryKey: auditKeys.members(projectId),
    queryFn: () => backend.admin.projects.members.list(projectId),
    staleTime: 60_000,
    select: (members) => new Map(members.map((m) => [m.user_id, m.email])),
  });
}

/** Downloads the filtered view (every matching event, not just the loaded pages). */
export async function exportAudit(
  projectId: string,
  filters: AuditSearch,
  format: 'csv' | 'json',
): Promise<void> {
  // Through the client, so the admin token is sent (and refreshed) as for any other call.
  const text = await backend.request<string>('GET', `${base(projectId)}/events/export`, {
    query: compactQuery({ ...auditQuery(filters), format }),
    response: 'text',
  });
  const blob = new Blob([text], { type: format === 'csv' ? 'text/csv' : 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `audit-${projectId}.${format}`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}
