import { evaluateFilter } from '../../query-engine/evaluate-filter';
import type { CatalogLookup } from '../../query-engine/field-resolver';
import type { FilterAst } from '../../query-engine/filter';
import { ACTOR_COLUMNS, type ReadableFields } from '../../query-engine/readable';
import type { CollectionMeta } from '../../schema-engine/catalog.types';
import { SECRET_SYSTEM_FIELDS } from '../access/concealed-fields';
import type { ChangeKind } from '../change-log/change-event';
import type { Position } from './position';
import { eventTail, type RecordEventType } from './realtime-protocol';

type JsonObject = Record<string, unknown>;

/** A change-log event as the realtime feed carries it (what fan-out needs, nothing more). */
export interface FeedEvent {
  id: string;
  xactId: string;
  projectId: string;
  kind: ChangeKind;
  action: string;
  collection: string | null;
  collectionId: string | null;
  record: JsonObject | null;
  oldRecord: JsonObject | null;
  pos: Position;
}

/** What a subscription gets of an event: its type and the message after the subscription id. */
export interface ViewMessage {
  type: RecordEventType;
  tail: string;
  /** Which of the event's projections the tail is (in view, with old version, left, gone). */
  key: string;
}

interface Seen {
  before: JsonObject | null | undefined;
  after: JsonObject | null | undefined;
  tails: Map<string, string>;
  /** Whole messages by tail and message prefix, encoded once (sockets often share ids such as "s1"). */
  frames: Map<string, Map<string, Buffer>>;
}

/**
 * What one principal may see of one collection's events, as `GET …/data/{collection}/{id}` would
 * show the row: the read policy's row filter (evaluated in memory with the SQL semantics) and
 * its readable fields; hidden and secret fields never. Built once per batch and principal, and
 * shared by every subscription of that principal on the collection, so each event is checked
 * and serialized once per principal, not once per socket.
 */
export class EventView {
  private readonly seen = new WeakMap<FeedEvent, Seen>();
  private readonly drop: ReadonlySet<string>;

  constructor(
    readonly meta: CollectionMeta,
    private readonly rowFilter: FilterAst | null,
    readable: ReadableFields,
    private readonly lookup?: CatalogLookup,
  ) {
    const drop = new Set(SECRET_SYSTEM_FIELDS);
    for (const f of meta.fields) {
      if (f.isHidden || f.isDeleted || (readable && !readable.has(f.name))) {
        drop.add(f.name);
        drop.add(f.column);
      }
    }
    if (readable) for (const c of ACTOR_COLUMNS) if (!readable.has(c)) drop.add(c);
    this.drop = drop;
  }

  private visible(row: JsonObject | null): JsonObject | null {
    if (!row) return null;
    if (
      this.rowFilter &&
      evaluateFilter(this.rowFilter, this.meta, row, { catalog: this.lookup }) !== true
    )
      return null;
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(row)) if (!this.drop.has(k)) out[k] = v;
    return out;
  }

  private entry(e: FeedEvent): Seen {
    let s = this.seen.get(e);
    if (!s) {
      s = { before: undefined, after: undefined, tails: new Map(), frames: new Map() };
      this.seen.set(e, s);
    }
    return s;
  }

  /** The version before the change as this principal may read it; null = not in its view. */
  private before(e: FeedEvent, s: Seen): JsonObject | null {
    if (s.before === undefined) s.before = e.action === 'create' ? null : this.visible(e.oldRecord);
    return s.before;
  }

  private after(e: FeedEvent, s: Seen): JsonObject | null {
    if (s.after === undefined) s.after = e.action === 'delete' ? null : this.visible(e.record);
    return s.after;
  }

  private matches(filter: FilterAst | null, row: JsonObject | null): boolean {
    if (!row) return false;
    // The filter sees the stored row: it may only name readable fields (checked at subscribe).
    return !filter || evaluateFilter(filter, this.meta, row, { catalog: this.lookup }) === true;
  }

  /**
   * The encoded message `prefix + tail` of this event: encoded once and shared by every socket
   * whose subscription has the same id (ws sends a Buffer without copying it).
   */
  frame(e: FeedEvent, m: ViewMessage, prefix: string): Buffer {
    const byTail = this.entry(e).frames;
    let byPrefix = byTail.get(m.key);
    if (!byPrefix) byTail.set(m.key, (byPrefix = new Map()));
    let frame = byPrefix.get(prefix);
    if (!frame) {
      frame = Buffer.from(prefix + m.tail);
      byPrefix.set(prefix, frame);
    }
    return frame;
  }

  /**
   * What one subscription gets of the event (its type and the message after the subscription id,
   * shared by every subscription of this view), or null when it must not see the event. An update that
   * brings a row into view is `record.updated` without `old_record`; one that takes it out of
   * view is a `record.deleted` of the version it saw, with `reason: "left_view"`.
   */
  messageFor(e: FeedEvent, filter: FilterAst | null): ViewMessage | null {
    const s = this.entry(e);
    const wasIn = e.action !== 'create' && this.matches(filter, this.before(e, s));
    const isIn = e.action !== 'delete' && this.matches(filter, this.after(e, s));
    let type: RecordEventType;
    let key: string;
    if (isIn) {
      type = e.action === 'create' ? 'record.created' : 'record.updated';
      key = wasIn ? 'in+old' : 'in';
    } else if (wasIn) {
      type = 'record.deleted';
      key = e.action === 'delete' ? 'gone' : 'left';
    } else return null;
    let tail = s.tails.get(key);
    if (tail === undefined) {
      const collection = e.collection ?? this.meta.name;
      tail =
        key === 'in' || key === 'in+old'
          ? eventTail(
              e.id,
              collection,
              s.after as JsonObject,
              key === 'in+old' ? s.before! : null,
              false,
            )
          : eventTail(e.id, collection, s.before as JsonObject, null, key === 'left');
      s.tails.set(key, tail);
    }
    return { type, tail, key };
  }
}
