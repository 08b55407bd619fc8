import { MAX_CONDITION_DEPTH, MAX_CONDITION_NODES } from '../../policies/condition';
import { and3, not3, or3, type Truth } from '../../policies/policy-engine';
import { resolvePath, validateTemplatePaths, type TemplateContext } from './template';

/**
 * The policy condition language over a run's context: keys are context paths
 * (`"steps.0.output.status": {"$gte": 200}`), `$and`/`$or`/`$not` combine. Leaves are NULL-safe
 * as in policies: a missing or null value matches only `$neq`, `$nin` and `$isnull: true`.
 */
export const CONTEXT_OPERATORS = {
  $eq: 'eq',
  $neq: 'neq',
  $gt: 'gt',
  $gte: 'gte',
  $lt: 'lt',
  $lte: 'lte',
  $in: 'in',
  $nin: 'notin',
  $contains: 'contains',
  $icontains: 'icontains',
  $startswith: 'startswith',
  $starts_with: 'startswith',
  $endswith: 'endswith',
  $ends_with: 'endswith',
  $between: 'between',
  $isnull: 'isnull',
} as const;
type Op = (typeof CONTEXT_OPERATORS)[keyof typeof CONTEXT_OPERATORS];

/** A condition that cannot be evaluated (it should have been refused at save). */
export class ContextConditionError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'ContextConditionError';
  }
}

const MAX_LIST_VALUES = 1000;
const REFERENCE = /^\{\{\s*([^{}]*?)\s*\}\}$/;
const NUMERIC = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const TIMESTAMP =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

type Node =
  | { t: 'and' | 'or'; items: Node[] }
  | { t: 'not'; item: Node }
  | { t: 'cmp'; path: string; op: Op; operand: unknown };

/**
 * Problems of a context condition, for validation at save; with `opts`, `steps.N` paths must
 * name a step that runs before this one.
 */
export function checkContextCondition(
  cond: unknown,
  opts?: { stepIndex: number; stepCount: number },
): string[] {
  const problems: string[] = [];
  parse(cond, problems, opts ?? { stepIndex: Infinity, stepCount: Infinity });
  return problems;
}

/** Whether the condition holds for the run's context; throws ContextConditionError if malformed. */
export function evaluateContextCondition(cond: unknown, ctx: TemplateContext): boolean {
  const problems: string[] = [];
  const node = parse(cond, problems, { stepIndex: Infinity, stepCount: Infinity });
  if (!node || problems.length > 0) throw new ContextConditionError(problems);
  return evaluate(node, ctx) === true;
}

