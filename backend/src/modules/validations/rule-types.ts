import { z } from 'zod';
import type { FieldMeta } from '../../schema-engine/catalog.types';
import type { FieldTypeName } from '../../schema-engine/field-types/field-type';
import { compileDateFormat } from './date-format';
import { compilePattern, MAX_PATTERN_LENGTH, MAX_PROGRAM_SIZE, MAX_REPEAT } from './pattern';

export const RULE_TYPES = [
  'min_length',
  'max_length',
  'regex',
  'custom_regex',
  'email',
  'url',
  'uuid',
  'min_value',
  'max_value',
  'range',
  'enum',
  'not_empty',
  'date_format',
  'required_if',
] as const;
export type RuleType = (typeof RULE_TYPES)[number];

const STRING_TYPES: FieldTypeName[] = ['string', 'text'];
const NUMERIC_TYPES: FieldTypeName[] = ['int', 'float', 'decimal'];
const ALL_TYPES: FieldTypeName[] = [
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
  'relation',
];

/** How the console renders a config input (the original's `config_schema` vocabulary). */
type ConsoleKind = 'int' | 'number' | 'str' | 'list' | 'any';

export interface RuleTypeInfo {
  type: RuleType;
  applies_to: FieldTypeName[];
  config_schema: Record<string, ConsoleKind>;
  required_config: string[];
  default_message: string;
  description: string;
}

const finite = z.number().finite();
const count = z.number().int().min(0).max(10_485_760);
const scalar = z.union([z.string().max(1000), finite, z.boolean(), z.null()]);
const flags = z
  .string()
  .max(3)
  .regex(/^[ims]*$/, 'flags may only contain i, m and s');
const pattern = z
  .string()
  .min(1)
  .max(MAX_PATTERN_LENGTH, `pattern is longer than ${MAX_PATTERN_LENGTH} characters`);

/** Config schemas by rule type: strict objects, so unknown keys are refused at save. */
export const CONFIG_SCHEMAS: Record<RuleType, z.ZodTypeAny> = {
  min_length: z.object({ min: count }).strict(),
  max_length: z.object({ max: count }).strict(),
  regex: z.object({ pattern, flags: flags.optional() }).strict(),
  custom_regex: z.object({ pattern, flags: flags.optional() }).strict(),
  email: z.object({}).strict(),
  url: z.object({}).strict(),
  uuid: z.object({}).strict(),
  min_value: z.object({ min: finite }).strict(),
  max_value: z.object({ max: finite }).strict(),
  range: z
    .object({ min: finite, max: finite })
    .strict()
    .refine((c) => c.min <= c.max, { message: 'min must not be greater than max', path: ['min'] }),
  enum: z
    .object({
      values: z
        .array(z.union([z.string().max(1000), finite]))
        .min(1)
        .max(1000),
    })
    .strict(),
  not_empty: z.object({}).strict(),
  date_format: z.object({ format: z.string().min(1).max(100).optional() }).strict(),
  required_if: z
    .object({
      field: z.string().min(1).max(63),
      equals: scalar.optional(),
      in: z.array(scalar).min(1).max(1000).optional(),
    })
    .strict()
    .refine((c) => (c.equals === undefined) !== (c.in === undefined), {
      message: 'give exactly one of equals or in',
      path: ['equals'],
    }),
};

export const RULE_TYPE_INFO: Record<RuleType, RuleTypeInfo> = {
  min_length: info(
    'min_length',
    STRING_TYPES,
    { min: 'int' },
    ['min'],
    'Must be at least {min} characters',
    'Text length (in characters) at least min',
  ),
  max_length: info(
    'max_length',
    STRING_TYPES,
    { max: 'int' },
    ['max'],
    'Must be at most {max} characters',
    'Text length (in characters) at most max',
  ),
  regex: info(
    'regex',
    STRING_TYPES,
    { pattern: 'str', flags: 'str' },
    ['pattern'],
    'Does not match required pattern',
    `Pattern must match at the start of the value (add $ to match all of it); matched by RE2: no backreferences or lookaround; at most ${MAX_PATTERN_LENGTH} characters, {n,m} counts up to ${MAX_REPEAT}, ${MAX_PROGRAM_SIZE} compiled instructions; flags i, m, s`,
  ),
  custom_regex: info(
    'custom_regex',
    STRING_TYPES,
    { pattern: 'str', flags: 'str' },
    ['pattern'],
    'Does not match required pattern',
    'Same as regex',
  ),
  email: info('email', STRING_TYPES, {}, [], 'Invalid email format', 'An email address'),
  url: info('url', STRING_TYPES, {}, [], 'Invalid URL format', 'An http or https URL'),
  uuid: info('uuid', STRING_TYPES, {}, [], 'Invalid UUID format', 'A UUID in 8-4-4-4-12 hex form'),
  min_value: info(
    'min_value',
    NUMERIC_TYPES,
    { min: 'number' },
    ['min'],
    'Must be at least {min}',
    'Number at least min',
  ),
  max_value: info(
    'max_value',
    NUMERIC_TYPES,
    { max: 'number' },
    ['max'],
    'Must be at most {max}',
    'Number at most max',
  ),
  range: info(
    'range',
    NUMERIC_TYPES,
    { min: 'number', max: 'number' },
    ['min', 'max'],
    'Must be between {min} and {max}',
    'min ≤ number ≤ max',
  ),
  enum: info(
    'enum',
    [...STRING_TYPES, ...NUMERIC_TYPES, 'enum'],
    { values: 'list' },
    ['values'],
    'Must be one of: {values}',
    'One of the listed values',
  ),
  not_empty: info('not_empty', STRING_TYPES, {}, [], 'Cannot be empty', 'Not blank after trimming'),
  date_format: info(
    'date_format',
    STRING_TYPES,
    { format: 'str' },
    [],
    'Invalid date format, expected {format}',
    'strptime-style format (%Y %y %m %d %H %I %M %S %f %p %b %B %j %z %%), default %Y-%m-%d',
  ),
  required_if: info(
    'required_if',
    ALL_TYPES,
    { field: 'str', equals: 'any', in: 'list' },
    ['field'],
    'Required when {field} is {condition}',
    'Required (not null or blank) when another field equals a value, or is in a list',
  ),
};

