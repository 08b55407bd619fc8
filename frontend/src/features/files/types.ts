export interface Bucket {
  id: string;
  name: string;
  is_public: boolean;
  max_size_bytes: number;
  /** Sniffed content types the bucket accepts (`image/png`, `image/*`); empty = any. */
  allowed_types: string[];
  policies: BucketPolicy[];
  file_count: number;
  total_bytes: number;
  created_at: string;
  updated_at: string;
}

/** A bucket policy as the server answers it (`read` = list, get, download; `write` = upload, delete). */
export interface BucketPolicy {
  id: string;
  name: string;
  action: 'read' | 'write';
  effect: 'allow' | 'deny';
  condition: unknown;
  is_active: boolean;
  priority: number;
  allowed_principals: string[];
  require_email_verified: boolean;
  allowed_roles: string[];
  created_at: string;
}

export type BucketPolicyInput = Omit<BucketPolicy, 'id' | 'created_at'> & { id?: string };

export interface BucketInput {
  name?: string;
  is_public: boolean;
  max_size_bytes: number;
  allowed_types: string[];
}

export interface StoredFile {
  id: string;
  filename: string;
  original_filename: string;
  content_type: string;
  size_bytes: number;
  bucket: string;
  collection_id: string | null;
  record_id: string | null;
  field_name: string | null;
  is_public: boolean;
  uploaded_by_user_id: string | null;
  created_by_app_user_id: string | null;
  checksum_sha256: string | null;
  /** Relative to the API origin. */
  download_url: string;
  created_at: string;
  updated_at: string;
}

export interface SignedUrl {
  url: string;
  expires_at: string;
}

export type FilesView = 'list' | 'grid';

export interface FilesSearch {
  bucket?: string;
  view?: FilesView;
}

/** Types sharp can turn into a webp thumbnail. */
const THUMBNAIL_TYPES = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/avif',
]);
export const hasThumbnail = (f: Pick<StoredFile, 'content_type'>) =>
  THUMBNAIL_TYPES.has(f.content_type);

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}
