import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { PG_POOL } from '../../database/database.module';
import { inTransaction } from '../../database/transaction';
import { compileFilter } from '../../query-engine/compile-filter';
import type { FilterAst } from '../../query-engine/filter';
import { SqlParams } from '../../query-engine/sql-params';
import { FILES_META, type BucketPolicy } from './files-access';

export interface Db {
  query: Pool['query'];
}

export interface BucketRow {
  id: string;
  project_id: string;
  name: string;
  is_public: boolean;
  max_size_bytes: string;
  allowed_types: string[];
  policies: BucketPolicy[];
  created_at: Date;
  updated_at: Date;
}

export interface FileRow {
  id: string;
  project_id: string;
  bucket_id: string;
  bucket: string;
  filename: string;
  original_filename: string;
  content_type: string;
  size_bytes: string;
  checksum_sha256: string | null;
  storage_key: string;
  storage_driver: string;
  status: 'uploading' | 'ready';
  is_public: boolean;
  collection_id: string | null;
  record_id: string | null;
  field_name: string | null;
  uploaded_by_user_id: string | null;
  created_by_user_id: string | null;
  created_by_app_user_id: string | null;
  created_by_api_key_id: string | null;
  created_at: Date;
  updated_at: Date;
  /** Joined from the bucket. */
  bucket_is_public?: boolean;
}

export type NewFile = Omit<FileRow, 'created_at' | 'updated_at' | 'bucket_is_public'>;

const BUCKET_COLUMNS = `id, project_id, name, is_public, max_size_bytes, allowed_types, policies,
  created_at, updated_at`;
const FILE_COLUMNS = `f.id, f.project_id, f.bucket_id, f.bucket, f.filename, f.original_filename,
  f.content_type, f.size_bytes, f.checksum_sha256, f.storage_key, f.storage_driver, f.status,
  f.is_public, f.collection_id, f.record_id, f.field_name, f.uploaded_by_user_id,
  f.created_by_user_id, f.created_by_app_user_id, f.created_by_api_key_id, f.created_at,
  f.updated_at, b.is_public AS bucket_is_public`;
const FROM = `backendify.files f JOIN backendify.file_buckets b ON b.id = f.bucket_id`;

/** A policy row filter over the files table, compiled by the one query compiler. */
function policySql(filter: FilterAst | null | undefined, params: SqlParams): string {
  if (!filter) return '';
  return ` AND (${compileFilter(filter, { collection: FILES_META, params, alias: 'f' })})`;
}

export interface FileListQuery {
  bucketIds?: string[] | null;
  collectionId?: string | null;
  recordId?: string | null;
  limit: number;
  offset: number;
}

@Injectable()
export class FilesRepository {
  constructor(@Inject(PG_POOL) readonly pool: Pool) {}