function parse(
  raw: unknown,
  problems: string[],
  opts: { stepIndex: number; stepCount: number },
): Node | null {
  let nodes = 0;
  const fail = (path: string, message: string): null => {
    problems.push(`${path}: ${message}`);
    return null;
  };
  const bad = (path: string, message: string): false => {
    fail(path, message);
    return false;
  };

  const pathProblems = (path: string, at: string): boolean => {
    const found = validateTemplatePaths(`{{${path}}}`, opts);
    for (const p of found) fail(at, p.replace(/^\{\{.*?\}\}: /, ''));
    return found.length > 0;
  };

  const operand = (op: Op, value: unknown, at: string): boolean => {
    if (typeof value === 'string' && REFERENCE.test(value)) {
      return !pathProblems((REFERENCE.exec(value) as RegExpExecArray)[1], at);
    }
    switch (op) {
      case 'isnull':
        return typeof value === 'boolean' || bad(at, '$isnull takes true or false');
      case 'in':
      case 'notin':
        if (!Array.isArray(value) || value.length === 0 || value.length > MAX_LIST_VALUES) {
          return bad(at, `takes a list of 1 to ${MAX_LIST_VALUES} values`);
        }
        return value.every((v, i) => scalar(v, `${at}[${i}]`));
      case 'between':
        if (!Array.isArray(value) || value.length !== 2) {
          return bad(at, '$between takes a list of two values [low, high]');
        }
        return value.every((v, i) => scalar(v, `${at}[${i}]`, false));
      case 'contains':
      case 'icontains':
      case 'startswith':
      case 'endswith':
        return typeof value === 'string' || bad(at, 'takes a string');
      case 'eq':
      case 'neq':
        return value === null || scalar(value, at);
      default:
        return scalar(value, at, false);
    }
  };

  const scalar = (value: unknown, at: string, booleans = true): boolean => {
    const ok =
      typeof value === 'string' ||
      (typeof value === 'number' && Number.isFinite(value)) ||
      (booleans && typeof value === 'boolean');
    return (
      ok || bad(at, booleans ? 'must be a string, number or boolean' : 'must be a string or number')
    );
  };

  const field = (path: string, value: unknown, at: string): Node | null => {
    if (pathProblems(path, at)) return null;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      if (Array.isArray(value)) return fail(at, 'a list needs an operator ($in, $nin, $between)');
      return operand('eq', value, at) ? { t: 'cmp', path, op: 'eq', operand: value } : null;
    }
    const entries = Object.entries(value);
    if (entries.length === 0) return fail(at, `no operator given for "${path}"`);
    const parts: Node[] = [];
    for (const [key, v] of entries) {
      const op = Object.hasOwn(CONTEXT_OPERATORS, key)
        ? CONTEXT_OPERATORS[key as keyof typeof CONTEXT_OPERATORS]
        : undefined;
      if (!op) {
        fail(`${at}.${key}`, `unknown operator '${key}'`);
        continue;
      }
      if (operand(op, v, `${at}.${key}`)) parts.push({ t: 'cmp', path, op, operand: v });
    }
    if (parts.length !== entries.length) return null;
    return parts.length === 1 ? parts[0] : { t: 'and', items: parts };
  };

  const list = (value: unknown, at: string, depth: number): Node[] | null => {
    if (!Array.isArray(value) || value.length === 0) {
      return fail(at, 'must be a non-empty list of conditions');
    }
    const items = value.map((v, i) => visit(v, `${at}[${i}]`, depth + 1));
    return items.every((n): n is Node => n !== null) ? items : null;
  };

  const visit = (node: unknown, at: string, depth: number): Node | null => {
    nodes += 1;
    if (depth > MAX_CONDITION_DEPTH) {
      return fail(at, `conditions nest at most ${MAX_CONDITION_DEPTH} levels`);
    }
    if (nodes > MAX_CONDITION_NODES) {
      return fail(at, `conditions have at most ${MAX_CONDITION_NODES} nodes`);
    }
    if (node === null || typeof node !== 'object' || Array.isArray(node)) {
      return fail(at, 'a condition must be a JSON object');
    }
    const parts: (Node | null)[] = [];
    for (const [key, value] of Object.entries(node)) {
      const here = `${at}.${key}`;
      if (key === '$and' || key === '$or') {
        const items = list(value, here, depth);
        parts.push(items && { t: key === '$and' ? 'and' : 'or', items });
      } else if (key === '$not') {
        const item = visit(value, here, depth + 1);
        parts.push(item && { t: 'not', item });
      } else if (key.startsWith('$')) {
        parts.push(fail(here, `unknown operator '${key}'`));
      } else {
        parts.push(field(key, value, here));
      }
    }
    if (parts.length === 0) return fail(at, 'an empty condition is not allowed');
    if (!parts.every((p): p is Node => p !== null)) return null;
    return parts.length === 1 ? parts[0] : { t: 'and', items: parts };
  };

  return visit(raw, 'condition', 1);
}

function evaluate(node: Node, ctx: TemplateContext): Truth {
  switch (node.t) {
    case 'and':
      return node.items.reduce<Truth>((acc, n) => and3(acc, evaluate(n, ctx)), true);
    case 'or':
      return node.items.reduce<Truth>((acc, n) => or3(acc, evaluate(n, ctx)), false);
    case 'not':
      return not3(evaluate(node.item, ctx));
    default:
      return leaf(node, ctx);
  }
}

