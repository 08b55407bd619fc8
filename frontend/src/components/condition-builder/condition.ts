/**
 * The visual condition builder's model and its two-way mapping to the server's console form:
 * `{field: value | {$op: value}, $and: […], $or: […], $not: {…}}`.
 */

export const CONDITION_OPS = [
  { op: '$eq', label: 'equals' },
  { op: '$neq', label: 'does not equal' },
  { op: '$gt', label: 'greater than' },
  { op: '$gte', label: 'at least' },
  { op: '$lt', label: 'less than' },
  { op: '$lte', label: 'at most' },
  { op: '$in', label: 'is one of' },
  { op: '$nin', label: 'is none of' },
  { op: '$contains', label: 'contains' },
  { op: '$startswith', label: 'starts with' },
  { op: '$endswith', label: 'ends with' },
  { op: '$isnull', label: 'is empty' },
] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number]['op'];
const OP_SET = new Set<string>(CONDITION_OPS.map((o) => o.op));
/** Spellings the server also reads; normalised when a stored condition is loaded. */
const OP_ALIASES: Record<string, ConditionOp> = {
  $starts_with: '$startswith',
  $ends_with: '$endswith',
};

export const CONDITION_VARIABLES = [
  { name: '$current_app_user_id', label: 'Current app user ID' },
  { name: '$current_user_id', label: 'Current user ID (admin or app user)' },
  { name: '$current_user_email', label: 'Current user email' },
  { name: '$current_user_roles', label: 'Current user roles (use with is one of)' },
  { name: '$now', label: 'Now' },
] as const;
export type ConditionVariable = (typeof CONDITION_VARIABLES)[number]['name'];
const VARIABLE_SET = new Set<string>(CONDITION_VARIABLES.map((v) => v.name));

export interface RuleNode {
  kind: 'rule';
  id: string;
  field: string;
  op: ConditionOp;
  /** `value` = a literal typed into `value`; otherwise the variable's name. */
  source: 'value' | ConditionVariable;
  value: string;
}

export interface GroupNode {
  kind: 'group';
  id: string;
  mode: 'and' | 'or';
  negate: boolean;
  children: ConditionNode[];
}

export type ConditionNode = RuleNode | GroupNode;

let seq = 0;
export const nodeId = () => `n${++seq}`;

export const emptyGroup = (mode: 'and' | 'or' = 'and'): GroupNode => ({
  kind: 'group',
  id: nodeId(),
  mode,
  negate: false,
  children: [],
});

export const newRule = (field = ''): RuleNode => ({
  kind: 'rule',
  id: nodeId(),
  field,
  op: '$eq',
  source: 'value',
  value: '',
});

/** Field types, by name, used to type literal values (`any` infers numbers and booleans). */
export type FieldTypes = Record<string, string>;

/** `any`: a value of unknown type (a run-context path): numbers and booleans as typed. */
function literal(raw: string, type: string | undefined): unknown {
  const text = raw.trim();
  if (type === 'any') {
    if (text === 'true' || text === 'false') return text === 'true';
    return /^-?(?:\d+\.?\d*|\.\d+)$/.test(text) ? Number(text) : raw;
  }
  if (type === 'int' || type === 'float' || type === 'decimal') {
    return text !== '' && Number.isFinite(Number(text)) ? Number(text) : raw;
  }
  if (type === 'bool') {
    if (text === 'true') return true;
    if (text === 'false') return false;
  }
  return raw;
}

function ruleValue(rule: RuleNode, types: FieldTypes, fallback?: string): unknown {
  if (rule.op === '$isnull') return rule.value !== 'false';
  if (rule.source !== 'value') return rule.source;
  const type = types[rule.field] ?? fallback;
  if (rule.op === '$in' || rule.op === '$nin') {
    return rule.value
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '')
      .map((s) => literal(s, type));
  }
  return literal(rule.value, type);
}

function isFieldObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    !Object.keys(value)[0]!.startsWith('$')
  );
}

/**
 * Builder tree → the server's console form; null when there is nothing to check. `fallback` types
 * the values of fields missing from `types`.
 */
export function toCondition(node: ConditionNode, types: FieldTypes, fallback?: string): unknown {
  if (node.kind === 'rule') {
    return { [node.field]: { [node.op]: ruleValue(node, types, fallback) } };
  }
  const items = node.children
    .map((c) => toCondition(c, types, fallback))
    .filter((c): c is Record<string, unknown> => c !== null);
  if (items.length === 0) return null;
  let inner: Record<string, unknown>;
  if (items.length === 1) inner = items[0]!;
  else if (node.mode === 'and') {
    const keys = items.map((i) => (isFieldObject(i) ? Object.keys(i)[0] : null));
    const distinct = keys.every((k) => k !== null) && new Set(keys).size === keys.length;
    inner = distinct ? Object.assign({}, ...items) : { $and: items };
  } else inner = { $or: items };
  return node.negate ? { $not: inner } : inner;
}

/** Thrown when a stored condition cannot be shown in the builder (e.g. the original `{type}` form). */
export class UnsupportedCondition extends Error {}

function valueToText(value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => valueToText(v)).join(', ');
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function parseField(field: string, value: unknown): RuleNode[] {
  if (value === null) return [{ ...newRule(field), op: '$isnull', value: 'true' }];
  if (typeof value !== 'object' || Array.isArray(value)) {
    if (typeof value === 'string' && VARIABLE_SET.has(value))
      return [{ ...newRule(field), source: value as ConditionVariable }];
    return [{ ...newRule(field), value: valueToText(value) }];
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) throw new UnsupportedCondition('empty operator object');
  return entries.map(([rawOp, v]) => {
    const op = (OP_ALIASES[rawOp] ?? rawOp) as ConditionOp;
    if (!OP_SET.has(op)) throw new UnsupportedCondition(`operator ${rawOp}`);
    if (op === '$isnull') return { ...newRule(field), op, value: v === false ? 'false' : 'true' };
    if (typeof v === 'string' && VARIABLE_SET.has(v))
      return { ...newRule(field), op, source: v as ConditionVariable };
    return { ...newRule(field), op, value: valueToText(v) };
  });
}

function parseNode(raw: unknown): ConditionNode {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new UnsupportedCondition('not an object');
  if ('type' in raw) throw new UnsupportedCondition('original {type} form');
  const parts: ConditionNode[] = [];
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(value)) throw new UnsupportedCondition(`${key} must be a list`);
      parts.push({
        ...emptyGroup(key === '$and' ? 'and' : 'or'),
        children: value.map((v) => parseNode(v)),
      });
    } else if (key === '$not') {
      const inner = parseNode(value);
      parts.push(
        inner.kind === 'group' && !inner.negate
          ? { ...inner, negate: true }
          : { ...emptyGroup(), negate: true, children: [inner] },
      );
    } else if (key.startsWith('$')) {
      throw new UnsupportedCondition(`key ${key}`);
    } else {
      parts.push(...parseField(key, value));
    }
  }
  if (parts.length === 1) return parts[0]!;
  return { ...emptyGroup('and'), children: parts };
}

/** Stored condition → builder tree (always a group at the root). */
export function fromCondition(raw: unknown): GroupNode {
  if (raw === null || raw === undefined) return emptyGroup();
  const node = parseNode(raw);
  return node.kind === 'group' ? node : { ...emptyGroup(), children: [node] };
}

/** Whether every rule names a field (the builder's own check before saving). */
export function incompleteRules(node: ConditionNode): number {
  if (node.kind === 'rule') return node.field ? 0 : 1;
  return node.children.reduce((n, c) => n + incompleteRules(c), 0);
}
