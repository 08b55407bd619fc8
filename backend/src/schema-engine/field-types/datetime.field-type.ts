import type { FieldTypeDefinition, ParseResult } from './field-type';
import { isCalendarDate, parseDateText } from './date.field-type';
import { fail, ok, ORDERED_OPERATORS } from './parse-helpers';

const DATETIME_TEXT =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)? ?([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;
const MESSAGE = 'must be an ISO 8601 date-time (e.g. 2024-01-31T12:00:00Z)';
/** PostgreSQL's timestamptz text in a UTC session: `2026-01-31 12:00:00[.ffffff]+00`. */
const PG_UTC_TEXT = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.(\d{1,6}))?\+00$/;

/** The same string `new Date(text).toISOString()` gives (milliseconds, truncated), by slicing. */
export function pgTimestampToIso(text: string): string | null {
  const m = PG_UTC_TEXT.exec(text);
  if (!m) return null;
  const ms = m[1] ? m[1].slice(0, 3).padEnd(3, '0') : '000';
  return `${text.slice(0, 10)}T${text.slice(11, 19)}.${ms}Z`;
}

/**
 * Validates and normalises to `YYYY-MM-DDTHH:MM:SS[.ffffff](Z|±HH:MM)`, keeping microseconds
 * (a Date would drop them and break keyset cursors). No offset means UTC.
 */
export function parseDatetimeText(raw: string): ParseResult {
  const m = DATETIME_TEXT.exec(raw);
  if (!m) return fail(MESSAGE);
  const [, y, mo, d, h, mi, s = '00', frac, zone] = m;
  if (!isCalendarDate(Number(y), Number(mo), Number(d))) return fail(MESSAGE);
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return fail(MESSAGE);
  let offset = 'Z';
  if (zone && zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2) || '0');
    if (oh > 15 || om > 59) return fail(MESSAGE);
    offset = `${zone[0]}${digits.slice(0, 2)}:${(digits.slice(2) || '00').padStart(2, '0')}`;
  }
  const fraction = frac ? `.${frac.slice(0, 6)}` : '';
  return ok(`${y}-${mo}-${d}T${h}:${mi}:${s}${fraction}${offset}`);
}

export const DATETIME_FIELD_TYPE: FieldTypeDefinition = {
  name: 'datetime',
  columnType: () => 'timestamptz',
  validateOptions: () => null,
  parse(input) {
    if (input === null) return ok(null);
    return typeof input === 'string' ? parseDatetimeText(input) : fail(MESSAGE);
  },
  parseQuery(raw) {
    // `created_at__gte=2024-01-01` is how clients of the original filter: midnight UTC.
    const dateOnly = parseDateText(raw);
    return dateOnly.ok ? ok(`${raw}T00:00:00Z`) : parseDatetimeText(raw);
  },
  serialize(value) {
    if (value === null || value === undefined) return null;
    if (value instanceof Date) return value.toISOString();
    if (typeof value === 'string') {
      const fast = pgTimestampToIso(value);
      if (fast !== null) return fast;
      const date = new Date(value);
      return Number.isNaN(date.getTime()) ? value : date.toISOString();
    }
    return value;
  },
  operators: ORDERED_OPERATORS,
  textual: false,
};
