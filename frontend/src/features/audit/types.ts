import type { ChangeActor } from '@/components/ui/change-chips';

export interface AuditEvent {
  id: string;
  project_id: string;
  action: string;
  kind: 'record' | 'schema' | 'auth' | 'admin';
  collection: string | null;
  collection_id: string | null;
  record_id: string | null;
  actor: ChangeActor;
  record: Record<string, unknown> | null;
  old_record: Record<string, unknown> | null;
  changed: string[] | null;
  meta: Record<string, unknown> | null;
  ip_address: string | null;
  user_agent: string | null;
  request_id: string | null;
  created_at: string;
}

export interface AuditPage {
  events: AuditEvent[];
  total: number | null;
  limit: number;
  offset: number;
  next_cursor: string | null;
}

export interface AuditSettings {
  retention_days: number | null;
  max_rows: number | null;
}

export const ACTOR_TYPES = ['admin', 'app_user', 'api_key', 'anonymous', 'system'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

export const ACTOR_TYPE_LABELS: Record<ActorType, string> = {
  admin: 'Console admin',
  app_user: 'App user',
  api_key: 'API key',
  anonymous: 'Anonymous',
  system: 'System',
};

/** The filters of the audit view, as they live in the URL (dates as `YYYY-MM-DD`). */
export interface AuditSearch {
  action?: string;
  collection?: string;
  /** A numeric id stays a number, so the URL reads `record_id=42` rather than `"42"`. */
  record_id?: string | number;
  actor_type?: ActorType;
  actor?: string;
  from?: string;
  to?: string;
}

export const AUDIT_FILTER_KEYS = [
  'action',
  'collection',
  'record_id',
  'actor_type',
  'actor',
  'from',
  'to',
] as const satisfies readonly (keyof AuditSearch)[];

/** Suggestions for the action filter; any exact action or `prefix.*` works. */
export const ACTION_SUGGESTIONS = [
  'create',
  'update',
  'delete',
  'schema.*',
  'auth.*',
  'policy.*',
  'role.*',
  'api_key.*',
  'member.*',
  'webhook.*',
  'settings.*',
];

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A `YYYY-MM-DD` day as the instant it starts in the browser's time zone. */
function startOfDay(day: string, plusDays = 0): string | undefined {
  if (!DAY.test(day)) return undefined;
  const d = new Date(`${day}T00:00:00`);
  if (Number.isNaN(d.getTime())) return undefined;
  d.setDate(d.getDate() + plusDays);
  return d.toISOString();
}

/** The API's query for a set of URL filters; `to` is inclusive of its whole day. */
export function auditQuery(s: AuditSearch): Record<string, string | undefined> {
  return {
    action: s.action,
    collection: s.collection,
    record_id: s.record_id === undefined ? undefined : String(s.record_id),
    actor_type: s.actor_type,
    actor: s.actor,
    from: s.from ? startOfDay(s.from) : undefined,
    to: s.to ? startOfDay(s.to, 1) : undefined,
  };
}

export function parseAuditSearch(search: Record<string, unknown>): AuditSearch {
  const str = (v: unknown, max = 200) =>
    typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, max) : undefined;
  const day = (v: unknown) => (typeof v === 'string' && DAY.test(v) ? v : undefined);
  return {
    action: str(search.action, 100),
    collection: str(search.collection, 100),
    record_id: Number.isSafeInteger(search.record_id)
      ? (search.record_id as number)
      : str(search.record_id),
    actor_type: ACTOR_TYPES.find((t) => t === search.actor_type),
    actor: str(search.actor),
    from: day(search.from),
    to: day(search.to),
  };
}

/** Numeric record ids as numbers (see `AuditSearch.record_id`). */
export function normaliseRecordId(id: string | number | undefined): string | number | undefined {
  if (typeof id !== 'string' || !/^[1-9][0-9]*$/.test(id)) return id;
  const n = Number(id);
  return Number.isSafeInteger(n) ? n : id;
}
