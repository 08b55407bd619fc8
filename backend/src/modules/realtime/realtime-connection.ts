import type { WebSocket } from 'ws';
import type { FilterAst } from '../../query-engine/filter';
import type { AccessContext, DataPrincipal } from '../access/access-context';
import type { DataCredentials } from '../records/data-principal.resolver';
import type { FeedEvent } from './event-view';
import type { Position, StreamCursor } from './position';
import {
  errorMessage,
  eventPrefix,
  type ProtocolError,
  type RecordEventType,
} from './realtime-protocol';

/** One `subscribe` of one socket. */
export interface Subscription {
  readonly id: string;
  readonly conn: Connection;
  readonly collectionId: string;
  readonly collection: string;
  readonly filter: FilterAst | null;
  readonly stream: StreamCursor<FeedEvent>;
  /** A `since=` replay still to read from the log, up to this position. */
  replayUpTo: Position | null;
  flushing: boolean;
  closed: boolean;
  /** Message starts per event type, built once. */
  readonly prefixes: Partial<Record<RecordEventType, string>>;
  /** The key of its view in a batch, for the principal it was computed for. */
  viewKey: { principal: string; key: string } | null;
}

/** The principal and collection whose view of a batch a subscription shares. */
export function viewKeyOf(sub: Subscription): string {
  const k = sub.viewKey;
  if (k && k.principal === sub.conn.key) return k.key;
  sub.viewKey = { principal: sub.conn.key, key: `${sub.conn.key}|${sub.collectionId}` };
  return sub.viewKey.key;
}

/** The start of one subscription's messages of this type. */
export function prefixOf(sub: Subscription, type: RecordEventType): string {
  return (sub.prefixes[type] ??= eventPrefix(type, sub.id));
}

/** Messages a socket may have waiting to be handled before new ones are refused. */
const MAX_QUEUED = 64;
/** A closing socket that does not finish the close handshake is cut after this. */
const CLOSE_GRACE_MS = 5000;

/** Stable per principal: subscriptions of the same principal share one view of each event. */
export function principalKey(p: DataPrincipal): string {
  switch (p.kind) {
    case 'admin':
      return `admin:${p.userId}:${p.role}`;
    case 'app_user':
      return `app_user:${p.userId}:${p.emailVerified ? 1 : 0}:${[...p.roles].sort().join(',')}`;
    case 'api_key':
      return `api_key:${p.keyId}`;
    case 'workflow':
      return `workflow:${p.workflowId}`;
    default:
      return 'anonymous';
  }
}

/** Who the principal is, whatever its roles: an `auth` message may refresh a token, not swap users. */
export function identityOf(p: DataPrincipal): string {
  switch (p.kind) {
    case 'admin':
    case 'app_user':
      return `${p.kind}:${p.userId}`;
    default:
      return principalKey(p);
  }
}

let nextConnectionId = 0;

/** One socket: its principal, its subscriptions and the queue that handles its messages in order. */
export class Connection {
  principal: DataPrincipal = { kind: 'anonymous' };
  key = 'anonymous';
  credentials: DataCredentials = {};
  readonly subs = new Map<string, Subscription>();
  alive = true;
  closed = false;
  readonly openedAt = Date.now();
  readonly id = (nextConnectionId += 1);
  private queue: (() => Promise<void>)[] = [];
  private running = false;
  private expiry: NodeJS.Timeout | null = null;

  constructor(
    readonly ws: WebSocket,
    readonly projectId: string,
    readonly ip: string | null,
    readonly userAgent: string | null,
    private readonly maxBufferBytes: number,
    private readonly onTooSlow: (conn: Connection) => void,
    private readonly onTaskError: (conn: Connection, err: unknown) => void,
  ) {}

  /** A fresh access context: policy decisions cache per context, so one per batch keeps them current. */
  access(): AccessContext {
    return {
      projectId: this.projectId,
      principal: this.principal,
      ip: this.ip,
      userAgent: this.userAgent,
    };
  }

  setPrincipal(p: DataPrincipal, credentials: DataCredentials): void {
    this.principal = p;
    this.key = principalKey(p);
    this.credentials = credentials;
  }

  /** Runs `task` after every message before it (auth changes what later messages may do). */
  enqueue(task: () => Promise<void>): void {
    if (this.closed) return;
    if (this.queue.length >= MAX_QUEUED) {
      this.error({ code: 'BAD_MESSAGE', detail: 'Too many messages waiting; slow down' });
      return;
    }
    this.queue.push(task);
    if (!this.running) void this.run();
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0 && !this.closed) {
        const task = this.queue.shift() as () => Promise<void>;
        try {
          await task();
        } catch (err) {
          this.onTaskError(this, err);
        }
      }
    } finally {
      this.running = false;
    }
  }

  /**
   * Holds this socket's frames until `uncork`: the messages of one batch leave in one write
   * instead of one system call each (ws exposes its socket only as `_socket`).
   */
  cork(): void {
    (this.ws as unknown as { _socket?: { cork(): void } })._socket?.cork();
  }

  uncork(): void {
    (this.ws as unknown as { _socket?: { uncork(): void } })._socket?.uncork();
  }

  /** Sends a frame; a socket whose unsent data passed the buffer limit is closed instead. */
  send(text: string | Buffer): void {
    if (this.closed || this.ws.readyState !== 1) return;
    if (this.ws.bufferedAmount > this.maxBufferBytes) {
      this.onTooSlow(this);
      return;
    }
    if (typeof text === 'string') this.ws.send(text);
    else this.ws.send(text, { binary: false });
  }

  error(e: ProtocolError): void {
    this.send(errorMessage(e));
  }

  /** Resolves once the socket's unsent data is below half the buffer limit (replays pace on it). */
  async drained(): Promise<void> {
    while (!this.closed && this.ws.bufferedAmount > this.maxBufferBytes / 2)
      await new Promise((r) => setTimeout(r, 5));
  }

  expireAt(at: number | null, onExpired: () => void): void {
    if (this.expiry) clearTimeout(this.expiry);
    this.expiry = null;
    if (at === null) return;
    // setTimeout holds at most 2^31-1 ms; a longer token is checked again by the periodic recheck.
    const delay = Math.min(Math.max(at - Date.now(), 0), 2 ** 31 - 1);
    this.expiry = setTimeout(onExpired, delay);
    this.expiry.unref();
  }

  /** Tells the client why (when given), then closes; a peer that does not answer is cut. */
  close(code: number, reason: string, tell?: ProtocolError): void {
    if (this.closed) return;
    this.closed = true;
    // Past the buffer limit too: the reason goes out ahead of the close frame.
    if (tell && this.ws.readyState === 1) this.ws.send(errorMessage(tell));
    this.queue = [];
    if (this.expiry) clearTimeout(this.expiry);
    this.expiry = null;
    try {
      this.ws.close(code, reason.slice(0, 120));
    } catch {
      this.ws.terminate();
    }
    const cut = setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS);
    cut.unref();
    this.ws.once('close', () => clearTimeout(cut));
  }
}
