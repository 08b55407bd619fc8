import type { FieldTypeDefinition } from './field-type';
import { passThrough, TEXT_OPERATORS } from './parse-helpers';
import { parseText } from './string.field-type';

export const TEXT_FIELD_TYPE: FieldTypeDefinition = {
  name: 'text',
  columnType: () => 'text',
  validateOptions: () => null,
  parse: (input) => parseText(input),
  parseQuery: (raw) => parseText(raw),
  serialize: passThrough,
  operators: TEXT_OPERATORS,
  textual: true,
};
