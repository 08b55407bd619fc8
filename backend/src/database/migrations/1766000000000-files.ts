import type { MigrationInterface, QueryRunner } from 'typeorm';

/** File buckets (settings and read/write policies) and stored files (DESIGN §8 Files). */
export class Files1766000000000 implements MigrationInterface {
  name = 'Files1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE backendify.file_buckets (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      project_id uuid NOT NULL REFERENCES backendify.projects(id) ON DELETE CASCADE,
      name text NOT NULL,
      is_public boolean NOT NULL DEFAULT false,
      max_size_bytes bigint NOT NULL CHECK (max_size_bytes > 0),
      allowed_types text[] NOT NULL DEFAULT '{}',
      policies jsonb NOT NULL DEFAULT '[]',
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT uq_file_buckets_project_name UNIQUE (project_id, name)
    )`);
    await q.query(`CREATE TABLE backendify.files (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      project_id uuid NOT NULL REFERENCES backendify.projects(id) ON DELETE CASCADE,
      bucket_id uuid NOT NULL REFERENCES backendify.file_buckets(id) ON DELETE RESTRICT,
      bucket text NOT NULL,
      filename text NOT NULL,
      original_filename text NOT NULL,
      content_type text NOT NULL,
      size_bytes bigint NOT NULL DEFAULT 0,
      checksum_sha256 text,
      storage_key text NOT NULL,
      storage_driver text NOT NULL,
      status text NOT NULL DEFAULT 'ready' CHECK (status IN ('uploading', 'ready')),
      is_public boolean NOT NULL DEFAULT false,
      collection_id uuid,
      record_id text,
      field_name text,
      uploaded_by_user_id uuid,
      created_by_user_id text,
      created_by_app_user_id text,
      created_by_api_key_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(
      `CREATE INDEX ix_files_project_bucket ON backendify.files (project_id, bucket_id, created_at DESC)`,
    );
    await q.query(
      `CREATE INDEX ix_files_app_user ON backendify.files (project_id, created_by_app_user_id)`,
    );
    await q.query(`CREATE UNIQUE INDEX uq_files_storage_key ON backendify.files (storage_key)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS backendify.files`);
    await q.query(`DROP TABLE IF EXISTS backendify.file_buckets`);
  }
}
