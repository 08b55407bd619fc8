import { queryOptions } from '@tanstack/react-query';
import { backend } from '@/lib/backend';
import { relationKeys } from './keys';

export const relationsQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: relationKeys.list(projectId),
    queryFn: ({ signal }) => backend.admin.schema(projectId).relations.list(undefined, { signal }),
  });

export const relationOptionsQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: relationKeys.options(projectId),
    queryFn: ({ signal }) => backend.admin.schema(projectId).relations.options({ signal }),
    staleTime: Infinity,
  });
