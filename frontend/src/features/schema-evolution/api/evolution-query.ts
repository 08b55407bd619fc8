import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { backend } from '@/lib/backend';
import { schemaKeys, type FieldDef } from '@/lib/schema-meta';
import type { EvolutionParams, HistoryFilters } from '../types';
import { evolutionKeys } from './keys';

export const evolutionApi = (projectId: string) => backend.admin.schema(projectId).evolution;

export const pendingQueryOptions = (projectId: string, status: 'pending' | 'failed') =>
  queryOptions({
    queryKey: evolutionKeys.pending(projectId, status),
    queryFn: ({ signal }) => evolutionApi(projectId).pending({ status }, { signal }),
  });

export const aliasesQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: evolutionKeys.aliases(projectId),
    queryFn: ({ signal }) => evolutionApi(projectId).aliases({ signal }),
  });

export const safeConversionsQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: evolutionKeys.safe(projectId),
    queryFn: ({ signal }) => evolutionApi(projectId).safeConversions({ signal }),
    staleTime: Infinity,
  });

export const historyQueryOptions = (projectId: string, f: HistoryFilters) =>
  queryOptions({
    queryKey: evolutionKeys.history(projectId, f),
    queryFn: ({ signal }) =>
      evolutionApi(projectId).history(
        {
          collection_id: f.collectionId || undefined,
          op_type: f.opType || undefined,
          // One extra row tells whether a next page exists.
          limit: f.limit + 1,
          offset: f.offset,
        },
        { signal },
      ),
    placeholderData: keepPreviousData,
  });

export const previewQueryOptions = (
  projectId: string,
  collectionId: string,
  operation: string,
  params: EvolutionParams,
) =>
  queryOptions({
    queryKey: evolutionKeys.preview(projectId, collectionId, operation, params),
    queryFn: ({ signal }) =>
      evolutionApi(projectId).preview(collectionId, { operation, params }, { signal }),
    retry: false,
    staleTime: 0,
    gcTime: 0,
  });

/** Every field, soft-deleted ones included, so they can be restored or dropped. */
export const allFieldsQueryOptions = (projectId: string, collection: string) =>
  queryOptions({
    queryKey: [...schemaKeys.fields(projectId, collection), 'with-deleted'] as const,
    queryFn: ({ signal }): Promise<FieldDef[]> =>
      backend.admin
        .schema(projectId)
        .fields(collection)
        .list({ include_deleted: true, include_hidden: true }, { signal }),
  });

/** Project members, to show who made each schema change. */
export const actorsQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: [...evolutionKeys.project(projectId), 'actors'] as const,
    queryFn: () => backend.admin.projects.members.list(projectId),
    staleTime: 60_000,
  });
