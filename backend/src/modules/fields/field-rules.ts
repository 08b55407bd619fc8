import { AppError } from '../../common/errors/app-error';
import { SYSTEM_COLUMNS, type FieldMeta } from '../../schema-engine/catalog.types';
import type { FieldOptions, FieldTypeName } from '../../schema-engine/field-types/field-type';
import { getFieldType } from '../../schema-engine/field-types/registry';
import { identifierProblem } from '../../schema-engine/identifiers';
import type { CatalogCollection } from '../catalog/catalog.types';

const OPTION_KEYS = new Set([
  'values',
  'precision',
  'scale',
  'max_length',
  'bucket',
  'delete_files_with_record',
]);

const fail = (field: string, rule: string, message: string) =>
  AppError.validation(message, [{ field, rule, message }]);

/** A field name must be an identifier, not a system column, and free in the collection (soft-deleted included). */
export function assertFreeFieldName(
  c: CatalogCollection,
  name: string,
  ignoreFieldId?: string,
): void {
  const problem = identifierProblem(name);
  if (problem) throw fail('name', 'identifier', `Invalid field name '${name}': ${problem}`);
  if ((SYSTEM_COLUMNS as readonly string[]).includes(name)) {
    throw fail('name', 'reserved', `'${name}' is a system column of every collection`);
  }
  for (const f of c.meta.fields) {
    if (f.id === ignoreFieldId) continue;
    if (f.name === name || f.column === name) {
      // The original's answer for the `_users` system fields (email, password_hash, …).
      if (f.isSystem)
        throw AppError.badRequest(`Field '${name}' is a system field and cannot be modified.`);
      throw AppError.conflict(
        f.isDeleted
          ? `A soft-deleted field already uses the name '${name}'; restore or hard-delete it first`
          : `Field with this name already exists`,
      );
    }
  }
}

export function checkOptions(type: FieldTypeName, options: FieldOptions | undefined): FieldOptions {
  const opts = options ?? {};
  for (const key of Object.keys(opts)) {
    if (!OPTION_KEYS.has(key))
      throw fail(`options.${key}`, 'unknown_option', `Unknown option: ${key}`);
  }
  const problem = getFieldType(type).validateOptions(opts);
  if (problem) throw fail('options', 'invalid', problem);
  return opts;
}

/** Validates a default by the field's type and returns its canonical text, or null. */
export function castDefault(
  type: FieldTypeName,
  options: FieldOptions,
  value: unknown,
): string | null {
  if (value === undefined || value === null) return null;
  if (type === 'relation' || type === 'file') {
    throw fail('default_value', 'unsupported', `Fields of type ${type} cannot have a default`);
  }
  const def = getFieldType(type);
  let result = def.parse(value, options);
  if (!result.ok && typeof value === 'string') result = def.parseQuery(value, options);
  if (!result.ok) throw fail('default_value', 'type', `default_value: ${result.message}`);
  const parsed = result.value;
  if (parsed === null || parsed === undefined) return null;
  return typeof parsed === 'string'
    ? parsed
    : typeof parsed === 'object'
      ? JSON.stringify(parsed)
      : String(parsed);
}

export function findField(
  c: CatalogCollection,
  name: string,
  opts: { includeDeleted?: boolean } = {},
): FieldMeta {
  const f = c.meta.fields.find((x) => x.name === name && (opts.includeDeleted || !x.isDeleted));
  if (!f) throw AppError.notFound('Field');
  return f;
}
