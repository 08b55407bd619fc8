import { queryOptions } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { RuleType, ValidationRule } from '../types';
import { validationKeys } from './keys';

export const validationsBase = (projectId: string) =>
  `/api/projects/${encodeURIComponent(projectId)}/validations`;

export const rulesPath = (projectId: string, collection: string, field: string) =>
  `${validationsBase(projectId)}/collections/${encodeURIComponent(collection)}/fields/${encodeURIComponent(field)}/rules`;

export const ruleTypesQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: validationKeys.ruleTypes(projectId),
    queryFn: ({ signal }) =>
      api.get<{ rule_types: RuleType[] }>(`${validationsBase(projectId)}/rule-types`, { signal }),
    staleTime: Infinity,
  });

export const rulesQueryOptions = (projectId: string, collection: string, field: string) =>
  queryOptions({
    queryKey: validationKeys.rules(projectId, collection, field),
    queryFn: ({ signal }) =>
      api.get<ValidationRule[]>(rulesPath(projectId, collection, field), {
        signal,
        query: { include_inactive: true },
      }),
  });
