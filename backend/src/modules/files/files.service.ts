import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import contentDisposition from 'content-disposition';
import rangeParser from 'range-parser';
import { AppError } from '../../common/errors/app-error';
import { isUuid } from '../../common/util/uuid';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import type { FilterAst } from '../../query-engine/filter';
import type { AccessContext, DataPrincipal } from '../access/access-context';
import { ChangeLogService } from '../change-log/change-log.service';
import type { JsonObject } from '../change-log/change-event';
import { roleAtLeast } from '../projects/projects.service';
import type { PreparedPolicy } from '../policies/policy-engine';
import { typeAllowed, UploadInspector } from './content-sniff';
import { cleanFilename, storedFilename } from './file-names';
import {
  bucketRowFilter,
  mayCreate,
  normalizeBucketPolicies,
  preparedBucketPolicies,
} from './files-access';
import { bucketNotEmpty, bucketNotFound, fileNotFound, fileTooLarge } from './files.errors';
import { FilesRepository, type BucketRow, type FileRow, type NewFile } from './files.repository';
import {
  MAX_SIGNED_TTL_SECONDS,
  signDownload,
  signingKey,
  signUploadGrant,
  verifyDownload,
  verifyUploadGrant,
  type UploadGrant,
} from './signed-url';
import { STORAGE_DRIVER, type StorageDriver } from './storage/storage-driver';
import type {
  BucketDto,
  CreateBucketDto,
  FileDto,
  FileListQueryDto,
  OrphansDto,
  SignedUploadUrlDto,
  SignedUrlDto,
  UpdateBucketDto,
  UploadedFileDto,
} from './dto/files.dto';
import { ImageVariants, type VariantRequest } from './image-variants';

export const BUCKET_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;
export const DEFAULT_BUCKET = 'default';

/** Types a browser may show inline without running anything; every other type is an attachment. */
const INLINE_TYPES = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/avif',
  'image/bmp',
  'application/pdf',
  'text/plain',
]);

const downloadUrl = (pid: string, id: string) => `/api/projects/${pid}/files/${id}/download`;

function toFileDto(f: FileRow): FileDto {
  return {
    id: f.id,
    filename: f.filename,
    original_filename: f.original_filename,
    content_type: f.content_type,
    size_bytes: Number(f.size_bytes),
    bucket: f.bucket,
    collection_id: f.collection_id,
    record_id: f.record_id,
    field_name: f.field_name,
    is_public: f.is_public || Boolean(f.bucket_is_public),
    uploaded_by_user_id: f.uploaded_by_user_id,
    created_by_app_user_id: f.created_by_app_user_id,
    checksum_sha256: f.checksum_sha256,
    download_url: downloadUrl(f.project_id, f.id),
    created_at: f.created_at.toISOString(),
    updated_at: f.updated_at.toISOString(),
  };
}

function toBucketDto(b: BucketRow, usage?: { file_count: number; total_bytes: number }): BucketDto {
  return {
    id: b.id,
    name: b.name,
    is_public: b.is_public,
    max_size_bytes: Number(b.max_size_bytes),
    allowed_types: b.allowed_types,
    policies: b.policies,
    file_count: usage?.file_count ?? 0,
    total_bytes: usage?.total_bytes ?? 0,
    created_at: b.created_at.toISOString(),
    updated_at: b.updated_at.toISOString(),
  };
}

function bucketMeta(b: BucketRow): JsonObject {
  return {
    bucket_id: b.id,
    name: b.name,
    is_public: b.is_public,
    max_size_bytes: Number(b.max_size_bytes),
    allowed_types: [...b.allowed_types],
    policies: b.policies.length,
  };
}

const isAdmin = (p: DataPrincipal): p is Extract<DataPrincipal, { kind: 'admin' }> =>
  p.kind === 'admin';

function parseBool(raw: unknown): boolean | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw === 'boolean') return raw;
  const v = String(raw).toLowerCase();
  if (['true', '1', 'on', 'yes'].includes(v)) return true;
  if (['false', '0', 'off', 'no'].includes(v)) return false;
  throw AppError.validation('is_public must be true or false', [
    { field: 'is_public', rule: 'type', message: 'is_public must be true or false' },
  ]);
}

