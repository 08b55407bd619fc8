import { patchAssignments } from '../../database/patch-assignments';
import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { PG_POOL } from '../../database/database.module';
import { inTransaction } from '../../database/transaction';

/** Runs SQL: the pool, or the client of a transaction. */
export interface Db {
  query: Pool['query'];
}

export interface WebhookRow {
  id: string;
  project_id: string;
  name: string;
  url: string;
  events: string[];
  collections: string[];
  secret_sealed: string;
  is_active: boolean;
  disabled_reason: string | null;
  consecutive_failures: number;
  last_delivery_at: Date | null;
  last_status: string | null;
  created_at: Date;
  updated_at: Date;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface AttemptLogEntry {
  attempt: number;
  at: string;
  status: number | null;
  duration_ms: number;
  error: string | null;
  response_excerpt: string | null;
}

export interface DeliveryRow {
  id: string;
  webhook_id: string;
  project_id: string;
  event_id: string | null;
  message_id: string;
  event_type: string;
  payload: Record<string, unknown>;
  status: DeliveryStatus;
  attempts: number;
  response_status: number | null;
  response_body: string | null;
  error: string | null;
  duration_ms: number | null;
  next_attempt_at: Date | null;
  attempt_log: AttemptLogEntry[];
  created_at: Date;
  delivered_at: Date | null;
}

/** A delivery claimed for one attempt, with what sending needs from its webhook. */
export interface ClaimedDelivery extends DeliveryRow {
  url: string;
  secret_sealed: string;
  is_active: boolean;
}

export interface NewDelivery {
  webhookId: string;
  projectId: string;
  eventId: string | null;
  messageId: string;
  eventType: string;
  payload: Record<string, unknown>;
}

export interface AttemptResult {
  status: number | null;
  durationMs: number;
  error: string | null;
  responseBody: string | null;
}

const WEBHOOK_COLUMNS = `id, project_id, name, url, events, collections, secret_sealed, is_active,
  disabled_reason, consecutive_failures, last_delivery_at, last_status, created_at, updated_at`;
const DELIVERY_COLUMNS = `id, webhook_id, project_id, event_id::text AS event_id, message_id,
  event_type, payload, status, attempts, response_status, response_body, error, duration_ms,
  next_attempt_at, attempt_log, created_at, delivered_at`;
const PATCHABLE = ['name', 'url', 'events', 'collections', 'is_active', 'secret_sealed'] as const;
export type WebhookPatch = Partial<Pick<WebhookRow, (typeof PATCHABLE)[number]>>;

/** The only code that touches the webhook tables. */
@Injectable()
export class WebhooksRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  transaction<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, fn);
  }

  /** The pool, for statements outside a transaction. */
  db(): Db {
    return this.pool;
  }

  async insert(
    db: Db,
    w: Pick<
      WebhookRow,
      'project_id' | 'name' | 'url' | 'events' | 'collections' | 'secret_sealed' | 'is_active'
    > & {
      created_by: string | null;
    },
  ): Promise<WebhookRow> {
    const { rows } = await db.query<WebhookRow>(
      `INSERT INTO backendify.webhooks (project_id, name, url, events, collections, secret_sealed, is_active, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${WEBHOOK_COLUMNS}`,
      [
        w.project_id,
        w.name,
        w.url,
        w.events,
        w.collections,
        w.secret_sealed,
        w.is_active,
        w.created_by,
      ],
    );
    return rows[0];
  }

  async list(projectId: string): Promise<WebhookRow[]> {
    const { rows } = await this.pool.query<WebhookRow>(
      `SELECT ${WEBHOOK_COLUMNS} FROM backendify.webhooks WHERE project_id = $1 ORDER BY created_at, id`,
      [projectId],
    );
    return rows;
  }

  async get(db: Db, projectId: string, id: string, lock = false): Promise<WebhookRow | null> {
    const { rows } = await db.query<WebhookRow>(
      `SELECT ${WEBHOOK_COLUMNS} FROM backendify.webhooks WHERE project_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`,
      [projectId, id],
    );
    return rows[0] ?? null;
  }

  /** Applies a patch; re-enabling clears the reason and the failure count. */
  async update(
    db: Db,
    projectId: string,
    id: string,
    patch: WebhookPatch,
  ): Promise<WebhookRow | null> {
    const values: unknown[] = [projectId, id];
    const sets = patchAssignments(patch, PATCHABLE, values);
    if (patch.is_active === true) sets.push('disabled_reason = NULL', 'consecutive_failures = 0');
    sets.push('updated_at = now()');
    const { rows } = await db.query<WebhookRow>(
      `UPDATE backendify.webhooks SET ${sets.join(', ')} WHERE project_id = $1 AND id = $2 RETURNING ${WEBHOOK_COLUMNS}`,
      values,
    );
    return rows[0] ?? null;
  }

  async delete(db: Db, projectId: string, id: string): Promise<boolean> {
    const res = await db.query(
      `DELETE FROM backendify.webhooks WHERE project_id = $1 AND id = $2`,
      [projectId, id],
    );
    return (res.rowCount ?? 0) > 0;
  }

  /** Active webhooks of these projects (a consumer batch). */
  async activeFor(db: Db, projectIds: readonly string[]): Promise<WebhookRow[]> {
    if (projectIds.length === 0) return [];
    const { rows } = await db.query<WebhookRow>(
      `SELECT ${WEBHOOK_COLUMNS} FROM backendify.webhooks WHERE is_active AND project_id = ANY($1::uuid[])`,
      [projectIds],
    );
    return rows;
  }

  /** Inserts deliveries in one statement; returns their ids in order. */
  async insertDeliveries(db: Db, items: readonly NewDelivery[]): Promise<string[]> {
    if (items.length === 0) return [];
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO backendify.webhook_deliveries (webhook_id, project_id, event_id, message_id, event_type, payload)
       SELECT r.webhook_id, r.project_id, r.event_id, r.message_id, r.event_type, r.payload
         FROM json_to_recordset($1::json) AS r(webhook_id uuid, project_id uuid, event_id bigint,
              message_id text, event_type text, payload jsonb, ord int)
        ORDER BY r.ord
       RETURNING id`,
      [
        JSON.stringify(
          items.map((d, ord) => ({
            webhook_id: d.webhookId,
            project_id: d.projectId,
            event_id: d.eventId,
            message_id: d.messageId,
            event_type: d.eventType,
            payload: d.payload,
            ord,
          })),
        ),
      ],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Takes a pending delivery for one attempt: no other worker (a sweeper's duplicate job) may
   * send it until the lease ends or the attempt is recorded.
   */
  async claim(id: string, leaseMs: number): Promise<ClaimedDelivery | null> {
    return (await this.claimMany([id], leaseMs))[0] ?? null;
  }

  /** `claim` for many deliveries in one statement (a consumer batch's first attempts). */
  async claimMany(ids: readonly string[], leaseMs: number): Promise<ClaimedDelivery[]> {
    if (ids.length === 0) return [];
    const { rows } = await this.pool.query<ClaimedDelivery>(
      `UPDATE backendify.webhook_deliveries d
          SET leased_until = now() + make_interval(secs => $2::float8 / 1000)
         FROM backendify.webhooks w
        WHERE d.id = ANY($1::uuid[]) AND w.id = d.webhook_id AND d.status = 'pending'
          AND (d.leased_until IS NULL OR d.leased_until < now())
       RETURNING d.id, d.webhook_id, d.project_id, d.event_id::text AS event_id, d.message_id,
         d.event_type, d.payload, d.status, d.attempts, d.response_status, d.response_body, d.error,
         d.duration_ms, d.next_attempt_at, d.attempt_log, d.created_at, d.delivered_at,
         w.url, w.secret_sealed, w.is_active`,
      [ids, leaseMs],
    );
    return rows;
  }

  /** Records one attempt and the delivery's new state. */
  async recordAttempt(
    db: Db,
    id: string,
    r: AttemptResult,
    next: { status: DeliveryStatus; nextAttemptAt: Date | null },
  ): Promise<DeliveryRow> {
    const { rows } = await db.query<DeliveryRow>(
      `UPDATE backendify.webhook_deliveries
          SET attempts = attempts + 1,
              response_status = $2::int, response_body = $3::text, error = $4::text, duration_ms = $5::int,
              status = $6::varchar, next_attempt_at = $7::timestamptz, leased_until = NULL, updated_at = now(),
              delivered_at = CASE WHEN $6::varchar = 'delivered' THEN now() ELSE delivered_at END,
              attempt_log = attempt_log || jsonb_build_array(jsonb_build_object(
                'attempt', attempts + 1, 'at', now(), 'status', $2::int, 'duration_ms', $5::int,
                'error', $4::text, 'response_excerpt', left($3::text, 512)))
        WHERE id = $1
       RETURNING ${DELIVERY_COLUMNS}`,
      [id, r.status, r.responseBody, r.error, r.durationMs, next.status, next.nextAttemptAt],
    );
    return rows[0];
  }

  /** Records many successful first attempts in one statement. */
  async recordDelivered(
    db: Db,
    items: readonly { id: string; result: AttemptResult }[],
  ): Promise<void> {
    if (items.length === 0) return;
    await db.query(
      `UPDATE backendify.webhook_deliveries d
          SET attempts = d.attempts + 1, response_status = r.status, response_body = r.body,
              error = NULL, duration_ms = r.duration_ms, status = 'delivered',
              next_attempt_at = NULL, leased_until = NULL, updated_at = now(), delivered_at = now(),
              attempt_log = d.attempt_log || jsonb_build_array(jsonb_build_object(
                'attempt', d.attempts + 1, 'at', now(), 'status', r.status, 'duration_ms', r.duration_ms,
                'error', NULL, 'response_excerpt', left(r.body, 512)))
         FROM json_to_recordset($1::json) AS r(id uuid, status int, body text, duration_ms int)
        WHERE d.id = r.id`,
      [
        JSON.stringify(
          items.map((i) => ({
            id: i.id,
            status: i.result.status,
            body: i.result.responseBody,
            duration_ms: i.result.durationMs,
          })),
        ),
      ],
    );
  }

  /** After deliveries succeeded: the failure streak of these webhooks ends. */
  async noteDeliveredMany(db: Db, webhookIds: readonly string[]): Promise<void> {
    if (webhookIds.length === 0) return;
    await db.query(
      `UPDATE backendify.webhooks SET consecutive_failures = 0, last_delivery_at = now(),
              last_status = 'delivered' WHERE id = ANY($1::uuid[])`,
      [webhookIds],
    );
  }

  /** Marks a pending delivery failed without an attempt (its webhook is disabled or gone). */
  async abandon(db: Db, id: string, reason: string): Promise<void> {
    await db.query(
      `UPDATE backendify.webhook_deliveries SET status = 'failed', error = $2, leased_until = NULL,
              next_attempt_at = NULL, updated_at = now() WHERE id = $1 AND status = 'pending'`,
      [id, reason],
    );
  }

  /** After a delivery succeeded: the failure streak ends. */
  async noteDelivered(db: Db, webhookId: string): Promise<void> {
    await db.query(
      `UPDATE backendify.webhooks SET consecutive_failures = 0, last_delivery_at = now(),
              last_status = 'delivered' WHERE id = $1`,
      [webhookId],
    );
  }

  /** After a delivery gave up: returns the streak of deliveries in a row that did. */
  async noteGaveUp(db: Db, webhookId: string): Promise<number> {
    const { rows } = await db.query<{ consecutive_failures: number }>(
      `UPDATE backendify.webhooks SET consecutive_failures = consecutive_failures + 1,
              last_delivery_at = now(), last_status = 'failed'
        WHERE id = $1 RETURNING consecutive_failures`,
      [webhookId],
    );
    return rows[0]?.consecutive_failures ?? 0;
  }

  async disable(db: Db, webhookId: string, reason: string): Promise<void> {
    await db.query(
      `UPDATE backendify.webhooks SET is_active = false, disabled_reason = $2, updated_at = now(),
              last_status = 'failed', last_delivery_at = now()
        WHERE id = $1 AND is_active`,
      [webhookId, reason],
    );
  }

  async deliveries(
    projectId: string,
    webhookId: string,
    f: { status?: DeliveryStatus; limit: number; offset: number },
  ): Promise<{ rows: DeliveryRow[]; total: number }> {
    const values: unknown[] = [projectId, webhookId];
    let where = 'project_id = $1 AND webhook_id = $2';
    if (f.status) {
      values.push(f.status);
      where += ` AND status = $${values.length}`;
    }
    const [list, count] = await Promise.all([
      this.pool.query<DeliveryRow>(
        `SELECT ${DELIVERY_COLUMNS} FROM backendify.webhook_deliveries WHERE ${where}
          ORDER BY created_at DESC, event_id DESC NULLS FIRST, id DESC LIMIT $${values.length + 1} OFFSET $${values.length + 2}`,
        [...values, f.limit, f.offset],
      ),
      this.pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM backendify.webhook_deliveries WHERE ${where}`,
        values,
      ),
    ]);
    return { rows: list.rows, total: Number(count.rows[0].n) };
  }

  async delivery(projectId: string, webhookId: string, id: string): Promise<DeliveryRow | null> {
    const { rows } = await this.pool.query<DeliveryRow>(
      `SELECT ${DELIVERY_COLUMNS} FROM backendify.webhook_deliveries
        WHERE project_id = $1 AND webhook_id = $2 AND id = $3`,
      [projectId, webhookId, id],
    );
    return rows[0] ?? null;
  }

  /** Pending deliveries whose job may have died with a process: due a while ago and not leased. */
  async stranded(graceMs: number, limit: number): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT id FROM backendify.webhook_deliveries
        WHERE status = 'pending' AND next_attempt_at < now() - make_interval(secs => $1::float8 / 1000)
          AND (leased_until IS NULL OR leased_until < now())
        ORDER BY next_attempt_at LIMIT $2`,
      [graceMs, limit],
    );
    return rows.map((r) => r.id);
  }
}
