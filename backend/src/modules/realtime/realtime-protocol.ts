/**
 * The realtime wire protocol (DESIGN §8 "Realtime"): what a client may send, what the server
 * answers, and the close codes. Pure: no sockets, no database.
 */

/** Close codes the server ends a socket with (README "Realtime"). */
export const CLOSE = {
  /** The server is shutting down: reconnect (to another process) and resume with `since`. */
  GOING_AWAY: 1001,
  /** The server holds its maximum of sockets: retry later. */
  TRY_AGAIN_LATER: 1013,
  /** The access token expired: connect again (or send `auth`) with a fresh one. */
  TOKEN_EXPIRED: 4001,
  /** The API key was revoked, deleted or expired. */
  KEY_REVOKED: 4002,
  /** Credentials were refused (bad token or key, session ended, account disabled). */
  UNAUTHENTICATED: 4003,
  /** The page's origin is not in the project's `allowed_origins`. */
  FORBIDDEN: 4005,
  /** No such project (or not a member of it). */
  NOT_FOUND: 4004,
  /** The client read too slowly and its buffer filled: reconnect and resume with `since`. */
  RESUME_REQUIRED: 4008,
  /** No pong within a heartbeat interval. */
  HEARTBEAT_TIMEOUT: 4009,
} as const;

/** Error codes of `{"type":"error"}` messages. */
export type RealtimeErrorCode =
  | 'BAD_MESSAGE'
  | 'MESSAGE_TOO_LARGE'
  | 'VALIDATION_FAILED'
  | 'DUPLICATE_ID'
  | 'TOO_MANY_SUBSCRIPTIONS'
  | 'UNKNOWN_SUBSCRIPTION'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'SINCE_TOO_OLD'
  | 'TOKEN_EXPIRED'
  | 'KEY_REVOKED'
  | 'RESUME_REQUIRED'
  | 'INTERNAL';

export interface SubscribeMessage {
  type: 'subscribe';
  id: string;
  collection: string;
  filter?: unknown;
  since?: string;
}

export interface UnsubscribeMessage {
  type: 'unsubscribe';
  id: string;
}

export interface AuthMessage {
  type: 'auth';
  token?: string;
  api_key?: string;
}

export interface PingMessage {
  type: 'ping';
}

export type ClientMessage = SubscribeMessage | UnsubscribeMessage | AuthMessage | PingMessage;

export interface ProtocolError {
  id?: string;
  code: RealtimeErrorCode;
  detail: string;
}

export type ParseOutcome =
  { ok: true; message: ClientMessage } | { ok: false; error: ProtocolError };

const MAX_ID_LENGTH = 128;
const MAX_NAME_LENGTH = 128;
const MAX_CREDENTIAL_LENGTH = 8192;
const EVENT_ID = /^\d{1,19}$/;

const fail = (code: RealtimeErrorCode, detail: string, id?: string): ParseOutcome => ({
  ok: false,
  error: id === undefined ? { code, detail } : { id, code, detail },
});

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The subscription id a malformed message names, when it names one, so its error can say so. */
function idOf(v: Record<string, unknown>): string | undefined {
  return typeof v.id === 'string' && v.id.length > 0 && v.id.length <= MAX_ID_LENGTH
    ? v.id
    : undefined;
}

/**
 * One client frame → a message, or the error to answer it with. Never throws: garbage, binary
 * frames, oversized frames, unknown types and wrong field types all become a `ProtocolError`.
 */
