import { backend } from '@/lib/backend';
import { useApiMutation } from '@/lib/use-api-mutation';
import type { AuthSettingsUpdate } from '../types';
import { authSettingsKeys } from './keys';

/** Errors are shown inline by the form (with the server's per-field list), not as a toast. */
export function useUpdateAuthSettings(projectId: string) {
  return useApiMutation({
    mutationFn: (body: AuthSettingsUpdate) => backend.admin.authSettings(projectId).update(body),
    onSuccess: (data, _v, queryClient) =>
      queryClient.setQueryData(authSettingsKeys.detail(projectId), data),
    invalidate: [authSettingsKeys.detail(projectId)],
    success: 'Authentication settings saved',
    errorToast: false,
  });
}
