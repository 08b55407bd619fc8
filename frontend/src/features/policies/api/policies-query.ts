import { queryOptions } from '@tanstack/react-query';
import { backend } from '@/lib/backend';
import type { PolicyAction } from '../types';
import { policyKeys } from './keys';

export const policiesApi = (projectId: string, collection: string) =>
  backend.admin.schema(projectId).policies(collection);

export const policiesQueryOptions = (projectId: string, collection: string) =>
  queryOptions({
    queryKey: policyKeys.list(projectId, collection),
    queryFn: ({ signal }) =>
      policiesApi(projectId, collection).list({ include_inactive: true }, { signal }),
  });

export const explainQueryOptions = (
  projectId: string,
  collection: string,
  action: PolicyAction,
  as: string,
) =>
  queryOptions({
    queryKey: policyKeys.explain(projectId, collection, action, as),
    queryFn: ({ signal }) =>
      policiesApi(projectId, collection).explain({ action, as: as || undefined }, { signal }),
    retry: false,
  });

export const policyRolesQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: policyKeys.roles(projectId),
    queryFn: ({ signal }) => backend.admin.rbac(projectId).roles({ signal }),
  });

export const policyAppUsersQueryOptions = (projectId: string, search: string) =>
  queryOptions({
    queryKey: policyKeys.appUsers(projectId, search),
    queryFn: ({ signal }) =>
      backend.admin
        .appUsers(projectId)
        .list({ search: search || undefined, limit: 50 }, { signal }),
  });
