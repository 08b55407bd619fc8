import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API keys get a kind (DESIGN §5): `service` (server-to-server, past row policies and field
 * lists) or `public` (the principal `api_key` under policies). Keys that exist already keep what
 * they did, `public`: one may be shipped in an app, and must not gain access by an upgrade. New
 * keys are `service` unless asked otherwise.
 */
export class ApiKeyKinds1765100000000 implements MigrationInterface {
  name = 'ApiKeyKinds1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE backendify.api_keys
      ADD COLUMN kind text NOT NULL DEFAULT 'public'
      CONSTRAINT api_keys_kind_check CHECK (kind IN ('service', 'public'))`);
    await q.query(`ALTER TABLE backendify.api_keys ALTER COLUMN kind SET DEFAULT 'service'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE backendify.api_keys DROP COLUMN kind`);
  }
}
