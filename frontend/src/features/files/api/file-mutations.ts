import { backend } from '@/lib/backend';
import { useApiMutation } from '@/lib/use-api-mutation';
import type { Bucket, BucketInput, BucketPolicyInput, StoredFile } from '../types';
import { filesPath, signUrl } from './files-query';
import { fileKeys } from './keys';

/** Create and settings dialogs show their errors inline. */
export function useCreateBucket(projectId: string) {
  return useApiMutation({
    mutationFn: (body: BucketInput) =>
      backend.request<Bucket>('POST', filesPath(projectId, 'buckets'), { body }),
    invalidate: [fileKeys.buckets(projectId)],
    success: (v) => `Bucket “${v.name ?? ''}” created`,
    errorToast: false,
  });
}

export function useUpdateBucket(projectId: string) {
  return useApiMutation({
    mutationFn: ({ name, body }: { name: string; body: BucketInput }) =>
      backend.request<Bucket>('PATCH', filesPath(projectId, 'buckets', name), { body }),
    invalidate: [fileKeys.buckets(projectId), fileKeys.files(projectId)],
    success: (v) => `Bucket “${v.name}” saved`,
    errorToast: false,
  });
}

/** PATCH replaces the whole list; kept policies send their id so they keep it. */
export function useSaveBucketPolicies(projectId: string) {
  return useApiMutation({
    mutationFn: ({
      name,
      policies,
    }: {
      name: string;
      policies: BucketPolicyInput[];
      done: string;
    }) =>
      backend.request<Bucket>('PATCH', filesPath(projectId, 'buckets', name), {
        body: { policies },
      }),
    invalidate: [fileKeys.buckets(projectId), fileKeys.files(projectId)],
    success: (v) => v.done,
    errorToast: false,
  });
}

export function useDeleteBucket(projectId: string) {
  return useApiMutation({
    mutationFn: (b: Bucket) =>
      backend.request<void>('DELETE', filesPath(projectId, 'buckets', b.name), {
        query: b.file_count > 0 ? { force: true } : {},
      }),
    invalidate: [fileKeys.buckets(projectId), fileKeys.files(projectId)],
    success: (b) => `Bucket “${b.name}” deleted`,
  });
}

export function useDeleteFile(projectId: string) {
  return useApiMutation({
    mutationFn: (f: StoredFile) => backend.request<void>('DELETE', filesPath(projectId, f.id)),
    invalidate: [fileKeys.files(projectId), fileKeys.buckets(projectId)],
    success: (f) => `“${f.original_filename}” deleted`,
  });
}

export function useSignedUrl(projectId: string) {
  return useApiMutation({
    mutationFn: (f: StoredFile) => signUrl(projectId, f.id, { expires_in: 3600 }),
  });
}
