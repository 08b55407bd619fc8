import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import type { PoolClient } from 'pg';
import type { CompiledQuery } from '../../query-engine/sql-params';
import { afterCommit } from '../../database/transaction';
import { JobsService } from '../../jobs/jobs.service';
import {
  adminChange,
  CHANGES_CHANNEL,
  compileAppend,
  type ChangeEvent,
  type ChangeEventInput,
  type CollectionRef,
  type JsonObject,
} from './change-event';
import {
  ChangeLogRepository,
  compareCursors,
  type Batch,
  type Cursor,
  type Queryable,
} from './change-log.repository';
import { ChangeNotifier } from './change-notifier';
import { currentActor, withRequestOrigin } from './request-context';

/** Runs a compiled statement: a pg client (`query`) or a records executor (`run`). */
export type { Batch, Cursor };

export type AppendTarget = Queryable | { run(q: CompiledQuery): Promise<unknown[]> };

/**
 * A consumer's work on one batch, in the transaction that advances its cursor. It may return a
 * callback run after that transaction commits (e.g. to start work on the rows it wrote). `from`
 * is the cursor the batch was read after (where the previous batch ended).
 */
export type ConsumerHandler = (
  client: PoolClient,
  events: ChangeEvent[],
  from: Cursor,
) => Promise<void | (() => void)>;

const BATCH = 500;
const APPEND_CHUNK = 2000;
const CONSUME_JOB = 'change_log_consume';
/** The one pending run of every consumer (older per-consumer keys just run once more, harmlessly). */
const CONSUME_KEY = 'change-log:consumers';
const TICK_JOB = 'change_log_tick';
const RETRY_BLOCKED_MS = 100;
/** A consumer whose handler threw runs again this soon (or at the next hint, whichever is first). */
const RETRY_FAILED_MS = 1000;
/**
 * At least this long between two wake-ups of one process: a burst of writes costs one run, for at
 * most this much more delivery latency under load (the first hint after a quiet spell goes at once).
 */
const WAKE_GAP_MS = 10;

/**
 * The one change log (DESIGN §4). `append` writes one row in the caller's transaction;
 * consumers (webhooks, later workflows and realtime) read it from their own cursor in jobs,
 * woken by the NOTIFY hint and by a once-a-minute tick.
 */
@Injectable()
export class ChangeLogService implements OnModuleInit, OnApplicationBootstrap {
  private readonly log = new Logger('ChangeLog');
  private readonly consumers = new Map<string, ConsumerHandler>();
  private waking = false;
  private wakeAgain = false;
  private lastWake = 0;
  /**
   * A run this process queued has not started yet: a hint adds nothing to it (the run reads
   * everything committed before it starts), so a burst of writes costs one queued run, not one
   * job update per hint. Cleared when a run starts here; the minute tick queues regardless, in
   * case the run started in another process.
   */
  private queued = false;

  constructor(
    private readonly repo: ChangeLogRepository,
    private readonly jobs: JobsService,
    private readonly notifier: ChangeNotifier,
  ) {}

  onModuleInit(): void {
    // The payload (`consumer`, from the one-job-per-consumer days) is ignored: a run serves all.
    this.jobs.register(CONSUME_JOB, () => this.consume());
    this.jobs.register(TICK_JOB, () => this.wakeConsumers(undefined, true));
    this.jobs.schedule('* * * * *', TICK_JOB);
    this.notifier.on(CHANGES_CHANNEL, () => void this.wake());
  }

  /** After a restart, consumers catch up at once instead of at the next tick or write. */
  onApplicationBootstrap(): void {
    void this.wake();
  }

  /** Writes one event inside the caller's transaction; the actor defaults to the current request's. */
  async append(db: AppendTarget, event: ChangeEventInput): Promise<string> {
    return (await this.appendMany(db, [event]))[0];
  }

  /** One admin action `<resource>.<verb>` in the caller's transaction; the actor is the request's. */
  appendAdmin(
    db: AppendTarget,
    projectId: string,
    action: string,
    meta: JsonObject,
    collection?: CollectionRef | null,
  ): Promise<string> {
    return this.append(db, adminChange(projectId, action, meta, collection));
  }

