import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { PG_POOL } from '../../database/database.module';
import { inTransaction } from '../../database/transaction';
import type { ChangeEvent } from './change-event';
import { EVENT_COLUMNS, toEvent, type EventRow } from './change-event-row';

/** Anything that runs a statement: a pool, a client in a transaction, or a records executor. */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface Cursor {
  xactId: string;
  eventId: string;
}

export const START_CURSOR: Cursor = { xactId: '0', eventId: '0' };

/** Orders two positions of the log's (xact_id, id) order: negative when `a` comes first. */
export function compareCursors(a: Cursor, b: Cursor): number {
  const [ax, bx] = [BigInt(a.xactId), BigInt(b.xactId)];
  if (ax !== bx) return ax < bx ? -1 : 1;
  const [ai, bi] = [BigInt(a.eventId), BigInt(b.eventId)];
  return ai === bi ? 0 : ai < bi ? -1 : 1;
}

// (xact_id, id) order: a transaction still running has an xact id ≥ the snapshot's xmin, so
// nothing can later appear below a row read as ready, whatever order ids were handed out in.
// The select list renames xact_id to its text; ORDER BY names the table's column (e.xact_id),
// since a bare `xact_id` would sort the text ('1000' < '999') and skip or repeat events.
const READ_SQL = `SELECT ${EVENT_COLUMNS},
    e.xact_id < pg_snapshot_xmin(pg_current_snapshot()) AS ready
  FROM backendify.change_events e
  WHERE (e.xact_id, e.id) > ($1::xid8, $2::bigint)
  ORDER BY e.xact_id, e.id
  LIMIT $3`;

export interface Batch {
  events: ChangeEvent[];
  /** Where the next read starts. */
  cursor: Cursor;
  /** Committed rows wait behind a transaction that is still running, or the batch was full. */
  more: boolean;
}

