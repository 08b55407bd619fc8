import { useMutation, useQueryClient } from '@tanstack/react-query';
import { toast } from '@/components/ui/toast';
import { api, errorMessage } from '@/lib/api-client';
import type { ApiKey, CreatedApiKey } from '../types';
import { apiKeyKeys } from './keys';

const base = (projectId: string) => `/api/projects/${encodeURIComponent(projectId)}/api-keys`;

function useApiKeyMutation<TVars, TResult>(
  projectId: string,
  fn: (vars: TVars) => Promise<TResult>,
  success: (vars: TVars) => string,
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (_data, vars) => {
      void queryClient.invalidateQueries({ queryKey: apiKeyKeys.list(projectId) });
      toast.success(success(vars));
    },
    onError: (error) => toast.error(errorMessage(error)),
  });
}

export function useCreateApiKey(projectId: string) {
  return useApiKeyMutation(
    projectId,
    (body: { name: string; expires_at?: string }) => api.post<CreatedApiKey>(base(projectId), body),
    (v) => `API key “${v.name}” created`,
  );
}

export function useRevokeApiKey(projectId: string) {
  return useApiKeyMutation(
    projectId,
    (key: ApiKey) => api.post<void>(`${base(projectId)}/${encodeURIComponent(key.id)}/revoke`),
    (key) => `API key “${key.name}” revoked`,
  );
}

export function useDeleteApiKey(projectId: string) {
  return useApiKeyMutation(
    projectId,
    (key: ApiKey) => api.delete(`${base(projectId)}/${encodeURIComponent(key.id)}`),
    (key) => `API key “${key.name}” deleted`,
  );
}
