import type { FieldTypeDefinition } from './field-type';
import { KEY_OPERATORS, parseUuid, passThrough } from './parse-helpers';

/** A stored file's id; `options.bucket` is checked by the files module, not here. */
export const FILE_FIELD_TYPE: FieldTypeDefinition = {
  name: 'file',
  columnType: () => 'uuid',
  validateOptions(options) {
    const flag = options.delete_files_with_record;
    if (flag !== undefined && typeof flag !== 'boolean')
      return 'delete_files_with_record must be a boolean';
    if (options.bucket === undefined || options.bucket === null) return null;
    return typeof options.bucket === 'string' &&
      options.bucket.length > 0 &&
      options.bucket.length <= 255
      ? null
      : 'bucket must be a non-empty string of at most 255 characters';
  },
  parse: parseUuid,
  parseQuery: parseUuid,
  serialize: passThrough,
  operators: KEY_OPERATORS,
  textual: false,
};
