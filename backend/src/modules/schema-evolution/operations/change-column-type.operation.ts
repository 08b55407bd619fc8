import type { FieldMeta } from '../../../schema-engine/catalog.types';
import type { FieldOptions, FieldTypeName } from '../../../schema-engine/field-types/field-type';
import { normalizeFieldTypeName } from '../../../schema-engine/field-types/registry';
import { castDefault, checkOptions } from '../../fields/field-rules';
import type { SafeConversionDto } from '../dto/schema-evolution.dto';
import {
  bad,
  findField,
  replaceField,
  str,
  type EvolutionOperationDefinition,
} from './evolution-operation';

/** Conversions PostgreSQL performs without losing or rejecting well-formed values. */
const SAFE_BASE: SafeConversionDto[] = [
  { from: 'int', to: 'float', description: 'Integer to floating point' },
  { from: 'int', to: 'decimal', description: 'Integer to fixed-point decimal' },
  { from: 'string', to: 'text', description: 'String to unlimited text' },
  { from: 'date', to: 'datetime', description: 'Date to timestamp (midnight UTC)' },
];
const TO_TEXT_SOURCES: FieldTypeName[] = [
  'string',
  'text',
  'int',
  'float',
  'decimal',
  'bool',
  'date',
  'datetime',
  'uuid',
  'json',
  'enum',
  'file',
];
export const SAFE_CONVERSIONS: SafeConversionDto[] = [
  ...SAFE_BASE,
  ...TO_TEXT_SOURCES.flatMap((from) =>
    (['string', 'text'] as const)
      .filter((to) => to !== from && !SAFE_BASE.some((s) => s.from === from && s.to === to))
      .map((to) => ({ from, to, description: `Any value to its text form (${from} to ${to})` })),
  ),
];

const isSafe = (from: string, to: string) =>
  SAFE_CONVERSIONS.some((s) => s.from === from && s.to === to);

interface ChangeColumnTypeInput {
  fieldId: string;
  newTypeName: string;
  /** Unchecked until the conversion itself is known to be allowed. */
  rawOptions: unknown;
}

/** `change_field_type`: converts the column in place, for the safe conversions only. */
export const CHANGE_COLUMN_TYPE_OPERATION: EvolutionOperationDefinition<
  'change_column_type',
  ChangeColumnTypeInput
> = {
  type: 'change_column_type',
  parse(params) {
    const fieldId = str(params.field_id);
    const newTypeName = str(params.new_type);
    if (!fieldId || !newTypeName) throw bad('field_id and new_type are required');
    return { fieldId, newTypeName, rawOptions: params.options };
  },
  plan({ collection: c }, { fieldId, newTypeName, rawOptions }) {
    const f = findField(c, fieldId);
    if (f.isSystem) throw bad(`Field '${f.name}' is a system field and its type cannot change`);
    const newType = normalizeFieldTypeName(newTypeName);
    if (!newType) throw bad(`Invalid field type: ${newTypeName}`);
    const optionsChanged = rawOptions !== undefined;
    if (newType === f.type && !optionsChanged) throw bad('New type is the same as current type');
    if (newType !== f.type && !isSafe(f.type, newType)) {
      throw bad(
        `Unsafe type conversion from ${f.type} to ${newType}. Use the migration wizard for complex conversions.`,
      );
    }
    if (newType === f.type && f.type !== 'string' && f.type !== 'decimal') {
      throw bad('New type is the same as current type');
    }
    if (
      rawOptions !== undefined &&
      (typeof rawOptions !== 'object' || rawOptions === null || Array.isArray(rawOptions))
    ) {
      throw bad('options must be an object');
    }
    const options = checkOptions(newType, rawOptions as FieldOptions | undefined);
    const next: FieldMeta = {
      ...f,
      type: newType,
      options,
      defaultValue: castDefault(newType, options, f.defaultValue),
    };
    return {
      after: replaceField(c, next),
      warnings: [
        'Existing values are converted; the change fails and nothing changes if one cannot be',
      ],
      writeMetadata: (meta) => meta.updateField(next),
      details: () => ({
        field_id: f.id,
        field_name: f.name,
        old_type: f.type,
        new_type: newType,
      }),
    };
  },
};
