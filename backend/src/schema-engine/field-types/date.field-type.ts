import type { FieldTypeDefinition, ParseResult } from './field-type';
import { fail, ok, ORDERED_OPERATORS } from './parse-helpers';

const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether y-m-d names a real calendar day (year 1..9999). */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year);
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function parseDateText(raw: string): ParseResult {
  const match = DATE_TEXT.exec(raw);
  if (!match || !isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]))) {
    return fail('must be a date (YYYY-MM-DD)');
  }
  return ok(raw);
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

export const DATE_FIELD_TYPE: FieldTypeDefinition = {
  name: 'date',
  columnType: () => 'date',
  validateOptions: () => null,
  parse(input) {
    if (input === null) return ok(null);
    return typeof input === 'string' ? parseDateText(input) : fail('must be a date (YYYY-MM-DD)');
  },
  parseQuery: parseDateText,
  serialize(value) {
    if (value === null || value === undefined) return null;
    // node-postgres turns `date` into a Date at local midnight, so read it back in local time.
    if (value instanceof Date) {
      return `${pad(value.getFullYear(), 4)}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
    }
    return typeof value === 'string' ? value.slice(0, 10) : value;
  },
  operators: ORDERED_OPERATORS,
  textual: false,
};
