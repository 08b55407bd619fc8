import { keepPreviousData, queryOptions, useQuery, useSuspenseQuery } from '@tanstack/react-query';
import { backend } from '@/lib/backend';
import type { PreviewResult, View, ViewVersion } from '../types';
import { viewKeys } from './keys';

export const viewsPath = (projectId: string, ...rest: string[]) =>
  [`/api/projects/${encodeURIComponent(projectId)}/views`, ...rest.map(encodeURIComponent)].join(
    '/',
  );

export const viewsQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: viewKeys.list(projectId),
    queryFn: ({ signal }) => backend.request<View[]>('GET', viewsPath(projectId), { signal }),
  });

export function useViews(projectId: string) {
  return useSuspenseQuery(viewsQueryOptions(projectId));
}

export function useViewVersions(projectId: string, name: string | null) {
  return useQuery({
    queryKey: viewKeys.versions(projectId, name ?? ''),
    queryFn: ({ signal }) =>
      backend.request<ViewVersion[]>('GET', viewsPath(projectId, name ?? '', 'versions'), {
        signal,
      }),
    enabled: name !== null,
  });
}

/** Compiles and runs a (possibly unsaved) definition: SQL, bind values, columns and rows. */
export function usePreview(projectId: string, body: Record<string, unknown> | null) {
  return useQuery({
    queryKey: viewKeys.preview(projectId, body),
    queryFn: ({ signal }) =>
      backend.request<PreviewResult>('POST', viewsPath(projectId, 'preview'), { body, signal }),
    enabled: body !== null,
    placeholderData: keepPreviousData,
    retry: false,
  });
}
