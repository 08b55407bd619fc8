import { Upload, type HttpResponse } from 'tus-js-client';
import { BackendifyError } from './errors';
import { seg, type BinaryBody, type CallOptions, type SessionScope, type Transport } from './http';

/** A stored file (`GET …/files/{id}`). */
export interface StoredFile {
  id: string;
  filename: string;
  original_filename: string;
  /** Sniffed from the bytes, not taken from the upload. */
  content_type: string;
  size_bytes: number;
  bucket: string;
  is_public: boolean;
  /** Relative: `client.files.url(file)` makes it absolute. */
  download_url: string;
  created_by_app_user_id: string | null;
  created_at: string;
  collection_id?: string | null;
  record_id?: string | null;
  field_name?: string | null;
  uploaded_by_user_id?: string | null;
  checksum_sha256?: string | null;
  updated_at?: string;
}

export interface BucketPolicy {
  name: string;
  action: 'read' | 'write';
  effect?: 'allow' | 'deny';
  priority?: number;
  allowed_principals?: string[];
  allowed_roles?: string[];
  require_email_verified?: boolean;
  condition?: unknown;
}

export interface Bucket {
  id: string;
  name: string;
  is_public: boolean;
  max_size_bytes: number;
  allowed_types: string[] | null;
  policies: BucketPolicy[];
  file_count: number;
  total_bytes: number;
  created_at: string;
  updated_at: string;
}

export interface BucketInput {
  name: string;
  is_public?: boolean;
  max_size_bytes?: number;
  allowed_types?: string[] | null;
  policies?: BucketPolicy[];
}

/** Image variant of a download (sizes are presets unless the URL is signed). */
export interface VariantOptions {
  width?: number;
  height?: number;
  fit?: 'cover' | 'contain' | 'inside' | 'outside' | 'fill';
  format?: 'webp' | 'avif' | 'jpeg';
}

export interface UploadOptions {
  /** Default `default`. */
  bucket?: string;
  /** The name kept as `original_filename` (a `File` has its own). */
  filename?: string;
  /** Declared type; the server sniffs the bytes anyway. */
  contentType?: string;
  is_public?: boolean;
}

export interface ResumableUploadOptions extends UploadOptions {
  /** Bytes per PATCH; default 5 MiB. Each finished chunk survives a lost connection. */
  chunkSize?: number;
  /** Called as bytes go up. */
  onProgress?: (sent: number, total: number) => void;
  /** Waits between retries after a network error (ms); default [0, 1000, 3000, 5000]. */
  retryDelays?: number[];
  /** Continue an upload that was interrupted: its URL, as `onUrl` gave it. */
  resumeUrl?: string;
  /** The upload's URL once created: keep it to resume after a restart. */
  onUrl?: (url: string) => void;
}

/** Files and buckets of one project (`/api/projects/{pid}/files`). */
export interface FilesApi {
  buckets: {
    list(call?: CallOptions): Promise<Bucket[]>;
    get(name: string, call?: CallOptions): Promise<Bucket>;
    create(input: BucketInput): Promise<Bucket>;
    update(name: string, patch: Partial<BucketInput>): Promise<Bucket>;
    /** A bucket with files needs `force` (its files go too). */
    delete(name: string, options?: { force?: boolean }): Promise<void>;
  };
  /**
   * One multipart upload, streamed to storage by the server. `data` is a `Blob`/`File` in
   * browsers, or bytes (`Uint8Array`, `Buffer`) anywhere.
   */
  upload(data: BinaryBody, options?: UploadOptions): Promise<StoredFile>;
  /**
   * A resumable upload (tus 1.0) in chunks, with progress; retried on network errors and resumable
   * with `resumeUrl` after a restart. `data`: a `Blob`/`File` in browsers, a `Buffer` in Node.
   */
  uploadResumable(data: BinaryBody, options?: ResumableUploadOptions): Promise<StoredFile>;
  list(
    query?: {
      bucket?: string;
      collection_id?: string;
      record_id?: string;
      limit?: number;
      offset?: number;
    },
    call?: CallOptions,
  ): Promise<StoredFile[]>;
  get(fileId: string, call?: CallOptions): Promise<StoredFile>;
  stats(call?: CallOptions): Promise<{ file_count: number; total_bytes: number; total_mb: number }>;
  delete(fileId: string): Promise<void>;
  /** The file's bytes (or an image variant's). */
  download(fileId: string, variant?: VariantOptions, call?: CallOptions): Promise<Uint8Array>;
  /** A URL anyone may GET until `expires_at` (absolute). */
  signedUrl(
    fileId: string,
    options?: { expires_in?: number } & VariantOptions,
  ): Promise<{ url: string; expires_at: string }>;
  /** A URL that uploads one file into `bucket` with a PUT of the bytes, no other credentials (absolute). */
  signedUploadUrl(input: {
    bucket: string;
    filename: string;
    content_type?: string;
    expires_in?: number;
  }): Promise<{ url: string; expires_at: string; method: 'PUT' }>;
  /** The absolute URL of a path the server answered (`download_url`, a signed `url`). */
  url(path: string | { download_url: string }): string;
}

interface FormDataLike {
  append(name: string, value: unknown, filename?: string): void;
}

const CHUNK = 5 * 1024 * 1024;

