import type { CollectionMeta } from '../../schema-engine/catalog.types';
import type { CompiledQuery } from '../../query-engine/sql-params';
import type { DataPrincipal } from '../access/access-context';

export type ChangeKind = 'record' | 'schema' | 'auth' | 'admin';
export type ActorType = 'admin' | 'app_user' | 'api_key' | 'anonymous' | 'system' | 'workflow';
export type RecordChangeAction = 'create' | 'update' | 'delete';

/** Who made a change, and from where (DESIGN §4). */
export interface ChangeActor {
  type: ActorType;
  id: string | null;
  apiKeyId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
}

export type JsonObject = Record<string, unknown>;

/** One change, as a service hands it to the change log inside its own transaction. */
export interface ChangeEventInput {
  projectId: string;
  kind: ChangeKind;
  /** `create|update|delete`, `auth.<verb>`, `schema.<op_type>` or `<resource>.<verb>` (DESIGN §8). */
  action: string;
  collection?: string | null;
  collectionId?: string | null;
  recordId?: string | null;
  /** Filled from the current request when absent. */
  actor?: ChangeActor;
  record?: JsonObject | null;
  oldRecord?: JsonObject | null;
  changed?: string[] | null;
  meta?: JsonObject | null;
}

/** A stored change event as consumers read it. */
export interface ChangeEvent {
  id: string;
  projectId: string;
  kind: ChangeKind;
  action: string;
  collection: string | null;
  collectionId: string | null;
  recordId: string | null;
  actorType: ActorType;
  actorId: string | null;
  apiKeyId: string | null;
  apiKeyPrefix: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  record: JsonObject | null;
  oldRecord: JsonObject | null;
  changed: string[] | null;
  meta: JsonObject | null;
  xactId: string;
  createdAt: Date;
}

/** The NOTIFY channel that wakes change-log consumers: a hint, never the transport. */
export const CHANGES_CHANNEL = 'backendify_changes';

/** Columns no event may carry, whatever the collection says. */
const ALWAYS_SECRET = new Set(['password_hash']);
/** Keys of `meta` payloads that name secrets (auth and admin events); their values never persist. */
const SECRET_META_KEY =
  /(^|_)(password|secret|token|api_key|key_hash|hash|code|otp|refresh_token|access_token)$/i;

export function actorFromPrincipal(p: DataPrincipal): ChangeActor {
  switch (p.kind) {
    case 'admin':
      return { type: 'admin', id: p.userId };
    case 'app_user':
      return { type: 'app_user', id: p.userId };
    case 'api_key':
      return { type: 'api_key', id: p.keyId, apiKeyId: p.keyId };
    case 'workflow':
      return { type: 'workflow', id: p.workflowId };
    default:
      return { type: 'anonymous', id: null };
  }
}

/** A copy of a record without hidden or secret fields (by field name and by column name). */
export function stripHidden(
  meta: CollectionMeta | null,
  record: JsonObject | null,
): JsonObject | null {
  if (!record) return null;
  const drop = new Set(ALWAYS_SECRET);
  for (const f of meta?.fields ?? []) {
    if (f.isHidden) {
      drop.add(f.name);
      drop.add(f.column);
    }
  }
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(record)) if (!drop.has(k)) out[k] = v;
  return out;
}

/**
 * Drops secret-looking keys from an auth/admin payload, at any depth. A boolean stays: it says
 * whether (`enable_otp`), never what.
 */
export function redactMeta(meta: JsonObject | null | undefined): JsonObject | null {
  if (!meta) return null;
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object' && !(v instanceof Date)) {
      const out: JsonObject = {};
      for (const [k, x] of Object.entries(v as JsonObject))
        if (typeof x === 'boolean' || !SECRET_META_KEY.test(k)) out[k] = walk(x);
      return out;
    }
    return v;
  };
  return walk(meta) as JsonObject;
}

/** Keys whose values differ between two versions of a record (system timestamps excluded). */
export function changedFields(before: JsonObject | null, after: JsonObject | null): string[] {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  keys.delete('updated_at');
  const out: string[] = [];
  for (const k of keys) {
    if (JSON.stringify(before?.[k] ?? null) !== JSON.stringify(after?.[k] ?? null)) out.push(k);
  }
  return out.sort();
}

