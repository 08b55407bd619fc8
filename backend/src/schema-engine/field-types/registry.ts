import { BOOL_FIELD_TYPE } from './bool.field-type';
import { DATE_FIELD_TYPE } from './date.field-type';
import { DATETIME_FIELD_TYPE } from './datetime.field-type';
import { DECIMAL_FIELD_TYPE } from './decimal.field-type';
import { ENUM_FIELD_TYPE } from './enum.field-type';
import { FIELD_TYPE_NAMES, type FieldTypeDefinition, type FieldTypeName } from './field-type';
import { FILE_FIELD_TYPE } from './file.field-type';
import { FLOAT_FIELD_TYPE } from './float.field-type';
import { INT_FIELD_TYPE } from './int.field-type';
import { JSON_FIELD_TYPE } from './json.field-type';
import { RELATION_FIELD_TYPE } from './relation.field-type';
import { STRING_FIELD_TYPE } from './string.field-type';
import { TEXT_FIELD_TYPE } from './text.field-type';
import { UUID_FIELD_TYPE } from './uuid.field-type';

const REGISTRY: Readonly<Record<FieldTypeName, FieldTypeDefinition>> = {
  string: STRING_FIELD_TYPE,
  text: TEXT_FIELD_TYPE,
  int: INT_FIELD_TYPE,
  float: FLOAT_FIELD_TYPE,
  decimal: DECIMAL_FIELD_TYPE,
  bool: BOOL_FIELD_TYPE,
  date: DATE_FIELD_TYPE,
  datetime: DATETIME_FIELD_TYPE,
  uuid: UUID_FIELD_TYPE,
  json: JSON_FIELD_TYPE,
  enum: ENUM_FIELD_TYPE,
  file: FILE_FIELD_TYPE,
  relation: RELATION_FIELD_TYPE,
};

const NAMES: ReadonlySet<string> = new Set(FIELD_TYPE_NAMES);
const ALIASES: ReadonlyMap<string, FieldTypeName> = new Map([['boolean', 'bool']]);

export function isFieldTypeName(x: unknown): x is FieldTypeName {
  return typeof x === 'string' && NAMES.has(x);
}

/** Accepts the DESIGN §4 names and `boolean`; anything else is null. */
export function normalizeFieldTypeName(input: string): FieldTypeName | null {
  if (isFieldTypeName(input)) return input;
  return ALIASES.get(input) ?? null;
}

export function getFieldType(name: FieldTypeName): FieldTypeDefinition {
  const definition = isFieldTypeName(name) ? REGISTRY[name] : undefined;
  if (!definition) throw new Error(`unknown field type ${String(name)}`);
  return definition;
}

export function allFieldTypes(): readonly FieldTypeDefinition[] {
  return FIELD_TYPE_NAMES.map((name) => REGISTRY[name]);
}
