import { queryOptions, useSuspenseQuery } from '@tanstack/react-query';
import { backend } from '@/lib/backend';
import { apiKeyKeys } from './keys';

export const apiKeysQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: apiKeyKeys.list(projectId),
    queryFn: ({ signal }) => backend.admin.apiKeys(projectId).list({ signal }),
  });

export function useApiKeys(projectId: string) {
  return useSuspenseQuery(apiKeysQueryOptions(projectId));
}
