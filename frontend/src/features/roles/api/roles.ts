import type { CreateRoleInput, UpdateRoleInput } from '@backendify/client';
import { queryOptions, useSuspenseQuery } from '@tanstack/react-query';
import { backend } from '@/lib/backend';
import { useApiMutation } from '@/lib/use-api-mutation';
import { splitList } from '@/components/policy-editor/principals';
import type { Role, RolePolicy } from '../types';

export const roleKeys = {
  all: ['rbac-roles'] as const,
  list: (projectId: string) => [...roleKeys.all, projectId] as const,
  policies: (projectId: string) => [...roleKeys.all, projectId, 'policies'] as const,
};

const rbac = (projectId: string) => backend.admin.rbac(projectId);

export const rolesQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: roleKeys.list(projectId),
    // The client's Role predates `user_count`; the server sends it on every role.
    queryFn: ({ signal }): Promise<Role[]> => rbac(projectId).roles({ signal }),
    // User counts change on the App users page, whose mutations do not know these keys.
    staleTime: 0,
  });

export function useRoles(projectId: string) {
  return useSuspenseQuery(rolesQueryOptions(projectId));
}

/** Every policy of the project, grouped by the role names they require. */
export const rolePoliciesQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: roleKeys.policies(projectId),
    queryFn: async ({ signal }) => {
      const all = await backend.request<RolePolicy[]>(
        'GET',
        `/api/projects/${encodeURIComponent(projectId)}/policies`,
        { signal },
      );
      const byRole = new Map<string, RolePolicy[]>();
      for (const p of all)
        for (const r of splitList(p.allowed_roles)) byRole.set(r, [...(byRole.get(r) ?? []), p]);
      return byRole;
    },
    // Policies change on the Policies page, whose mutations do not know these keys.
    staleTime: 0,
  });

export type RoleInput = UpdateRoleInput;

/** The role dialog shows create/save errors inline; the rest toast them. */
export function useCreateRole(projectId: string) {
  return useApiMutation({
    mutationFn: (body: CreateRoleInput) => rbac(projectId).createRole(body),
    invalidate: [roleKeys.list(projectId)],
    success: (v) => `Role “${v.name}” created`,
    errorToast: false,
  });
}

export function useUpdateRole(projectId: string) {
  return useApiMutation({
    mutationFn: ({ id, ...body }: RoleInput & { id: string }) =>
      rbac(projectId).updateRole(id, body),
    invalidate: [roleKeys.list(projectId)],
    success: (_v, r) => `Role “${r.name}” saved`,
    errorToast: false,
  });
}

export function useDeleteRole(projectId: string) {
  return useApiMutation({
    mutationFn: (role: Role) => rbac(projectId).deleteRole(role.id),
    invalidate: [roleKeys.list(projectId)],
    success: (role) => `Role “${role.name}” deleted`,
  });
}

export function useInitializeRoles(projectId: string) {
  return useApiMutation({
    mutationFn: () => rbac(projectId).initialize(),
    invalidate: [roleKeys.list(projectId)],
    success: (_v, r) =>
      r.roles_created === 0
        ? 'Default roles already exist'
        : `${r.roles_created} default role${r.roles_created === 1 ? '' : 's'} created`,
  });
}
