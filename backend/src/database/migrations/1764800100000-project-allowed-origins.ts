import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Per-project CORS origins for the app-facing routes (null = any origin); API key prefixes are 8 characters. */
export class ProjectAllowedOrigins1764800100000 implements MigrationInterface {
  name = 'ProjectAllowedOrigins1764800100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE backendify.projects ADD COLUMN allowed_origins text[]`);
    await q.query(`UPDATE backendify.api_keys SET prefix = left(prefix, 8)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE backendify.projects DROP COLUMN allowed_origins`);
  }
}
