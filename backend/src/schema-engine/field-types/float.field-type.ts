import type { FieldTypeDefinition, ParseResult } from './field-type';
import { fail, ok, ORDERED_OPERATORS } from './parse-helpers';

const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function parseFloatText(raw: string): ParseResult {
  if (!NUMBER_TEXT.test(raw)) return fail('must be a number');
  const n = Number(raw);
  return Number.isFinite(n) ? ok(n) : fail('must be a finite number');
}

export const FLOAT_FIELD_TYPE: FieldTypeDefinition = {
  name: 'float',
  columnType: () => 'double precision',
  validateOptions: () => null,
  parse(input) {
    if (input === null) return ok(null);
    if (typeof input === 'number') {
      return Number.isFinite(input) ? ok(input) : fail('must be a finite number');
    }
    if (typeof input === 'string') return parseFloatText(input);
    return fail('must be a number');
  },
  parseQuery: parseFloatText,
  serialize(value) {
    if (value === null || value === undefined) return null;
    return typeof value === 'string' ? Number(value) : value;
  },
  operators: ORDERED_OPERATORS,
  textual: false,
};
