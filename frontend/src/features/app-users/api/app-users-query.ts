import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api, apiGetWithHeader } from '@/lib/api-client';
import {
  USERS_PAGE_SIZE,
  type AppUser,
  type AppUserList,
  type AppUserSession,
  type AssignableRole,
} from '../types';
import { appUserKeys } from './keys';

export const projectPath = (projectId: string) => `/api/projects/${encodeURIComponent(projectId)}`;
export const usersPath = (projectId: string) => `${projectPath(projectId)}/settings/auth/users`;

export const appUsersQueryOptions = (projectId: string, search: string, page: number) =>
  queryOptions({
    queryKey: appUserKeys.list(projectId, search, page),
    // The original's array; the total comes in X-Total-Count.
    queryFn: async ({ signal }): Promise<AppUserList> => {
      const limit = USERS_PAGE_SIZE;
      const offset = (page - 1) * USERS_PAGE_SIZE;
      const res = await apiGetWithHeader<AppUser[]>(usersPath(projectId), 'X-Total-Count', {
        signal,
        query: { search, limit, offset },
      });
      return { users: res.body, total: Number(res.header ?? res.body.length), limit, offset };
    },
    placeholderData: keepPreviousData,
  });

export const appUserQueryOptions = (projectId: string, id: string) =>
  queryOptions({
    queryKey: appUserKeys.detail(projectId, id),
    queryFn: ({ signal }) =>
      api.get<AppUser>(`${usersPath(projectId)}/${encodeURIComponent(id)}`, { signal }),
  });

export const appUserSessionsQueryOptions = (projectId: string, id: string) =>
  queryOptions({
    queryKey: appUserKeys.sessions(projectId, id),
    queryFn: ({ signal }) =>
      api.get<{ sessions: AppUserSession[] }>(
        `${usersPath(projectId)}/${encodeURIComponent(id)}/sessions`,
        { signal },
      ),
  });

export const appUserRolesQueryOptions = (projectId: string, id: string) =>
  queryOptions({
    queryKey: appUserKeys.roles(projectId, id),
    queryFn: ({ signal }) =>
      api.get<{ app_user_id: string; roles: AssignableRole[] }>(
        `${projectPath(projectId)}/rbac/users/${encodeURIComponent(id)}/roles`,
        { signal },
      ),
  });

export const availableRolesQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: appUserKeys.availableRoles(projectId),
    queryFn: ({ signal }) =>
      api.get<AssignableRole[]>(`${projectPath(projectId)}/rbac/roles`, { signal }),
  });

/** Rows of one collection that this app user created, read as the admin. */
export const appUserRecordsQueryOptions = (projectId: string, id: string, collection: string) =>
  queryOptions({
    queryKey: appUserKeys.records(projectId, id, collection),
    queryFn: ({ signal }) =>
      api.get<{ records: Record<string, unknown>[]; total: number }>(
        `${projectPath(projectId)}/data/${encodeURIComponent(collection)}`,
        {
          signal,
          query: { created_by_app_user_id__eq: id, limit: 10, sort: '-created_at' },
        },
      ),
  });
