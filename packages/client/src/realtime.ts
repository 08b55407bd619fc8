import type { FilterNode } from './data';
import type { SessionScope, Transport } from './http';

/** A record change pushed by the server (DESIGN §8). */
export interface RealtimeEvent<T = Record<string, unknown>> {
  type: 'record.created' | 'record.updated' | 'record.deleted';
  /** The server-side id of the subscription (internal to the client). */
  subscription: string;
  /** Position in the change log: resuming `since` it loses nothing and repeats nothing. */
  event_id: string;
  collection: string;
  /** The row as you may read it; for `record.deleted`, the last version you could see. */
  record: T;
  /** The previous version, on updates of a row that was already in your view. */
  old_record?: T;
  /** `left_view`: an update took the row out of what you may see (or out of your filter). */
  reason?: 'left_view';
}

/** A problem the server reported (`{"type":"error"}`) or a connection that cannot go on. */
export interface RealtimeError {
  code: string;
  detail: string;
}

export interface SubscribeOptions<T> {
  /** The data API's JSON filter tree (`filter=`), evaluated by the server. */
  filter?: FilterNode;
  /** Start after this event instead of now (e.g. the last event a page had before reloading). */
  since?: string;
  onEvent(event: RealtimeEvent<T>): void;
  /**
   * The server confirmed the subscription (again after each reconnect): changes from here on
   * arrive. Load a list's first page here, then apply events, and nothing falls between.
   */
  onReady?(): void;
  /**
   * The subscription was refused (bad filter, no read access), its resume point aged out of the
   * server's window (`SINCE_TOO_OLD`: it continues live from now, reload your data), or the
   * connection ended for good (`KEY_REVOKED`, `UNAUTHENTICATED`, `NOT_FOUND`).
   */
  onError?(error: RealtimeError): void;
}

/** The minimal WebSocket surface used: browsers' and Node 22's global one, or the `ws` package. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface RealtimeOptions {
  /** A WebSocket implementation; defaults to the global one, else the `ws` package (Node 20). */
  WebSocket?: WebSocketConstructor;
  /** First reconnect delay; each failed attempt doubles it, up to `maxReconnectDelayMs`. */
  reconnectDelayMs?: number;
  maxReconnectDelayMs?: number;
  /** How often the client checks the connection with a `ping` (a silent socket is replaced). */
  pingIntervalMs?: number;
}

export interface RealtimeApi {
  /**
   * Streams a collection's changes that you may read, in commit order; reconnects by itself and
   * resumes from the last event it delivered, so no change is lost or repeated. Returns the
   * function that ends the subscription.
   */
  subscribe<T = Record<string, unknown>>(
    collection: string,
    options: SubscribeOptions<T>,
  ): () => void;
  /** Ends every subscription and the connection. */
  close(): void;
}

// Close codes after which reconnecting cannot help (README "Realtime").
const FATAL = new Map<number, string>([
  [4002, 'KEY_REVOKED'],
  [4004, 'NOT_FOUND'],
  [4005, 'FORBIDDEN'],
]);
const TOKEN_EXPIRED = 4001;
const UNAUTHENTICATED = 4003;
const OPEN = 1;

interface ClientSubscription {
  key: string;
  collection: string;
  options: SubscribeOptions<unknown>;
  /** Where to resume: the last event delivered, or the stream position when it subscribed. */
  last: string | null;
  /** The id of its `subscribe` on the current socket (a new one per socket). */
  wireId: string | null;
  active: boolean;
}

/**
 * Timers, URL and CommonJS `require` as every runtime the client targets has them (browsers,
 * Node 20+, Deno, Bun); the client is built without DOM or Node typings, so it names its needs.
 */
type TimerHandle = { readonly __timer?: never } | number;
const runtime = globalThis as unknown as {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(h: TimerHandle): void;
  setInterval(fn: () => void, ms: number): TimerHandle;
  clearInterval(h: TimerHandle): void;
  location?: { href: string };
  URL: new (
    url: string,
    base?: string,
  ) => {
    searchParams: { set(name: string, value: string): void };
    toString(): string;
  };
};
declare const require: ((id: string) => unknown) | undefined;
/** The ES module build's `import.meta.url` (build-esm.mjs); undefined in the CommonJS build. */
declare const __backendifyClientUrl: string | undefined;
type NodeModule = { createRequire(from: string): (id: string) => unknown };
type NodeProcess = { getBuiltinModule?(id: 'node:module'): NodeModule | undefined };

/** In the ES module build on Node a `require` made for this file, else CommonJS `require`. */
function nodeRequire(): ((id: string) => unknown) | undefined {
  if (typeof __backendifyClientUrl === 'string') {
    const proc = (globalThis as { process?: NodeProcess }).process;
    return proc?.getBuiltinModule?.('node:module')?.createRequire(__backendifyClientUrl);
  }
  return typeof require === 'function' ? require : undefined;
}

