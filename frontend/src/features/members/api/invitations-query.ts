import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Invitation } from '../types';
import { memberKeys } from './keys';

export const invitationsQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: memberKeys.invitations(projectId),
    queryFn: ({ signal }) =>
      api.get<Invitation[]>(`/api/projects/${encodeURIComponent(projectId)}/invitations`, {
        signal,
      }),
  });

export function useInvitations(projectId: string) {
  return useQuery(invitationsQueryOptions(projectId));
}
