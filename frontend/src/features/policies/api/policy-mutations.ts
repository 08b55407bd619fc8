import type { PolicyCondition } from '@backendify/client';
import { useApiMutation } from '@/lib/use-api-mutation';
import type { Policy, PolicyInput } from '../types';
import { policiesApi } from './policies-query';
import { policyKeys } from './keys';

// Explain results depend on every policy, so the whole project's keys go stale.
const stale = (projectId: string) => [policyKeys.project(projectId)];

/** The JSON editor may hold any value; the server checks the condition's shape. */
function withCondition<T extends Partial<PolicyInput>>(body: T) {
  const { condition, ...rest } = body;
  return condition === undefined
    ? rest
    : { ...rest, condition: condition as PolicyCondition | null };
}

/**
 * The policy dialog shows create/save errors inline; the rest toast them. Several bodies (list and
 * read together) are created one after the other, so a refusal names the one that failed.
 */
export function useCreatePolicies(projectId: string, collection: string) {
  return useApiMutation({
    mutationFn: async (bodies: PolicyInput[]) => {
      const made = [];
      for (const body of bodies)
        made.push(
          await policiesApi(projectId, collection).create({
            ...withCondition(body),
            name: body.name,
            action: body.action,
          }),
        );
      return made;
    },
    invalidate: stale(projectId),
    success: (_v, p) =>
      p.length === 1
        ? `Policy “${p[0]?.name ?? ''}” created`
        : `Policy “${p[0]?.name ?? ''}” created for ${p.map((x) => x.action).join(' and ')}`,
    errorToast: false,
  });
}

export function useUpdatePolicy(projectId: string, collection: string) {
  return useApiMutation({
    mutationFn: ({ id, ...body }: Partial<PolicyInput> & { id: string }) =>
      policiesApi(projectId, collection).update(id, withCondition(body)),
    invalidate: stale(projectId),
    success: (_v, p) => `Policy “${p.name}” saved`,
    errorToast: false,
  });
}

export function useTogglePolicy(projectId: string, collection: string) {
  return useApiMutation({
    mutationFn: (p: Policy) =>
      policiesApi(projectId, collection).update(p.id, { is_active: !p.is_active }),
    invalidate: stale(projectId),
    success: (_v, p) => `Policy “${p.name}” ${p.is_active ? 'activated' : 'deactivated'}`,
  });
}

export function useDeletePolicy(projectId: string, collection: string) {
  return useApiMutation({
    mutationFn: (p: Policy) => policiesApi(projectId, collection).delete(p.id),
    invalidate: stale(projectId),
    success: (p) => `Policy “${p.name}” deleted`,
  });
}
