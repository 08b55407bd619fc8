import { useMutation, useQueryClient } from '@tanstack/react-query';
import { toast } from '@/components/ui/toast';
import { api } from '@/lib/api-client';
import type { AuthSettings, AuthSettingsUpdate } from '../types';
import { authSettingsPath } from './auth-settings-query';
import { authSettingsKeys } from './keys';

/** Errors are shown inline by the form (with the server's per-field list), not as a toast. */
export function useUpdateAuthSettings(projectId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: AuthSettingsUpdate) =>
      api.put<AuthSettings>(authSettingsPath(projectId), body),
    onSuccess: (data) => {
      queryClient.setQueryData(authSettingsKeys.detail(projectId), data);
      void queryClient.invalidateQueries({ queryKey: authSettingsKeys.detail(projectId) });
      toast.success('Authentication settings saved');
    },
  });
}
