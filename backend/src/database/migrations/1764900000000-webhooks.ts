import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook endpoints and their delivery outbox (DESIGN §4, §5). Deliveries are written by the
 * change-log consumer in the transaction that advances its cursor, with their first job; each
 * attempt is logged on the row.
 */
export class Webhooks1764900000000 implements MigrationInterface {
  name = 'Webhooks1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE backendify.webhooks (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      project_id uuid NOT NULL REFERENCES backendify.projects(id) ON DELETE CASCADE,
      name varchar(127) NOT NULL,
      url varchar(2048) NOT NULL,
      events text[] NOT NULL,
      collections text[] NOT NULL DEFAULT '{}',
      secret_sealed text NOT NULL,
      is_active boolean NOT NULL DEFAULT true,
      disabled_reason text,
      consecutive_failures integer NOT NULL DEFAULT 0,
      last_delivery_at timestamptz,
      last_status text,
      created_by uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX ix_webhooks_project ON backendify.webhooks (project_id)`);
    await q.query(`CREATE TABLE backendify.webhook_deliveries (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      webhook_id uuid NOT NULL REFERENCES backendify.webhooks(id) ON DELETE CASCADE,
      project_id uuid NOT NULL,
      event_id bigint,
      message_id text NOT NULL,
      event_type varchar(64) NOT NULL,
      payload jsonb NOT NULL,
      status varchar(16) NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending','delivered','failed')),
      attempts integer NOT NULL DEFAULT 0,
      response_status integer,
      response_body text,
      error text,
      duration_ms integer,
      next_attempt_at timestamptz DEFAULT now(),
      leased_until timestamptz,
      attempt_log jsonb NOT NULL DEFAULT '[]',
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      delivered_at timestamptz
    )`);
    await q.query(
      `CREATE INDEX ix_webhook_deliveries_webhook ON backendify.webhook_deliveries (webhook_id, created_at DESC, id)`,
    );
    // The sweeper's look for pending rows whose job was lost with a process.
    await q.query(
      `CREATE INDEX ix_webhook_deliveries_pending ON backendify.webhook_deliveries (next_attempt_at) WHERE status = 'pending'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS backendify.webhook_deliveries`);
    await q.query(`DROP TABLE IF EXISTS backendify.webhooks`);
  }
}
