import { queryOptions, useQuery } from '@tanstack/react-query';
import { backend } from '@/lib/backend';
import { useApiMutation } from '@/lib/use-api-mutation';
import type { RecordRow, RecordVersion } from '../types';
import { dataKeys } from './records';

const historyPath = (projectId: string, collection: string, id: string) =>
  `/api/projects/${encodeURIComponent(projectId)}/data/${encodeURIComponent(collection)}/${encodeURIComponent(id)}/history`;

export const recordHistoryQueryOptions = (projectId: string, collection: string, id: string) =>
  queryOptions({
    queryKey: dataKeys.history(projectId, collection, id),
    queryFn: ({ signal }) =>
      backend.request<RecordVersion[]>('GET', historyPath(projectId, collection, id), { signal }),
  });

export function useRecordHistory(projectId: string, collection: string, id: string) {
  return useQuery(recordHistoryQueryOptions(projectId, collection, id));
}

/** Member emails by user id, so console admins read as people in the history. */
export function useMemberNames(projectId: string) {
  return useQuery({
    queryKey: [...dataKeys.all, projectId, 'members'] as const,
    queryFn: () => backend.admin.projects.members.list(projectId),
    staleTime: 60_000,
    select: (members) => new Map(members.map((m) => [m.user_id, m.email])),
  });
}

/** Writes a version back through the normal update (policies, validations, a new version). */
export function useRevertRecord(projectId: string, collection: string) {
  return useApiMutation({
    mutationFn: ({ id, version }: { id: string; version: RecordVersion }) =>
      backend.request<RecordRow>(
        'POST',
        `${historyPath(projectId, collection, id)}/${encodeURIComponent(version.id)}/revert`,
      ),
    invalidate: [dataKeys.collection(projectId, collection)],
    success: ({ id, version }) => `Record ${id} reverted to version ${version.id}`,
  });
}
