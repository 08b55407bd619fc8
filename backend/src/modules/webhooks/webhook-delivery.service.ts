import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import type { PoolClient } from 'pg';
import { safePost, UnsafeTargetError } from '../../common/net/safe-fetch';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { JobsService } from '../../jobs/jobs.service';
import type { ChangeEvent } from '../change-log/change-event';
import { ChangeLogService } from '../change-log/change-log.service';
import { parseRetryAfter, retryDelayMs } from './retry-schedule';
import { SecretBox } from '../../common/crypto/secret-box';
import { buildPayload, subscribes, TEST_EVENT, webhookEventName } from './webhook-events';
import { signPayload } from './webhook-signing';
import {
  WebhooksRepository,
  type AttemptResult,
  type ClaimedDelivery,
  type Db,
  type NewDelivery,
} from './webhooks.repository';

export const DELIVER_JOB = 'webhook_deliver';
const SWEEP_JOB = 'webhook_sweep';
const CONSUMER = 'webhooks';
const EXCERPT_BYTES = 4096;
const SWEEP_LIMIT = 1000;
/** Graphile's own retries only cover crashes of the handler; delivery retries are ours. */
const JOB_ATTEMPTS = 5;
/** First attempts claimed per statement, and sends in flight per process. */
const SEND_CHUNK = 200;
const SEND_CONCURRENCY = 32;

type Outcome = AttemptResult & { retryAfter: string | null };

/**
 * Deliveries from the change log (DESIGN §4, §5): the consumer turns events into delivery rows
 * and their first job in the cursor's transaction; each job sends one attempt and records it,
 * scheduling the next one in the same transaction; a sweeper re-queues rows whose job died.
 */
@Injectable()
export class WebhookDeliveryService implements OnModuleInit, OnApplicationBootstrap {
  private readonly log = new Logger('Webhooks');
  private readonly box: SecretBox;
  private readonly leaseMs: number;
  private inFlight = 0;
  private readonly opened = new Map<string, string>();
  private readonly waiters: (() => void)[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repo: WebhooksRepository,
    private readonly jobs: JobsService,
    private readonly changeLog: ChangeLogService,
  ) {
    this.box = new SecretBox(config.jwtSecret);
    this.leaseMs = config.webhookTimeoutMs * 2;
  }

  get secrets(): SecretBox {
    return this.box;
  }

  onModuleInit(): void {
    this.changeLog.registerConsumer(CONSUMER, (client, events) => this.onEvents(client, events));
    this.jobs.register<{ delivery_id: string }>(DELIVER_JOB, (p) => this.deliver(p.delivery_id));
    this.jobs.register(SWEEP_JOB, async () => void (await this.sweep()));
    this.jobs.schedule('* * * * *', SWEEP_JOB);
  }

  onApplicationBootstrap(): void {
    if (!this.config.jobsEnabled) return;
    // After a crash: rows leased by the dead process become free once their lease ends.
    const later = setTimeout(() => void this.sweep().catch(() => undefined), this.leaseMs + 1000);
    later.unref();
    void this.sweep().catch((err: Error) => this.log.warn(`sweep failed: ${err.message}`));
  }

  /** The consumer: one delivery per (event, subscribed active webhook), queued in this transaction. */
  async onEvents(client: PoolClient, events: ChangeEvent[]): Promise<void | (() => void)> {
    const named = events
      .map((e) => ({ e, name: webhookEventName(e) }))
      .filter((x): x is { e: ChangeEvent; name: string } => x.name !== null);
    if (named.length === 0) return;
    const hooks = await this.repo.activeFor(client, [...new Set(named.map((x) => x.e.projectId))]);
    if (hooks.length === 0) return;
    const items: NewDelivery[] = [];
    for (const { e, name } of named) {
      for (const h of hooks) {
        if (h.project_id !== e.projectId || !subscribes(h, name, e.collection)) continue;
        items.push({
          webhookId: h.id,
          projectId: e.projectId,
          eventId: e.id,
          messageId: e.id,
          eventType: name,
          payload: buildPayload(e, name),
        });
      }
    }
    // First attempts go out from this process as soon as the batch commits, without a job
    // each; if the process dies first, the sweeper hands the rows to the job queue.
    const ids = await this.repo.insertDeliveries(client, items);
    return () =>
      void this.sendNow(ids).catch((err: Error) => this.log.warn(`send failed: ${err.message}`));
  }

