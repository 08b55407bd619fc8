import type { FilterOperator, ParseResult } from './field-type';

export const ok = (value: unknown): ParseResult => ({ ok: true, value });
export const fail = (message: string): ParseResult => ({ ok: false, message });

const INT8_MIN = -(2n ** 63n);
const INT8_MAX = 2n ** 63n - 1n;
const INTEGER_TEXT = /^-?\d{1,19}$/;

/** Text operators; ordering comparisons on text are allowed (collation order). */
export const TEXT_OPERATORS: readonly FilterOperator[] = [
  'eq',
  'neq',
  'gt',
  'gte',
  'lt',
  'lte',
  'contains',
  'icontains',
  'startswith',
  'endswith',
  'in',
  'notin',
  'isnull',
  'like',
  'ilike',
  'between',
];
export const ORDERED_OPERATORS: readonly FilterOperator[] = [
  'eq',
  'neq',
  'gt',
  'gte',
  'lt',
  'lte',
  'in',
  'notin',
  'isnull',
  'between',
];
export const KEY_OPERATORS: readonly FilterOperator[] = ['eq', 'neq', 'in', 'notin', 'isnull'];

/** A bigint column value: safe integers stay numbers, larger ones travel as text to keep every digit. */
export function parseBigint(input: unknown): ParseResult {
  if (input === null) return ok(null);
  if (typeof input === 'number') {
    return Number.isSafeInteger(input) ? ok(input) : fail('must be an integer');
  }
  if (typeof input === 'string') return parseBigintText(input);
  return fail('must be an integer');
}

export function parseBigintText(raw: string): ParseResult {
  if (!INTEGER_TEXT.test(raw)) return fail('must be an integer');
  const big = BigInt(raw);
  if (big < INT8_MIN || big > INT8_MAX) return fail('is out of range for a 64-bit integer');
  const asNumber = Number(big);
  return Number.isSafeInteger(asNumber) ? ok(asNumber) : ok(big.toString());
}

/** int8 arrives from pg as text; numbers are friendlier whenever no digit is lost. */
export function serializeBigint(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value;
  }
  if (typeof value === 'bigint') {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value.toString();
  }
  return value;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseUuid(input: unknown): ParseResult {
  if (input === null) return ok(null);
  if (typeof input !== 'string' || !UUID_PATTERN.test(input)) return fail('must be a UUID');
  return ok(input.toLowerCase());
}

export function passThrough(value: unknown): unknown {
  return value === undefined ? null : value;
}

export function isPositiveIntegerIn(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}
