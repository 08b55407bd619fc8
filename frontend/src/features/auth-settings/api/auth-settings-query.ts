import { queryOptions, useSuspenseQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { AuthSettings } from '../types';
import { authSettingsKeys } from './keys';

export const authSettingsPath = (projectId: string) =>
  `/api/projects/${encodeURIComponent(projectId)}/settings/auth`;

export const authSettingsQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: authSettingsKeys.detail(projectId),
    queryFn: ({ signal }) => api.get<AuthSettings>(authSettingsPath(projectId), { signal }),
  });

export function useAuthSettings(projectId: string) {
  return useSuspenseQuery(authSettingsQueryOptions(projectId));
}
