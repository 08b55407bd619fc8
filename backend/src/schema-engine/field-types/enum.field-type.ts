import type { FieldOptions, FieldTypeDefinition, ParseResult } from './field-type';
import { fail, KEY_OPERATORS, ok, passThrough } from './parse-helpers';

export const MAX_ENUM_VALUES = 200;
export const MAX_ENUM_VALUE_LENGTH = 255;

function parseEnum(input: unknown, options: FieldOptions): ParseResult {
  if (input === null) return ok(null);
  const values = options.values ?? [];
  if (typeof input !== 'string' || !values.includes(input)) {
    return fail(`must be one of: ${values.join(', ')}`);
  }
  return ok(input);
}

export const ENUM_FIELD_TYPE: FieldTypeDefinition = {
  name: 'enum',
  columnType: () => 'text',
  validateOptions(options) {
    const { values } = options;
    if (!Array.isArray(values) || values.length < 1 || values.length > MAX_ENUM_VALUES) {
      return `values must be a list of 1 to ${MAX_ENUM_VALUES} strings`;
    }
    for (const value of values as unknown[]) {
      if (
        typeof value !== 'string' ||
        value.length === 0 ||
        value.length > MAX_ENUM_VALUE_LENGTH ||
        value.includes('\u0000')
      ) {
        return `each value must be a non-empty string of at most ${MAX_ENUM_VALUE_LENGTH} characters`;
      }
    }
    return new Set(values).size === values.length ? null : 'values must be unique';
  },
  parse: parseEnum,
  parseQuery: parseEnum,
  serialize: passThrough,
  operators: KEY_OPERATORS,
  textual: false,
};
