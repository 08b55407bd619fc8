import { AppError, type FieldError } from '../../common/errors/app-error';
import type { CollectionMeta, FieldMeta } from '../../schema-engine/catalog.types';
import { SYSTEM_COLUMNS } from '../../schema-engine/catalog.types';
import { getFieldType } from '../../schema-engine/field-types/registry';
import type { CatalogLookup } from '../../query-engine/field-resolver';
import { isSecretSystemField } from '../access/concealed-fields';

export interface ParsedWrite {
  /** Column → bind value, already parsed by the field's type. */
  values: Record<string, unknown>;
  /** Many-to-many fields to replace, with their target ids. */
  sets: { field: FieldMeta; ids: unknown[]; targetIdType: 'bigint' | 'uuid' }[];
  /** Field name → the JSON value as given (for validation rules). */
  byName: Record<string, unknown>;
}

const MAX_SET = 1000;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function findField(
  collection: CollectionMeta,
  key: string,
  aliases?: ReadonlyMap<string, string>,
): FieldMeta | undefined {
  const name = aliases?.get(key) ?? key;
  return (
    collection.fields.find((f) => f.name === name) ??
    collection.fields.find((f) => f.column === name && f.type === 'relation')
  );
}

/** Turns a JSON body into typed column values; every problem is reported at once as a 400. */
export function parseWritePayload(
  collection: CollectionMeta,
  body: unknown,
  mode: 'create' | 'update',
  catalog: CatalogLookup,
  aliases?: ReadonlyMap<string, string>,
  /** CSV cells: text parsed as a query value would be; empty cells are null. */
  textInput = false,
): ParsedWrite {
  if (!isPlainObject(body)) {
    throw AppError.validation('The request body must be a JSON object', [
      { field: '', rule: 'type', message: 'The request body must be a JSON object' },
    ]);
  }
  const errors: FieldError[] = [];
  const out: ParsedWrite = { values: {}, sets: [], byName: {} };
  for (const [key, raw] of Object.entries(body)) {
    if ((SYSTEM_COLUMNS as readonly string[]).includes(key)) {
      errors.push({ field: key, rule: 'read_only', message: `Field ${key} is set by the server` });
      continue;
    }
    const field = findField(collection, key, aliases);
    // Hidden fields are writable (as in the original) but never returned; secrets are not data.
    if (!field || isSecretSystemField(field)) {
      errors.push({ field: key, rule: 'unknown_field', message: `Unknown field: ${key}` });
      continue;
    }
    if (field.isDeleted) {
      errors.push({
        field: key,
        rule: 'read_only',
        message: `Field ${key} is deleted and read-only`,
      });
      continue;
    }
    if (field.name in out.byName) {
      errors.push({
        field: key,
        rule: 'duplicate_field',
        message: `Field ${field.name} is given twice`,
      });
      continue;
    }
    out.byName[field.name] = raw;
    if (field.type === 'relation' && field.relation) {
      const target = catalog.getCollection(field.relation.targetCollectionId);
      const idType = target?.idType ?? 'bigint';
      const idDef = getFieldType(idType === 'uuid' ? 'uuid' : 'int');
      if (field.relation.kind === 'many_to_many') {
        if (!Array.isArray(raw) || raw.length > MAX_SET) {
          errors.push({
            field: field.name,
            rule: 'type',
            message: `${field.name} must be an array of at most ${MAX_SET} ids`,
          });
          continue;
        }
        const ids: unknown[] = [];
        for (const item of raw) {
          const parsed = idDef.parse(item, {});
          if (!parsed.ok || parsed.value === null) {
            errors.push({
              field: field.name,
              rule: 'type',
              message: `${field.name} must contain record ids`,
            });
            break;
          }
          ids.push(parsed.value);
        }
        out.sets.push({ field, ids, targetIdType: idType });
        continue;
      }
      if (field.relation.kind !== 'many_to_one') {
        errors.push({
          field: key,
          rule: 'read_only',
          message: `${key} is the reverse side of a relation`,
        });
        continue;
      }
      if (raw === null || (textInput && raw === '')) {
        out.values[field.column] = null;
        continue;
      }
      const parsed =
        textInput && typeof raw === 'string' ? idDef.parseQuery(raw, {}) : idDef.parse(raw, {});
      if (!parsed.ok)
        errors.push({
          field: field.name,
          rule: 'type',
          message: `${field.name} must be a record id`,
        });
      else out.values[field.column] = parsed.value;
      continue;
    }
    if (raw === null || (textInput && raw === '')) {
      out.values[field.column] = null;
      continue;
    }
    const def = getFieldType(field.type);
    const parsed =
      textInput && typeof raw === 'string'
        ? def.parseQuery(raw, field.options)
        : def.parse(raw, field.options);
    if (!parsed.ok) {
      errors.push({ field: field.name, rule: 'type', message: `${field.name}: ${parsed.message}` });
      continue;
    }
    let value = parsed.value;
    // App-user emails are unique case-insensitively; the table stores them lower-cased.
    if (
      collection.isSystem &&
      collection.table === '_users' &&
      field.name === 'email' &&
      typeof value === 'string'
    ) {
      value = value.trim().toLowerCase();
    }
    out.values[field.column] = value;
  }
  for (const field of collection.fields) {
    if (!field.isRequired || field.isDeleted || field.isHidden) continue;
    const given = field.column in out.values ? out.values[field.column] : undefined;
    if (mode === 'create' && given === undefined && field.defaultValue === null) {
      errors.push({ field: field.name, rule: 'required', message: `${field.name} is required` });
    } else if (given === null && field.name in out.byName) {
      errors.push({ field: field.name, rule: 'required', message: `${field.name} cannot be null` });
    }
  }
  if (errors.length > 0) {
    throw AppError.validation(errors.map((e) => e.message).join('; '), errors);
  }
  return out;
}