  /** Several events in one statement (bulk writes, imports); returns their ids in order. */
  async appendMany(db: AppendTarget, events: readonly ChangeEventInput[]): Promise<string[]> {
    const ids: string[] = [];
    for (const q of this.compileEvents(events)) {
      const rows =
        'run' in db
          ? ((await db.run(q)) as { id: string }[])
          : ((await db.query(q.text, q.values)).rows as { id: string }[]);
      ids.push(...rows.map((r) => r.id));
    }
    return ids;
  }

  /**
   * One event written by the caller's transaction as it commits (sent with the COMMIT, no round
   * trip of its own; it fails the transaction if it fails). For callers that need no event id.
   */
  appendAtCommit(tx: { atCommit(q: CompiledQuery): void }, event: ChangeEventInput): void {
    for (const q of this.compileEvents([event])) tx.atCommit(q);
  }

  /** The append statements of `events` (actors resolved now); the hint is queued for the commit. */
  private compileEvents(events: readonly ChangeEventInput[]): CompiledQuery[] {
    if (events.length === 0) return [];
    const here = currentActor();
    const withActors = events.map((e) => ({
      ...e,
      actor: e.actor ? withRequestOrigin(e.actor) : here,
    }));
    const out: CompiledQuery[] = [];
    // Bounded by PostgreSQL's 65535 bind parameters per statement.
    for (let i = 0; i < withActors.length; i += APPEND_CHUNK)
      out.push(compileAppend(withActors.slice(i, i + APPEND_CHUNK), here));
    // The hint leaves once the caller's transaction commits (one coalesced NOTIFY per process).
    afterCommit(() => this.notifier.hint(CHANGES_CHANNEL));
    return out;
  }

  /**
   * Deletes a project's events in the caller's transaction (with the project itself: the table
   * has no foreign key to projects, whose row every write would otherwise lock).
   */
  async deleteProjectEvents(db: Queryable, projectId: string): Promise<void> {
    await this.repo.deleteProject(db, projectId);
  }

  /** Registers a consumer; its cursor starts at the first event committed after it first runs. */
  registerConsumer(name: string, handler: ConsumerHandler): void {
    this.consumers.set(name, handler);
  }

  /** Coalesces hints: at most one wake-up round in flight per process, WAKE_GAP_MS apart. */
  private async wake(): Promise<void> {
    if (this.waking) {
      this.wakeAgain = true;
      return;
    }
    this.waking = true;
    try {
      do {
        this.wakeAgain = false;
        const wait = this.lastWake + WAKE_GAP_MS - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        this.lastWake = Date.now();
        await this.wakeConsumers();
      } while (this.wakeAgain);
    } catch (err) {
      this.log.warn(`wake-up failed: ${(err as Error).message}`);
    } finally {
      this.waking = false;
    }
  }

  private async wakeConsumers(runAt?: Date, always = false): Promise<void> {
    if (this.consumers.size === 0 || (!always && this.queued)) return;
    await this.enqueue(runAt);
  }

  private async enqueue(runAt?: Date): Promise<void> {
    // One queued run for all consumers (job key); runs take turns on the cursors' row locks. Not
    // a graphile queue: a queue whose running job died with its process (kill -9) stays locked
    // for hours, and the consumers with it (found by the webhooks fault test).
    // Marked before the add commits: the run may start (and unmark) before the add answers. A
    // later run (a retry) is moved up by the next hint's add, so only an immediate one counts.
    // A process that runs no jobs never sees the run start, so it always adds.
    if (!runAt && this.jobs.runsJobs) this.queued = true;
    try {
      await this.jobs.add(CONSUME_JOB, {}, { jobKey: CONSUME_KEY, runAt });
    } catch (err) {
      this.queued = false;
      throw err;
    }
  }

