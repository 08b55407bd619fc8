import { queryOptions } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Relation, RelationOptions } from '../types';
import { relationKeys } from './keys';

export const relationsBase = (projectId: string) =>
  `/api/projects/${encodeURIComponent(projectId)}/schema/relations`;

export const relationsQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: relationKeys.list(projectId),
    queryFn: ({ signal }) => api.get<Relation[]>(relationsBase(projectId), { signal }),
  });

export const relationOptionsQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: relationKeys.options(projectId),
    queryFn: ({ signal }) =>
      api.get<RelationOptions>(`${relationsBase(projectId)}/relation-options`, { signal }),
    staleTime: Infinity,
  });
