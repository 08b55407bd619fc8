import { Inject, Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { AppError } from '../../common/errors/app-error';
import { assertPublicTarget, UnsafeTargetError } from '../../common/net/safe-fetch';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { CatalogService } from '../catalog/catalog.service';
import { ChangeLogService } from '../change-log/change-log.service';
import type {
  CreateWebhookDto,
  DeliveriesPageDto,
  DeliveriesQueryDto,
  DeliveryDetailDto,
  DeliveryDto,
  UpdateWebhookDto,
  WebhookDto,
  WebhookWithSecretDto,
} from './dto/webhook.dto';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { buildPayload, subscribes, TEST_EVENT, webhookEventName } from './webhook-events';
import { generateSecret } from './webhook-signing';
import {
  WebhooksRepository,
  type DeliveryRow,
  type NewDelivery,
  type WebhookPatch,
  type WebhookRow,
} from './webhooks.repository';

/** The most events one replay may queue. */
export const REPLAY_MAX = 10_000;

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export function toWebhookDto(w: WebhookRow): WebhookDto {
  return {
    id: w.id,
    project_id: w.project_id,
    name: w.name,
    url: w.url,
    events: w.events,
    collections: w.collections,
    is_active: w.is_active,
    disabled_reason: w.disabled_reason,
    consecutive_failures: w.consecutive_failures,
    last_delivery_at: iso(w.last_delivery_at),
    last_status: w.last_status,
    created_at: iso(w.created_at) as string,
    updated_at: iso(w.updated_at) as string,
  };
}

export function toDeliveryDto(d: DeliveryRow): DeliveryDto {
  return {
    id: d.id,
    webhook_id: d.webhook_id,
    event_id: d.event_id,
    event_type: d.event_type,
    status: d.status,
    attempts: d.attempts,
    response_status: d.response_status,
    response_body: d.response_body,
    error: d.error,
    duration_ms: d.duration_ms,
    next_attempt_at: d.status === 'pending' ? iso(d.next_attempt_at) : null,
    created_at: iso(d.created_at) as string,
    delivered_at: iso(d.delivered_at),
  };
}

const unique = (xs: readonly string[]) => [...new Set(xs)];

/** Webhook endpoints: the rules of create/update, test sends, redelivery and replay. */
@Injectable()
export class WebhooksService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repo: WebhooksRepository,
    private readonly delivery: WebhookDeliveryService,
    private readonly catalog: CatalogService,
    private readonly changeLog: ChangeLogService,
  ) {}

  async list(projectId: string): Promise<WebhookDto[]> {
    return (await this.repo.list(projectId)).map(toWebhookDto);
  }

  async get(projectId: string, id: string): Promise<WebhookDto> {
    return toWebhookDto(await this.mustGet(projectId, id));
  }

  async create(
    projectId: string,
    adminId: string,
    dto: CreateWebhookDto,
  ): Promise<WebhookWithSecretDto> {
    await this.checkUrl(dto.url);
    const collections = await this.checkCollections(projectId, dto.collections ?? []);
    const secret = dto.secret ?? generateSecret();
    const row = await this.repo.transaction(async (c) => {
      const w = await this.repo.insert(c, {
        project_id: projectId,
        name: dto.name.trim() || dto.name,
        url: dto.url,
        events: unique(dto.events),
        collections,
        secret_sealed: this.delivery.secrets.seal(secret),
        is_active: dto.is_active ?? true,
        created_by: adminId,
      });
      await this.audit(c, projectId, 'webhook.create', w);
      return w;
    });
    return { ...toWebhookDto(row), secret };
  }

  async update(projectId: string, id: string, dto: UpdateWebhookDto): Promise<WebhookDto> {
    if (dto.url !== undefined) await this.checkUrl(dto.url);
    const patch: WebhookPatch = {
      name: dto.name,
      url: dto.url,
      events: dto.events ? unique(dto.events) : undefined,
      collections:
        dto.collections !== undefined
          ? await this.checkCollections(projectId, dto.collections)
          : undefined,
      is_active: dto.is_active,
    };
    const row = await this.repo.transaction(async (c) => {
      const w = await this.repo.update(c, projectId, id, patch);
      if (!w) throw AppError.notFound('Webhook');
      await this.audit(c, projectId, 'webhook.update', w, { changed: Object.keys(dto) });
      return w;
    });
    return toWebhookDto(row);
  }

  async remove(projectId: string, id: string): Promise<void> {
    await this.repo.transaction(async (c) => {
      const w = await this.repo.get(c, projectId, id, true);
      if (!w) throw AppError.notFound('Webhook');
      await this.repo.delete(c, projectId, id);
      await this.audit(c, projectId, 'webhook.delete', w);
    });
  }

  async rotateSecret(projectId: string, id: string): Promise<{ secret: string }> {
    const secret = generateSecret();
    await this.repo.transaction(async (c) => {
      const w = await this.repo.update(c, projectId, id, {
        secret_sealed: this.delivery.secrets.seal(secret),
      });
      if (!w) throw AppError.notFound('Webhook');
      await this.audit(c, projectId, 'webhook.rotate_secret', w);
    });
    return { secret };
  }

  /** Queues a `webhook.test` delivery to this endpoint (one attempt, no retries). */
  async test(projectId: string, id: string): Promise<{ delivery_id: string }> {
    const w = await this.mustGet(projectId, id);
    if (!w.is_active)
      throw AppError.conflict('Webhook is disabled; enable it before sending a test');
    const messageId = `test_${Date.now()}`;
    const [deliveryId] = await this.repo.transaction((c) =>
      this.delivery.queue(c, [
        {
          webhookId: w.id,
          projectId,
          eventId: null,
          messageId,
          eventType: TEST_EVENT,
          payload: {
            id: messageId,
            event: TEST_EVENT,
            timestamp: new Date().toISOString(),
            project_id: projectId,
            collection: null,
            record_id: null,
            record: null,
            previous_record: null,
            data: { webhook_id: w.id, message: 'A test delivery from Backendify' },
          },
        },
      ]),
    );
    return { delivery_id: deliveryId };
  }

  async deliveries(
    projectId: string,
    id: string,
    q: DeliveriesQueryDto,
  ): Promise<DeliveriesPageDto> {
    await this.mustGet(projectId, id);
    const limit = q.limit ?? 50;
    const offset = q.offset ?? 0;
    const { rows, total } = await this.repo.deliveries(projectId, id, {
      status: q.status,
      limit,
      offset,
    });
    return { deliveries: rows.map(toDeliveryDto), total, limit, offset };
  }

  async deliveryDetail(
    projectId: string,
    id: string,
    deliveryId: string,
  ): Promise<DeliveryDetailDto> {
    const d = await this.mustGetDelivery(projectId, id, deliveryId);
    return {
      ...toDeliveryDto(d),
      payload: d.payload,
      request_headers: {
        ...this.delivery.headersFor(d),
        'x-webhook-id': d.message_id,
        'webhook-id': d.message_id,
        'x-webhook-timestamp': '<unix seconds of each attempt>',
        'x-webhook-signature': 'sha256=<hex HMAC-SHA256 of "timestamp.body">',
        'webhook-timestamp': '<unix seconds of each attempt>',
        'webhook-signature': 'v1,<base64 HMAC-SHA256 of "id.timestamp.body">',
      },
      attempt_log: d.attempt_log,
    };
  }

  /** A new delivery of the same event (same X-Webhook-Id), whatever became of the old one. */
  async redeliver(projectId: string, id: string, deliveryId: string): Promise<DeliveryDto> {
    const w = await this.mustGetActive(projectId, id, 'redelivering');
    const d = await this.mustGetDelivery(projectId, id, deliveryId);
    const [newId] = await this.repo.transaction((c) =>
      this.delivery.queue(c, [
        {
          webhookId: w.id,
          projectId,
          eventId: d.event_id,
          messageId: d.message_id,
          eventType: d.event_type,
          payload: d.payload,
        },
      ]),
    );
    return toDeliveryDto(await this.mustGetDelivery(projectId, id, newId));
  }

  /** Every event of a time range this endpoint subscribes to, queued again in commit order. */
  async replay(
    projectId: string,
    id: string,
    from: string,
    to: string,
  ): Promise<{ queued: number }> {
    const w = await this.mustGetActive(projectId, id, 'a replay');
    const start = new Date(from);
    const end = new Date(to);
    if (!(start < end))
      throw AppError.validation('from must be before to', [
        { field: 'to', rule: 'after', message: 'to must be after from' },
      ]);
    const events = await this.changeLog.eventsBetween(projectId, start, end, REPLAY_MAX + 1);
    const items: NewDelivery[] = [];
    for (const e of events) {
      const name = webhookEventName(e);
      if (!name || !subscribes(w, name, e.collection)) continue;
      items.push({
        webhookId: w.id,
        projectId,
        eventId: e.id,
        messageId: e.id,
        eventType: name,
        payload: buildPayload(e, name),
      });
    }
    if (events.length > REPLAY_MAX)
      throw AppError.validation(`A replay queues at most ${REPLAY_MAX} events; narrow the range`, [
        { field: 'to', rule: 'max_events', message: `more than ${REPLAY_MAX} events in range` },
      ]);
    await this.repo.transaction((c) => this.delivery.queue(c, items));
    return { queued: items.length };
  }

  private async mustGet(projectId: string, id: string): Promise<WebhookRow> {
    const w = await this.repo.get(this.repo.db(), projectId, id);
    if (!w) throw AppError.notFound('Webhook');
    return w;
  }

  /** Test sends, redeliveries and replays need an active endpoint (409 otherwise). */
  private async mustGetActive(projectId: string, id: string, what: string): Promise<WebhookRow> {
    const w = await this.mustGet(projectId, id);
    if (!w.is_active) throw AppError.conflict(`Webhook is disabled; enable it before ${what}`);
    return w;
  }

  private async mustGetDelivery(
    projectId: string,
    id: string,
    deliveryId: string,
  ): Promise<DeliveryRow> {
    const d = await this.repo.delivery(projectId, id, deliveryId);
    if (!d) throw AppError.notFound('Delivery');
    return d;
  }

  private async checkUrl(url: string): Promise<void> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw AppError.validation('url must be an http(s) URL', [
        { field: 'url', rule: 'url', message: 'url must be an http(s) URL' },
      ]);
    }
    if (parsed.username || parsed.password)
      throw AppError.validation('url must not carry credentials; sign with the secret instead', [
        { field: 'url', rule: 'no_credentials', message: 'url must not carry a user or password' },
      ]);
    try {
      await assertPublicTarget(url, { allowPrivate: this.config.webhookAllowPrivate });
    } catch (err) {
      // An unresolvable host is accepted now and checked again at every send.
      if (!(err instanceof UnsafeTargetError)) return;
      throw AppError.validation(
        `url resolves to a ${err.problem} address, which webhooks may not call`,
        [
          {
            field: 'url',
            rule: 'public_address',
            message: `${err.host} is a ${err.problem} address; set WEBHOOK_ALLOW_PRIVATE=true to allow it`,
          },
        ],
      );
    }
  }

  private async checkCollections(projectId: string, names: readonly string[]): Promise<string[]> {
    const catalog = await this.catalog.project(projectId);
    const unknown = names.filter((n) => !catalog.byName.has(n));
    if (unknown.length)
      throw AppError.validation(`Unknown collection: ${unknown.join(', ')}`, [
        ...unknown.map((n) => ({
          field: 'collections',
          rule: 'exists',
          message: `Unknown collection: ${n}`,
        })),
      ]);
    return unique(names);
  }

  private audit(
    c: PoolClient,
    projectId: string,
    action: string,
    w: WebhookRow,
    extra: Record<string, unknown> = {},
  ): Promise<string> {
    return this.changeLog.appendAdmin(c, projectId, action, {
      webhook_id: w.id,
      name: w.name,
      url: w.url,
      events: w.events,
      collections: w.collections,
      is_active: w.is_active,
      ...extra,
    });
  }
}
