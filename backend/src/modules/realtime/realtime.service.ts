import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { WebSocket } from 'ws';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { AppError } from '../../common/errors/app-error';
import { isUuid } from '../../common/util/uuid';
import { parseJsonFilter, type FilterAst } from '../../query-engine/filter';
import { assertFilterReadable } from '../../query-engine/readable';
import type { DataPrincipal } from '../access/access-context';
import { CatalogService } from '../catalog/catalog.service';
import { CacheSyncService } from '../cache-sync/cache-sync.service';
import { CHANGES_CHANNEL } from '../change-log/change-event';
import { ChangeLogService } from '../change-log/change-log.service';
import { ChangeNotifier } from '../change-log/change-notifier';
import { PolicyDecisionsService } from '../policies/policy-decisions.service';
import { ProjectsService } from '../projects/projects.service';
import { DataPrincipalResolver, type DataCredentials } from '../records/data-principal.resolver';
import { catalogLookup } from '../records/record-target';
import {
  LocalChangeFeed,
  REALTIME_CONSUMER,
  RedisChangeFeed,
  toFeedEvent,
  type ChangeFeed,
  type FeedSink,
} from './change-feed';
import { EventView, type FeedEvent } from './event-view';
import {
  Connection,
  identityOf,
  prefixOf,
  viewKeyOf,
  type Subscription,
} from './realtime-connection';
import {
  after,
  eventIdOf,
  fromCursor,
  ORIGIN,
  StreamCursor,
  toCursor,
  type Position,
} from './position';
import {
  CLOSE,
  errorMessage,
  parseClientMessage,
  type ClientMessage,
  type RealtimeErrorCode,
  type SubscribeMessage,
} from './realtime-protocol';

const REPLAY_PAGE = 500;
/** Live events one subscription may have waiting while it replays or catches up. */
const MAX_HELD_EVENTS = 10_000;
/** The feed keeps running this long after the last subscription ends (no flapping). */
const FEED_IDLE_MS = 5000;

export interface OpenParams {
  projectId: string;
  token: string | null;
  apiKey: string | null;
  ip: string | null;
  userAgent: string | null;
  /** The page's origin when a browser on another origin connects (null: same origin or no browser). */
  origin: string | null;
}

/** One socket as the realtime inspector lists it. */
export interface RealtimeConnectionInfo {
  id: number;
  principal: { kind: string; id: string | null; role?: string };
  ip: string | null;
  user_agent: string | null;
  connected_at: string;
  /** Bytes sent but not yet taken by the client's connection (a slow reader's lag). */
  buffered_bytes: number;
  subscriptions: {
    id: string;
    collection: string;
    filter: boolean;
    /** false while it replays `since=` or catches up. */
    live: boolean;
    pending_events: number;
    last_event_id: string | null;
  }[];
}

function principalInfo(p: DataPrincipal): RealtimeConnectionInfo['principal'] {
  switch (p.kind) {
    case 'admin':
      return { kind: 'admin', id: p.userId, role: p.role };
    case 'app_user':
      return { kind: 'app_user', id: p.userId };
    case 'api_key':
      return { kind: 'api_key', id: p.keyId };
    default:
      return { kind: p.kind, id: null };
  }
}

/** What the inspector and the benchmark read of this process (per project: sockets and subscriptions). */
export interface RealtimeStats {
  sockets: number;
  subscriptions: number;
  position: string | null;
}

/**
 * Realtime fan-out (DESIGN §5, §8): sockets subscribe to collections; every committed record
 * change from the change log goes, in log order, to each subscription whose principal could
 * read the row through `GET …/data/{collection}/{id}` (same policies, same readable fields)
 * and whose filter holds, with `since=` replays from the log that join the live stream with no
 * gap and no duplicate.
 */