export function parseClientMessage(
  data: string | Buffer | ArrayBuffer | Buffer[],
  isBinary: boolean,
  maxBytes: number,
): ParseOutcome {
  const size = Array.isArray(data)
    ? data.reduce((n, b) => n + b.length, 0)
    : typeof data === 'string'
      ? Buffer.byteLength(data)
      : data.byteLength;
  if (size > maxBytes)
    return fail('MESSAGE_TOO_LARGE', `Messages are limited to ${maxBytes} bytes (got ${size})`);
  if (isBinary) return fail('BAD_MESSAGE', 'Messages are JSON text frames');
  const text =
    typeof data === 'string'
      ? data
      : Array.isArray(data)
        ? Buffer.concat(data).toString('utf8')
        : Buffer.from(data as ArrayBuffer).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail('BAD_MESSAGE', 'A message must be one JSON object');
  }
  if (!isPlainObject(value)) return fail('BAD_MESSAGE', 'A message must be one JSON object');
  const id = idOf(value);
  switch (value.type) {
    case 'subscribe': {
      if (id === undefined)
        return fail(
          'VALIDATION_FAILED',
          `subscribe needs an id: a string of 1 to ${MAX_ID_LENGTH} characters`,
        );
      if (
        typeof value.collection !== 'string' ||
        !value.collection ||
        value.collection.length > MAX_NAME_LENGTH
      )
        return fail('VALIDATION_FAILED', 'subscribe needs a collection name', id);
      const since = value.since;
      if (since !== undefined && since !== null) {
        const text =
          typeof since === 'number' && Number.isSafeInteger(since) ? String(since) : since;
        if (typeof text !== 'string' || !EVENT_ID.test(text))
          return fail('VALIDATION_FAILED', 'since must be an event_id', id);
        return ok({
          type: 'subscribe',
          id,
          collection: value.collection,
          filter: value.filter ?? undefined,
          since: text,
        });
      }
      return ok({
        type: 'subscribe',
        id,
        collection: value.collection,
        filter: value.filter ?? undefined,
      });
    }
    case 'unsubscribe':
      if (id === undefined)
        return fail('VALIDATION_FAILED', 'unsubscribe needs the id of a subscription');
      return ok({ type: 'unsubscribe', id });
    case 'auth': {
      const { token, api_key: apiKey } = value;
      const valid = (v: unknown) =>
        typeof v === 'string' && v.length > 0 && v.length <= MAX_CREDENTIAL_LENGTH;
      if ((token === undefined) === (apiKey === undefined) || !valid(token ?? apiKey))
        return fail('VALIDATION_FAILED', 'auth takes one of token or api_key (a non-empty string)');
      return ok(
        token !== undefined
          ? { type: 'auth', token: token as string }
          : { type: 'auth', api_key: apiKey as string },
      );
    }
    case 'ping':
      return ok({ type: 'ping' });
    default:
      return fail(
        'BAD_MESSAGE',
        typeof value.type === 'string'
          ? `Unknown message type: ${value.type.slice(0, 64)}`
          : 'A message needs a type: subscribe, unsubscribe, auth or ping',
        id,
      );
  }
}

function ok(message: ClientMessage): ParseOutcome {
  return { ok: true, message };
}

/** `{"type":"error"}`: for one subscription when `id` is set, else for the socket. */
export function errorMessage(e: ProtocolError): string {
  return JSON.stringify(
    e.id === undefined
      ? { type: 'error', code: e.code, detail: e.detail }
      : { type: 'error', id: e.id, code: e.code, detail: e.detail },
  );
}

export type RecordEventType = 'record.created' | 'record.updated' | 'record.deleted';

/**
 * An event for one subscription: the subscription's id goes in front of a tail shared by every
 * subscriber who sees the same projection of the event (built once, not once per socket).
 */
export function eventTail(
  eventId: string,
  collection: string,
  record: Record<string, unknown>,
  oldRecord: Record<string, unknown> | null,
  leftView: boolean,
): string {
  const rest: Record<string, unknown> = { event_id: eventId, collection, record };
  if (oldRecord) rest.old_record = oldRecord;
  if (leftView) rest.reason = 'left_view';
  return `,${JSON.stringify(rest).slice(1)}`;
}

export function eventMessage(type: RecordEventType, subscription: string, tail: string): string {
  return eventPrefix(type, subscription) + tail;
}

/** The start of an event message up to the subscription id (a subscription keeps its own). */
export function eventPrefix(type: RecordEventType, subscription: string): string {
  return `{"type":"${type}","subscription":${JSON.stringify(subscription)}`;
}
