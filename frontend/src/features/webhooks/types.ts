export interface Webhook {
  id: string;
  project_id: string;
  name: string;
  url: string;
  events: string[];
  /** Collection names; empty = every collection. */
  collections: string[];
  is_active: boolean;
  /** Why the server turned the endpoint off (410, or too many failed deliveries in a row). */
  disabled_reason: string | null;
  consecutive_failures: number;
  last_delivery_at: string | null;
  last_status: 'delivered' | 'failed' | null;
  created_at: string;
  updated_at: string;
}

/** The answer to create: the webhook and its secret, shown this once. */
export type CreatedWebhook = Webhook & { secret: string };

export interface WebhookInput {
  name: string;
  url: string;
  events: string[];
  collections: string[];
  secret?: string;
  is_active?: boolean;
}

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface Delivery {
  id: string;
  webhook_id: string;
  event_id: string | null;
  event_type: string;
  status: DeliveryStatus;
  attempts: number;
  response_status: number | null;
  /** First 4 KB of the last answer. */
  response_body: string | null;
  error: string | null;
  duration_ms: number | null;
  next_attempt_at: string | null;
  created_at: string;
  delivered_at: string | null;
}

export interface Attempt {
  attempt: number;
  at: string;
  status: number | null;
  duration_ms: number;
  error: string | null;
  response_excerpt: string | null;
}

export type DeliveryDetail = Delivery & {
  payload: unknown;
  request_headers: Record<string, string>;
  attempt_log: Attempt[];
};

export interface DeliveryPage {
  deliveries: Delivery[];
  total: number;
  limit: number;
  offset: number;
}

/** The page's URL state: the open webhook and its delivery-log filter and page. */
export interface WebhooksSearch {
  webhook?: string;
  status?: DeliveryStatus;
  offset?: number;
}

export const EVENT_GROUPS = [
  { family: 'record', label: 'Records', verbs: ['created', 'updated', 'deleted'] },
  { family: 'collection', label: 'Collections', verbs: ['created', 'updated', 'deleted'] },
  { family: 'field', label: 'Fields', verbs: ['created', 'updated', 'deleted'] },
  { family: 'auth', label: 'Auth', verbs: ['register', 'login', 'logout'] },
] as const;

/** The smallest event list for a selection: `family.*` for a whole group, single names otherwise. */
export function compactEvents(selected: ReadonlySet<string>): string[] {
  if (selected.has('*')) return ['*'];
  const out: string[] = [];
  for (const g of EVENT_GROUPS) {
    const names = g.verbs.map((v) => `${g.family}.${v}`);
    if (selected.has(`${g.family}.*`) || names.every((n) => selected.has(n))) {
      out.push(`${g.family}.*`);
    } else {
      out.push(...names.filter((n) => selected.has(n)));
    }
  }
  // auth.<verb> names beyond the known ones stay as they are.
  for (const s of selected) {
    if (!out.includes(s) && /^auth\.(?!\*)/.test(s) && !out.includes('auth.*')) out.push(s);
  }
  return out;
}

/** Every concrete event a list covers, for the picker's check boxes. */
export function expandEvents(events: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const e of events) {
    if (e === '*') {
      for (const g of EVENT_GROUPS) for (const v of g.verbs) out.add(`${g.family}.${v}`);
    } else if (e.endsWith('.*')) {
      const g = EVENT_GROUPS.find((x) => `${x.family}.*` === e);
      for (const v of g?.verbs ?? []) out.add(`${e.slice(0, -2)}.${v}`);
    } else out.add(e);
  }
  return out;
}