export function createFilesApi(
  http: Transport,
  projectId: string,
  session: SessionScope,
): FilesApi {
  const base = `/api/projects/${seg(projectId)}/files`;
  const bucketPath = (name?: string) =>
    `${base}/buckets${name === undefined ? '' : `/${seg(name)}`}`;
  const absolute = (path: string) => (/^https?:/i.test(path) ? path : `${http.origin}${path}`);
  const files: FilesApi = {
    buckets: {
      list: (call) => http.request('GET', bucketPath(), { session, ...call }),
      get: (name, call) => http.request('GET', bucketPath(name), { session, ...call }),
      create: (body) => http.request('POST', bucketPath(), { body, session }),
      update: (name, body) => http.request('PATCH', bucketPath(name), { body, session }),
      delete: (name, options) =>
        http.request('DELETE', bucketPath(name), {
          query: { force: options?.force ? 'true' : undefined },
          session,
        }),
    },
    upload(data, options = {}) {
      const FormDataCtor = (globalThis as { FormData?: new () => FormDataLike }).FormData;
      const BlobCtor = (globalThis as { Blob?: new (parts: unknown[], o?: object) => object }).Blob;
      if (!FormDataCtor || !BlobCtor)
        throw new Error('No FormData in this runtime (Node 18+ has it)');
      const form = new FormDataCtor();
      // Fields before the file, so the bucket's limits apply while the bytes stream.
      form.append('bucket', options.bucket ?? 'default');
      if (options.is_public !== undefined) form.append('is_public', String(options.is_public));
      const isBlob = typeof (data as { arrayBuffer?: unknown }).arrayBuffer === 'function';
      const blob = isBlob
        ? data
        : new BlobCtor([data], { type: options.contentType ?? 'application/octet-stream' });
      const name = options.filename ?? (data as { name?: string }).name ?? 'file';
      form.append('file', blob, name);
      return http.request('POST', `${base}/upload`, { raw: form, session });
    },
    async uploadResumable(data, options = {}) {
      const creds = await http.credentials(session);
      const headers: Record<string, string> = {};
      if (creds.token) headers.authorization = `Bearer ${creds.token}`;
      else if (creds.apiKey) headers['x-api-key'] = creds.apiKey;
      const name = options.filename ?? (data as { name?: string }).name ?? 'file';
      let fileId: string | null = null;
      await new Promise<void>((resolve, reject) => {
        const upload = new Upload(data as never, {
          endpoint: absolute(`${base}/tus`),
          uploadUrl: options.resumeUrl ?? null,
          chunkSize: options.chunkSize ?? CHUNK,
          retryDelays: options.retryDelays ?? [0, 1000, 3000, 5000],
          headers,
          metadata: {
            bucket: options.bucket ?? 'default',
            filename: name,
            ...(options.contentType && { filetype: options.contentType }),
          },
          // The server keys uploads by URL; a fingerprint store is the caller's `resumeUrl`.
          storeFingerprintForResuming: false,
          onProgress: options.onProgress ?? null,
          onAfterResponse: (_req, res: HttpResponse) => {
            const id = res.getHeader('Backendify-File-Id');
            if (id) fileId = id;
            if (upload.url && options.onUrl) {
              options.onUrl(upload.url);
              options.onUrl = undefined;
            }
          },
          onError: (err) => reject(toError(err)),
          onSuccess: () => resolve(),
        });
        upload.start();
      });
      if (!fileId)
        throw new Error('The server did not name the uploaded file (Backendify-File-Id)');
      return files.get(fileId);
    },
    list: (query, call) => http.request('GET', base, { query: { ...query }, session, ...call }),
    get: (fileId, call) => http.request('GET', `${base}/${seg(fileId)}`, { session, ...call }),
    stats: (call) => http.request('GET', `${base}/stats`, { session, ...call }),
    delete: (fileId) => http.request('DELETE', `${base}/${seg(fileId)}`, { session }),
    download: (fileId, variant, call) =>
      http.request('GET', `${base}/${seg(fileId)}/download`, {
        query: { ...variant },
        response: 'bytes',
        session,
        ...call,
      }),
    async signedUrl(fileId, options = {}) {
      const res = await http.request<{ url: string; expires_at: string }>(
        'POST',
        `${base}/${seg(fileId)}/signed-url`,
        { body: options, session },
      );
      return { ...res, url: absolute(res.url) };
    },
    async signedUploadUrl(input) {
      const res = await http.request<{ url: string; expires_at: string; method: 'PUT' }>(
        'POST',
        `${base}/signed-upload-url`,
        { body: input, session },
      );
      return { ...res, url: absolute(res.url) };
    },
    url: (path) => absolute(typeof path === 'string' ? path : path.download_url),
  };
  return files;
}

/** tus-js-client's DetailedError → a BackendifyError with the server's status and message. */
function toError(err: unknown): Error {
  const res = (err as { originalResponse?: HttpResponse | null }).originalResponse;
  if (res) {
    const body = res.getBody();
    let detail = body?.trim() || `Upload failed with status ${res.getStatus()}`;
    let code: string | undefined;
    try {
      const parsed = JSON.parse(body) as { detail?: string; code?: string };
      detail = parsed.detail ?? detail;
      code = parsed.code;
    } catch {
      // A tus error answer is plain text.
    }
    return new BackendifyError(res.getStatus(), { detail, ...(code && { code }) });
  }
  return err instanceof Error ? err : new Error(String(err));
}
