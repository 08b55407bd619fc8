import { useMutation, useQueryClient } from '@tanstack/react-query';
import { toast } from '@/components/ui/toast';
import { api, errorMessage } from '@/lib/api-client';
import type { RuleInput, ValidateResult, ValidationRule } from '../types';
import { validationKeys } from './keys';
import { rulesPath, validationsBase } from './validations-query';

function useRuleMutation<TVars>(
  projectId: string,
  fn: (vars: TVars) => Promise<ValidationRule | undefined>,
  success: (vars: TVars) => string,
  { toastErrors = true } = {},
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (_r, vars) => {
      void queryClient.invalidateQueries({ queryKey: validationKeys.project(projectId) });
      toast.success(success(vars));
    },
    onError: (error) => {
      if (toastErrors) toast.error(errorMessage(error));
    },
  });
}

const rulePath = (projectId: string, id: string) =>
  `${validationsBase(projectId)}/rules/${encodeURIComponent(id)}`;

export function useCreateRule(projectId: string, collection: string, field: string) {
  return useRuleMutation(
    projectId,
    (body: RuleInput) => api.post<ValidationRule>(rulesPath(projectId, collection, field), body),
    (v) => `Rule ${v.rule_type} added to ${field}`,
    { toastErrors: false },
  );
}

export function useUpdateRule(projectId: string) {
  return useRuleMutation(
    projectId,
    ({ rule, patch }: { rule: ValidationRule; patch: Omit<RuleInput, 'rule_type'> }) =>
      api.patch<ValidationRule>(rulePath(projectId, rule.id), patch),
    ({ rule }) => `Rule ${rule.rule_type} saved`,
    { toastErrors: false },
  );
}

export function useToggleRule(projectId: string) {
  return useRuleMutation(
    projectId,
    (r: ValidationRule) =>
      api.patch<ValidationRule>(rulePath(projectId, r.id), { is_active: !r.is_active }),
    (r) => `Rule ${r.rule_type} ${r.is_active ? 'deactivated' : 'activated'}`,
  );
}

export function useDeleteRule(projectId: string) {
  return useRuleMutation(
    projectId,
    (r: ValidationRule) => api.delete<undefined>(rulePath(projectId, r.id)),
    (r) => `Rule ${r.rule_type} deleted`,
  );
}

export function useValidatePayload(projectId: string, collection: string) {
  return useMutation({
    mutationFn: (body: { data: Record<string, unknown>; mode: 'create' | 'update' }) =>
      api.post<ValidateResult>(
        `${validationsBase(projectId)}/collections/${encodeURIComponent(collection)}/validate`,
        body,
      ),
  });
}
