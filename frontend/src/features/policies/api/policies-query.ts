import { queryOptions } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { ExplainResult, Policy, PolicyAppUser, PolicyRole } from '../types';
import { policyKeys } from './keys';

export const projectPath = (projectId: string) => `/api/projects/${encodeURIComponent(projectId)}`;
export const policiesPath = (projectId: string, collection: string) =>
  `${projectPath(projectId)}/schema/collections/${encodeURIComponent(collection)}/policies`;

export const policiesQueryOptions = (projectId: string, collection: string) =>
  queryOptions({
    queryKey: policyKeys.list(projectId, collection),
    queryFn: ({ signal }) =>
      api.get<Policy[]>(policiesPath(projectId, collection), {
        signal,
        query: { include_inactive: true },
      }),
  });

export const explainQueryOptions = (
  projectId: string,
  collection: string,
  action: string,
  as: string,
) =>
  queryOptions({
    queryKey: policyKeys.explain(projectId, collection, action, as),
    queryFn: ({ signal }) =>
      api.get<ExplainResult>(`${policiesPath(projectId, collection)}/explain`, {
        signal,
        query: { action, as },
      }),
    retry: false,
  });

export const policyRolesQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: policyKeys.roles(projectId),
    queryFn: ({ signal }) =>
      api.get<PolicyRole[]>(`${projectPath(projectId)}/rbac/roles`, { signal }),
  });

export const policyAppUsersQueryOptions = (projectId: string, search: string) =>
  queryOptions({
    queryKey: policyKeys.appUsers(projectId, search),
    queryFn: ({ signal }) =>
      api
        .get<PolicyAppUser[]>(`${projectPath(projectId)}/settings/auth/users`, {
          signal,
          query: { search, limit: 50 },
        })
        .then((users) => ({ users })),
  });
