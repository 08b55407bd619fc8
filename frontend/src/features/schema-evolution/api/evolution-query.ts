import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { collectionsBase, schemaKeys, type FieldDef } from '@/lib/schema-meta';
import type {
  Aliases,
  EvolutionParams,
  HistoryFilters,
  PendingChange,
  PreviewResult,
  SafeConversion,
  SchemaOp,
} from '../types';
import { evolutionKeys } from './keys';

export const projectPath = (projectId: string) => `/api/projects/${encodeURIComponent(projectId)}`;
export const evolutionBase = (projectId: string) => `${projectPath(projectId)}/schema/evolution`;

export const pendingQueryOptions = (projectId: string, status: 'pending' | 'failed') =>
  queryOptions({
    queryKey: evolutionKeys.pending(projectId, status),
    queryFn: ({ signal }) =>
      api.get<PendingChange[]>(`${evolutionBase(projectId)}/pending`, {
        signal,
        query: { status },
      }),
  });

export const aliasesQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: evolutionKeys.aliases(projectId),
    queryFn: ({ signal }) => api.get<Aliases>(`${evolutionBase(projectId)}/aliases`, { signal }),
  });

export const safeConversionsQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: evolutionKeys.safe(projectId),
    queryFn: ({ signal }) =>
      api.get<{ safe_conversions: SafeConversion[] }>(
        `${evolutionBase(projectId)}/safe-conversions`,
        { signal },
      ),
    staleTime: Infinity,
  });

export const historyQueryOptions = (projectId: string, f: HistoryFilters) =>
  queryOptions({
    queryKey: evolutionKeys.history(projectId, f),
    queryFn: ({ signal }) =>
      api.get<SchemaOp[]>(`${projectPath(projectId)}/audit/schema-ops`, {
        signal,
        // One extra row tells whether a next page exists.
        query: {
          collection_id: f.collectionId,
          op_type: f.opType,
          limit: f.limit + 1,
          offset: f.offset,
        },
      }),
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
      api.post<PreviewResult>(
        `${evolutionBase(projectId)}/collections/${encodeURIComponent(collectionId)}/preview-migration`,
        { operation, params },
        { signal },
      ),
    retry: false,
    staleTime: 0,
    gcTime: 0,
  });

/** Every field, soft-deleted ones included, so they can be restored or dropped. */
export const allFieldsQueryOptions = (projectId: string, collection: string) =>
  queryOptions({
    queryKey: [...schemaKeys.fields(projectId, collection), 'with-deleted'] as const,
    queryFn: ({ signal }) =>
      api.get<FieldDef[]>(
        `${collectionsBase(projectId)}/${encodeURIComponent(collection)}/fields`,
        {
          signal,
          query: { include_deleted: true, include_hidden: true },
        },
      ),
  });

/** Project members, to show who made each schema change. */
export const actorsQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: [...evolutionKeys.project(projectId), 'actors'] as const,
    queryFn: ({ signal }) =>
      api.get<{ user_id: string; email: string }[]>(`${projectPath(projectId)}/members`, {
        signal,
      }),
    staleTime: 60_000,
  });
