import { queryOptions, useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { toast } from '@/components/ui/toast';
import { api, errorMessage } from '@/lib/api-client';
import type { Role } from '../types';

export const roleKeys = {
  all: ['rbac-roles'] as const,
  list: (projectId: string) => [...roleKeys.all, projectId] as const,
};

const base = (projectId: string) => `/api/projects/${encodeURIComponent(projectId)}/rbac`;

export const rolesQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: roleKeys.list(projectId),
    queryFn: ({ signal }) => api.get<Role[]>(`${base(projectId)}/roles`, { signal }),
  });

export function useRoles(projectId: string) {
  return useSuspenseQuery(rolesQueryOptions(projectId));
}

export interface RoleInput {
  name?: string;
  display_name?: string;
  description?: string | null;
  is_default?: boolean;
}

function useRoleMutation<TVars, TResult>(
  projectId: string,
  fn: (vars: TVars) => Promise<TResult>,
  success: (vars: TVars, result: TResult) => string,
  { toastErrors = true } = {},
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (result, vars) => {
      void queryClient.invalidateQueries({ queryKey: roleKeys.list(projectId) });
      toast.success(success(vars, result));
    },
    onError: (error) => {
      if (toastErrors) toast.error(errorMessage(error));
    },
  });
}

export function useCreateRole(projectId: string) {
  return useRoleMutation(
    projectId,
    (body: RoleInput) => api.post<Role>(`${base(projectId)}/roles`, body),
    (v) => `Role “${v.name ?? ''}” created`,
    { toastErrors: false },
  );
}

export function useUpdateRole(projectId: string) {
  return useRoleMutation(
    projectId,
    ({ id, ...body }: RoleInput & { id: string }) =>
      api.patch<Role>(`${base(projectId)}/roles/${encodeURIComponent(id)}`, body),
    (_v, r) => `Role “${r.name}” saved`,
    { toastErrors: false },
  );
}

export function useDeleteRole(projectId: string) {
  return useRoleMutation(
    projectId,
    (role: Role) => api.delete(`${base(projectId)}/roles/${encodeURIComponent(role.id)}`),
    (role) => `Role “${role.name}” deleted`,
  );
}

export function useInitializeRoles(projectId: string) {
  return useRoleMutation(
    projectId,
    () => api.post<{ roles_created: number }>(`${base(projectId)}/initialize`),
    (_v, r) =>
      r.roles_created === 0
        ? 'Default roles already exist'
        : `${r.roles_created} default role${r.roles_created === 1 ? '' : 's'} created`,
  );
}
