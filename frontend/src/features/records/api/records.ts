import type { ListParams } from '@backendify/client';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { backend, compactQuery, type QueryParams } from '@/lib/backend';
import { useApiMutation } from '@/lib/use-api-mutation';
import type { RecordList, RecordRow } from '../types';

export const dataKeys = {
  all: ['data'] as const,
  collection: (projectId: string, collection: string) =>
    [...dataKeys.all, projectId, collection] as const,
  list: (projectId: string, collection: string, params: QueryParams) =>
    [...dataKeys.collection(projectId, collection), 'list', params] as const,
  picker: (projectId: string, collection: string, search: string) =>
    [...dataKeys.collection(projectId, collection), 'picker', search] as const,
  one: (projectId: string, collection: string, id: string) =>
    [...dataKeys.collection(projectId, collection), 'one', id] as const,
  history: (projectId: string, collection: string, id: string) =>
    [...dataKeys.collection(projectId, collection), 'history', id] as const,
};

const records = (projectId: string, collection: string) =>
  backend.project(projectId).collection<Record<string, unknown>>(collection);

/** The explorer's `field__op` filters and options, as the data API reads them from the URL. */
const listParams = (params: QueryParams) => compactQuery(params) as ListParams<RecordRow>;

export const recordsQueryOptions = (projectId: string, collection: string, params: QueryParams) =>
  queryOptions({
    queryKey: dataKeys.list(projectId, collection, params),
    queryFn: ({ signal }): Promise<RecordList> =>
      records(projectId, collection).list(listParams(params), { signal }),
    placeholderData: keepPreviousData,
  });

export function useRecords(
  projectId: string,
  collection: string,
  params: QueryParams,
  { enabled = true } = {},
) {
  return useQuery({ ...recordsQueryOptions(projectId, collection, params), enabled });
}

/** Records of a relation's target collection, for the picker. */
export function usePickerRecords(
  projectId: string,
  collection: string | undefined,
  search: string,
) {
  return useQuery({
    queryKey: dataKeys.picker(projectId, collection ?? '', search),
    queryFn: ({ signal }): Promise<RecordList> =>
      records(projectId, collection ?? '').list(
        { limit: 20, search: search || undefined, count: false },
        { signal },
      ),
    enabled: !!collection,
    placeholderData: keepPreviousData,
  });
}

/** One record of a relation's target, so a picker can show the chosen record's display field. */
export function usePickedRecord(projectId: string, collection: string | undefined, id: string) {
  return useQuery({
    queryKey: dataKeys.one(projectId, collection ?? '', id),
    queryFn: ({ signal }): Promise<RecordRow> =>
      records(projectId, collection ?? '').get(id, undefined, { signal }) as Promise<RecordRow>,
    enabled: !!collection && id !== '',
    staleTime: 60_000,
    retry: false,
  });
}

const stale = (projectId: string, collection: string) => [
  dataKeys.collection(projectId, collection),
];

/** The record dialog shows create errors inline. */
export function useCreateRecord(projectId: string, collection: string) {
  return useApiMutation({
    mutationFn: (body: Record<string, unknown>) => records(projectId, collection).create(body),
    invalidate: stale(projectId, collection),
    success: (_v, r) => `Record ${String(r.id)} created`,
    errorToast: false,
  });
}

/** `inline` edits (grid cells) show errors as toasts; the dialog shows them in its form. */
export function useUpdateRecord(projectId: string, collection: string, { inline = false } = {}) {
  return useApiMutation({
    mutationFn: ({ id, body }: { id: string | number; body: Record<string, unknown> }) =>
      records(projectId, collection).update(id, body),
    invalidate: stale(projectId, collection),
    success: (v) => `Record ${String(v.id)} updated`,
    errorToast: inline,
  });
}

export function useDeleteRecord(projectId: string, collection: string) {
  return useApiMutation({
    mutationFn: (id: string | number) => records(projectId, collection).delete(id),
    invalidate: stale(projectId, collection),
    success: (id) => `Record ${String(id)} deleted`,
  });
}

export function useBulkDelete(projectId: string, collection: string) {
  return useApiMutation({
    mutationFn: (ids: (string | number)[]) => records(projectId, collection).bulk({ delete: ids }),
    invalidate: stale(projectId, collection),
    success: (ids) => `${ids.length} record${ids.length === 1 ? '' : 's'} deleted`,
  });
}

/** The import dialog shows errors (with their rows) itself. */
export function useImportRecords(projectId: string, collection: string) {
  return useApiMutation({
    mutationFn: ({ body, format }: { body: string; format: 'csv' | 'json' }) =>
      records(projectId, collection).import(body, { format }),
    invalidate: stale(projectId, collection),
    success: (_f, r) => `Imported ${r.inserted} record${r.inserted === 1 ? '' : 's'}`,
    errorToast: false,
  });
}

/** Downloads the collection (with the current filters) as CSV or JSON. */
export async function exportRecords(
  projectId: string,
  collection: string,
  format: 'csv' | 'json',
  query: QueryParams,
): Promise<void> {
  const text = await records(projectId, collection).export({ ...listParams(query), format });
  const blob = new Blob([text], { type: format === 'csv' ? 'text/csv' : 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  // The server names the file the same way in its Content-Disposition.
  a.download = `${collection}.${format}`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}