@Injectable()
export class RealtimeService implements FeedSink, OnModuleInit, BeforeApplicationShutdown {
  private readonly log = new Logger('Realtime');
  private readonly connections = new Set<Connection>();
  private readonly byProject = new Map<string, Set<Connection>>();
  private readonly byCollection = new Map<string, Set<Subscription>>();
  private readonly feed: ChangeFeed;
  private feedStarting: Promise<void> | null = null;
  /** Where the live stream stands: every event up to here was handed to the subscriptions of its time. */
  private delivered: Position | null = null;
  private subscriptionCount = 0;
  private subscribing = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private recheckTimer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly changeLog: ChangeLogService,
    private readonly notifier: ChangeNotifier,
    private readonly principals: DataPrincipalResolver,
    private readonly catalog: CatalogService,
    private readonly policies: PolicyDecisionsService,
    private readonly cacheSync: CacheSyncService,
    private readonly projects: ProjectsService,
  ) {
    const { pollMs } = config.realtime;
    if (config.redisUrl) {
      const feed = new RedisChangeFeed(config.redisUrl, changeLog, pollMs);
      changeLog.registerConsumer(REALTIME_CONSUMER, (_client, events, from) =>
        feed.publish(events, from),
      );
      this.feed = feed;
    } else {
      this.feed = new LocalChangeFeed(changeLog, pollMs);
    }
  }

  onModuleInit(): void {
    this.notifier.on(CHANGES_CHANNEL, () => this.feed.wake());
    // A revoked or deleted key drops the key cache in every process: check its sockets at once.
    this.cacheSync.onStale('api_keys', (projectId) => {
      const conns = projectId ? [...(this.byProject.get(projectId) ?? [])] : [...this.connections];
      void this.recheck(conns.filter((c) => c.credentials.apiKey));
    });
    const { pingMs, recheckMs } = this.config.realtime;
    this.pingTimer = setInterval(() => this.heartbeat(), pingMs);
    this.pingTimer.unref();
    this.recheckTimer = setInterval(
      () =>
        void this.recheck(
          [...this.connections].filter((c) => c.credentials.token || c.credentials.apiKey),
        ),
      recheckMs,
    );
    this.recheckTimer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.pingTimer) clearInterval(this.pingTimer);
    if (this.recheckTimer) clearInterval(this.recheckTimer);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    for (const c of this.connections) c.close(CLOSE.GOING_AWAY, 'server shutting down');
    this.stopFeed();
    if (this.feed instanceof RedisChangeFeed) await this.feed.close();
  }

  get socketCount(): number {
    return this.connections.size;
  }

  stats(projectId?: string): RealtimeStats {
    const conns = projectId ? [...(this.byProject.get(projectId) ?? [])] : [...this.connections];
    return {
      sockets: conns.length,
      subscriptions: conns.reduce((n, c) => n + c.subs.size, 0),
      position: this.delivered ? eventIdOf(this.delivered) : null,
    };
  }

  /** This process's sockets of a project, for the console's realtime inspector. */
  listConnections(projectId: string): RealtimeConnectionInfo[] {
    return [...(this.byProject.get(projectId) ?? [])].map((c) => ({
      id: c.id,
      principal: principalInfo(c.principal),
      ip: c.ip,
      user_agent: c.userAgent,
      connected_at: new Date(c.openedAt).toISOString(),
      buffered_bytes: c.ws.bufferedAmount,
      subscriptions: [...c.subs.values()].map((s) => ({
        id: s.id,
        collection: s.collection,
        filter: s.filter !== null,
        live: s.stream.live,
        pending_events: s.stream.pending,
        last_event_id: eventIdOf(s.stream.floor),
      })),
    }));
  }

  // ---------------------------------------------------------------- sockets

  /** A socket upgraded on `/api/realtime`: authenticated first, then its messages in order. */
  open(ws: WebSocket, params: OpenParams): void {
    const conn = new Connection(
      ws,
      params.projectId,
      params.ip,
      params.userAgent,
      this.config.realtime.maxBufferBytes,
      (c) => this.tooSlow(c),
      (c, err) => {
        this.log.warn(`realtime message failed: ${(err as Error).message}`);
        c.error({ code: 'INTERNAL', detail: 'The message could not be handled' });
      },
    );
    this.connections.add(conn);
    let set = this.byProject.get(conn.projectId);
    if (!set) this.byProject.set(conn.projectId, (set = new Set()));
    set.add(conn);
    const max = this.config.realtime.maxMessageBytes;
    ws.on('message', (data, isBinary) => {
      const parsed = parseClientMessage(data as Buffer, isBinary, max);
      conn.enqueue(async () =>
        parsed.ok ? this.handle(conn, parsed.message) : conn.send(errorMessage(parsed.error)),
      );
    });
    ws.on('pong', () => {
      conn.alive = true;
    });
    ws.on('error', () => undefined);
    ws.on('close', () => this.forget(conn));
    conn.enqueue(async () => {
      if (params.origin && !(await this.originAllowed(conn.projectId, params.origin)))
        return conn.close(CLOSE.FORBIDDEN, 'origin not allowed', {
          code: 'FORBIDDEN',
          detail: `Origin ${params.origin} is not in this project's allowed_origins`,
        });
      await this.authenticate(conn, { token: params.token, apiKey: params.apiKey }, false);
    });
  }

  private forget(conn: Connection): void {
    conn.closed = true;
    conn.expireAt(null, () => undefined);
    for (const sub of conn.subs.values()) this.removeSubscription(sub);
    conn.subs.clear();
    this.connections.delete(conn);
    const set = this.byProject.get(conn.projectId);
    set?.delete(conn);
    if (set && set.size === 0) this.byProject.delete(conn.projectId);
  }

  private heartbeat(): void {
    for (const c of this.connections) {
      if (c.closed) continue;
      if (!c.alive) {
        c.close(CLOSE.HEARTBEAT_TIMEOUT, 'no pong');
        c.ws.terminate();
        continue;
      }
      c.alive = false;
      try {
        c.ws.ping();
      } catch {
        c.ws.terminate();
      }
    }
  }

  private tooSlow(conn: Connection): void {
    conn.close(CLOSE.RESUME_REQUIRED, 'too slow: resume with since', {
      code: 'RESUME_REQUIRED',
      detail: 'The socket fell too far behind; reconnect and subscribe with since=<last event_id>',
    });
  }

  private async handle(conn: Connection, m: ClientMessage): Promise<void> {
    switch (m.type) {
      case 'subscribe':
        return this.subscribe(conn, m);
      case 'unsubscribe': {
        const sub = conn.subs.get(m.id);
        if (!sub)
          return conn.error({
            id: m.id,
            code: 'UNKNOWN_SUBSCRIPTION',
            detail: 'No such subscription',
          });
        this.removeSubscription(sub);
        conn.subs.delete(m.id);
        return conn.send(JSON.stringify({ type: 'unsubscribed', id: m.id }));
      }
      case 'auth':
        return this.authenticate(conn, { token: m.token ?? null, apiKey: m.api_key ?? null }, true);
      case 'ping':
        return conn.send('{"type":"pong"}');
    }
  }

  // ---------------------------------------------------------------- credentials

  /** As the project's other app routes: any origin unless it sets `allowed_origins` (the console's always). */
  private async originAllowed(projectId: string, origin: string): Promise<boolean> {
    if (this.config.corsOrigins.includes(origin) || !isUuid(projectId)) return true;
    const allowed = await this.projects.allowedOrigins(projectId);
    return !allowed || allowed.length === 0 || allowed.includes(origin);
  }

  private async authenticate(
    conn: Connection,
    creds: DataCredentials,
    byMessage: boolean,
  ): Promise<void> {
    if (!isUuid(conn.projectId)) return this.refuse(conn, AppError.notFound('Project'));
    let resolved;
    try {
      await this.catalog.project(conn.projectId);
      resolved = await this.principals.resolve(conn.projectId, creds);
    } catch (err) {
      if (err instanceof AppError) return this.refuse(conn, err);
      throw err;
    }
    if (
      byMessage &&
      conn.subs.size > 0 &&
      identityOf(resolved.principal) !== identityOf(conn.principal)
    ) {
      return conn.error({
        code: 'VALIDATION_FAILED',
        detail:
          'auth may renew the credentials of the same principal only; unsubscribe first to switch',
      });
    }
    conn.setPrincipal(resolved.principal, creds);
    conn.expireAt(resolved.expiresAt, () =>
      conn.close(CLOSE.TOKEN_EXPIRED, 'token expired', {
        code: 'TOKEN_EXPIRED',
        detail: 'The access token expired; reconnect (or send auth) with a fresh one',
      }),
    );
    if (byMessage)
      conn.send(JSON.stringify({ type: 'authenticated', principal: resolved.principal.kind }));
  }

  private refuse(conn: Connection, err: AppError): void {
    if (err.code === 'NOT_FOUND')
      return conn.close(CLOSE.NOT_FOUND, 'project not found', {
        code: 'NOT_FOUND',
        detail: err.detail,
      });
    conn.close(CLOSE.UNAUTHENTICATED, 'unauthenticated', {
      code: 'UNAUTHENTICATED',
      detail: err.detail,
    });
  }

  /** Resolves each socket's credentials again: revoked keys, ended sessions, removed members. */
  private async recheck(conns: Connection[]): Promise<void> {
    // Sockets that share credentials (one user's tabs, a server's pool) are resolved once a round.
    const round = new Map<string, ReturnType<DataPrincipalResolver['resolve']>>();
    for (const conn of conns) {
      if (conn.closed) continue;
      const creds = conn.credentials;
      const key = `${conn.projectId}|${creds.token ?? ''}|${creds.apiKey ?? ''}`;
      let pending = round.get(key);
      if (!pending) round.set(key, (pending = this.principals.resolve(conn.projectId, creds)));
      try {
        const resolved = await pending;
        if (
          !conn.closed &&
          conn.credentials === creds &&
          identityOf(resolved.principal) === identityOf(conn.principal)
        )
          conn.setPrincipal(resolved.principal, creds);
      } catch (err) {
        if (!(err instanceof AppError) || conn.closed || conn.credentials !== creds) continue;
        if (creds.apiKey)
          conn.close(CLOSE.KEY_REVOKED, 'api key revoked', {
            code: 'KEY_REVOKED',
            detail: 'The API key was revoked, deleted or expired',
          });
        else if (err.code === 'NOT_FOUND') this.refuse(conn, err);
        else
          conn.close(CLOSE.UNAUTHENTICATED, 'credentials no longer valid', {
            code: 'UNAUTHENTICATED',
            detail: err.detail,
          });
      }
    }
  }

  // ---------------------------------------------------------------- subscriptions

  private async subscribe(conn: Connection, m: SubscribeMessage): Promise<void> {
    const fail = (code: RealtimeErrorCode, detail: string) =>
      conn.error({ id: m.id, code, detail });
    if (conn.subs.has(m.id))
      return fail('DUPLICATE_ID', `Subscription ${m.id} exists; unsubscribe it first`);
    const max = this.config.realtime.maxSubscriptions;
    if (conn.subs.size >= max)
      return fail('TOO_MANY_SUBSCRIPTIONS', `At most ${max} subscriptions per socket`);
    this.subscribing += 1;
    try {
      const access = conn.access();
      let meta;
      let filter: FilterAst | null = null;
      let since: Position | null = null;
      try {
        const catalog = await this.catalog.project(conn.projectId);
        let entry;
        try {
          entry = await this.catalog.collectionByName(conn.projectId, m.collection, {
            aliases: true,
          });
        } catch (err) {
          // As the data routes: app users and anonymous callers cannot probe which collections exist.
          const k = access.principal.kind;
          if (
            err instanceof AppError &&
            err.code === 'NOT_FOUND' &&
            (k === 'anonymous' || k === 'app_user')
          )
            throw k === 'anonymous'
              ? AppError.unauthenticated('Authentication required')
              : AppError.forbidden('Permission denied for action: read');
          throw err;
        }
        meta = entry.meta;
        const decision = await this.policies.decide(access, meta, 'read');
        if (m.filter !== undefined) {
          const lookup = catalogLookup(catalog);
          filter = parseJsonFilter(m.filter, meta, {
            aliases: catalog.fieldAliases.get(meta.id),
            catalog: lookup,
          });
          assertFilterReadable(filter, meta, decision.readableFields, lookup);
        }
        if (m.since !== undefined) {
          const found = await this.changeLog.positionOf(m.since);
          const hours = this.config.realtime.replayHours;
          if (!found || found.createdAt.getTime() < Date.now() - hours * 3_600_000)
            return fail(
              'SINCE_TOO_OLD',
              `Event ${m.since} is not in the last ${hours} h of the change log; subscribe without since and reload`,
            );
          since = fromCursor(found.cursor);
        }
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        const code: RealtimeErrorCode =
          err.code === 'UNAUTHENTICATED' || err.code === 'FORBIDDEN' || err.code === 'NOT_FOUND'
            ? err.code
            : 'VALIDATION_FAILED';
        return fail(code, err.detail);
      }
      await this.ensureFeed();
      if (conn.closed || conn.subs.has(m.id)) return;
      // From here to the reply nothing awaits: the live stream cannot move in between.
      const live = this.delivered ?? ORIGIN;
      const replaying = since !== null && after(live, since);
      const sub: Subscription = {
        id: m.id,
        conn,
        collectionId: meta.id,
        collection: meta.name,
        filter,
        stream: new StreamCursor<FeedEvent>(since ?? live, replaying, MAX_HELD_EVENTS),
        replayUpTo: replaying ? live : null,
        flushing: false,
        closed: false,
        prefixes: {},
        viewKey: null,
      };
      conn.subs.set(m.id, sub);
      let set = this.byCollection.get(sub.collectionId);
      if (!set) this.byCollection.set(sub.collectionId, (set = new Set()));
      set.add(sub);
      this.subscriptionCount += 1;
      conn.send(JSON.stringify({ type: 'subscribed', id: m.id, event_id: eventIdOf(live) }));
      if (replaying) void this.catchUp(sub);
    } finally {
      this.subscribing -= 1;
    }
  }

  private removeSubscription(sub: Subscription): void {
    if (sub.closed) return;
    sub.closed = true;
    const set = this.byCollection.get(sub.collectionId);
    set?.delete(sub);
    if (set && set.size === 0) this.byCollection.delete(sub.collectionId);
    this.subscriptionCount -= 1;
    if (this.subscriptionCount === 0) this.scheduleIdleStop();
  }

  // ---------------------------------------------------------------- the live stream

  private ensureFeed(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (this.delivered) return Promise.resolve();
    this.feedStarting ??= this.feed.start(this).finally(() => {
      this.feedStarting = null;
    });
    return this.feedStarting;
  }

  private scheduleIdleStop(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.subscriptionCount === 0 && this.subscribing === 0 && !this.feedStarting)
        this.stopFeed();
    }, FEED_IDLE_MS);
    this.idleTimer.unref();
  }

  private stopFeed(): void {
    this.feed.stop();
    this.delivered = null;
  }

  begin(at: Position): void {
    this.delivered = at;
  }

  /**
   * One batch of the live stream. The views every live subscription needs are built first (the
   * only waits); then every event goes to every subscription in one synchronous pass, so a
   * subscription that starts meanwhile sees each event exactly once, from its replay or from here.
   */
  async deliver(events: FeedEvent[], to: Position): Promise<void> {
    const relevant = events.filter((e) => e.collectionId && this.byCollection.has(e.collectionId));
    if (relevant.length > 0) {
      const wanted = new Map<string, Subscription>();
      for (const e of relevant)
        for (const sub of this.byCollection.get(e.collectionId as string) ?? [])
          if (sub.stream.live) wanted.set(viewKeyOf(sub), sub);
      const views = new Map<string, EventView | null | Error>();
      await Promise.all(
        [...wanted].map(async ([key, sub]) => {
          views.set(key, await this.viewFor(sub).catch((err: Error) => err));
        }),
      );
      const corked = new Set<Connection>();
      for (const e of relevant) {
        for (const sub of this.byCollection.get(e.collectionId as string) ?? []) {
          if (sub.closed) continue;
          if (!sub.stream.live) {
            if (!sub.stream.hold(e)) this.tooSlow(sub.conn);
            continue;
          }
          const view = views.get(viewKeyOf(sub));
          if (view instanceof Error) {
            this.failed(sub, view);
            continue;
          }
          if (view === undefined) {
            // Joined or re-authenticated during this batch: checked on its own, in order.
            sub.stream.pause();
            sub.stream.hold(e);
            void this.catchUp(sub);
            continue;
          }
          this.send(sub, e, view, corked);
        }
      }
      for (const c of corked) c.uncork();
    }
    this.delivered = to;
  }

  private send(
    sub: Subscription,
    e: FeedEvent,
    view: EventView | null,
    corked?: Set<Connection>,
  ): void {
    if (!sub.stream.admit(e) || !view) return;
    const m = view.messageFor(e, sub.filter);
    if (!m) return;
    if (corked && !corked.has(sub.conn)) {
      sub.conn.cork();
      corked.add(sub.conn);
    }
    sub.conn.send(view.frame(e, m, prefixOf(sub, m.type)));
  }

  /** One subscriber's failure (a rule that cannot be evaluated, a lost query) ends only its socket. */
  private failed(sub: Subscription, err: Error): void {
    this.log.warn(`realtime: checking an event for a subscriber failed: ${err.message}`);
    sub.conn.close(CLOSE.RESUME_REQUIRED, 'event check failed: resume with since', {
      id: sub.id,
      code: 'INTERNAL',
      detail:
        'An event could not be checked against your policies; reconnect and resume with since',
    });
  }

  /** What this subscription's principal may see of its collection now; null = nothing. */
  private async viewFor(sub: Subscription): Promise<EventView | null> {
    const conn = sub.conn;
    let catalog;
    let meta;
    try {
      catalog = await this.catalog.project(conn.projectId);
      meta = (await this.catalog.collectionById(conn.projectId, sub.collectionId)).meta;
    } catch (err) {
      if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
      throw err;
    }
    try {
      const d = await this.policies.decide(conn.access(), meta, 'read');
      return new EventView(meta, d.rowFilter, d.readableFields, catalogLookup(catalog));
    } catch (err) {
      if (err instanceof AppError) return null;
      throw err;
    }
  }

  /** Replays `since=` from the log, then what was held meanwhile, then goes live. */
  private async catchUp(sub: Subscription): Promise<void> {
    if (sub.flushing) return;
    sub.flushing = true;
    try {
      while (sub.replayUpTo && !sub.closed) {
        const upTo = sub.replayUpTo;
        const page = await this.changeLog.collectionEvents(
          sub.conn.projectId,
          sub.collectionId,
          toCursor(sub.stream.floor),
          toCursor(upTo),
          REPLAY_PAGE,
        );
        if (sub.closed) return;
        const view = await this.viewFor(sub);
        for (const e of page) {
          // A replay goes at the pace the client reads, never past its buffer.
          await sub.conn.drained();
          if (sub.closed) return;
          this.send(sub, toFeedEvent(e), view);
        }
        if (page.length < REPLAY_PAGE) sub.replayUpTo = null;
      }
      for (;;) {
        if (sub.closed) return;
        const held = sub.stream.drain();
        if (held.length === 0) {
          if (sub.stream.goLive()) return;
          continue;
        }
        const view = await this.viewFor(sub);
        for (const e of held) {
          await sub.conn.drained();
          if (sub.closed) return;
          this.send(sub, e, view);
        }
      }
    } catch (err) {
      this.failed(sub, err as Error);
    } finally {
      sub.flushing = false;
    }
  }
}