function defaultWebSocket(): WebSocketConstructor {
  const global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (global) return global;
  try {
    // Node 20 has no global WebSocket; `ws` is this package's dependency there.
    const load = nodeRequire();
    if (!load) throw new Error('no require');
    return load('ws') as WebSocketConstructor;
  } catch {
    throw new Error('No WebSocket available: pass `WebSocket` to createClient');
  }
}

class RealtimeConnection implements RealtimeApi {
  private socket: WebSocketLike | null = null;
  private readonly subs = new Map<string, ClientSubscription>();
  private byWireId = new Map<string, ClientSubscription>();
  private counter = 0;
  private attempt = 0;
  private reconnectTimer: TimerHandle | null = null;
  private pingTimer: TimerHandle | null = null;
  private awaitingPong = false;
  private closedForGood = false;
  private connecting = false;
  private session: SessionScope | undefined;

  constructor(
    private readonly http: Transport,
    private readonly projectId: string,
    private readonly scope: SessionScope,
    private readonly options: RealtimeOptions,
  ) {}

  subscribe<T>(collection: string, options: SubscribeOptions<T>): () => void {
    this.closedForGood = false;
    const sub: ClientSubscription = {
      key: `c${(this.counter += 1)}`,
      collection,
      options: options as SubscribeOptions<unknown>,
      last: options.since ?? null,
      wireId: null,
      active: true,
    };
    this.subs.set(sub.key, sub);
    if (this.socket?.readyState === OPEN) this.sendSubscribe(sub);
    else this.open();
    return () => this.unsubscribe(sub);
  }

  close(): void {
    this.closedForGood = true;
    for (const sub of this.subs.values()) sub.active = false;
    this.subs.clear();
    this.byWireId.clear();
    this.teardown();
  }

  private unsubscribe(sub: ClientSubscription): void {
    if (!sub.active) return;
    sub.active = false;
    this.subs.delete(sub.key);
    if (sub.wireId) {
      this.byWireId.delete(sub.wireId);
      if (this.socket?.readyState === OPEN)
        this.socket.send(JSON.stringify({ type: 'unsubscribe', id: sub.wireId }));
    }
    if (this.subs.size === 0) this.teardown();
  }

  private teardown(): void {
    if (this.reconnectTimer) runtime.clearTimeout(this.reconnectTimer);
    if (this.pingTimer) runtime.clearInterval(this.pingTimer);
    this.reconnectTimer = null;
    this.pingTimer = null;
    const s = this.socket;
    this.socket = null;
    if (s) {
      s.onclose = null;
      s.onmessage = null;
      s.onerror = null;
      s.close(1000, 'closed by client');
    }
  }

