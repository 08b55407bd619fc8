import type { FieldOptions, FieldTypeDefinition, ParseResult } from './field-type';
import { fail, isPositiveIntegerIn, ok, passThrough, TEXT_OPERATORS } from './parse-helpers';

/** PostgreSQL's own upper bound for varchar(n). */
export const MAX_VARCHAR_LENGTH = 10485760;

/** Shared by `string` and `text`: a string without NUL (PostgreSQL text cannot hold it). */
export function parseText(input: unknown, maxLength?: number): ParseResult {
  if (input === null) return ok(null);
  if (typeof input !== 'string') return fail('must be a string');
  if (input.includes('\u0000')) return fail('must not contain NUL characters');
  // varchar(n) counts characters (code points), not UTF-16 units; only count when it could matter.
  if (maxLength !== undefined && input.length > maxLength && [...input].length > maxLength) {
    return fail(`must be at most ${maxLength} characters`);
  }
  return ok(input);
}

export const STRING_FIELD_TYPE: FieldTypeDefinition = {
  name: 'string',
  columnType(options: FieldOptions): string {
    const max = options.max_length;
    return isPositiveIntegerIn(max, 1, MAX_VARCHAR_LENGTH) ? `varchar(${max})` : 'text';
  },
  validateOptions(options: FieldOptions): string | null {
    if (options.max_length === undefined || options.max_length === null) return null;
    return isPositiveIntegerIn(options.max_length, 1, MAX_VARCHAR_LENGTH)
      ? null
      : `max_length must be an integer between 1 and ${MAX_VARCHAR_LENGTH}`;
  },
  parse: (input, options) => parseText(input, options.max_length ?? undefined),
  parseQuery: (raw, options) => parseText(raw, options.max_length ?? undefined),
  serialize: passThrough,
  operators: TEXT_OPERATORS,
  textual: true,
};
