import { backend } from '@/lib/backend';
import { useApiMutation } from '@/lib/use-api-mutation';
import type { AppUser, AppUserInput, AppUserMailKind } from '../types';
import { appUserKeys } from './keys';

const users = (projectId: string) => backend.admin.appUsers(projectId);
const rbac = (projectId: string) => backend.admin.rbac(projectId);

interface RoleChange {
  userId: string;
  roleId: string;
  roleName: string;
}

/** Forms show create/update errors inline; the rest toast them. */
export function useCreateAppUser(projectId: string) {
  return useApiMutation({
    mutationFn: (body: AppUserInput & { email: string }) => users(projectId).create(body),
    invalidate: [appUserKeys.project(projectId)],
    success: (_v, u) => `App user ${u.email} created`,
    errorToast: false,
  });
}

export function useUpdateAppUser(projectId: string) {
  return useApiMutation({
    mutationFn: ({ id, ...body }: AppUserInput & { id: string }) =>
      users(projectId).update(id, body),
    invalidate: [appUserKeys.project(projectId)],
    success: (_v, u) => `App user ${u.email} saved`,
    errorToast: false,
  });
}

export function useDeleteAppUser(projectId: string) {
  return useApiMutation({
    mutationFn: (user: AppUser) => users(projectId).delete(user.id),
    invalidate: [appUserKeys.project(projectId)],
    success: (u) => `App user ${u.email} deleted`,
  });
}

export function useRevokeAppUserSessions(projectId: string) {
  return useApiMutation({
    mutationFn: (user: AppUser) => users(projectId).revokeSessions(user.id),
    invalidate: [appUserKeys.project(projectId)],
    success: (u) => `Every session of ${u.email} was revoked`,
  });
}

/** Mails the user a reset, sign-in or verification link; the server's sentence is the toast. */
export function useSendAppUserMail(projectId: string) {
  return useApiMutation({
    mutationFn: ({ user, kind }: { user: AppUser; kind: AppUserMailKind }) =>
      users(projectId).sendMail(user.id, kind),
    success: (_v, sent) => sent.message,
  });
}

export function useAssignRole(projectId: string) {
  return useApiMutation({
    mutationFn: ({ userId, roleId }: RoleChange) => rbac(projectId).assignRoles(userId, [roleId]),
    invalidate: [appUserKeys.project(projectId)],
    success: (v) => `Role “${v.roleName}” assigned`,
  });
}

export function useUnassignRole(projectId: string) {
  return useApiMutation({
    mutationFn: ({ userId, roleId }: RoleChange) => rbac(projectId).unassignRole(userId, roleId),
    invalidate: [appUserKeys.project(projectId)],
    success: (v) => `Role “${v.roleName}” removed`,
  });
}
