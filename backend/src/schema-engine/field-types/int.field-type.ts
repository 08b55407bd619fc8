import type { FieldTypeDefinition } from './field-type';
import { ORDERED_OPERATORS, parseBigint, parseBigintText, serializeBigint } from './parse-helpers';

export const INT_FIELD_TYPE: FieldTypeDefinition = {
  name: 'int',
  columnType: () => 'bigint',
  validateOptions: () => null,
  parse: (input) => parseBigint(input),
  parseQuery: (raw) => parseBigintText(raw),
  serialize: serializeBigint,
  operators: ORDERED_OPERATORS,
  textual: false,
};