  private open(): void {
    this.connect().catch(() => this.scheduleReconnect());
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer || this.closedForGood || this.subs.size === 0) return;
    const base = this.options.reconnectDelayMs ?? 250;
    const max = this.options.maxReconnectDelayMs ?? 30_000;
    const delay = Math.min(max, base * 2 ** this.attempt) * (0.5 + Math.random() / 2);
    this.attempt += 1;
    this.reconnectTimer = runtime.setTimeout(() => {
      this.reconnectTimer = null;
      this.open();
    }, delay);
  }

  private async connect(): Promise<void> {
    if (this.socket || this.connecting || this.closedForGood || this.subs.size === 0) return;
    this.connecting = true;
    let url: string;
    try {
      const creds = await this.http.credentials(this.scope);
      this.session = creds.session;
      // A client made with `url: ''` (same origin, as the console is) resolves against the page.
      const base = this.http.origin || runtime.location?.href || '';
      const u = new runtime.URL('/api/realtime', base.replace(/^http/, 'ws'));
      u.searchParams.set('project', this.projectId);
      if (creds.token) u.searchParams.set('token', creds.token);
      else if (creds.apiKey) u.searchParams.set('api_key', creds.apiKey);
      url = u.toString();
    } finally {
      this.connecting = false;
    }
    if (this.socket || this.closedForGood || this.subs.size === 0) return;
    const Ctor = this.options.WebSocket ?? defaultWebSocket();
    const socket = new Ctor(url);
    this.socket = socket;
    this.byWireId = new Map();
    for (const sub of this.subs.values()) sub.wireId = null;
    socket.onopen = () => {
      for (const sub of this.subs.values()) this.sendSubscribe(sub);
      this.startPing(socket);
    };
    socket.onmessage = (ev) => this.onMessage(ev.data);
    socket.onerror = () => undefined;
    socket.onclose = (ev) => void this.onClose(socket, ev.code, ev.reason);
  }

  private startPing(socket: WebSocketLike): void {
    if (this.pingTimer) runtime.clearInterval(this.pingTimer);
    this.awaitingPong = false;
    const every = this.options.pingIntervalMs ?? 25_000;
    this.pingTimer = runtime.setInterval(() => {
      if (this.socket !== socket) return;
      // The previous ping got no answer within an interval: replace the socket.
      if (this.awaitingPong) return socket.close(4000, 'no pong');
      this.awaitingPong = true;
      socket.send('{"type":"ping"}');
    }, every);
    (this.pingTimer as { unref?: () => void }).unref?.();
  }

  private sendSubscribe(sub: ClientSubscription): void {
    if (!this.socket || this.socket.readyState !== OPEN) return;
    sub.wireId = `${sub.key}.${(this.counter += 1)}`;
    this.byWireId.set(sub.wireId, sub);
    const msg: Record<string, unknown> = {
      type: 'subscribe',
      id: sub.wireId,
      collection: sub.collection,
    };
    if (sub.options.filter !== undefined) msg.filter = sub.options.filter;
    if (sub.last !== null) msg.since = sub.last;
    this.socket.send(
      JSON.stringify(msg, (_k, v: unknown) => (v instanceof Date ? v.toISOString() : v)),
    );
  }

  private onMessage(data: unknown): void {
    let m: Record<string, unknown>;
    try {
      m = JSON.parse(typeof data === 'string' ? data : String(data)) as Record<string, unknown>;
    } catch {
      return;
    }
    this.awaitingPong = false;
    const type = m.type;
    if (typeof type === 'string' && type.startsWith('record.')) {
      const sub = this.byWireId.get(m.subscription as string);
      if (!sub?.active) return;
      sub.last = m.event_id as string;
      const { subscription: _wire, ...rest } = m;
      void _wire;
      sub.options.onEvent({ ...rest, subscription: sub.key } as unknown as RealtimeEvent);
      return;
    }
    if (type === 'subscribed') {
      this.attempt = 0;
      const sub = this.byWireId.get(m.id as string);
      if (!sub?.active) return;
      if (sub.last === null && typeof m.event_id === 'string') sub.last = m.event_id;
      sub.options.onReady?.();
      return;
    }
    if (type === 'error') {
      const error: RealtimeError = { code: String(m.code), detail: String(m.detail ?? '') };
      const sub = typeof m.id === 'string' ? this.byWireId.get(m.id) : undefined;
      if (sub) {
        this.byWireId.delete(m.id as string);
        sub.wireId = null;
        if (error.code === 'SINCE_TOO_OLD' && sub.active) {
          // Its resume point aged out: say so, then go on live from now.
          sub.last = null;
          sub.options.onError?.(error);
          this.sendSubscribe(sub);
          return;
        }
        this.subs.delete(sub.key);
        sub.active = false;
        sub.options.onError?.(error);
        return;
      }
      if (['KEY_REVOKED', 'NOT_FOUND', 'FORBIDDEN'].includes(error.code)) this.failAll(error);
    }
  }

  private failAll(error: RealtimeError): void {
    const subs = [...this.subs.values()];
    this.close();
    for (const s of subs) s.options.onError?.(error);
  }

  private async onClose(socket: WebSocketLike, code: number, reason: string): Promise<void> {
    if (this.socket !== socket) return;
    this.socket = null;
    if (this.pingTimer) runtime.clearInterval(this.pingTimer);
    this.pingTimer = null;
    if (this.closedForGood || this.subs.size === 0) return;
    const fatal = FATAL.get(code);
    if (fatal) return this.failAll({ code: fatal, detail: reason || fatal });
    if ((code === TOKEN_EXPIRED || code === UNAUTHENTICATED) && this.session) {
      // A kept session renews its access token; without one, the same credentials would fail again.
      const refreshed = await this.http.refresh(this.session).catch(() => false);
      if (!refreshed)
        return this.failAll({ code: 'UNAUTHENTICATED', detail: reason || 'session ended' });
    } else if (code === UNAUTHENTICATED) {
      return this.failAll({ code: 'UNAUTHENTICATED', detail: reason || 'credentials refused' });
    }
    this.scheduleReconnect();
  }
}

const CACHE = new WeakMap<Transport, Map<string, RealtimeConnection>>();

/** One realtime connection per client and project, shared by its subscriptions. */
export function realtimeFor(
  http: Transport,
  projectId: string,
  scope: SessionScope,
  options: RealtimeOptions,
): RealtimeApi {
  let perProject = CACHE.get(http);
  if (!perProject) CACHE.set(http, (perProject = new Map()));
  let conn = perProject.get(projectId);
  if (!conn)
    perProject.set(projectId, (conn = new RealtimeConnection(http, projectId, scope, options)));
  return conn;
}
