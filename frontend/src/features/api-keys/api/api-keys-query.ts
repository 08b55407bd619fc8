import { queryOptions, useSuspenseQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { ApiKey } from '../types';
import { apiKeyKeys } from './keys';

export const apiKeysQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: apiKeyKeys.list(projectId),
    queryFn: ({ signal }) =>
      api.get<ApiKey[]>(`/api/projects/${encodeURIComponent(projectId)}/api-keys`, { signal }),
  });

export function useApiKeys(projectId: string) {
  return useSuspenseQuery(apiKeysQueryOptions(projectId));
}
