import type { FieldTypeDefinition } from './field-type';
import { KEY_OPERATORS, parseUuid, passThrough } from './parse-helpers';

export const UUID_FIELD_TYPE: FieldTypeDefinition = {
  name: 'uuid',
  columnType: () => 'uuid',
  validateOptions: () => null,
  parse: parseUuid,
  parseQuery: parseUuid,
  serialize: passThrough,
  operators: KEY_OPERATORS,
  textual: false,
};
