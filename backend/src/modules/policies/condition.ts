import type { FieldError } from '../../common/errors/app-error';
import type { FilterOperator } from '../../schema-engine/field-types/field-type';
import type { CollectionMeta } from '../../schema-engine/catalog.types';
import { resolveColumn, type ResolvedColumn } from '../../query-engine/field-resolver';
import { isConcealedField } from '../access/concealed-fields';

/** Principal-bound values a condition may compare against; resolved per request. */
export const CONDITION_VARIABLES = [
  '$current_user_id',
  '$current_app_user_id',
  '$current_user_roles',
  '$current_user_email',
  '$now',
] as const;
export type ConditionVariable = (typeof CONDITION_VARIABLES)[number];

/** Console operators → query-engine operators. `$starts_with`/`$ends_with` are the console builder's spellings. */
const CONSOLE_OPERATORS: Readonly<Record<string, PolicyOp>> = {
  $eq: 'eq',
  $neq: 'neq',
  $gt: 'gt',
  $gte: 'gte',
  $lt: 'lt',
  $lte: 'lte',
  $in: 'in',
  $nin: 'notin',
  $contains: 'contains',
  $startswith: 'startswith',
  $starts_with: 'startswith',
  $endswith: 'endswith',
  $ends_with: 'endswith',
  $isnull: 'isnull',
};

export type PolicyOp = Extract<
  FilterOperator,
  | 'eq'
  | 'neq'
  | 'gt'
  | 'gte'
  | 'lt'
  | 'lte'
  | 'in'
  | 'notin'
  | 'contains'
  | 'startswith'
  | 'endswith'
  | 'isnull'
>;

/** A comparison's right-hand side: a parsed constant, a list of them, or a variable. */
export type Operand =
  | { kind: 'value'; value: unknown }
  | { kind: 'list'; values: unknown[] }
  | { kind: 'var'; name: ConditionVariable };

/** A validated condition: field keys resolved against the collection, values parsed by field type. */
export type Condition =
  | { t: 'and' | 'or'; items: Condition[] }
  | { t: 'not'; item: Condition }
  | { t: 'authenticated' }
  | {
      t: 'cmp';
      /** The public name (field name or system column), as FilterAst leaves address it. */
      field: string;
      /** The SQL column, for rows keyed by column (e.g. `author_id` of relation `author`). */
      column: string;
      fieldType: string;
      op: PolicyOp;
      operand: Operand;
    };

export const MAX_CONDITION_DEPTH = 10;
export const MAX_CONDITION_NODES = 100;

const ORIGINAL_TYPES = [
  'authenticated',
  'owner',
  'app_user_owner',
  'field_equals',
  'and',
  'or',
  'not',
];
/** `field_equals` values the original read as principal references. */
const ORIGINAL_VALUE_REFS: Readonly<Record<string, ConditionVariable>> = {
  'principal.user_id': '$current_user_id',
  'principal.app_user_id': '$current_app_user_id',
  'principal.email': '$current_user_email',
};

/** Field types each scalar variable can be compared with. */
const VARIABLE_TYPES: Readonly<
  Record<Exclude<ConditionVariable, '$current_user_roles'>, string[]>
> = {
  $current_user_id: ['string', 'text', 'uuid', 'relation'],
  $current_app_user_id: ['string', 'text', 'uuid', 'relation'],
  $current_user_email: ['string', 'text'],
  $now: ['datetime', 'date'],
};

export class ConditionError extends Error {
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => e.message).join('; '));
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isVariable(value: unknown): value is ConditionVariable {
  return typeof value === 'string' && (CONDITION_VARIABLES as readonly string[]).includes(value);
}

/**
 * Validates a policy condition against a collection (fail closed: anything not understood is an
 * error) and returns its normalised form. Accepts the original `{type: …}` forms and the console's
 * `{field: value | {$op: value}, $and?, $or?, $not?}` form. Throws `ConditionError`.
 */
