import type { Cursor } from '../change-log/change-log.service';

/**
 * A place in the change log's (xact_id, id) order: every process reads the log in that order
 * below the oldest running transaction, so positions are the same in every process and a
 * client's last `event_id` names where to resume anywhere.
 */
export interface Position {
  readonly xact: bigint;
  readonly id: bigint;
}

export const ORIGIN: Position = { xact: 0n, id: 0n };

export function fromCursor(c: Cursor): Position {
  return { xact: BigInt(c.xactId), id: BigInt(c.eventId) };
}

export function toCursor(p: Position): Cursor {
  return { xactId: p.xact.toString(), eventId: p.id.toString() };
}

export function comparePositions(a: Position, b: Position): number {
  if (a.xact !== b.xact) return a.xact < b.xact ? -1 : 1;
  return a.id === b.id ? 0 : a.id < b.id ? -1 : 1;
}

export const after = (a: Position, b: Position): boolean => comparePositions(a, b) > 0;

export function positionOfEvent(e: { xactId: string; id: string }): Position {
  return { xact: BigInt(e.xactId), id: BigInt(e.id) };
}

/** The event id a client resumes from; null at the origin (an empty log). */
export function eventIdOf(p: Position): string | null {
  return p.id === 0n ? null : p.id.toString();
}

/**
 * One subscription's place in the stream: events arrive from a `since=` replay, from the live
 * feed, or from both at once (live events are held while the replay runs). Whatever the source,
 * an event is let through only if it lies after the last one let through, so each event is
 * delivered once, in log order, with no gap as long as every source covers its range.
 */
export class StreamCursor<E extends { pos: Position }> {
  /** Live events held while this stream catches up; null once it is live. */
  private held: E[] | null;
  private heldCount = 0;

  constructor(
    /** The last position delivered (or skipped as not visible). */
    public floor: Position,
    catchingUp: boolean,
    private readonly maxHeld: number,
  ) {
    this.held = catchingUp ? [] : null;
  }

  /** Live events waiting while this stream catches up (the inspector's lag). */
  get pending(): number {
    return this.held?.length ?? 0;
  }

  get live(): boolean {
    return this.held === null;
  }

  /** Whether `e` is new here; if so the floor moves to it (call once per event, in order). */
  admit(e: E): boolean {
    if (!after(e.pos, this.floor)) return false;
    this.floor = e.pos;
    return true;
  }

  /** Holds a live event while catching up; false when the hold is full (the client must resume). */
  hold(e: E): boolean {
    if (this.held === null) this.held = [];
    if (this.heldCount >= this.maxHeld) return false;
    this.held.push(e);
    this.heldCount += 1;
    return true;
  }

  /** Starts catching up again (e.g. a live event arrived that could not be checked at once). */
  pause(): void {
    if (this.held === null) this.held = [];
  }

  /** Takes what was held so far; the stream stays in catch-up until `goLive` finds nothing held. */
  drain(): E[] {
    const out = this.held ?? [];
    if (this.held !== null) this.held = [];
    this.heldCount = 0;
    return out;
  }

  /** Goes live iff nothing is held (checked and switched in one synchronous step). */
  goLive(): boolean {
    if (this.held && this.held.length > 0) return false;
    this.held = null;
    return true;
  }
}