  transaction<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, fn);
  }

  // ------------------------------------------------------------------ buckets

  async buckets(projectId: string): Promise<BucketRow[]> {
    const r = await this.pool.query<BucketRow>(
      `SELECT ${BUCKET_COLUMNS} FROM backendify.file_buckets WHERE project_id = $1 ORDER BY name`,
      [projectId],
    );
    return r.rows;
  }

  async bucket(projectId: string, name: string, db: Db = this.pool): Promise<BucketRow | null> {
    const r = await db.query<BucketRow>(
      `SELECT ${BUCKET_COLUMNS} FROM backendify.file_buckets WHERE project_id = $1 AND name = $2`,
      [projectId, name],
    );
    return r.rows[0] ?? null;
  }

  async bucketById(projectId: string, id: string): Promise<BucketRow | null> {
    const r = await this.pool.query<BucketRow>(
      `SELECT ${BUCKET_COLUMNS} FROM backendify.file_buckets WHERE project_id = $1 AND id = $2`,
      [projectId, id],
    );
    return r.rows[0] ?? null;
  }

  async insertBucket(
    db: Db,
    projectId: string,
    b: Pick<BucketRow, 'name' | 'is_public' | 'allowed_types' | 'policies'> & {
      max_size_bytes: number;
    },
  ): Promise<BucketRow | null> {
    const r = await db.query<BucketRow>(
      `INSERT INTO backendify.file_buckets (project_id, name, is_public, max_size_bytes, allowed_types, policies)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb)
       ON CONFLICT (project_id, name) DO NOTHING
       RETURNING ${BUCKET_COLUMNS}`,
      [
        projectId,
        b.name,
        b.is_public,
        b.max_size_bytes,
        b.allowed_types,
        JSON.stringify(b.policies),
      ],
    );
    return r.rows[0] ?? null;
  }

  async updateBucket(
    db: Db,
    projectId: string,
    id: string,
    b: Pick<BucketRow, 'is_public' | 'allowed_types' | 'policies'> & { max_size_bytes: number },
  ): Promise<BucketRow | null> {
    const r = await db.query<BucketRow>(
      `UPDATE backendify.file_buckets SET is_public = $3, max_size_bytes = $4, allowed_types = $5,
         policies = $6::jsonb, updated_at = now()
       WHERE project_id = $1 AND id = $2 RETURNING ${BUCKET_COLUMNS}`,
      [projectId, id, b.is_public, b.max_size_bytes, b.allowed_types, JSON.stringify(b.policies)],
    );
    return r.rows[0] ?? null;
  }

  async deleteBucket(db: Db, projectId: string, id: string): Promise<boolean> {
    const r = await db.query(
      `DELETE FROM backendify.file_buckets WHERE project_id = $1 AND id = $2`,
      [projectId, id],
    );
    return (r.rowCount ?? 0) > 0;
  }

  async bucketUsage(
    projectId: string,
  ): Promise<Map<string, { file_count: number; total_bytes: number }>> {
    const r = await this.pool.query<{ bucket_id: string; n: string; bytes: string }>(
      `SELECT bucket_id, count(*) AS n, coalesce(sum(size_bytes), 0) AS bytes
         FROM backendify.files WHERE project_id = $1 AND status = 'ready' GROUP BY bucket_id`,
      [projectId],
    );
    return new Map(
      r.rows.map((x) => [x.bucket_id, { file_count: Number(x.n), total_bytes: Number(x.bytes) }]),
    );
  }

  // ------------------------------------------------------------------ files

  async insertFile(db: Db, f: NewFile): Promise<void> {
    await db.query(
      `INSERT INTO backendify.files (id, project_id, bucket_id, bucket, filename, original_filename,
         content_type, size_bytes, checksum_sha256, storage_key, storage_driver, status, is_public,
         collection_id, record_id, field_name, uploaded_by_user_id, created_by_user_id,
         created_by_app_user_id, created_by_api_key_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)`,
      [
        f.id,
        f.project_id,
        f.bucket_id,
        f.bucket,
        f.filename,
        f.original_filename,
        f.content_type,
        f.size_bytes,
        f.checksum_sha256,
        f.storage_key,
        f.storage_driver,
        f.status,
        f.is_public,
        f.collection_id,
        f.record_id,
        f.field_name,
        f.uploaded_by_user_id,
        f.created_by_user_id,
        f.created_by_app_user_id,
        f.created_by_api_key_id,
      ],
    );
  }

  async markReady(
    db: Db,
    id: string,
    v: Pick<FileRow, 'content_type' | 'size_bytes' | 'checksum_sha256'>,
  ): Promise<void> {
    await db.query(
      `UPDATE backendify.files SET status = 'ready', content_type = $2, size_bytes = $3,
         checksum_sha256 = $4, updated_at = now() WHERE id = $1`,
      [id, v.content_type, v.size_bytes, v.checksum_sha256],
    );
  }

  /** One ready file of the project (under a policy row filter when given). */
  async file(
    projectId: string,
    id: string,
    filter?: FilterAst | null,
    opts: { includeUploading?: boolean } = {},
  ): Promise<FileRow | null> {
    const params = new SqlParams();
    const where = `f.project_id = ${params.add(projectId)} AND f.id = ${params.add(id)}${
      opts.includeUploading ? '' : ` AND f.status = 'ready'`
    }`;
    const policy = policySql(filter, params);
    const r = await this.pool.query<FileRow>(
      `SELECT ${FILE_COLUMNS} FROM ${FROM} WHERE ${where}${policy}`,
      params.values,
    );
    return r.rows[0] ?? null;
  }

  /**
   * Ready files, newest first. `scopes` are (bucket ids, policy filter) pairs ORed together, so a
   * caller under policies sees each bucket's files through that bucket's own filter.
   */
  async files(
    projectId: string,
    q: FileListQuery,
    scopes: { bucketId: string; filter: FilterAst | null }[] | null,
  ): Promise<FileRow[]> {
    const params = new SqlParams();
    let where = `f.project_id = ${params.add(projectId)} AND f.status = 'ready'`;
    if (q.bucketIds) where += ` AND f.bucket_id = ANY(${params.add(q.bucketIds)}::uuid[])`;
    if (q.collectionId) where += ` AND f.collection_id = ${params.add(q.collectionId)}`;
    if (q.recordId) where += ` AND f.record_id = ${params.add(q.recordId)}`;
    if (scopes) {
      if (scopes.length === 0) return [];
      const parts = scopes.map(
        (s) => `(f.bucket_id = ${params.add(s.bucketId)}${policySql(s.filter, params)})`,
      );
      where += ` AND (${parts.join(' OR ')})`;
    }
    const r = await this.pool.query<FileRow>(
      `SELECT ${FILE_COLUMNS} FROM ${FROM} WHERE ${where}
        ORDER BY f.created_at DESC, f.id DESC LIMIT ${params.add(q.limit)} OFFSET ${params.add(q.offset)}`,
      params.values,
    );
    return r.rows;
  }

  async stats(projectId: string): Promise<{ file_count: number; total_bytes: number }> {
    const r = await this.pool.query<{ n: string; bytes: string }>(
      `SELECT count(*) AS n, coalesce(sum(size_bytes), 0) AS bytes FROM backendify.files
        WHERE project_id = $1 AND status = 'ready'`,
      [projectId],
    );
    return { file_count: Number(r.rows[0].n), total_bytes: Number(r.rows[0].bytes) };
  }

  async deleteFile(
    db: Db,
    projectId: string,
    id: string,
    filter?: FilterAst | null,
  ): Promise<FileRow | null> {
    const params = new SqlParams();
    const where = `f.project_id = ${params.add(projectId)} AND f.id = ${params.add(id)}`;
    const r = await db.query<FileRow>(
      `DELETE FROM backendify.files f USING backendify.file_buckets b
        WHERE b.id = f.bucket_id AND ${where}${policySql(filter, params)}
        RETURNING ${FILE_COLUMNS}`,
      params.values,
    );
    return r.rows[0] ?? null;
  }

  async deleteBucketFiles(db: Db, bucketId: string): Promise<string[]> {
    const r = await db.query<{ storage_key: string }>(
      `DELETE FROM backendify.files WHERE bucket_id = $1 RETURNING storage_key`,
      [bucketId],
    );
    return r.rows.map((x) => x.storage_key);
  }

  async countBucketFiles(db: Db, bucketId: string): Promise<number> {
    const r = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM backendify.files WHERE bucket_id = $1`,
      [bucketId],
    );
    return Number(r.rows[0].n);
  }

  /** Every file row's key of a project (ready and uploading), for the orphan report. */
  async storageKeys(
    projectId: string,
  ): Promise<
    { id: string; storage_key: string; status: string; bucket: string; size_bytes: string }[]
  > {
    const r = await this.pool.query(
      `SELECT id, storage_key, status, bucket, size_bytes FROM backendify.files WHERE project_id = $1`,
      [projectId],
    );
    return r.rows;
  }

  /** Files a record's file fields point at (ids must exist in the given bucket). */
  async existingInBucket(projectId: string, bucket: string, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const r = await this.pool.query<{ id: string }>(
      `SELECT id FROM backendify.files WHERE project_id = $1 AND bucket = $2 AND status = 'ready'
          AND id = ANY($3::uuid[])`,
      [projectId, bucket, ids],
    );
    return new Set(r.rows.map((x) => x.id));
  }

  async filesByIds(projectId: string, ids: string[]): Promise<FileRow[]> {
    if (ids.length === 0) return [];
    const r = await this.pool.query<FileRow>(
      `SELECT ${FILE_COLUMNS} FROM ${FROM} WHERE f.project_id = $1 AND f.id = ANY($2::uuid[])
          AND f.status = 'ready'`,
      [projectId, ids],
    );
    return r.rows;
  }
}
