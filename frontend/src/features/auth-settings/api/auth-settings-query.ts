import { queryOptions, useSuspenseQuery } from '@tanstack/react-query';
import { backend } from '@/lib/backend';
import { authSettingsKeys } from './keys';

export const authSettingsQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: authSettingsKeys.detail(projectId),
    queryFn: ({ signal }) => backend.admin.authSettings(projectId).get({ signal }),
  });

export function useAuthSettings(projectId: string) {
  return useSuspenseQuery(authSettingsQueryOptions(projectId));
}