  /**
   * One batch for every consumer, in one transaction: their cursors locked, the log read once
   * from the earliest of them, each handler given only the events after its own cursor, in a
   * savepoint (a handler that throws is rolled back alone, keeps its cursor and runs again
   * later; the others advance), then the cursors saved.
   */
  async consume(): Promise<void> {
    if (this.consumers.size === 0) return;
    // From here on a new event may be past what this run reads: the next hint queues again.
    this.queued = false;
    const names = [...this.consumers.keys()].sort();
    const run = await this.repo.transaction(async (client) => {
      const cursors = await this.repo.lockCursors(client, names);
      const out = {
        full: false,
        blocked: false,
        failed: [] as string[],
        afters: [] as (() => void)[],
      };
      const moved = new Map<string, Cursor>();
      let pending = names;
      while (pending.length) {
        // Usually every cursor stands at the same place: one read. One behind (a failing handler)
        // does not hold the others back: whoever is past a full batch gets a read of its own.
        let from = cursors.get(pending[0]) as Cursor;
        for (const n of pending) {
          const c = cursors.get(n) as Cursor;
          if (compareCursors(c, from) < 0) from = c;
        }
        const read = await this.repo.readAfter(client, from, BATCH);
        const full = read.events.length === BATCH;
        out.blocked ||= read.more && !full;
        const next: string[] = [];
        for (const name of pending) {
          const own = cursors.get(name) as Cursor;
          if (compareCursors(read.cursor, own) <= 0) {
            if (full) next.push(name);
            continue;
          }
          const events =
            compareCursors(own, from) === 0
              ? read.events
              : read.events.filter(
                  (e) => compareCursors({ xactId: e.xactId, eventId: e.id }, own) > 0,
                );
          if (events.length) {
            const then = await this.runHandler(client, name, events, own);
            if (then === false) {
              out.failed.push(name);
              continue;
            }
            if (then) out.afters.push(then);
          }
          moved.set(name, read.cursor);
          // More may be ready right behind this batch (not for a failed handler: it waits).
          out.full ||= full;
        }
        pending = next;
      }
      await this.repo.saveCursors(client, moved);
      return out;
    });
    for (const then of run.afters) then();
    // A full batch: go on at once. Otherwise rows wait behind a running transaction (its commit
    // also notifies) or a handler failed: look again shortly.
    if (run.full) await this.enqueue();
    else if (run.failed.length) await this.enqueue(new Date(Date.now() + RETRY_FAILED_MS));
    else if (run.blocked) await this.enqueue(new Date(Date.now() + RETRY_BLOCKED_MS));
  }

  /** One handler in a savepoint: its follow-up, or false when it threw (rolled back, logged). */
  private async runHandler(
    client: PoolClient,
    name: string,
    events: ChangeEvent[],
    from: Cursor,
  ): Promise<void | (() => void) | false> {
    const handler = this.consumers.get(name) as ConsumerHandler;
    try {
      return await this.repo.inSavepoint(client, () => handler(client, events, from));
    } catch (err) {
      this.log.warn(
        `consumer ${name} failed on events after ${from.eventId}, retried later: ${(err as Error).message}`,
      );
      return false;
    }
  }

  /** Events after `cursor` that no running transaction can precede (a process's own tail of the log). */
  readReady(cursor: Cursor, limit: number): Promise<Batch> {
    return this.repo.readReady(cursor, limit);
  }

  /** Where a reader that should see only what commits from now on starts (null: empty log). */
  lastReadyPosition(): Promise<Cursor | null> {
    return this.repo.lastReady();
  }

  /** An event's position in the log's order, and when it was written (null: not in the log). */
  positionOf(eventId: string): Promise<{ cursor: Cursor; createdAt: Date } | null> {
    return this.repo.positionOf(eventId);
  }

  /** One collection's record events in (after, upTo], oldest first (realtime `since=` replays). */
  collectionEvents(
    projectId: string,
    collectionId: string,
    after: Cursor,
    upTo: Cursor,
    limit: number,
  ): Promise<ChangeEvent[]> {
    return this.repo.collectionRange(projectId, collectionId, after, upTo, limit);
  }

  /** Which database this is, for channels several deployments may share (Redis). */
  databaseIdentity(): Promise<string> {
    return this.repo.databaseIdentity();
  }

  /** A consumer's saved cursor (null before its first run). */
  consumerCursor(consumer: string): Promise<Cursor | null> {
    return this.repo.cursorOf(consumer);
  }

  /** A project's record, schema and auth events committed in [from, to), oldest first (replays). */
  eventsBetween(projectId: string, from: Date, to: Date, limit: number): Promise<ChangeEvent[]> {
    return this.repo.between(projectId, ['record', 'schema', 'auth'], from, to, limit);
  }
}
