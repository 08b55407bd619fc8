import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The one change log (DESIGN §4): a row per committed change, written in the change's own
 * transaction, plus the persisted cursors of its consumers and the audit retention settings.
 */
export class ChangeLog1764800600000 implements MigrationInterface {
  name = 'ChangeLog1764800600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE backendify.change_events (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      project_id uuid NOT NULL REFERENCES backendify.projects(id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('record','schema','auth','admin')),
      action text NOT NULL,
      collection text,
      collection_id uuid,
      record_id text,
      actor_type text NOT NULL CHECK (actor_type IN ('admin','app_user','api_key','anonymous','system')),
      actor_id text,
      api_key_id uuid,
      api_key_prefix text,
      ip text,
      user_agent text,
      request_id text,
      record jsonb,
      old_record jsonb,
      changed text[],
      meta jsonb,
      xact_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(
      `CREATE INDEX ix_change_events_project_id ON backendify.change_events (project_id, id)`,
    );
    await q.query(
      `CREATE INDEX ix_change_events_record ON backendify.change_events (project_id, collection, record_id, id)`,
    );
    await q.query(
      `CREATE INDEX ix_change_events_project_created ON backendify.change_events (project_id, created_at)`,
    );
    // Consumers read in (xact_id, id) order below the oldest running transaction (never skip).
    await q.query(`CREATE INDEX ix_change_events_xact ON backendify.change_events (xact_id, id)`);
    await q.query(`CREATE TABLE backendify.change_cursors (
      consumer text PRIMARY KEY,
      xact_id xid8 NOT NULL DEFAULT '0'::xid8,
      event_id bigint NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE backendify.audit_settings (
      project_id uuid PRIMARY KEY REFERENCES backendify.projects(id) ON DELETE CASCADE,
      retention_days integer CHECK (retention_days IS NULL OR retention_days >= 1),
      max_rows integer CHECK (max_rows IS NULL OR max_rows >= 1),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS backendify.audit_settings`);
    await q.query(`DROP TABLE IF EXISTS backendify.change_cursors`);
    await q.query(`DROP TABLE IF EXISTS backendify.change_events`);
  }
}
