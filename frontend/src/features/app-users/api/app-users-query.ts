import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { backend } from '@/lib/backend';
import { USERS_PAGE_SIZE } from '../types';
import { appUserKeys } from './keys';

export const appUsersQueryOptions = (projectId: string, search: string, page: number) =>
  queryOptions({
    queryKey: appUserKeys.list(projectId, search, page),
    queryFn: ({ signal }) =>
      backend.admin.appUsers(projectId).list(
        {
          search: search || undefined,
          limit: USERS_PAGE_SIZE,
          offset: (page - 1) * USERS_PAGE_SIZE,
        },
        { signal },
      ),
    placeholderData: keepPreviousData,
  });

export const appUserQueryOptions = (projectId: string, id: string) =>
  queryOptions({
    queryKey: appUserKeys.detail(projectId, id),
    queryFn: ({ signal }) => backend.admin.appUsers(projectId).get(id, { signal }),
  });

export const appUserSessionsQueryOptions = (projectId: string, id: string) =>
  queryOptions({
    queryKey: appUserKeys.sessions(projectId, id),
    queryFn: ({ signal }) => backend.admin.appUsers(projectId).sessions(id, { signal }),
  });

export const appUserRolesQueryOptions = (projectId: string, id: string) =>
  queryOptions({
    queryKey: appUserKeys.roles(projectId, id),
    queryFn: ({ signal }) => backend.admin.rbac(projectId).userRoles(id, { signal }),
  });

export const availableRolesQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: appUserKeys.availableRoles(projectId),
    queryFn: ({ signal }) => backend.admin.rbac(projectId).roles({ signal }),
  });

/** Rows of one collection that this app user created, read as the admin. */
export const appUserRecordsQueryOptions = (projectId: string, id: string, collection: string) =>
  queryOptions({
    queryKey: appUserKeys.records(projectId, id, collection),
    queryFn: ({ signal }) =>
      backend
        .project(projectId)
        .collection(collection)
        .list({ created_by_app_user_id__eq: id, limit: 10, sort: '-created_at' }, { signal }),
  });
