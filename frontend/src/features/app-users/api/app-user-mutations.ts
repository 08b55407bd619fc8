import { useMutation, useQueryClient } from '@tanstack/react-query';
import { toast } from '@/components/ui/toast';
import { api, errorMessage } from '@/lib/api-client';
import type { AppUser, AppUserInput } from '../types';
import { projectPath, usersPath } from './app-users-query';
import { appUserKeys } from './keys';

function useAppUserMutation<TVars, TResult>(
  projectId: string,
  fn: (vars: TVars) => Promise<TResult>,
  success: (vars: TVars, result: TResult) => string,
  { toastErrors = true } = {},
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (result, vars) => {
      void queryClient.invalidateQueries({ queryKey: appUserKeys.project(projectId) });
      toast.success(success(vars, result));
    },
    onError: (error) => {
      if (toastErrors) toast.error(errorMessage(error));
    },
  });
}

const userPath = (projectId: string, id: string) =>
  `${usersPath(projectId)}/${encodeURIComponent(id)}`;

export function useCreateAppUser(projectId: string) {
  return useAppUserMutation(
    projectId,
    (body: AppUserInput) => api.post<AppUser>(usersPath(projectId), body),
    (_v, u) => `App user ${u.email} created`,
    { toastErrors: false },
  );
}

export function useUpdateAppUser(projectId: string) {
  return useAppUserMutation(
    projectId,
    ({ id, ...body }: AppUserInput & { id: string }) =>
      api.patch<AppUser>(userPath(projectId, id), body),
    (_v, u) => `App user ${u.email} saved`,
    { toastErrors: false },
  );
}

export function useDeleteAppUser(projectId: string) {
  return useAppUserMutation(
    projectId,
    (user: AppUser) => api.delete(userPath(projectId, user.id)),
    (u) => `App user ${u.email} deleted`,
  );
}

export function useRevokeAppUserSessions(projectId: string) {
  return useAppUserMutation(
    projectId,
    (user: AppUser) => api.post<void>(`${userPath(projectId, user.id)}/revoke-sessions`),
    (u) => `Every session of ${u.email} was revoked`,
  );
}

export function useAssignRole(projectId: string) {
  return useAppUserMutation(
    projectId,
    ({ userId, roleId }: { userId: string; roleId: string; roleName: string }) =>
      api.post(`${projectPath(projectId)}/rbac/users/${encodeURIComponent(userId)}/roles`, {
        role_ids: [roleId],
      }),
    (v) => `Role “${v.roleName}” assigned`,
  );
}

export function useUnassignRole(projectId: string) {
  return useAppUserMutation(
    projectId,
    ({ userId, roleId }: { userId: string; roleId: string; roleName: string }) =>
      api.delete(
        `${projectPath(projectId)}/rbac/users/${encodeURIComponent(userId)}/roles/${encodeURIComponent(roleId)}`,
      ),
    (v) => `Role “${v.roleName}” removed`,
  );
}
