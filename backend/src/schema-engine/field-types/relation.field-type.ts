import type { FieldTypeDefinition } from './field-type';
import { KEY_OPERATORS, parseBigint, parseBigintText, serializeBigint } from './parse-helpers';

/**
 * The many-to-one FK column for bigint-id targets. For `_users` (uuid ids) the query engine
 * swaps in the uuid type via the catalog; see `query-engine/field-resolver.ts`.
 */
export const RELATION_FIELD_TYPE: FieldTypeDefinition = {
  name: 'relation',
  columnType: () => 'bigint',
  validateOptions: () => null,
  parse: (input) => parseBigint(input),
  parseQuery: (raw) => parseBigintText(raw),
  serialize: serializeBigint,
  operators: KEY_OPERATORS,
  textual: false,
};
