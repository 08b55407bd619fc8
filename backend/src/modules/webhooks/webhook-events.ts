import type { ChangeEvent } from '../change-log/change-event';

/** What a webhook may subscribe to: `*`, a family wildcard, or one event name (DESIGN §5). */
export const EVENT_PATTERN = /^(\*|(record|collection|field|auth)\.(\*|[a-z][a-z0-9_]{0,63}))$/;

/** The events the console offers; `auth.<verb>` names beyond these are accepted too. */
export const KNOWN_EVENTS = [
  'record.created',
  'record.updated',
  'record.deleted',
  'collection.created',
  'collection.updated',
  'collection.deleted',
  'field.created',
  'field.updated',
  'field.deleted',
  'auth.register',
  'auth.login',
  'auth.logout',
] as const;

/** The event a test delivery carries; it reaches the one webhook it was sent to, whatever its list. */
export const TEST_EVENT = 'webhook.test';

const RECORD_EVENTS: Record<string, string> = {
  create: 'record.created',
  update: 'record.updated',
  delete: 'record.deleted',
};

/** `schema.<op_type>` → the collection/field event it is; index and constraint ops are not events. */
const SCHEMA_EVENTS: Record<string, string> = {
  create_table: 'collection.created',
  create_users_table: 'collection.created',
  rename_table: 'collection.updated',
  drop_table: 'collection.deleted',
  add_column: 'field.created',
  add_relation_column: 'field.created',
  rename_column: 'field.updated',
  change_column_type: 'field.updated',
  set_not_null: 'field.updated',
  drop_not_null: 'field.updated',
  set_default: 'field.updated',
  drop_default: 'field.updated',
  drop_column: 'field.deleted',
};

/**
 * The webhook event name of a change, or null when webhooks do not carry it. Admin actions
 * (`policy.create`, …) belong to the audit log only: they describe the console, not the data.
 */
export function webhookEventName(e: Pick<ChangeEvent, 'kind' | 'action'>): string | null {
  switch (e.kind) {
    case 'record':
      return RECORD_EVENTS[e.action] ?? null;
    case 'schema':
      return SCHEMA_EVENTS[e.action.replace(/^schema\./, '')] ?? null;
    case 'auth':
      return e.action.startsWith('auth.') ? e.action : `auth.${e.action}`;
    default:
      return null;
  }
}

export interface Subscription {
  events: readonly string[];
  collections: readonly string[];
}

/** Whether a webhook wants an event: its list names it (or its family, or `*`), and its collection filter passes. */
export function subscribes(sub: Subscription, event: string, collection: string | null): boolean {
  const family = event.slice(0, event.indexOf('.'));
  const named = sub.events.some((p) => p === '*' || p === event || p === `${family}.*`);
  if (!named) return false;
  if (sub.collections.length === 0 || family === 'auth') return true;
  return collection !== null && sub.collections.includes(collection);
}

/** The JSON body of one delivery (DESIGN §5), fixed when the delivery is queued so retries resend it. */
export function buildPayload(e: ChangeEvent, event: string): Record<string, unknown> {
  const actor = {
    type: e.actorType,
    id: e.actorId,
    ...(e.apiKeyPrefix ? { api_key_prefix: e.apiKeyPrefix } : {}),
  };
  const body: Record<string, unknown> = {
    id: e.id,
    event,
    timestamp: e.createdAt.toISOString(),
    project_id: e.projectId,
    collection: e.collection,
    record_id: e.recordId,
    // Record events carry the row; auth events the app user (its visible `_users` columns).
    record: e.kind === 'record' || e.kind === 'auth' ? e.record : null,
    previous_record: e.kind === 'record' ? e.oldRecord : null,
    actor,
  };
  if (e.kind === 'record') body.changed = e.changed;
  else body.data = e.meta;
  return body;
}
