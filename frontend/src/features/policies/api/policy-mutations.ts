import { useMutation, useQueryClient } from '@tanstack/react-query';
import { toast } from '@/components/ui/toast';
import { api, errorMessage } from '@/lib/api-client';
import type { Policy, PolicyInput } from '../types';
import { policiesPath } from './policies-query';
import { policyKeys } from './keys';

function usePolicyMutation<TVars, TResult>(
  projectId: string,
  fn: (vars: TVars) => Promise<TResult>,
  success: (vars: TVars, result: TResult) => string,
  { toastErrors = true } = {},
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (result, vars) => {
      // Explain results depend on every policy, so the whole project's keys go stale.
      void queryClient.invalidateQueries({ queryKey: policyKeys.project(projectId) });
      toast.success(success(vars, result));
    },
    onError: (error) => {
      if (toastErrors) toast.error(errorMessage(error));
    },
  });
}

export function useCreatePolicy(projectId: string, collection: string) {
  return usePolicyMutation(
    projectId,
    (body: PolicyInput) => api.post<Policy>(policiesPath(projectId, collection), body),
    (_v, p) => `Policy “${p.name}” created`,
    { toastErrors: false },
  );
}

export function useUpdatePolicy(projectId: string, collection: string) {
  return usePolicyMutation(
    projectId,
    ({ id, ...body }: Partial<PolicyInput> & { id: string }) =>
      api.patch<Policy>(`${policiesPath(projectId, collection)}/${encodeURIComponent(id)}`, body),
    (_v, p) => `Policy “${p.name}” saved`,
    { toastErrors: false },
  );
}

export function useTogglePolicy(projectId: string, collection: string) {
  return usePolicyMutation(
    projectId,
    (p: Policy) =>
      api.patch<Policy>(`${policiesPath(projectId, collection)}/${encodeURIComponent(p.id)}`, {
        is_active: !p.is_active,
      }),
    (_v, p) => `Policy “${p.name}” ${p.is_active ? 'activated' : 'deactivated'}`,
  );
}

export function useDeletePolicy(projectId: string, collection: string) {
  return usePolicyMutation(
    projectId,
    (p: Policy) => api.delete(`${policiesPath(projectId, collection)}/${encodeURIComponent(p.id)}`),
    (p) => `Policy “${p.name}” deleted`,
  );
}
