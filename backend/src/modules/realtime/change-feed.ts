import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import type { ChangeEvent } from '../change-log/change-event';
import type { ChangeLogService, Cursor } from '../change-log/change-log.service';
import type { FeedEvent } from './event-view';
import { after, fromCursor, ORIGIN, positionOfEvent, toCursor, type Position } from './position';

/** Where a feed hands its batches: in log order, one at a time (each awaited before the next). */
export interface FeedSink {
  /** The position the feed starts after; called before any batch. */
  begin(at: Position): void;
  /** A batch of record events (maybe empty) and the position it ends at. */
  deliver(events: FeedEvent[], to: Position): Promise<void>;
}

/** This process's stream of every committed change, in the log's (xact_id, id) order. */
export interface ChangeFeed {
  start(sink: FeedSink): Promise<void>;
  stop(): void;
  /** A hint that the log has new rows (the change log's NOTIFY). */
  wake(): void;
}

const READ_LIMIT = 1000;
/** Rows wait behind a running transaction: look again this soon (its commit also notifies). */
const BLOCKED_RETRY_MS = 50;
const ERROR_RETRY_MS = 1000;

export function toFeedEvent(e: ChangeEvent): FeedEvent {
  return {
    id: e.id,
    xactId: e.xactId,
    projectId: e.projectId,
    kind: e.kind,
    action: e.action,
    collection: e.collection,
    collectionId: e.collectionId,
    record: e.record,
    oldRecord: e.oldRecord,
    pos: positionOfEvent(e),
  };
}

const isRecordEvent = (e: { kind: string; collectionId: string | null }) =>
  e.kind === 'record' && e.collectionId !== null;

/** Where a process that should see only what commits from now on starts reading. */
async function startPosition(changeLog: ChangeLogService): Promise<Position> {
  const last = await changeLog.lastReadyPosition();
  return last ? fromCursor(last) : ORIGIN;
}

/** Reads the log from `pos` until nothing more is ready (or `until` is passed), delivering as it goes. */
async function readOn(
  changeLog: ChangeLogService,
  sink: FeedSink,
  pos: Position,
  until: Position | null,
  running: () => boolean,
): Promise<{ pos: Position; more: boolean }> {
  for (;;) {
    const batch = await changeLog.readReady(toCursor(pos), READ_LIMIT);
    if (!running()) return { pos, more: false };
    const to = fromCursor(batch.cursor);
    if (batch.events.length) {
      await sink.deliver(batch.events.filter(isRecordEvent).map(toFeedEvent), to);
      pos = to;
    }
    const full = batch.events.length === READ_LIMIT;
    if (!full || (until && !after(until, pos))) return { pos, more: batch.more };
  }
}

/**
 * Without Redis: each process tails the change log itself from its own in-memory position,
 * woken by the log's NOTIFY hint (one per transaction, coalesced here) and a short poll.
 */
export class LocalChangeFeed implements ChangeFeed {
  private readonly log = new Logger('RealtimeFeed');
  private running = false;
  private woke = false;
  private wakeUp: (() => void) | null = null;
  private generation = 0;

  constructor(
    private readonly changeLog: ChangeLogService,
    private readonly pollMs: number,
  ) {}

  async start(sink: FeedSink): Promise<void> {
    const pos = await startPosition(this.changeLog);
    this.running = true;
    const generation = (this.generation += 1);
    sink.begin(pos);
    void this.loop(sink, pos, generation);
  }

  stop(): void {
    this.running = false;
    this.generation += 1;
    this.wake();
  }

  wake(): void {
    this.woke = true;
    this.wakeUp?.();
  }

  private async loop(sink: FeedSink, pos: Position, generation: number): Promise<void> {
    const alive = () => this.running && this.generation === generation;
    while (alive()) {
      this.woke = false;
      let wait = this.pollMs;
      try {
        const read = await readOn(this.changeLog, sink, pos, null, alive);
        pos = read.pos;
        if (read.more) wait = Math.min(BLOCKED_RETRY_MS, this.pollMs);
      } catch (err) {
        this.log.warn(`reading the change log failed: ${(err as Error).message}`);
        wait = ERROR_RETRY_MS;
      }
      if (!alive()) return;
      if (this.woke) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = null;
    }
  }
}

/** The Redis channel of one database's batches (one Redis may serve several deployments). */
export const redisChannel = (databaseIdentity: string) => `backendify:realtime:${databaseIdentity}`;
export const REALTIME_CONSUMER = 'realtime';

interface WireBatch {
  from: Cursor;
  to: Cursor;
  events: Omit<FeedEvent, 'pos'>[];
}

