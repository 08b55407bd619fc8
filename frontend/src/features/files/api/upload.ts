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