export function parseCondition(raw: unknown, collection: CollectionMeta): Condition {
  const errors: FieldError[] = [];
  let nodes = 0;
  const fail = (path: string, rule: string, message: string): null => {
    errors.push({ field: path, rule, message });
    return null;
  };

  const column = (name: unknown, path: string): ResolvedColumn | null => {
    if (typeof name !== 'string' || name === '')
      return fail(path, 'invalid_field', 'field must be a non-empty string');
    // Hidden and secret fields are refused: which rows a condition admits would leak their values.
    if (isConcealedField(collection, name))
      return fail(
        path,
        'hidden_field',
        `Field '${name}' is hidden and cannot be used in a policy condition`,
      );
    const col = resolveColumn(collection, name);
    if (!col)
      return fail(
        path,
        'unknown_field',
        `Unknown field '${name}' in collection '${collection.name}'`,
      );
    return col;
  };

  const parseScalar = (
    col: ResolvedColumn,
    value: unknown,
    path: string,
  ): { ok: boolean; value?: unknown } => {
    if (value === null || value === undefined) {
      fail(path, 'invalid_value', `Value for '${col.key}' must not be null`);
      return { ok: false };
    }
    let parsed = col.type.parse(value, col.options);
    if (!parsed.ok && typeof value === 'string') parsed = col.type.parseQuery(value, col.options);
    if (!parsed.ok || parsed.value === null) {
      fail(
        path,
        'invalid_value',
        `Invalid value for '${col.key}': ${parsed.ok ? 'must not be null' : parsed.message}`,
      );
      return { ok: false };
    }
    return { ok: true, value: parsed.value };
  };

  const cmp = (
    col: ResolvedColumn,
    op: PolicyOp,
    rawValue: unknown,
    path: string,
  ): Condition | null => {
    if (!col.type.operators.includes(op))
      return fail(
        path,
        'operator_not_allowed',
        `Operator '${op}' is not allowed on '${col.key}' (${col.type.name})`,
      );
    const base = {
      t: 'cmp' as const,
      field: col.key,
      column: col.column,
      fieldType: col.type.name,
      op,
    };
    if (op === 'isnull') {
      if (typeof rawValue !== 'boolean')
        return fail(path, 'invalid_value', '$isnull takes true or false');
      return { ...base, operand: { kind: 'value', value: rawValue } };
    }
    if (isVariable(rawValue)) {
      if (rawValue === '$current_user_roles') {
        if (op !== 'in' && op !== 'notin')
          return fail(
            path,
            'invalid_variable',
            '$current_user_roles is a list: use it with $in or $nin',
          );
        if (!['string', 'text', 'enum'].includes(col.type.name))
          return fail(
            path,
            'invalid_variable',
            `$current_user_roles cannot be compared with '${col.key}' (${col.type.name})`,
          );
        return { ...base, operand: { kind: 'var', name: rawValue } };
      }
      if (op === 'in' || op === 'notin')
        return fail(path, 'invalid_variable', `${rawValue} is a single value: use $eq or $neq`);
      if (!VARIABLE_TYPES[rawValue].includes(col.type.name))
        return fail(
          path,
          'invalid_variable',
          `${rawValue} cannot be compared with '${col.key}' (${col.type.name})`,
        );
      if (rawValue !== '$now' && !['eq', 'neq', 'contains', 'startswith', 'endswith'].includes(op))
        return fail(
          path,
          'invalid_variable',
          `${rawValue} takes $eq, $neq, $contains, $startswith or $endswith`,
        );
      return { ...base, operand: { kind: 'var', name: rawValue } };
    }
    if (typeof rawValue === 'string' && rawValue.startsWith('$'))
      return fail(path, 'unknown_variable', `Unknown variable '${rawValue}'`);
    if (op === 'in' || op === 'notin') {
      if (!Array.isArray(rawValue) || rawValue.length === 0 || rawValue.length > 1000)
        return fail(
          path,
          'invalid_value',
          `$${op === 'in' ? 'in' : 'nin'} takes a list of 1 to 1000 values`,
        );
      const values: unknown[] = [];
      for (const [i, item] of rawValue.entries()) {
        const r = parseScalar(col, item, `${path}[${i}]`);
        if (!r.ok) return null;
        values.push(r.value);
      }
      return { ...base, operand: { kind: 'list', values } };
    }
    if (op === 'contains' || op === 'startswith' || op === 'endswith') {
      if (typeof rawValue !== 'string' || rawValue.includes('\u0000'))
        return fail(path, 'invalid_value', `$${op} takes a string`);
      return { ...base, operand: { kind: 'value', value: rawValue } };
    }
    if (rawValue === null && (op === 'eq' || op === 'neq')) {
      return { ...base, op: 'isnull', operand: { kind: 'value', value: op === 'eq' } };
    }
    if (typeof rawValue === 'object' && rawValue !== null)
      return fail(path, 'invalid_value', `Value for '${col.key}' must be a scalar`);
    const r = parseScalar(col, rawValue, path);
    return r.ok ? { ...base, operand: { kind: 'value', value: r.value } } : null;
  };

  const list = (value: unknown, path: string, depth: number): Condition[] | null => {
    if (!Array.isArray(value) || value.length === 0)
      return fail(path, 'invalid_condition', 'must be a non-empty list of conditions');
    const items = value.map((v, i) => visit(v, `${path}[${i}]`, depth + 1));
    return items.every((c): c is Condition => c !== null) ? items : null;
  };

  const original = (
    node: Record<string, unknown>,
    path: string,
    depth: number,
  ): Condition | null => {
    const type = node.type;
    const allowedKeys: Record<string, string[]> = {
      authenticated: ['type'],
      owner: ['type', 'field'],
      app_user_owner: ['type', 'field'],
      field_equals: ['type', 'field', 'value'],
      and: ['type', 'conditions'],
      or: ['type', 'conditions'],
      not: ['type', 'condition'],
    };
    if (typeof type !== 'string' || !ORIGINAL_TYPES.includes(type))
      return fail(`${path}.type`, 'unknown_type', `Unknown condition type '${String(type)}'`);
    const extra = Object.keys(node).filter((k) => !allowedKeys[type].includes(k));
    if (extra.length > 0)
      return fail(
        path,
        'unknown_key',
        `Unknown key(s) ${extra.map((k) => `'${k}'`).join(', ')} for type '${type}'`,
      );
    switch (type) {
      case 'authenticated':
        return { t: 'authenticated' };
      case 'owner':
      case 'app_user_owner': {
        const col = column(node.field ?? 'created_by_app_user_id', `${path}.field`);
        return col ? cmp(col, 'eq', '$current_user_id', path) : null;
      }
      case 'field_equals': {
        const col = column(node.field, `${path}.field`);
        if (!col) return null;
        if (!('value' in node))
          return fail(`${path}.value`, 'required', 'field_equals needs a value');
        const ref = typeof node.value === 'string' ? ORIGINAL_VALUE_REFS[node.value] : undefined;
        return cmp(col, 'eq', ref ?? node.value, `${path}.value`);
      }
      case 'and':
      case 'or': {
        const items = list(node.conditions, `${path}.conditions`, depth);
        return items ? { t: type, items } : null;
      }
      default: {
        const item = visit(node.condition, `${path}.condition`, depth + 1);
        return item ? { t: 'not', item } : null;
      }
    }
  };

  const consoleForm = (
    node: Record<string, unknown>,
    path: string,
    depth: number,
  ): Condition | null => {
    const parts: Condition[] = [];
    let failed = false;
    for (const [key, value] of Object.entries(node)) {
      const at = `${path}.${key}`;
      let part: Condition | null;
      if (key === '$and' || key === '$or') {
        const items = list(value, at, depth);
        part = items ? { t: key === '$and' ? 'and' : 'or', items } : null;
      } else if (key === '$not') {
        const item = visit(value, at, depth + 1);
        part = item ? { t: 'not', item } : null;
      } else if (key.startsWith('$')) {
        part = fail(at, 'unknown_operator', `Unknown operator '${key}'`);
      } else {
        part = field(key, value, at);
      }
      if (part) parts.push(part);
      else failed = true;
    }
    if (failed) return null;
    if (parts.length === 0)
      return fail(path, 'invalid_condition', 'An empty condition is not allowed');
    return parts.length === 1 ? parts[0] : { t: 'and', items: parts };
  };

  const field = (name: string, value: unknown, path: string): Condition | null => {
    const col = column(name, path);
    if (!col) return null;
    if (!isPlainObject(value)) return cmp(col, 'eq', value, path);
    const entries = Object.entries(value);
    if (entries.length === 0)
      return fail(path, 'invalid_condition', `No operator given for '${name}'`);
    const parts: Condition[] = [];
    for (const [opKey, opValue] of entries) {
      const op = Object.prototype.hasOwnProperty.call(CONSOLE_OPERATORS, opKey)
        ? CONSOLE_OPERATORS[opKey]
        : undefined;
      if (!op) {
        fail(`${path}.${opKey}`, 'unknown_operator', `Unknown operator '${opKey}'`);
        return null;
      }
      const part = cmp(col, op, opValue, `${path}.${opKey}`);
      if (!part) return null;
      parts.push(part);
    }
    return parts.length === 1 ? parts[0] : { t: 'and', items: parts };
  };

  const visit = (node: unknown, path: string, depth: number): Condition | null => {
    nodes += 1;
    if (depth > MAX_CONDITION_DEPTH)
      return fail(path, 'too_deep', `Conditions nest at most ${MAX_CONDITION_DEPTH} levels`);
    if (nodes > MAX_CONDITION_NODES)
      return fail(path, 'too_large', `Conditions have at most ${MAX_CONDITION_NODES} nodes`);
    if (!isPlainObject(node))
      return fail(path, 'invalid_condition', 'A condition must be a JSON object');
    return 'type' in node ? original(node, path, depth) : consoleForm(node, path, depth);
  };

  const result = visit(raw, 'condition', 1);
  if (!result || errors.length > 0) {
    if (errors.length === 0)
      errors.push({ field: 'condition', rule: 'invalid_condition', message: 'Invalid condition' });
    throw new ConditionError(errors);
  }
  return result;
}

/** The condition text as sent: a JSON string (`condition_json`) or an object (`condition`). */
export function conditionFromJsonText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ConditionError([
      { field: 'condition_json', rule: 'invalid_json', message: 'Invalid condition JSON' },
    ]);
  }
}

/** Variables a condition uses, so the caller resolves only what is needed (e.g. the email lookup). */
export function usesVariable(condition: Condition, name: ConditionVariable): boolean {
  switch (condition.t) {
    case 'and':
    case 'or':
      return condition.items.some((c) => usesVariable(c, name));
    case 'not':
      return usesVariable(condition.item, name);
    case 'cmp':
      return condition.operand.kind === 'var' && condition.operand.name === name;
    default:
      return false;
  }
}
