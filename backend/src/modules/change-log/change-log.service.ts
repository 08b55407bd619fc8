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
const TICK_JOB = 'change_log_tick';
const RETRY_BLOCKED_MS = 100;

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
  /**
   * Consumers with a run this process queued that has not started yet: a hint adds nothing to
   * it (the run reads everything committed before it starts), so a burst of writes costs one
   * queued run, not one job update per hint. Cleared when a run starts here; the minute tick
   * queues regardless, in case the run started in another process.
   */
  private readonly queued = new Set<string>();

  constructor(
    private readonly repo: ChangeLogRepository,
    private readonly jobs: JobsService,
    private readonly notifier: ChangeNotifier,
  ) {}

  onModuleInit(): void {
    this.jobs.register<{ consumer: string }>(CONSUME_JOB, (p) => this.consume(p.consumer));
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

  /** Coalesces hints: at most one wake-up round in flight per process. */
  private async wake(): Promise<void> {
    if (this.waking) {
      this.wakeAgain = true;
      return;
    }
    this.waking = true;
    try {
      do {
        this.wakeAgain = false;
        await this.wakeConsumers();
      } while (this.wakeAgain);
    } catch (err) {
      this.log.warn(`wake-up failed: ${(err as Error).message}`);
    } finally {
      this.waking = false;
    }
  }

  private async wakeConsumers(runAt?: Date, always = false): Promise<void> {
    for (const name of this.consumers.keys()) {
      if (!always && this.queued.has(name)) continue;
      await this.enqueue(name, runAt);
    }
  }

  private async enqueue(consumer: string, runAt?: Date): Promise<void> {
    // One queued run per consumer (job key); runs take turns on the cursor's row lock. Not a
    // graphile queue: a queue whose running job died with its process (kill -9) stays locked
    // for hours, and the consumer with it (found by the webhooks fault test).
    // Marked before the add commits: the run may start (and unmark) before the add answers. A
    // later run (a retry) is moved up by the next hint's add, so only an immediate one counts.
    // A process that runs no jobs never sees the run start, so it always adds.
    if (!runAt && this.jobs.runsJobs) this.queued.add(consumer);
    try {
      await this.jobs.add(CONSUME_JOB, { consumer }, { jobKey: `change-log:${consumer}`, runAt });
    } catch (err) {
      this.queued.delete(consumer);
      throw err;
    }
  }

  /** One batch for one consumer: cursor locked, handler run, cursor advanced, all in one transaction. */
  async consume(consumer: string): Promise<void> {
    const handler = this.consumers.get(consumer);
    if (!handler) return;
    // From here on a new event may be past what this run reads: the next hint queues again.
    this.queued.delete(consumer);
    const { batch, after } = await this.repo.transaction(async (client) => {
      const cursor = await this.repo.lockCursor(client, consumer);
      const read = await this.repo.readAfter(client, cursor, BATCH);
      const then = read.events.length ? await handler(client, read.events, cursor) : undefined;
      await this.repo.saveCursor(client, consumer, read.cursor);
      return { batch: read, after: then };
    });
    after?.();
    if (!batch.more) return;
    // A full batch: go on at once. Otherwise rows wait behind a running transaction; look again
    // shortly (its commit also notifies).
    const full = batch.events.length === BATCH;
    await this.enqueue(consumer, full ? undefined : new Date(Date.now() + RETRY_BLOCKED_MS));
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
