import {
  keepPreviousData,
  queryOptions,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { toast } from '@/components/ui/toast';
import { api, apiDownload, errorMessage, type QueryParams } from '@/lib/api-client';
import type { RecordList, RecordRow } from '../types';

export const dataKeys = {
  all: ['data'] as const,
  collection: (projectId: string, collection: string) =>
    [...dataKeys.all, projectId, collection] as const,
  list: (projectId: string, collection: string, params: QueryParams) =>
    [...dataKeys.collection(projectId, collection), 'list', params] as const,
  picker: (projectId: string, collection: string, search: string) =>
    [...dataKeys.collection(projectId, collection), 'picker', search] as const,
};

export const dataBase = (projectId: string, collection: string) =>
  `/api/projects/${encodeURIComponent(projectId)}/data/${encodeURIComponent(collection)}`;

export const recordsQueryOptions = (projectId: string, collection: string, params: QueryParams) =>
  queryOptions({
    queryKey: dataKeys.list(projectId, collection, params),
    queryFn: ({ signal }) =>
      api.get<RecordList>(dataBase(projectId, collection), { signal, query: params }),
    placeholderData: keepPreviousData,
  });

export function useRecords(projectId: string, collection: string, params: QueryParams) {
  return useQuery(recordsQueryOptions(projectId, collection, params));
}

/** Records of a relation's target collection, for the picker. */
export function usePickerRecords(
  projectId: string,
  collection: string | undefined,
  search: string,
) {
  return useQuery({
    queryKey: dataKeys.picker(projectId, collection ?? '', search),
    queryFn: ({ signal }) =>
      api.get<RecordList>(dataBase(projectId, collection ?? ''), {
        signal,
        query: { limit: 20, search: search || undefined, count: false },
      }),
    enabled: !!collection,
    placeholderData: keepPreviousData,
  });
}

function useRecordMutation<TVars, TResult>(
  projectId: string,
  collection: string,
  fn: (vars: TVars) => Promise<TResult>,
  success: ((vars: TVars, result: TResult) => string) | null,
  { toastErrors = true } = {},
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (result, vars) => {
      void queryClient.invalidateQueries({ queryKey: dataKeys.collection(projectId, collection) });
      if (success) toast.success(success(vars, result));
    },
    onError: toastErrors ? (error) => toast.error(errorMessage(error)) : undefined,
  });
}

const one = (projectId: string, collection: string, id: string | number) =>
  `${dataBase(projectId, collection)}/${encodeURIComponent(String(id))}`;

export function useCreateRecord(projectId: string, collection: string) {
  return useRecordMutation(
    projectId,
    collection,
    (body: Record<string, unknown>) => api.post<RecordRow>(dataBase(projectId, collection), body),
    (_v, r) => `Record ${String(r.id)} created`,
    { toastErrors: false },
  );
}

/** `inline` edits (grid cells) show errors as toasts; the dialog shows them in its form. */
export function useUpdateRecord(projectId: string, collection: string, { inline = false } = {}) {
  return useRecordMutation(
    projectId,
    collection,
    ({ id, body }: { id: string | number; body: Record<string, unknown> }) =>
      api.patch<RecordRow>(one(projectId, collection, id), body),
    (v) => `Record ${String(v.id)} updated`,
    { toastErrors: inline },
  );
}

export function useDeleteRecord(projectId: string, collection: string) {
  return useRecordMutation(
    projectId,
    collection,
    (id: string | number) => api.delete(one(projectId, collection, id)),
    (id) => `Record ${String(id)} deleted`,
  );
}

export function useBulkDelete(projectId: string, collection: string) {
  return useRecordMutation(
    projectId,
    collection,
    (ids: (string | number)[]) =>
      api.post<{ deleted: unknown[] }>(`${dataBase(projectId, collection)}/bulk`, { delete: ids }),
    (ids) => `${ids.length} record${ids.length === 1 ? '' : 's'} deleted`,
  );
}

export function useImportRecords(projectId: string, collection: string) {
  return useRecordMutation(
    projectId,
    collection,
    async (file: File) => {
      const text = await file.text();
      const isJson = file.name.toLowerCase().endsWith('.json') || file.type.includes('json');
      return api.post<{ inserted: number }>(
        `${dataBase(projectId, collection)}/import`,
        undefined,
        {
          rawBody: text,
          contentType: isJson ? 'application/json' : 'text/csv',
        },
      );
    },
    (_f, r) => `Imported ${r.inserted} record${r.inserted === 1 ? '' : 's'}`,
    { toastErrors: false },
  );
}

/** Downloads the collection (with the current filters) as CSV or JSON. */
export async function exportRecords(
  projectId: string,
  collection: string,
  format: 'csv' | 'json',
  query: QueryParams,
): Promise<void> {
  const { blob, filename } = await apiDownload(`${dataBase(projectId, collection)}/export`, {
    query: { ...query, format },
  });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename ?? `${collection}.${format}`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}
