import type { ChangeEvent } from './change-event';

/** A `change_events` row as selected by EVENT_COLUMNS, and its mapping; shared by the log's readers. */
export interface EventRow {
  id: string;
  project_id: string;
  kind: ChangeEvent['kind'];
  action: string;
  collection: string | null;
  collection_id: string | null;
  record_id: string | null;
  actor_type: ChangeEvent['actorType'];
  actor_id: string | null;
  api_key_id: string | null;
  api_key_prefix: string | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  record: Record<string, unknown> | null;
  old_record: Record<string, unknown> | null;
  changed: string[] | null;
  meta: Record<string, unknown> | null;
  xact_id: string;
  created_at: Date;
  ready: boolean;
}

export const EVENT_COLUMNS = `id, project_id, kind, action, collection, collection_id, record_id,
  actor_type, actor_id, api_key_id, api_key_prefix, ip, user_agent, request_id, record,
  old_record, changed, meta, xact_id::text AS xact_id, created_at`;

export function toEvent(r: Omit<EventRow, 'ready'>): ChangeEvent {
  return {
    id: r.id,
    projectId: r.project_id,
    kind: r.kind,
    action: r.action,
    collection: r.collection,
    collectionId: r.collection_id,
    recordId: r.record_id,
    actorType: r.actor_type,
    actorId: r.actor_id,
    apiKeyId: r.api_key_id,
    apiKeyPrefix: r.api_key_prefix,
    ip: r.ip,
    userAgent: r.user_agent,
    requestId: r.request_id,
    record: r.record,
    oldRecord: r.old_record,
    changed: r.changed,
    meta: r.meta,
    xactId: r.xact_id,
    createdAt: r.created_at,
  };
}