function leaf(node: Extract<Node, { t: 'cmp' }>, ctx: TemplateContext): boolean {
  const value = present(resolvePath(ctx, node.path));
  const operand = dereference(node.operand, ctx);
  if (node.op === 'isnull') return (value === null) === (operand === true);
  // `{"path": null}` (or a reference to a missing value) asks whether the value is null.
  if (operand === null && (node.op === 'eq' || node.op === 'neq')) {
    return (value === null) === (node.op === 'eq');
  }
  if (value === null || operand === null) return node.op === 'neq' || node.op === 'notin';
  switch (node.op) {
    case 'eq':
      return compare(value, operand) === 0;
    case 'neq':
      return compare(value, operand) !== 0;
    case 'gt':
      return ordered(compare(value, operand), (c) => c > 0);
    case 'gte':
      return ordered(compare(value, operand), (c) => c >= 0);
    case 'lt':
      return ordered(compare(value, operand), (c) => c < 0);
    case 'lte':
      return ordered(compare(value, operand), (c) => c <= 0);
    case 'in':
    case 'notin': {
      const hit = asList(operand).some((v) => compare(value, v) === 0);
      return node.op === 'in' ? hit : !hit;
    }
    case 'between': {
      const [low, high] = asList(operand);
      return (
        ordered(compare(value, low), (c) => c >= 0) && ordered(compare(value, high), (c) => c <= 0)
      );
    }
    case 'contains':
      if (Array.isArray(value)) return value.some((v) => compare(present(v), operand) === 0);
      return isText(value) && String(value).includes(String(operand));
    case 'icontains':
      return isText(value) && String(value).toLowerCase().includes(String(operand).toLowerCase());
    case 'startswith':
      return isText(value) && String(value).startsWith(String(operand));
    case 'endswith':
      return isText(value) && String(value).endsWith(String(operand));
    default:
      return false;
  }
}

const present = (v: unknown): unknown => (v === undefined ? null : v);

function dereference(operand: unknown, ctx: TemplateContext): unknown {
  if (typeof operand !== 'string') return operand;
  const m = REFERENCE.exec(operand);
  return m ? present(resolvePath(ctx, m[1])) : operand;
}

function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? v.map(present) : [v];
}

function isText(v: unknown): boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint';
}

/** Incomparable values (NaN) fail every ordering, as a mismatched type would. */
function ordered(c: number, test: (c: number) => boolean): boolean {
  return !Number.isNaN(c) && test(c);
}

/**
 * JSON values compared as the typed columns of policies are: numbers (and numeric strings
 * against a number) numerically, timestamps by instant, strings by code point, booleans with
 * booleans. Anything else (mixed types, objects) is incomparable: NaN.
 */
function compare(a: unknown, b: unknown): number {
  if (a === null || b === null) return Number.NaN;
  const x = numeric(a);
  const y = numeric(b);
  if (x !== null && y !== null && (isNumber(a) || isNumber(b))) return sign(x, y);
  if (typeof a === 'boolean' || typeof b === 'boolean') {
    return typeof a === typeof b ? Number(a) - Number(b) : Number.NaN;
  }
  const ta = instant(a);
  const tb = instant(b);
  if (ta !== null && tb !== null) return sign(ta, tb);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (isNumber(a) && isNumber(b)) return sign(numeric(a) as number, numeric(b) as number);
  return Number.NaN;
}

const isNumber = (v: unknown): boolean => typeof v === 'number' || typeof v === 'bigint';

function sign(x: number | bigint, y: number | bigint): number {
  if (typeof x === 'bigint' || typeof y === 'bigint') {
    try {
      const [bx, by] = [BigInt(x), BigInt(y)];
      return bx < by ? -1 : bx > by ? 1 : 0;
    } catch {
      // a fraction against a bigint: compare as numbers
    }
  }
  const [nx, ny] = [Number(x), Number(y)];
  return nx < ny ? -1 : nx > ny ? 1 : nx === ny ? 0 : Number.NaN;
}

function numeric(v: unknown): number | bigint | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'string' && NUMERIC.test(v.trim())) {
    const t = v.trim();
    return /^-?\d+$/.test(t) && !Number.isSafeInteger(Number(t)) ? BigInt(t) : Number(t);
  }
  return null;
}

function instant(v: unknown): number | null {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.getTime();
  if (typeof v !== 'string' || !TIMESTAMP.test(v)) return null;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? null : ms;
}
