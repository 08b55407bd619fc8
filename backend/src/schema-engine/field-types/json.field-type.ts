import type { FieldTypeDefinition, ParseResult } from './field-type';
import { fail, ok } from './parse-helpers';

function toJsonParam(input: unknown): ParseResult {
  if (input === null) return ok(null);
  if (input === undefined || typeof input === 'function' || typeof input === 'symbol') {
    return fail('must be a JSON value');
  }
  let text: string | undefined;
  try {
    text = JSON.stringify(input);
  } catch {
    return fail('must be a JSON value');
  }
  if (text === undefined) return fail('must be a JSON value');
  // jsonb rejects the NUL escape; catching it here keeps a 400 from becoming a 500.
  if (/(^|[^\\])(\\\\)*\\u0000/.test(text)) return fail('must not contain NUL characters');
  return ok(text);
}

export const JSON_FIELD_TYPE: FieldTypeDefinition = {
  name: 'json',
  columnType: () => 'jsonb',
  validateOptions: () => null,
  parse: toJsonParam,
  parseQuery(raw) {
    try {
      return toJsonParam(JSON.parse(raw) as unknown);
    } catch {
      return fail('must be a JSON value');
    }
  },
  serialize: (value) => (value === undefined ? null : value),
  operators: ['isnull'],
  textual: false,
};