function info(
  type: RuleType,
  applies_to: FieldTypeName[],
  config_schema: Record<string, ConsoleKind>,
  required_config: string[],
  default_message: string,
  description: string,
): RuleTypeInfo {
  return { type, applies_to, config_schema, required_config, default_message, description };
}

export const isRuleType = (t: string): t is RuleType =>
  (RULE_TYPES as readonly string[]).includes(t);

/** The field's type for rule purposes; only many-to-one relations hold a value. */
export function ruleAppliesTo(type: RuleType, field: FieldMeta): boolean {
  if (field.type === 'relation' && field.relation?.kind !== 'many_to_one') return false;
  return RULE_TYPE_INFO[type].applies_to.includes(field.type);
}

export interface ConfigProblem {
  field: string;
  rule: string;
  message: string;
}

/** Parses a stored or submitted config; returns the normalised config or the problems. */
export function parseConfig(
  type: RuleType,
  config: unknown,
): { ok: true; config: Record<string, unknown> } | { ok: false; problems: ConfigProblem[] } {
  const parsed = CONFIG_SCHEMAS[type].safeParse(config ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => ({
        field: ['config', ...i.path].join('.'),
        rule: i.code,
        message: i.message,
      })),
    };
  }
  const cfg = parsed.data as Record<string, unknown>;
  const problems: ConfigProblem[] = [];
  if (type === 'regex' || type === 'custom_regex') {
    try {
      compilePattern(cfg.pattern as string, (cfg.flags as string | undefined) ?? '', true);
    } catch (e) {
      problems.push({
        field: 'config.pattern',
        rule: 'regex',
        message: `Invalid pattern: ${(e as Error).message}`,
      });
    }
  }
  if (type === 'date_format') {
    try {
      compileDateFormat((cfg.format as string | undefined) ?? '%Y-%m-%d');
    } catch (e) {
      problems.push({ field: 'config.format', rule: 'date_format', message: (e as Error).message });
    }
  }
  return problems.length ? { ok: false, problems } : { ok: true, config: cfg };
}

/** System secrets such as `_users.password_hash` take no rules and are never named in them. */
export const isSecretField = (f: FieldMeta) => f.isSystem && f.isHidden;

/** Config checks that need the field and its collection (value types, referenced fields). */
export function fieldConfigProblems(
  type: RuleType,
  config: Record<string, unknown>,
  field: FieldMeta,
  fields: readonly FieldMeta[],
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (type === 'enum') {
    const values = config.values as (string | number)[];
    const textual = field.type === 'string' || field.type === 'text' || field.type === 'enum';
    values.forEach((v, i) => {
      const ok = textual
        ? typeof v === 'string'
        : typeof v === 'number' && (field.type !== 'int' || Number.isInteger(v));
      if (!ok) {
        problems.push({
          field: `config.values.${i}`,
          rule: 'type',
          message: `Values for a ${field.type} field must be ${textual ? 'strings' : field.type === 'int' ? 'integers' : 'numbers'}`,
        });
      } else if (field.type === 'enum' && !(field.options.values ?? []).includes(v as string)) {
        problems.push({
          field: `config.values.${i}`,
          rule: 'enum',
          message: `'${String(v)}' is not one of the field's values`,
        });
      }
    });
  }
  if (type === 'required_if') {
    const other = fields.find((f) => f.name === config.field && !f.isDeleted && !isSecretField(f));
    if (!other) {
      problems.push({
        field: 'config.field',
        rule: 'exists',
        message: `Field '${String(config.field)}' not found in this collection`,
      });
    } else if (other.id === field.id) {
      problems.push({
        field: 'config.field',
        rule: 'other_field',
        message: 'required_if must name another field',
      });
    }
  }
  return problems;
}