  /** First attempts of freshly committed deliveries: one claim, parallel sends, one success write. */
  async sendNow(ids: readonly string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += SEND_CHUNK) {
      const claimed = await this.repo.claimMany(ids.slice(i, i + SEND_CHUNK), this.leaseMs);
      const delivered: { id: string; result: AttemptResult }[] = [];
      const hooks = new Set<string>();
      await Promise.all(
        claimed.map((d) =>
          this.limit(async () => {
            if (!d.is_active) return this.repo.abandon(this.repo.db(), d.id, 'Webhook is disabled');
            const outcome = await this.send(d);
            if (outcome.status !== null && outcome.status >= 200 && outcome.status < 300) {
              delivered.push({ id: d.id, result: outcome });
              hooks.add(d.webhook_id);
            } else await this.settleAlone(d, outcome);
          }),
        ),
      );
      await this.repo.transaction(async (client) => {
        await this.repo.recordDelivered(client, delivered);
        await this.repo.noteDeliveredMany(client, [...hooks]);
      });
    }
  }

  /** Runs `fn` when fewer than SEND_CONCURRENCY sends are in flight in this process. */
  private async limit<T>(fn: () => Promise<T>): Promise<T> {
    while (this.inFlight >= SEND_CONCURRENCY) await new Promise<void>((r) => this.waiters.push(r));
    this.inFlight++;
    try {
      return await fn();
    } finally {
      this.inFlight--;
      this.waiters.shift()?.();
    }
  }

  /** Inserts deliveries and their first jobs in the caller's transaction; returns the ids. */
  async queue(db: Db, items: readonly NewDelivery[]): Promise<string[]> {
    const ids = await this.repo.insertDeliveries(db, items);
    await this.jobs.addEach(
      DELIVER_JOB,
      ids.map((id) => ({ payload: { delivery_id: id }, jobKey: `whd:${id}` })),
      { maxAttempts: JOB_ATTEMPTS },
      db,
    );
    return ids;
  }

  /** Re-queues pending deliveries whose job was lost (a killed process), at most once per row per lease. */
  async sweep(): Promise<number> {
    const ids = await this.repo.stranded(this.leaseMs, SWEEP_LIMIT);
    await this.jobs.addEach(
      DELIVER_JOB,
      ids.map((id) => ({ payload: { delivery_id: id }, jobKey: `whd:${id}` })),
      { maxAttempts: JOB_ATTEMPTS },
    );
    return ids.length;
  }

  /** One attempt of one delivery. */
  async deliver(id: string): Promise<void> {
    const d = await this.repo.claim(id, this.leaseMs);
    if (!d) return; // delivered, failed, or in another worker's hands
    if (!d.is_active) return this.repo.abandon(this.repo.db(), id, 'Webhook is disabled');
    await this.settleAlone(d, await this.send(d));
  }

  private settleAlone(d: ClaimedDelivery, outcome: Outcome): Promise<void> {
    return this.repo.transaction((client) => this.settle(client, d, outcome));
  }

  private async settle(client: PoolClient, d: ClaimedDelivery, o: Outcome): Promise<void> {
    const attempt = d.attempts + 1;
    const ok = o.status !== null && o.status >= 200 && o.status < 300;
    const isTest = d.event_type === TEST_EVENT;
    if (ok) {
      await this.repo.recordAttempt(client, d.id, o, { status: 'delivered', nextAttemptAt: null });
      if (!isTest) await this.repo.noteDelivered(client, d.webhook_id);
      return;
    }
    if (o.status === 410) {
      await this.repo.recordAttempt(client, d.id, o, { status: 'failed', nextAttemptAt: null });
      await this.repo.disable(client, d.webhook_id, 'The endpoint answered 410 Gone');
      return;
    }
    if (isTest || attempt >= this.config.webhookMaxAttempts) {
      await this.repo.recordAttempt(client, d.id, o, { status: 'failed', nextAttemptAt: null });
      if (isTest) return;
      const streak = await this.repo.noteGaveUp(client, d.webhook_id);
      if (streak >= this.config.webhookDisableAfter)
        await this.repo.disable(
          client,
          d.webhook_id,
          `${streak} deliveries in a row failed after ${this.config.webhookMaxAttempts} attempts each (last: ${o.error ?? 'HTTP ' + o.status})`,
        );
      return;
    }
    const hinted = o.status === 429 || o.status === 503 ? parseRetryAfter(o.retryAfter) : null;
    const wait = hinted ?? retryDelayMs(attempt, this.config.webhookRetryBaseMs);
    const next = new Date(Date.now() + wait);
    await this.repo.recordAttempt(client, d.id, o, { status: 'pending', nextAttemptAt: next });
    await this.jobs.add(
      DELIVER_JOB,
      { delivery_id: d.id },
      { runAt: next, jobKey: `whd:${d.id}`, maxAttempts: JOB_ATTEMPTS },
      client,
    );
  }

  /** Opened secrets by their sealed form (a rotation seals anew, so stale entries just age out). */
  private openSecret(sealed: string): string {
    let plain = this.opened.get(sealed);
    if (plain === undefined) {
      plain = this.box.open(sealed);
      if (this.opened.size >= 1000) this.opened.clear();
      this.opened.set(sealed, plain);
    }
    return plain;
  }

  /** Headers of a delivery; signatures are made per attempt with its own timestamp. */
  headersFor(d: Pick<ClaimedDelivery, 'id' | 'message_id' | 'event_type'>): Record<string, string> {
    return {
      'content-type': 'application/json',
      'user-agent': 'Backendify-Webhooks/1.0',
      'x-webhook-event': d.event_type,
      'x-webhook-delivery': d.id,
    };
  }

  private async send(d: ClaimedDelivery): Promise<Outcome> {
    const body = JSON.stringify(d.payload);
    const started = performance.now();
    const took = () => Math.round(performance.now() - started);
    try {
      const secret = this.openSecret(d.secret_sealed);
      const headers = {
        ...this.headersFor(d),
        ...signPayload(secret, d.message_id, Math.floor(Date.now() / 1000), body),
      };
      const res = await safePost(
        d.url,
        { headers, body, timeoutMs: this.config.webhookTimeoutMs, maxBodyBytes: EXCERPT_BYTES },
        { allowPrivate: this.config.webhookAllowPrivate },
      );
      const ok = res.status >= 200 && res.status < 300;
      const retryAfter = res.headers['retry-after'];
      return {
        status: res.status,
        durationMs: took(),
        error: ok ? null : `HTTP ${res.status}`,
        responseBody: res.body || null,
        retryAfter: (Array.isArray(retryAfter) ? retryAfter[0] : retryAfter) ?? null,
      };
    } catch (err) {
      return {
        status: null,
        durationMs: took(),
        error: describe(err, this.config.webhookTimeoutMs),
        responseBody: null,
        retryAfter: null,
      };
    }
  }
}

function describe(err: unknown, timeoutMs: number): string {
  if (err instanceof UnsafeTargetError) return err.message;
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError')
    return `Timed out after ${timeoutMs} ms`;
  const cause = e?.cause?.code ?? e?.cause?.message;
  return (cause ? `${e.message}: ${cause}` : (e?.message ?? String(err))).slice(0, 1024);
}
