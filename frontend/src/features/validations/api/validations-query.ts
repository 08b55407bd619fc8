import { queryOptions } from '@tanstack/react-query';
import { backend } from '@/lib/backend';
import { validationKeys } from './keys';

export const validationsApi = (projectId: string) => backend.admin.schema(projectId).validations;

export const ruleTypesQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: validationKeys.ruleTypes(projectId),
    queryFn: ({ signal }) => validationsApi(projectId).ruleTypes({ signal }),
    staleTime: Infinity,
  });

export const rulesQueryOptions = (projectId: string, collection: string, field: string) =>
  queryOptions({
    queryKey: validationKeys.rules(projectId, collection, field),
    queryFn: ({ signal }) =>
      validationsApi(projectId).list(collection, field, { include_inactive: true }, { signal }),
  });