/**
 * With Redis: one reader at a time in the cluster (the change log's `realtime` consumer, which
 * runs as a job) publishes each batch to one Redis channel before its cursor commits; every
 * process subscribes. A batch names where it starts, so a process that missed one (a reconnect)
 * reads the gap from the log; batches seen twice (a cursor that failed to commit) are dropped by
 * position. While the Redis subscription is down, the process tails the log itself.
 */
export class RedisChangeFeed implements ChangeFeed {
  private readonly log = new Logger('RealtimeFeed');
  private publisher: Redis | null = null;
  private subscriber: Redis | null = null;
  private sink: FeedSink | null = null;
  private pos: Position = ORIGIN;
  private running = false;
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private channelName: Promise<string> | null = null;

  constructor(
    private readonly url: string,
    private readonly changeLog: ChangeLogService,
    private readonly pollMs: number,
  ) {}

  private channel(): Promise<string> {
    this.channelName ??= this.changeLog.databaseIdentity().then(redisChannel);
    this.channelName.catch(() => (this.channelName = null));
    return this.channelName;
  }

  /** The consumer's batch, published inside its transaction (before the cursor commits). */
  async publish(events: ChangeEvent[], from: Cursor): Promise<void> {
    if (!events.length) return;
    this.publisher ??= new Redis(this.url, { maxRetriesPerRequest: 3, lazyConnect: false });
    const last = events[events.length - 1];
    const batch: WireBatch = {
      from,
      to: { xactId: last.xactId, eventId: last.id },
      events: events.filter(isRecordEvent).map((e) => {
        // eslint-disable-next-line @typescript-eslint/no-unused-vars -- drop the position object
        const { pos, ...rest } = toFeedEvent(e);
        return rest;
      }),
    };
    await this.publisher.publish(await this.channel(), JSON.stringify(batch));
  }

  async start(sink: FeedSink): Promise<void> {
    this.sink = sink;
    const sub = new Redis(this.url, { maxRetriesPerRequest: null });
    this.subscriber = sub;
    sub.on('error', (err) => this.log.warn(`redis: ${err.message}`));
    sub.on('message', (_channel, text: string) => this.serial(() => this.onBatch(text)));
    // After a reconnect, what was published meanwhile is read from the log.
    sub.on('ready', () => this.serial(() => this.catchUp()));
    await sub.subscribe(await this.channel());
    const saved = await this.changeLog.consumerCursor(REALTIME_CONSUMER);
    const start = await startPosition(this.changeLog);
    // Whichever is later: everything up to the consumer's cursor has been published already.
    this.pos = saved && after(fromCursor(saved), start) ? fromCursor(saved) : start;
    this.running = true;
    sink.begin(this.pos);
    this.timer = setInterval(
      () => this.serial(() => this.catchUp()),
      Math.max(this.pollMs * 4, 1000),
    );
    this.timer.unref();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const sub = this.subscriber;
    this.subscriber = null;
    if (sub) sub.disconnect();
  }

  async close(): Promise<void> {
    this.stop();
    const pub = this.publisher;
    this.publisher = null;
    if (pub) await pub.quit().catch(() => pub.disconnect());
  }

  wake(): void {
    // Batches come through Redis; the NOTIFY hint is for the local feed.
  }

  private serial(task: () => Promise<void>): void {
    this.chain = this.chain.then(task).catch((err: unknown) => {
      this.log.warn(`realtime feed: ${(err as Error).message}`);
    });
  }

  private async onBatch(text: string): Promise<void> {
    if (!this.running || !this.sink) return;
    let batch: WireBatch;
    try {
      batch = JSON.parse(text) as WireBatch;
    } catch {
      return;
    }
    const to = fromCursor(batch.to);
    if (!after(to, this.pos)) return;
    if (after(fromCursor(batch.from), this.pos)) await this.readLog(fromCursor(batch.from));
    const events = batch.events
      .map((e) => ({ ...e, pos: positionOfEvent(e) }))
      .filter((e) => after(e.pos, this.pos));
    if (!after(to, this.pos)) return;
    await this.sink.deliver(events, to);
    this.pos = to;
  }

  /** Catches up with the consumer's cursor, or with the log itself while Redis is down. */
  private async catchUp(): Promise<void> {
    if (!this.running) return;
    if (this.subscriber?.status !== 'ready') return this.readLog(null);
    const saved = await this.changeLog.consumerCursor(REALTIME_CONSUMER);
    if (saved && after(fromCursor(saved), this.pos)) await this.readLog(fromCursor(saved));
  }

  private async readLog(until: Position | null): Promise<void> {
    if (!this.sink) return;
    const read = await readOn(this.changeLog, this.sink, this.pos, until, () => this.running);
    this.pos = read.pos;
  }
}
