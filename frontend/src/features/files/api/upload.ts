import { DetailedError, Upload } from 'tus-js-client';
import { tokenStore } from '@/lib/backend';
import type { StoredFile } from '../types';
import { filesPath } from './files-query';

export class UploadError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/**
 * Multipart upload with progress (fetch has no upload progress). `bucket` goes before `file` so
 * the server applies the bucket's type and size limits while the bytes stream.
 */
export function uploadFile(
  projectId: string,
  bucket: string,
  file: File,
  onProgress: (fraction: number) => void,
): { promise: Promise<StoredFile>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<StoredFile>((resolve, reject) => {
    xhr.open('POST', filesPath(projectId, 'upload'));
    const token = tokenStore.get()?.accessToken;
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.responseType = 'text';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(body as StoredFile);
        return;
      }
      const detail =
        body && typeof body === 'object' && 'detail' in body && typeof body.detail === 'string'
          ? body.detail
          : `Upload failed (${xhr.status})`;
      reject(new UploadError(detail, xhr.status));
    };
    xhr.onerror = () => reject(new UploadError('Network error during upload', 0));
    xhr.onabort = () => reject(new UploadError('Upload cancelled', 0));
    const form = new FormData();
    form.append('bucket', bucket);
    form.append('file', file, file.name);
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}

/** Files from this size go up resumably (tus 1.0) in chunks; smaller ones as one multipart. */
export const RESUMABLE_FROM_BYTES = 4 * 1024 * 1024;
const CHUNK_BYTES = 2 * 1024 * 1024;

/**
 * A tus upload: retried with backoff on network errors, and a later call with the same File
 * (the Retry button) resumes from the offset the server already holds.
 */
export function resumableUpload(
  projectId: string,
  bucket: string,
  file: File,
  onProgress: (fraction: number) => void,
): { promise: Promise<void>; abort: () => void } {
  const live: { upload?: Upload; reject?: (e: Error) => void } = {};
  const promise = new Promise<void>((resolve, reject) => {
    live.reject = reject;
    const upload = new Upload(file, {
      endpoint: new URL(filesPath(projectId, 'tus'), window.location.origin).toString(),
      chunkSize: CHUNK_BYTES,
      retryDelays: [0, 1000, 3000, 5000],
      metadata: { bucket, filename: file.name, filetype: file.type || 'application/octet-stream' },
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      onBeforeRequest: (req) => {
        const token = tokenStore.get()?.accessToken;
        if (token) req.setHeader('Authorization', `Bearer ${token}`);
      },
      onProgress: (sent, total) => total > 0 && onProgress(sent / total),
      onSuccess: () => {
        onProgress(1);
        resolve();
      },
      onError: (error) => {
        const res = error instanceof DetailedError ? error.originalResponse : null;
        let detail = error.message;
        try {
          const body = JSON.parse(res?.getBody() ?? '') as { detail?: unknown };
          if (typeof body.detail === 'string') detail = body.detail;
        } catch {
          // Not a JSON answer: keep tus-js-client's message.
        }
        reject(new UploadError(detail, res?.getStatus() ?? 0));
      },
    });
    live.upload = upload;
    void upload.findPreviousUploads().then((previous) => {
      if (previous[0]) upload.resumeFromPreviousUpload(previous[0]);
      upload.start();
    });
  });
  return {
    promise,
    abort: () => {
      void live.upload?.abort(true);
      live.reject?.(new UploadError('Upload cancelled', 0));
    },
  };
}
