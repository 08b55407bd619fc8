import type { FieldTypeDefinition } from './field-type';
import { fail, ok } from './parse-helpers';

const QUERY_VALUES = new Map<string, boolean>([
  ['true', true],
  ['false', false],
  ['1', true],
  ['0', false],
]);

export const BOOL_FIELD_TYPE: FieldTypeDefinition = {
  name: 'bool',
  columnType: () => 'boolean',
  validateOptions: () => null,
  parse(input) {
    if (input === null) return ok(null);
    return typeof input === 'boolean' ? ok(input) : fail('must be true or false');
  },
  parseQuery(raw) {
    const value = QUERY_VALUES.get(raw.toLowerCase());
    return value === undefined ? fail('must be true or false') : ok(value);
  },
  serialize: (value) => (value === undefined ? null : value),
  operators: ['eq', 'neq', 'isnull'],
  textual: false,
};
