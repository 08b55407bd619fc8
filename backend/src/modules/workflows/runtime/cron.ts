import { Cron } from 'croner';

/** A parsed 5-field cron expression in an IANA time zone. */
export interface Schedule {
  readonly cron: string;
  readonly timezone: string;
  readonly job: Cron;
}

/** A cron expression or time zone that cannot be scheduled. */
export class ScheduleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScheduleError';
  }
}

export const MAX_NEXT_TIMES = 1000;
export const CRON_FIELDS = ['minute', 'hour', 'day', 'month', 'weekday'] as const;

const MAX_CRON_LENGTH = 200;
// Zone names only: offsets like "+02:00" are accepted by newer Node versions but not by Node 20.
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;

/**
 * Parses `minute hour day month weekday` (croner's syntax: lists, ranges, steps, names, L, W, #)
 * in `timezone`; day and weekday both restricted match either, as in Vixie cron.
 */
export function parseSchedule(cron: string, timezone = 'UTC'): Schedule {
  if (typeof cron !== 'string' || cron.length > MAX_CRON_LENGTH) {
    throw new ScheduleError(`cron must be a string of at most ${MAX_CRON_LENGTH} characters`);
  }
  const normalized = cron.trim().split(/\s+/).join(' ');
  const fields = normalized === '' ? 0 : normalized.split(' ').length;
  if (fields !== CRON_FIELDS.length) {
    throw new ScheduleError(
      `cron must have 5 fields (${CRON_FIELDS.join(' ')}), "${cron}" has ${fields}`,
    );
  }
  assertTimezone(timezone);
  let job: Cron;
  try {
    job = new Cron(normalized, { timezone, mode: '5-part', paused: true });
  } catch (err) {
    const reason = (err as Error).message.replace(/^CronPattern:\s*/, '');
    throw new ScheduleError(`invalid cron "${cron}": ${reason}`);
  }
  const schedule: Schedule = { cron: normalized, timezone, job };
  if (nextAfter(schedule, new Date(0)) === null) {
    throw new ScheduleError(`cron "${cron}" never fires`);
  }
  return schedule;
}

/** The next `n` (at most MAX_NEXT_TIMES) fire times strictly after `from`. */
export function nextTimes(s: Schedule, from: Date, n: number): Date[] {
  const count = Math.max(0, Math.min(Math.floor(n), MAX_NEXT_TIMES));
  const out: Date[] = [];
  let cursor: Date | null = from;
  while (out.length < count && cursor) {
    cursor = nextAfter(s, cursor);
    if (cursor) out.push(cursor);
  }
  return out;
}

/** The first fire time strictly after `from`, or null when there is none. */
export function nextAfter(s: Schedule, from: Date): Date | null {
  return s.job.nextRun(from);
}

export interface DueTick {
  /** Whether to start one run now. */
  fire: boolean;
  /** Fire times that passed since `scheduledAt` and are folded into this one run (capped). */
  missed: number;
  /** When to look again. */
  next: Date | null;
}

/**
 * Missed ticks collapse: a schedule whose `scheduledAt` has passed (the process was down or
 * busy) fires once, and its next time is the first one after `now`, never a backlog.
 */
export function collapseMissed(s: Schedule, scheduledAt: Date, now: Date): DueTick {
  if (scheduledAt.getTime() > now.getTime()) return { fire: false, missed: 0, next: scheduledAt };
  let missed = 0;
  let cursor = nextAfter(s, scheduledAt);
  while (cursor && cursor.getTime() <= now.getTime() && missed < MAX_NEXT_TIMES) {
    missed++;
    cursor = nextAfter(s, cursor);
  }
  return { fire: true, missed, next: nextAfter(s, now) };
}

/** Throws ScheduleError unless `timezone` is an IANA zone name this runtime knows. */
export function assertTimezone(timezone: string): void {
  if (typeof timezone !== 'string' || !ZONE_NAME.test(timezone) || timezone.length > 64) {
    throw new ScheduleError(`invalid timezone "${String(timezone)}" (expected an IANA name)`);
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new ScheduleError(`unknown timezone "${timezone}" (expected an IANA name)`);
  }
}