/** The event of one record write: hidden fields out, changed fields computed. */
export function recordChange(
  projectId: string,
  collection: CollectionMeta,
  action: RecordChangeAction,
  record: JsonObject | null,
  oldRecord: JsonObject | null,
  actor?: ChangeActor,
): ChangeEventInput {
  const after = action === 'delete' ? null : stripHidden(collection, record);
  const before = action === 'create' ? null : stripHidden(collection, oldRecord);
  const id = (record ?? oldRecord)?.id;
  return {
    projectId,
    kind: 'record',
    action,
    collection: collection.name,
    collectionId: collection.id,
    recordId: id === undefined || id === null ? null : String(id),
    actor,
    record: after,
    oldRecord: before,
    changed: action === 'update' ? changedFields(before, after) : null,
  };
}

/** The collection an admin action belongs to (policies, validations). */
export interface CollectionRef {
  id: string;
  name: string;
}

/** One admin action `<resource>.<verb>` (DESIGN §8 Audit): the resource's safe fields in `meta`. */
export function adminChange(
  projectId: string,
  action: string,
  meta: JsonObject,
  collection?: CollectionRef | null,
): ChangeEventInput {
  return {
    projectId,
    kind: 'admin',
    action,
    collection: collection?.name ?? null,
    collectionId: collection?.id ?? null,
    recordId: null,
    meta,
  };
}

/**
 * Meta of an admin update: the safe fields as they are now, which of them changed (plus
 * `alsoChanged`, e.g. a replaced secret whose value is never shown) and what they were before.
 */
export function updateMeta(
  before: JsonObject,
  after: JsonObject,
  alsoChanged: readonly string[] = [],
): JsonObject {
  const changed = [...new Set([...changedFields(before, after), ...alsoChanged])].sort();
  const previous: JsonObject = {};
  for (const k of changed) if (k in before) previous[k] = before[k];
  return { ...after, changed, previous };
}

const COLUMNS = `project_id, kind, action, collection, collection_id, record_id, actor_type, actor_id,
     api_key_id, api_key_prefix, ip, user_agent, request_id, record, old_record, changed, meta`;
const PER_ROW = 16;

function tuple(base: number): string {
  const n = (i: number) => `$${base + i}`;
  return `(${n(1)}::uuid, ${n(2)}, ${n(3)}, ${n(4)}, ${n(5)}::uuid, ${n(6)}, ${n(7)}, ${n(8)}, ${n(9)}::uuid,
    (SELECT k.prefix FROM backendify.api_keys k WHERE k.id = ${n(9)}::uuid),
    ${n(10)}, ${n(11)}, ${n(12)}, ${n(13)}::jsonb, ${n(14)}::jsonb, ${n(15)}::text[], ${n(16)}::jsonb)`;
}

function valuesOf(event: ChangeEventInput, actor: ChangeActor): unknown[] {
  const json = (v: JsonObject | null | undefined) => (v ? JSON.stringify(v) : null);
  return [
    event.projectId,
    event.kind,
    event.action,
    event.collection ?? null,
    event.collectionId ?? null,
    event.recordId ?? null,
    actor.type,
    actor.id,
    actor.apiKeyId ?? null,
    actor.ip ?? null,
    actor.userAgent ?? null,
    actor.requestId ?? null,
    json(event.kind === 'record' ? event.record : redactMeta(event.record)),
    json(event.kind === 'record' ? event.oldRecord : redactMeta(event.oldRecord)),
    event.changed ?? null,
    json(redactMeta(event.meta)),
  ];
}

/**
 * One INSERT of the events plus their wake-up NOTIFY, as a single statement for the caller's
 * transaction (PostgreSQL folds identical notifications of one transaction into one).
 */
export function compileAppend(
  events: ChangeEventInput | readonly ChangeEventInput[],
  actor: ChangeActor,
): CompiledQuery {
  const list = Array.isArray(events) ? events : [events as ChangeEventInput];
  const values = list.flatMap((e) => valuesOf(e, e.actor ?? actor));
  const tuples = list.map((_, i) => tuple(i * PER_ROW));
  return {
    text: `WITH ev AS (
  INSERT INTO backendify.change_events (${COLUMNS})
  VALUES ${tuples.join(',\n    ')}
  RETURNING id
)
SELECT ev.id FROM ev ORDER BY ev.id`,
    values,
  };
}