/** The change log's tables: events, consumer cursors. */
@Injectable()
export class ChangeLogRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Events after `cursor` that no running transaction can precede; stops at the first that might. */
  async readAfter(db: Queryable, cursor: Cursor, limit: number): Promise<Batch> {
    const { rows } = (await db.query(READ_SQL, [cursor.xactId, cursor.eventId, limit])) as {
      rows: EventRow[];
    };
    const events: ChangeEvent[] = [];
    let next = cursor;
    for (const r of rows) {
      if (!r.ready) return { events, cursor: next, more: true };
      events.push(toEvent(r));
      next = { xactId: r.xact_id, eventId: r.id };
    }
    return { events, cursor: next, more: rows.length === limit };
  }

  /** Every event of a project (deleted with the project, in its transaction). */
  async deleteProject(db: Queryable, projectId: string): Promise<void> {
    await db.query('DELETE FROM backendify.change_events WHERE project_id = $1', [projectId]);
  }

  /**
   * Locks the cursor rows of `consumers` for this transaction (one run at a time, cluster-wide);
   * a consumer without a row starts at the first event committed after now. Rows are locked in
   * name order, so two runs never deadlock.
   */
  async lockCursors(
    client: PoolClient,
    consumers: readonly string[],
  ): Promise<Map<string, Cursor>> {
    const select = () =>
      client.query<{ consumer: string; xact_id: string; event_id: string }>(
        `SELECT consumer, xact_id::text AS xact_id, event_id::text AS event_id
           FROM backendify.change_cursors WHERE consumer = ANY($1::text[])
          ORDER BY consumer FOR UPDATE`,
        [consumers],
      );
    let { rows } = await select();
    if (rows.length < consumers.length) {
      await client.query(
        `INSERT INTO backendify.change_cursors (consumer, xact_id, event_id)
         SELECT c, pg_snapshot_xmin(pg_current_snapshot()), 0 FROM unnest($1::text[]) AS c
         ON CONFLICT (consumer) DO NOTHING`,
        [consumers],
      );
      ({ rows } = await select());
    }
    return new Map(rows.map((r) => [r.consumer, { xactId: r.xact_id, eventId: r.event_id }]));
  }

  /** Saves the cursors of consumers locked by `lockCursors` in this transaction. */
  /** Runs `work` in a savepoint of the caller's transaction: undone alone when it throws (rethrown). */
  async inSavepoint<T>(client: PoolClient, work: () => Promise<T>): Promise<T> {
    await client.query('SAVEPOINT change_log_consumer');
    try {
      const out = await work();
      await client.query('RELEASE SAVEPOINT change_log_consumer');
      return out;
    } catch (err) {
      await client.query('ROLLBACK TO SAVEPOINT change_log_consumer');
      throw err;
    }
  }

  async saveCursors(client: PoolClient, cursors: ReadonlyMap<string, Cursor>): Promise<void> {
    if (cursors.size === 0) return;
    const entries = [...cursors];
    await client.query(
      `UPDATE backendify.change_cursors c
          SET xact_id = v.xact_id::xid8, event_id = v.event_id::bigint, updated_at = now()
         FROM unnest($1::text[], $2::text[], $3::text[]) AS v(consumer, xact_id, event_id)
        WHERE c.consumer = v.consumer`,
      [
        entries.map(([n]) => n),
        entries.map(([, c]) => c.xactId),
        entries.map(([, c]) => c.eventId),
      ],
    );
  }

  transaction<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, fn);
  }

  /** A project's events of these kinds committed in [from, to), oldest first. */
  async between(
    projectId: string,
    kinds: readonly string[],
    from: Date,
    to: Date,
    limit: number,
  ): Promise<ChangeEvent[]> {
    const { rows } = await this.pool.query(
      `SELECT ${EVENT_COLUMNS} FROM backendify.change_events
        WHERE project_id = $1 AND kind = ANY($2::text[]) AND created_at >= $3 AND created_at < $4
        ORDER BY id LIMIT $5`,
      [projectId, kinds, from, to, limit],
    );
    return rows.map((r) => toEvent(r as EventRow));
  }

  /** Events after `cursor` that no running transaction can precede, on the pool (no transaction). */
  readReady(cursor: Cursor, limit: number): Promise<Batch> {
    return this.readAfter(this.pool, cursor, limit);
  }

  /**
   * The position of the last event no running transaction can precede (null: empty log): a reader
   * starting there sees exactly what commits from now on.
   */
  async lastReady(): Promise<Cursor | null> {
    const { rows } = await this.pool.query<{ xact_id: string; id: string }>(
      `SELECT xact_id::text AS xact_id, id::text AS id FROM backendify.change_events e
        WHERE e.xact_id < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY e.xact_id DESC, e.id DESC LIMIT 1`,
    );
    return rows[0] ? { xactId: rows[0].xact_id, eventId: rows[0].id } : null;
  }

  /** Where an event sits in the log's (xact_id, id) order, and when it was written. */
  async positionOf(id: string): Promise<{ cursor: Cursor; createdAt: Date } | null> {
    const { rows } = await this.pool.query<{ xact_id: string; id: string; created_at: Date }>(
      `SELECT xact_id::text AS xact_id, id::text AS id, created_at
         FROM backendify.change_events WHERE id = $1::bigint`,
      [id],
    );
    return rows[0]
      ? { cursor: { xactId: rows[0].xact_id, eventId: rows[0].id }, createdAt: rows[0].created_at }
      : null;
  }

  /** One collection's record events in (after, upTo] of the log's order (replays), oldest first. */
  async collectionRange(
    projectId: string,
    collectionId: string,
    after: Cursor,
    upTo: Cursor,
    limit: number,
  ): Promise<ChangeEvent[]> {
    const { rows } = await this.pool.query(
      `SELECT ${EVENT_COLUMNS} FROM backendify.change_events e
        WHERE e.project_id = $1 AND e.collection_id = $2 AND e.kind = 'record'
          AND (e.xact_id, e.id) > ($3::xid8, $4::bigint) AND (e.xact_id, e.id) <= ($5::xid8, $6::bigint)
        ORDER BY e.xact_id, e.id LIMIT $7`,
      [projectId, collectionId, after.xactId, after.eventId, upTo.xactId, upTo.eventId, limit],
    );
    return rows.map((r) => toEvent(r as EventRow));
  }

  /** Names this database among others (cluster id where readable, name, oid): shared channels key on it. */
  async databaseIdentity(): Promise<string> {
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT concat_ws(':',
         CASE WHEN has_function_privilege('pg_control_system()', 'execute')
           THEN (SELECT system_identifier::text FROM pg_control_system()) END,
         current_database(),
         (SELECT oid::text FROM pg_database WHERE datname = current_database())) AS id`,
    );
    return rows[0].id;
  }

  /** A consumer's saved cursor, without locking it (null before its first run). */
  async cursorOf(consumer: string): Promise<Cursor | null> {
    const { rows } = await this.pool.query<{ xact_id: string; event_id: string }>(
      `SELECT xact_id::text AS xact_id, event_id::text AS event_id
         FROM backendify.change_cursors WHERE consumer = $1`,
      [consumer],
    );
    return rows[0] ? { xactId: rows[0].xact_id, eventId: rows[0].event_id } : null;
  }

  async byId(projectId: string, id: string): Promise<ChangeEvent | null> {
    const { rows } = await this.pool.query(
      `SELECT ${EVENT_COLUMNS} FROM backendify.change_events WHERE project_id = $1 AND id = $2`,
      [projectId, id],
    );
    return rows[0] ? toEvent(rows[0] as EventRow) : null;
  }
}
