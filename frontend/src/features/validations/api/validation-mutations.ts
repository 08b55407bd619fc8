import { useMutation } from '@tanstack/react-query';
import { useApiMutation } from '@/lib/use-api-mutation';
import type { RuleInput, ValidationRule } from '../types';
import { validationKeys } from './keys';
import { validationsApi } from './validations-query';

const stale = (projectId: string) => [validationKeys.project(projectId)];

/** The rule dialog shows create/save errors inline; the rest toast them. */
export function useCreateRule(projectId: string, collection: string, field: string) {
  return useApiMutation({
    mutationFn: (body: RuleInput) => validationsApi(projectId).create(collection, field, body),
    invalidate: stale(projectId),
    success: (v) => `Rule ${v.rule_type} added to ${field}`,
    errorToast: false,
  });
}

export function useUpdateRule(projectId: string) {
  return useApiMutation({
    mutationFn: ({ rule, patch }: { rule: ValidationRule; patch: Omit<RuleInput, 'rule_type'> }) =>
      validationsApi(projectId).update(rule.id, patch),
    invalidate: stale(projectId),
    success: ({ rule }) => `Rule ${rule.rule_type} saved`,
    errorToast: false,
  });
}

export function useToggleRule(projectId: string) {
  return useApiMutation({
    mutationFn: (r: ValidationRule) =>
      validationsApi(projectId).update(r.id, { is_active: !r.is_active }),
    invalidate: stale(projectId),
    success: (r) => `Rule ${r.rule_type} ${r.is_active ? 'deactivated' : 'activated'}`,
  });
}

export function useDeleteRule(projectId: string) {
  return useApiMutation({
    mutationFn: (r: ValidationRule) => validationsApi(projectId).delete(r.id),
    invalidate: stale(projectId),
    success: (r) => `Rule ${r.rule_type} deleted`,
  });
}

/** A dry run: nothing is cached or toasted, the panel shows the answer. */
export function useValidatePayload(projectId: string, collection: string) {
  return useMutation({
    mutationFn: (body: { data: Record<string, unknown>; mode: 'create' | 'update' }) =>
      validationsApi(projectId).validate(collection, body),
  });
}
