import { queryOptions, useQuery, useSuspenseQuery } from '@tanstack/react-query';
import { backend } from '@/lib/backend';
import type { Bucket, SignedUrl, StoredFile } from '../types';
import { hasThumbnail } from '../types';
import { fileKeys } from './keys';

export const FILE_PAGE_SIZE = 200;

export const filesPath = (projectId: string, ...rest: string[]) =>
  [`/api/projects/${encodeURIComponent(projectId)}/files`, ...rest.map(encodeURIComponent)].join(
    '/',
  );

export const bucketsQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: fileKeys.buckets(projectId),
    queryFn: ({ signal }) =>
      backend.request<Bucket[]>('GET', filesPath(projectId, 'buckets'), { signal }),
  });

export function useBuckets(projectId: string) {
  return useSuspenseQuery(bucketsQueryOptions(projectId));
}

export function useBucketFiles(projectId: string, bucket: string | undefined) {
  return useQuery({
    queryKey: fileKeys.bucketFiles(projectId, bucket ?? ''),
    queryFn: ({ signal }) =>
      backend.request<StoredFile[]>('GET', filesPath(projectId), {
        signal,
        query: { bucket: bucket ?? '', limit: FILE_PAGE_SIZE },
      }),
    enabled: bucket !== undefined,
  });
}

export function signUrl(
  projectId: string,
  fileId: string,
  body: { expires_in?: number; width?: number; format?: 'webp' } = {},
) {
  return backend.request<SignedUrl>('POST', filesPath(projectId, fileId, 'signed-url'), { body });
}

const THUMB = { width: 256, format: 'webp' } as const;

/**
 * Where an <img> can load a file from: public files straight from the download route (a preset
 * size needs no signature), private ones through a signed URL, since an <img> sends no token.
 */
export function useFileImageUrl(projectId: string, file: StoredFile, thumbnail: boolean) {
  const variant = thumbnail ? 'thumb' : 'full';
  const direct = thumbnail
    ? `${file.download_url}?width=${THUMB.width}&format=${THUMB.format}`
    : file.download_url;
  const signed = useQuery({
    queryKey: fileKeys.thumbnail(projectId, file.id, variant),
    queryFn: () =>
      signUrl(projectId, file.id, { expires_in: 3600, ...(thumbnail ? THUMB : {}) }).then(
        (s) => s.url,
      ),
    enabled: hasThumbnail(file) && !file.is_public,
    staleTime: 50 * 60 * 1000,
  });
  if (!hasThumbnail(file)) return undefined;
  return file.is_public ? direct : signed.data;
}

/** Role names offered in bucket policies (the same roles collections use). */
export const bucketRolesQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: fileKeys.roles(projectId),
    queryFn: ({ signal }) => backend.admin.rbac(projectId).roles({ signal }),
  });
