import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Webhook endpoints (secret sealed, not hashed) and their delivery log (DESIGN §5, §8). */
export class Webhooks1764800600100 implements MigrationInterface {
  name = 'Webhooks1764800600100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE backendify.webhooks (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      project_id uuid NOT NULL REFERENCES backendify.projects(id) ON DELETE CASCADE,
      name text NOT NULL,
      url text NOT NULL,
      events text[] NOT NULL,
      collections text[],
      secret_sealed text NOT NULL,
      is_active boolean NOT NULL DEFAULT true,
      disabled_reason text,
      disabled_at timestamptz,
      consecutive_failures integer NOT NULL DEFAULT 0,
      created_by_user_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX ix_webhooks_project ON backendify.webhooks (project_id)`);
    await q.query(`CREATE TABLE backendify.webhook_deliveries (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      webhook_id uuid NOT NULL REFERENCES backendify.webhooks(id) ON DELETE CASCADE,
      project_id uuid NOT NULL,
      event_id bigint,
      event_type text NOT NULL,
      payload jsonb NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','delivered','failed')),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      lease_until timestamptz,
      response_status integer,
      error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      delivered_at timestamptz
    )`);
    await q.query(
      `CREATE INDEX ix_webhook_deliveries_webhook ON backendify.webhook_deliveries (webhook_id, id DESC)`,
    );
    await q.query(
      `CREATE INDEX ix_webhook_deliveries_due ON backendify.webhook_deliveries (next_attempt_at) WHERE status = 'pending'`,
    );
    await q.query(
      `CREATE UNIQUE INDEX ux_webhook_deliveries_event ON backendify.webhook_deliveries (webhook_id, event_id) WHERE event_id IS NOT NULL`,
    );
    await q.query(`CREATE TABLE backendify.webhook_attempts (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      delivery_id bigint NOT NULL REFERENCES backendify.webhook_deliveries(id) ON DELETE CASCADE,
      attempt integer NOT NULL,
      request_headers jsonb NOT NULL,
      response_status integer,
      response_excerpt text,
      error text,
      duration_ms integer NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(
      `CREATE INDEX ix_webhook_attempts_delivery ON backendify.webhook_attempts (delivery_id, id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS backendify.webhook_attempts`);
    await q.query(`DROP TABLE IF EXISTS backendify.webhook_deliveries`);
    await q.query(`DROP TABLE IF EXISTS backendify.webhooks`);
  }
}
