import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Member } from '../types';
import { memberKeys } from './keys';

export const membersQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: memberKeys.list(projectId),
    queryFn: ({ signal }) =>
      api.get<Member[]>(`/api/projects/${encodeURIComponent(projectId)}/members`, { signal }),
  });

export function useMembers(projectId: string) {
  return useQuery(membersQueryOptions(projectId));
}