function validateTypes(raw: string[] | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const bad = raw.find(
    (t) => !/^(\*|[a-z0-9][a-z0-9!#$&^_.+-]*\/(\*|[a-z0-9][a-z0-9!#$&^_.+-]*))$/i.test(t),
  );
  if (bad !== undefined)
    throw AppError.validation(`Invalid content type '${bad}' (use type/subtype or type/*)`, [
      { field: 'allowed_types', rule: 'pattern', message: `Invalid content type '${bad}'` },
    ]);
  return [...new Set(raw.map((t) => t.toLowerCase()))];
}

export interface StoreInput {
  /** The bucket, or null when a multipart body names it only after the file (resolved afterwards). */
  bucket: BucketRow | null;
  resolveBucket?: () => Promise<BucketRow>;
  filename: string;
  declaredType: string | null;
  isPublic: () => boolean | undefined;
  stream: Readable;
  /** For uploads by signed URL: the issuer's identity replaces the (anonymous) caller's. */
  grant?: UploadGrant;
  /** Size known in advance (Content-Length), checked before any byte is read. */
  declaredSize?: number | null;
}

export interface DownloadAnswer {
  status: 200 | 206 | 304;
  headers: Record<string, string>;
  body: Readable | null;
}

export interface DownloadQuery {
  expires?: string;
  sig?: string;
  download?: string;
  width?: string;
  height?: string;
  fit?: string;
  format?: string;
}

/** Buckets, uploads, downloads and signed URLs (DESIGN §8 Files). */
@Injectable()
export class FilesService {
  private readonly key: Buffer;
  private readonly log = new Logger('Files');

  constructor(
    private readonly repo: FilesRepository,
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly changeLog: ChangeLogService,
    private readonly variants: ImageVariants,
  ) {
    this.key = signingKey(config.jwtSecret);
  }

  // ------------------------------------------------------------------ buckets

  async listBuckets(projectId: string): Promise<BucketDto[]> {
    const [rows, usage] = await Promise.all([
      this.repo.buckets(projectId),
      this.repo.bucketUsage(projectId),
    ]);
    return rows.map((b) => toBucketDto(b, usage.get(b.id)));
  }

  async getBucket(projectId: string, name: string): Promise<BucketDto> {
    const b = await this.findBucket(projectId, name);
    return toBucketDto(b, (await this.repo.bucketUsage(projectId)).get(b.id));
  }

  async createBucket(projectId: string, dto: CreateBucketDto): Promise<BucketDto> {
    if (!BUCKET_NAME.test(dto.name))
      throw AppError.validation(
        'Bucket names are 1-63 lower-case letters, digits, _ or -, starting with a letter or digit',
        [{ field: 'name', rule: 'pattern', message: 'Use a-z, 0-9, _ and -' }],
      );
    const b = await this.repo.transaction(async (client) => {
      const row = await this.repo.insertBucket(client, projectId, {
        name: dto.name,
        is_public: dto.is_public ?? false,
        max_size_bytes: dto.max_size_bytes ?? this.config.maxFileSize,
        allowed_types: validateTypes(dto.allowed_types) ?? [],
        policies: normalizeBucketPolicies(dto.policies ?? []),
      });
      if (!row) throw AppError.conflict(`Bucket '${dto.name}' already exists`);
      await this.changeLog.appendAdmin(client, projectId, 'bucket.create', bucketMeta(row));
      return row;
    });
    return toBucketDto(b);
  }

  async updateBucket(projectId: string, name: string, dto: UpdateBucketDto): Promise<BucketDto> {
    const current = await this.findBucket(projectId, name);
    const b = await this.repo.transaction(async (client) => {
      const row = await this.repo.updateBucket(client, projectId, current.id, {
        is_public: dto.is_public ?? current.is_public,
        max_size_bytes: dto.max_size_bytes ?? Number(current.max_size_bytes),
        allowed_types: validateTypes(dto.allowed_types) ?? current.allowed_types,
        policies:
          dto.policies === undefined
            ? current.policies
            : normalizeBucketPolicies(dto.policies, current.policies),
      });
      if (!row) throw bucketNotFound();
      await this.changeLog.appendAdmin(client, projectId, 'bucket.update', bucketMeta(row));
      return row;
    });
    return toBucketDto(b, (await this.repo.bucketUsage(projectId)).get(b.id));
  }

  /** A bucket with files needs `force`, which deletes its files (rows, then objects). */
  async deleteBucket(projectId: string, name: string, force: boolean): Promise<void> {
    const b = await this.findBucket(projectId, name);
    const keys = await this.repo.transaction(async (client) => {
      const count = await this.repo.countBucketFiles(client, b.id);
      if (count > 0 && !force) throw bucketNotEmpty(b.name, count);
      const removed = await this.repo.deleteBucketFiles(client, b.id);
      await this.repo.deleteBucket(client, projectId, b.id);
      await this.changeLog.appendAdmin(client, projectId, 'bucket.delete', {
        ...bucketMeta(b),
        files_deleted: removed.length,
      });
      return removed;
    });
    for (const k of keys) await this.removeObject(projectId, k);
  }

  private async findBucket(projectId: string, name: string): Promise<BucketRow> {
    const b = BUCKET_NAME.test(name) ? await this.repo.bucket(projectId, name) : null;
    if (!b) throw bucketNotFound();
    return b;
  }

  /** The bucket an upload names; member admins get `default` (or any name, as admins) created. */
  async bucketForUpload(access: AccessContext, name: string | undefined): Promise<BucketRow> {
    const wanted = name === undefined || name === '' ? DEFAULT_BUCKET : name;
    if (!BUCKET_NAME.test(wanted))
      throw AppError.validation('Invalid bucket name', [
        { field: 'bucket', rule: 'pattern', message: 'Use a-z, 0-9, _ and -' },
      ]);
    const found = await this.repo.bucket(access.projectId, wanted);
    if (found) return found;
    const p = access.principal;
    const mayCreate = isAdmin(p) && (wanted === DEFAULT_BUCKET || roleAtLeast(p.role, 'admin'));
    if (!mayCreate) throw bucketNotFound();
    // The original's buckets were free labels: an admin's upload to a new name makes the bucket.
    await this.repo.transaction(async (client) => {
      const row = await this.repo.insertBucket(client, access.projectId, {
        name: wanted,
        is_public: false,
        max_size_bytes: this.config.maxFileSize,
        allowed_types: [],
        policies: [],
      });
      if (row)
        await this.changeLog.appendAdmin(
          client,
          access.projectId,
          'bucket.create',
          bucketMeta(row),
        );
    });
    const created = await this.repo.bucket(access.projectId, wanted);
    if (!created) throw bucketNotFound();
    return created;
  }

  // ------------------------------------------------------------------ access

  private policiesOf(b: BucketRow): PreparedPolicy[] {
    return preparedBucketPolicies(b.policies);
  }

  /** The rows of `b` the caller may read or delete; null = all (member admins). */
  private rowFilter(
    access: AccessContext,
    b: BucketRow,
    action: 'read' | 'list' | 'delete' | 'create',
  ): FilterAst | null {
    if (isAdmin(access.principal)) return null;
    return bucketRowFilter(this.policiesOf(b), access.principal, action);
  }

  /** Throws 401/403 unless the caller may upload into `b` at all. */
  assertMayWrite(access: AccessContext, b: BucketRow): void {
    this.rowFilter(access, b, 'create');
  }

  private async readableFile(access: AccessContext, id: string): Promise<FileRow> {
    if (!isUuid(id)) throw fileNotFound();
    const f = await this.repo.file(access.projectId, id.toLowerCase());
    if (!f) throw fileNotFound();
    if (isAdmin(access.principal)) return f;
    const b = await this.repo.bucketById(access.projectId, f.bucket_id);
    if (!b) throw fileNotFound();
    const filter = this.rowFilter(access, b, 'read');
    if (filter === null) return f;
    const visible = await this.repo.file(access.projectId, f.id, filter);
    if (!visible) throw fileNotFound();
    return visible;
  }

  // ------------------------------------------------------------------ backups

  /** Every ready file of a project, a page at a time (oldest first), for a backup archive. */
  async *filesForBackup(projectId: string): AsyncGenerator<FileRow> {
    for (let offset = 0; ; offset += 500) {
      const page = await this.repo.files(projectId, { limit: 500, offset }, null);
      for (const f of page) yield f;
      if (page.length < 500) return;
    }
  }

  /** A stored file's bytes (null when the object is gone). */
  openObject(f: FileRow): Promise<Readable | null> {
    return this.storage.get(f.storage_key);
  }

  /**
   * Stores a file restored from a backup under a new id and key, with the archived row's
   * metadata (`collection_id` already mapped to the new project); returns the new id.
   */
  async restoreFile(
    projectId: string,
    adminId: string,
    f: Pick<
      FileRow,
      | 'bucket'
      | 'original_filename'
      | 'content_type'
      | 'size_bytes'
      | 'checksum_sha256'
      | 'is_public'
      | 'collection_id'
      | 'record_id'
      | 'field_name'
    >,
    body: Readable,
  ): Promise<string> {
    const bucket = await this.repo.bucket(projectId, f.bucket);
    if (!bucket) throw AppError.badRequest(`The archive names an unknown bucket '${f.bucket}'`);
    const id = randomUUID();
    const key = `${projectId}/${id}`;
    await this.storage.put(key, body, f.content_type);
    try {
      await this.repo.insertFile(this.repo.pool, {
        id,
        project_id: projectId,
        bucket_id: bucket.id,
        bucket: bucket.name,
        filename: storedFilename(id, f.original_filename),
        original_filename: f.original_filename,
        content_type: f.content_type,
        size_bytes: f.size_bytes,
        checksum_sha256: f.checksum_sha256,
        storage_key: key,
        storage_driver: this.storage.name,
        status: 'ready',
        is_public: f.is_public,
        collection_id: f.collection_id,
        record_id: f.record_id,
        field_name: f.field_name,
        uploaded_by_user_id: adminId,
        created_by_user_id: adminId,
        created_by_app_user_id: null,
        created_by_api_key_id: null,
      });
    } catch (err) {
      await this.removeObject(projectId, key);
      throw err;
    }
    return id;
  }

  /** Removes every stored object of a project (a failed restore's leftovers). */
  async removeProjectObjects(projectId: string): Promise<void> {
    for await (const o of this.storage.list(`${projectId}/`))
      await this.removeObject(projectId, o.key);
  }

  // ------------------------------------------------------------------ upload

  /**
   * Streams one file into storage: type sniffed from its first bytes and refused before storing
   * when the bucket does not allow it, size counted against the bucket's limit as it flows, the
   * bucket's write policy checked on the row as it will be stored. Memory stays flat.
   */
  async store(access: AccessContext, input: StoreInput): Promise<FileRow> {
    const principal = access.principal;
    const underPolicies = !input.grant && !isAdmin(principal);
    const early = input.bucket;
    const bound = early ? Number(early.max_size_bytes) : await this.largestLimit(access.projectId);
    if (input.declaredSize != null && input.declaredSize > bound)
      throw fileTooLarge(input.declaredSize, bound);
    if (early && underPolicies) bucketRowFilter(this.policiesOf(early), principal, 'create');

    const id = randomUUID();
    const key = `${access.projectId}/${id}`;
    const original = cleanFilename(input.filename);
    const inspector = new UploadInspector({
      maxBytes: bound,
      declared: input.declaredType,
      filename: original,
      allowed: early ? early.allowed_types : [],
    });
    // Errors reach the caller through storage.put; this keeps a late one from being unhandled.
    inspector.on('error', () => undefined);
    input.stream.once('error', (err) => inspector.destroy(err));
    // A source that stops short (the multipart reader's own limit) is a too-large upload.
    input.stream.once('limit', () => inspector.destroy(fileTooLarge(bound + 1, bound)));
    try {
      await this.storage.put(
        key,
        input.stream.pipe(inspector),
        input.declaredType ?? 'application/octet-stream',
      );
    } catch (err) {
      // Drain what is left so a multipart reader can finish (and the client reads the answer).
      input.stream.unpipe(inspector);
      input.stream.resume();
      await this.removeObject(access.projectId, key);
      throw err;
    }
    const result = inspector.result;
    try {
      const bucket = early ?? (await (input.resolveBucket as () => Promise<BucketRow>)());
      const max = Number(bucket.max_size_bytes);
      if (result.size > max) throw fileTooLarge(result.size, max);
      if (!typeAllowed(bucket.allowed_types, result.contentType))
        throw new AppError(
          'UNSUPPORTED_MEDIA_TYPE',
          `File type '${result.contentType}' is not allowed. Allowed: ${bucket.allowed_types.join(', ')}`,
          [
            {
              field: 'file',
              rule: 'allowed_types',
              message: `The content is ${result.contentType}`,
            },
          ],
        );
      const who = input.grant?.issuer;
      const adminId = isAdmin(principal) ? principal.userId : null;
      const row: NewFile = {
        id,
        project_id: access.projectId,
        bucket_id: bucket.id,
        bucket: bucket.name,
        filename: storedFilename(id, original),
        original_filename: original,
        content_type: result.contentType,
        size_bytes: String(result.size),
        checksum_sha256: result.sha256,
        storage_key: key,
        storage_driver: this.storage.name,
        status: 'ready',
        is_public: input.isPublic() ?? bucket.is_public,
        collection_id: null,
        record_id: null,
        field_name: null,
        uploaded_by_user_id: who ? who.userId : adminId,
        created_by_user_id: who ? who.userId : adminId,
        created_by_app_user_id: who
          ? who.appUserId
          : principal.kind === 'app_user'
            ? principal.userId
            : null,
        created_by_api_key_id: who
          ? who.apiKeyId
          : principal.kind === 'api_key'
            ? principal.keyId
            : null,
      };
      if (underPolicies) {
        const policies = this.policiesOf(bucket);
        bucketRowFilter(policies, principal, 'create');
        if (!mayCreate(policies, principal, { ...row, size_bytes: result.size }))
          throw AppError.forbidden('Permission denied for action: create');
      }
      await this.repo.transaction(async (client) => {
        await this.repo.insertFile(client, row);
        await this.changeLog.appendAdmin(client, access.projectId, 'file.upload', {
          file_id: id,
          bucket: bucket.name,
          size_bytes: result.size,
          content_type: result.contentType,
        });
      });
    } catch (err) {
      await this.removeObject(access.projectId, key);
      throw err;
    }
    const stored = await this.repo.file(access.projectId, id);
    if (!stored) throw fileNotFound();
    return stored;
  }

  /**
   * `multipart/form-data` with `file` and optional `bucket`, `is_public` (as the original). The
   * file streams to storage as it arrives; fields sent after it are read afterwards.
   */
  async uploadMultipart(
    access: AccessContext,
    req: FastifyRequest,
    grant?: UploadGrant,
  ): Promise<FileRow> {
    if (!req.isMultipart())
      throw AppError.validation('Send multipart/form-data with a file field', [
        { field: 'file', rule: 'required', message: 'file is required' },
      ]);
    const fields: Record<string, string> = {};
    const bucketOf = () =>
      grant
        ? this.findBucket(access.projectId, grant.bucket)
        : this.bucketForUpload(access, fields.bucket);
    const hardMax = grant
      ? Number((await this.findBucket(access.projectId, grant.bucket)).max_size_bytes)
      : await this.largestLimit(access.projectId);
    let job: Promise<FileRow> | null = null;
    let fieldsRead!: () => void;
    const allFields = new Promise<void>((r) => (fieldsRead = r));
    let stored: FileRow | null = null;
    try {
      for await (const part of req.parts({
        limits: { fileSize: hardMax + 1, files: 1, fields: 10, fieldSize: 64 * 1024 },
      })) {
        if (part.type === 'field') {
          fields[part.fieldname] = String(part.value);
          continue;
        }
        if (part.fieldname !== 'file' || job) {
          part.file.resume();
          continue;
        }
        const known = 'bucket' in fields || grant ? await bucketOf() : null;
        if (known && !grant) this.assertMayWrite(access, known);
        // Not awaited here: the parts after the file (late fields) are read while it streams.
        job = this.store(access, {
          bucket: known,
          resolveBucket: () => allFields.then(bucketOf),
          filename: grant?.filename ?? part.filename,
          declaredType: grant?.contentType ?? part.mimetype,
          isPublic: () => parseBool(fields.is_public),
          stream: part.file,
          grant,
        });
        job.catch(() => undefined);
      }
      fieldsRead();
      if (job) stored = await job;
    } catch (err) {
      fieldsRead();
      if (job)
        await job.then((f) => this.deleteByIds(access.projectId, [f.id])).catch(() => undefined);
      // The rest of a refused body is read and dropped, so the client gets the answer.
      req.raw.resume();
      throw mapMultipartError(err);
    }
    if (!stored)
      throw AppError.validation('Send the file in a multipart field named file', [
        { field: 'file', rule: 'required', message: 'file is required' },
      ]);
    return stored;
  }

  /** A raw body (`application/octet-stream`) to a signed upload URL. */
  async uploadRaw(
    access: AccessContext,
    req: FastifyRequest,
    grant: UploadGrant,
  ): Promise<FileRow> {
    const bucket = await this.findBucket(access.projectId, grant.bucket);
    const length = Number(req.headers['content-length']);
    try {
      return await this.store(access, {
        bucket,
        filename: grant.filename,
        declaredType: grant.contentType,
        isPublic: () => undefined,
        stream: req.body as Readable,
        grant,
        declaredSize: Number.isFinite(length) ? length : null,
      });
    } catch (err) {
      req.raw.resume();
      throw err;
    }
  }

  uploadedDto(f: FileRow): UploadedFileDto {
    const d = toFileDto(f);
    return {
      id: d.id,
      filename: d.filename,
      original_filename: d.original_filename,
      content_type: d.content_type,
      size_bytes: d.size_bytes,
      bucket: d.bucket,
      is_public: d.is_public,
      download_url: d.download_url,
      created_by_app_user_id: d.created_by_app_user_id,
      created_at: d.created_at,
    };
  }

  parseIsPublic(raw: unknown): boolean | undefined {
    return parseBool(raw);
  }

  /** The largest limit of the project's buckets: the bound of a multipart file read before its bucket is known. */
  async largestLimit(projectId: string): Promise<number> {
    const rows = await this.repo.buckets(projectId);
    return Math.max(this.config.maxFileSize, ...rows.map((b) => Number(b.max_size_bytes)));
  }

  // ------------------------------------------------------------------ read

  async list(access: AccessContext, q: FileListQueryDto): Promise<FileDto[]> {
    const buckets = await this.repo.buckets(access.projectId);
    const wanted = q.bucket === undefined ? null : buckets.filter((b) => b.name === q.bucket);
    if (wanted && wanted.length === 0) {
      if (isAdmin(access.principal)) return [];
      throw bucketNotFound();
    }
    let scopes: { bucketId: string; filter: FilterAst | null }[] | null = null;
    if (!isAdmin(access.principal)) {
      scopes = [];
      let denial: AppError | null = null;
      for (const b of wanted ?? buckets) {
        try {
          scopes.push({ bucketId: b.id, filter: this.rowFilter(access, b, 'list') });
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          denial = err;
        }
      }
      // Asking for one bucket one may not read is refused; listing all shows what one may read.
      if (scopes.length === 0 && denial && wanted) throw denial;
    }
    const rows = await this.repo.files(
      access.projectId,
      {
        bucketIds: wanted ? wanted.map((b) => b.id) : null,
        collectionId: q.collection_id ?? null,
        recordId: q.record_id ?? null,
        limit: q.limit ?? 100,
        offset: q.offset ?? 0,
      },
      scopes,
    );
    return rows.map(toFileDto);
  }

  async stats(
    projectId: string,
  ): Promise<{ file_count: number; total_bytes: number; total_mb: number }> {
    const s = await this.repo.stats(projectId);
    return { ...s, total_mb: Math.round((s.total_bytes / (1024 * 1024)) * 100) / 100 };
  }

  async get(access: AccessContext, id: string): Promise<FileDto> {
    return toFileDto(await this.readableFile(access, id));
  }

  async delete(access: AccessContext, id: string): Promise<void> {
    if (!isUuid(id)) throw fileNotFound();
    const f = await this.repo.file(access.projectId, id.toLowerCase());
    if (!f) throw fileNotFound();
    let filter: FilterAst | null = null;
    if (!isAdmin(access.principal)) {
      const b = await this.repo.bucketById(access.projectId, f.bucket_id);
      if (!b) throw fileNotFound();
      // Only a file one can see can be deleted; others are not found.
      await this.readableFile(access, id).catch(() => {
        throw fileNotFound();
      });
      filter = this.rowFilter(access, b, 'delete');
    }
    const removed = await this.repo.transaction(async (client) => {
      const row = await this.repo.deleteFile(client, access.projectId, f.id, filter);
      if (!row) throw AppError.forbidden('Permission denied for action: delete');
      await this.changeLog.appendAdmin(client, access.projectId, 'file.delete', {
        file_id: row.id,
        bucket: row.bucket,
      });
      return row;
    });
    await this.removeObject(access.projectId, removed.storage_key);
    await this.variants.purge(access.projectId, removed.id);
  }

  /** Deletes files by id without a principal (a record's `delete_files_with_record`). */
  async deleteByIds(projectId: string, ids: string[]): Promise<void> {
    for (const id of ids) {
      const row = await this.repo.transaction((client) =>
        this.repo.deleteFile(client, projectId, id, null),
      );
      if (row) {
        await this.removeObject(projectId, row.storage_key);
        await this.variants.purge(projectId, row.id);
      }
    }
  }

  private async removeObject(projectId: string, key: string): Promise<void> {
    try {
      await this.storage.delete(key);
    } catch (err) {
      // The orphan report lists it; a failed cleanup must not hide the real answer.
      this.log.warn(`could not delete object ${key} of ${projectId}: ${(err as Error).message}`);
    }
  }

  // ------------------------------------------------------------------ download

  async download(
    access: AccessContext,
    id: string,
    q: DownloadQuery,
    req: { range?: string; ifNoneMatch?: string },
  ): Promise<DownloadAnswer> {
    if (!isUuid(id)) throw fileNotFound();
    const fileId = id.toLowerCase();
    const variant = this.variants.parse(q);
    const signed = q.sig !== undefined || q.expires !== undefined;
    let file: FileRow | null;
    if (signed) {
      verifyDownload(
        this.key,
        access.projectId,
        fileId,
        String(q.expires ?? ''),
        String(q.sig ?? ''),
        variant ? this.variants.signedParams(variant) : {},
      );
      file = await this.repo.file(access.projectId, fileId);
      if (!file) throw fileNotFound();
    } else {
      file = await this.repo.file(access.projectId, fileId);
      if (!file) throw fileNotFound();
      if (!(file.is_public || file.bucket_is_public))
        file = await this.readableFile(access, fileId);
      if (variant && !this.variants.isPreset(variant))
        throw AppError.forbidden(
          'This image size is not a preset; use a preset size or a signed URL (POST …/signed-url with the variant)',
        );
    }
    if (variant) return this.sendVariant(file, variant, q, req);
    return this.sendObject(file, req, q.download);
  }

  private dispositionOf(f: FileRow, type: string, forceDownload?: string): string {
    const inline = INLINE_TYPES.has(type) && !parseBool(forceDownload ?? undefined);
    return contentDisposition(f.original_filename, { type: inline ? 'inline' : 'attachment' });
  }

  private async sendObject(
    f: FileRow,
    req: { range?: string; ifNoneMatch?: string },
    forceDownload?: string,
  ): Promise<DownloadAnswer> {
    const size = Number(f.size_bytes);
    const etag = `"${(f.checksum_sha256 ?? f.id).slice(0, 40)}"`;
    const headers: Record<string, string> = {
      etag,
      'accept-ranges': 'bytes',
      'content-type': f.content_type,
      'content-disposition': this.dispositionOf(f, f.content_type, forceDownload),
      'last-modified': f.updated_at.toUTCString(),
    };
    if (req.ifNoneMatch && matchesEtag(req.ifNoneMatch, etag))
      return { status: 304, headers, body: null };
    let range: { start: number; end: number } | undefined;
    if (req.range && size > 0) {
      const parsed = rangeParser(size, req.range, { combine: true });
      if (parsed === -1)
        throw new AppError(
          'RANGE_NOT_SATISFIABLE',
          `Range not satisfiable (size ${size})`,
          undefined,
          {
            'content-range': `bytes */${size}`,
          },
        );
      if (Array.isArray(parsed) && parsed.type === 'bytes' && parsed.length === 1)
        range = { start: parsed[0].start, end: parsed[0].end };
    }
    const body = await this.storage.get(f.storage_key, range);
    if (!body) throw AppError.notFound('File content');
    if (range) {
      headers['content-range'] = `bytes ${range.start}-${range.end}/${size}`;
      headers['content-length'] = String(range.end - range.start + 1);
      return { status: 206, headers, body };
    }
    headers['content-length'] = String(size);
    return { status: 200, headers, body };
  }

  private async sendVariant(
    f: FileRow,
    variant: VariantRequest,
    q: DownloadQuery,
    req: { ifNoneMatch?: string },
  ): Promise<DownloadAnswer> {
    const out = await this.variants.get(f, variant);
    const headers: Record<string, string> = {
      etag: out.etag,
      'content-type': out.contentType,
      'content-disposition': this.dispositionOf(f, out.contentType, q.download),
      'content-length': String(out.size),
    };
    if (req.ifNoneMatch && matchesEtag(req.ifNoneMatch, out.etag)) {
      out.body.destroy();
      return { status: 304, headers, body: null };
    }
    return { status: 200, headers, body: out.body };
  }

  // ------------------------------------------------------------------ signed URLs

  async signedUrl(
    access: AccessContext,
    id: string,
    dto: SignedUrlDto,
  ): Promise<{ url: string; expires_at: string }> {
    const f = await this.readableFile(access, id);
    const ttl = dto.expires_in ?? 3600;
    const expires = Math.floor(Date.now() / 1000) + ttl;
    const variant = this.variants.parse(dto);
    const params = variant ? this.variants.signedParams(variant) : {};
    const sig = signDownload(this.key, access.projectId, f.id, expires, params);
    const qs = new URLSearchParams({ ...params, expires: String(expires), sig });
    return {
      url: `${downloadUrl(access.projectId, f.id)}?${qs.toString()}`,
      expires_at: new Date(expires * 1000).toISOString(),
    };
  }

  async signedUploadUrl(
    access: AccessContext,
    dto: SignedUploadUrlDto,
  ): Promise<{ url: string; expires_at: string; method: string }> {
    const bucket = await this.bucketForUpload(access, dto.bucket);
    this.assertMayWrite(access, bucket);
    const p = access.principal;
    const expires = Math.floor(Date.now() / 1000) + (dto.expires_in ?? 3600);
    const token = signUploadGrant(this.key, {
      projectId: access.projectId,
      bucket: bucket.name,
      filename: cleanFilename(dto.filename),
      contentType: dto.content_type ?? null,
      expires,
      issuer: {
        userId: isAdmin(p) ? p.userId : null,
        appUserId: p.kind === 'app_user' ? p.userId : null,
        apiKeyId: p.kind === 'api_key' ? p.keyId : null,
      },
    });
    return {
      url: `/api/projects/${access.projectId}/files/upload/signed?token=${encodeURIComponent(token)}`,
      expires_at: new Date(expires * 1000).toISOString(),
      method: 'PUT',
    };
  }

  grantFor(projectId: string, token: string | undefined): UploadGrant {
    return verifyUploadGrant(this.key, projectId, token ?? '');
  }

  // ------------------------------------------------------------------ resumable (tus)

  /** A tus upload begins: its row (status `uploading`) records bucket and owner, so it survives restarts. */
  async beginResumable(
    access: AccessContext,
    bucket: BucketRow,
    id: string,
    meta: { filename: string | null; filetype: string | null },
  ): Promise<void> {
    const p = access.principal;
    const original = cleanFilename(meta.filename);
    const adminId = isAdmin(p) ? p.userId : null;
    await this.repo.insertFile(this.repo.pool, {
      id,
      project_id: access.projectId,
      bucket_id: bucket.id,
      bucket: bucket.name,
      filename: storedFilename(id, original),
      original_filename: original,
      content_type: 'application/octet-stream',
      size_bytes: '0',
      checksum_sha256: null,
      storage_key: `${access.projectId}/${id}`,
      storage_driver: this.storage.name,
      status: 'uploading',
      is_public: bucket.is_public,
      collection_id: null,
      record_id: null,
      field_name: null,
      uploaded_by_user_id: adminId,
      created_by_user_id: adminId,
      created_by_app_user_id: p.kind === 'app_user' ? p.userId : null,
      created_by_api_key_id: p.kind === 'api_key' ? p.keyId : null,
    });
    void meta.filetype;
  }

  /** The unfinished upload `id` if the caller started it (member admins: any of the project). */
  async resumableOf(access: AccessContext, id: string): Promise<FileRow | null> {
    if (!isUuid(id)) return null;
    const f = await this.repo.file(access.projectId, id.toLowerCase(), null, {
      includeUploading: true,
    });
    if (!f || f.status !== 'uploading') return f && f.status === 'ready' ? f : null;
    const p = access.principal;
    const mine =
      isAdmin(p) ||
      (p.kind === 'app_user' && f.created_by_app_user_id === p.userId) ||
      (p.kind === 'api_key' && f.created_by_api_key_id === p.keyId);
    return mine ? f : null;
  }

  /**
   * A tus upload is complete: the staged bytes stream through the same checks as a multipart
   * upload (sniffed type, size, write policy) into storage, and the row becomes `ready`. With
   * `staged` null the bytes are already at the file's storage key (tus on S3): they are read once
   * in place for the same checks, and removed if refused.
   */
  async finishResumable(
    access: AccessContext,
    id: string,
    staged: Readable | null,
  ): Promise<FileRow> {
    const f = await this.repo.file(access.projectId, id, null, { includeUploading: true });
    if (!f) throw fileNotFound();
    const bucket = await this.repo.bucketById(access.projectId, f.bucket_id);
    if (!bucket) throw bucketNotFound();
    const inspector = new UploadInspector({
      maxBytes: Number(bucket.max_size_bytes),
      declared: null,
      filename: f.original_filename,
      allowed: bucket.allowed_types,
    });
    inspector.on('error', () => undefined);
    let source: Readable | null = staged;
    try {
      if (staged) {
        staged.once('error', (err) => inspector.destroy(err));
        await this.storage.put(f.storage_key, staged.pipe(inspector), 'application/octet-stream');
      } else {
        source = await this.storage.get(f.storage_key);
        if (!source) throw fileNotFound();
        await pipeline(source, inspector, new Writable({ write: (_c, _e, done) => done() }));
      }
      const result = inspector.result;
      const principal = access.principal;
      if (!isAdmin(principal)) {
        const policies = this.policiesOf(bucket);
        const row = { ...f, content_type: result.contentType, size_bytes: result.size };
        if (!mayCreate(policies, principal, row))
          throw AppError.forbidden('Permission denied for action: create');
      }
      await this.repo.transaction(async (client) => {
        await this.repo.markReady(client, f.id, {
          content_type: result.contentType,
          size_bytes: String(result.size),
          checksum_sha256: result.sha256,
        });
        await this.changeLog.appendAdmin(client, access.projectId, 'file.upload', {
          file_id: f.id,
          bucket: bucket.name,
          size_bytes: result.size,
          content_type: result.contentType,
          resumable: true,
        });
      });
    } catch (err) {
      source?.destroy();
      await this.removeObject(access.projectId, f.storage_key);
      await this.repo.transaction((client) => this.repo.deleteFile(client, access.projectId, f.id));
      throw err;
    }
    const done = await this.repo.file(access.projectId, f.id);
    if (!done) throw fileNotFound();
    return done;
  }

  // ------------------------------------------------------------------ maintenance

  async orphans(projectId: string): Promise<OrphansDto> {
    const rows = await this.repo.storageKeys(projectId);
    const byKey = new Map(rows.map((r) => [r.storage_key, r]));
    const fileIds = new Set(rows.map((r) => r.id));
    const seen = new Set<string>();
    const objectsWithoutRows: OrphansDto['objects_without_rows'] = [];
    for await (const o of this.storage.list(`${projectId}/`)) {
      seen.add(o.key);
      if (byKey.has(o.key)) continue;
      // tus on S3 keeps `<key>.info` (and `<key>.part`) beside an upload while it runs.
      const tus = /^(.+)\.(?:info|part)$/.exec(o.key);
      if (tus && byKey.has(tus[1])) continue;
      const variantOf = this.variants.fileIdOfKey(projectId, o.key);
      if (variantOf && fileIds.has(variantOf)) continue;
      objectsWithoutRows.push({ key: o.key, size_bytes: o.size });
    }
    const rowsWithoutObjects = rows
      .filter((r) => r.status === 'ready' && !seen.has(r.storage_key))
      .map((r) => ({
        id: r.id,
        bucket: r.bucket,
        storage_key: r.storage_key,
        size_bytes: Number(r.size_bytes),
      }));
    return {
      driver: this.storage.name,
      rows_without_objects: rowsWithoutObjects,
      objects_without_rows: objectsWithoutRows,
    };
  }

  // ------------------------------------------------------------------ file fields

  /**
   * A record's file field may hold only a ready file of its bucket (`options.bucket`, any bucket
   * when unset) that the writer may read: linking a file must not reveal one.
   */
  async assertLinkable(
    access: AccessContext,
    links: { field: string; id: string; bucket: string | null }[],
  ): Promise<void> {
    const errors: { field: string; rule: string; message: string }[] = [];
    for (const l of links) {
      let f: FileRow | null = null;
      try {
        f = await this.readableFile(access, l.id);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
      }
      if (!f || (l.bucket !== null && f.bucket !== l.bucket))
        errors.push({
          field: l.field,
          rule: 'file_not_found',
          message: l.bucket
            ? `No file ${l.id} in bucket '${l.bucket}'`
            : `No file ${l.id} in this project`,
        });
    }
    if (errors.length > 0)
      throw AppError.validation(errors.map((e) => e.message).join('; '), errors);
  }

  /**
   * `expand=<file field>`: the id is replaced by the file's metadata and a URL (a signed one,
   * valid one hour, for private files: whoever may read the record may fetch its files).
   */
  async expandFileFields(
    projectId: string,
    records: Record<string, unknown>[],
    fields: string[],
  ): Promise<void> {
    const ids = new Set<string>();
    for (const r of records)
      for (const f of fields)
        if (typeof r[f] === 'string' && isUuid(r[f] as string)) ids.add(r[f] as string);
    const rows = await this.repo.filesByIds(projectId, [...ids]);
    const byId = new Map(rows.map((x) => [x.id, x]));
    const expires = Math.floor(Date.now() / 1000) + 3600;
    for (const r of records)
      for (const field of fields) {
        const id = r[field];
        if (typeof id !== 'string') continue;
        const row = byId.get(id.toLowerCase());
        if (!row) {
          r[field] = null;
          continue;
        }
        const dto = toFileDto(row);
        const sig = signDownload(this.key, projectId, row.id, expires);
        r[field] = {
          ...dto,
          url: dto.is_public
            ? dto.download_url
            : `${dto.download_url}?expires=${expires}&sig=${sig}`,
        };
      }
  }

  static readonly maxSignedTtl = MAX_SIGNED_TTL_SECONDS;
}

/** The multipart reader's own errors as problem+json answers. */
function mapMultipartError(err: unknown): unknown {
  if (err instanceof AppError) return err;
  const code = (err as { code?: string }).code ?? '';
  if (code === 'FST_REQ_FILE_TOO_LARGE')
    return new AppError('PAYLOAD_TOO_LARGE', 'File is larger than the bucket allows');
  if (code.startsWith('FST_'))
    return AppError.badRequest(`Malformed multipart body: ${(err as Error).message}`);
  return err;
}

function matchesEtag(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .includes(etag);
}
