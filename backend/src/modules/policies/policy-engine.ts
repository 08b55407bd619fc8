import type { FilterAst } from '../../query-engine/filter';
import type { DataPrincipal, RecordAction } from '../access/access-context';
import type { CollectionMeta } from '../../schema-engine/catalog.types';
import {
  ConditionError,
  parseCondition,
  type Condition,
  type ConditionVariable,
} from './condition';

export const POLICY_ACTIONS = ['create', 'read', 'update', 'delete', 'list'] as const;
export const POLICY_EFFECTS = ['allow', 'deny'] as const;
export const PRINCIPAL_KINDS = ['admin_user', 'app_user', 'api_key', 'anonymous'] as const;
export type PolicyEffect = (typeof POLICY_EFFECTS)[number];
export type PrincipalKind = (typeof PRINCIPAL_KINDS)[number];
/** What an empty `allowed_principals` means (the original's default). */
export const DEFAULT_PRINCIPALS: readonly PrincipalKind[] = ['admin_user', 'api_key'];

/** A stored policy, as the engine needs it. */
export interface PolicyDefinition {
  id: string;
  name: string;
  action: RecordAction;
  effect: PolicyEffect;
  /** The condition object (already JSON-parsed); null = every row. */
  condition: unknown;
  isActive: boolean;
  priority: number;
  /** Empty = the default `admin_user,api_key`. */
  allowedPrincipals: readonly PrincipalKind[];
  requireEmailVerified: boolean;
  /** Empty = no role requirement. */
  allowedRoles: readonly string[];
  readFields: readonly string[] | null;
  writeFields: readonly string[] | null;
  createdAt: Date;
}

/** A policy with its condition validated against the collection it guards. */
export interface PreparedPolicy extends PolicyDefinition {
  parsed: Condition | null;
  /** Set when the stored condition no longer validates (e.g. its field was dropped): fail closed. */
  invalid: string | null;
}

/** A data principal plus the optional e-mail `$current_user_email` compares with. */
export type EvalPrincipal = DataPrincipal & { email?: string | null };

/** Principal-bound values; null = the caller lacks it (SQL NULL: comparisons with it are unknown). */
export interface ConditionVars {
  userId: string | null;
  email: string | null;
  /** Only app users hold roles (possibly none); other principals lack the variable. */
  roles: readonly string[] | null;
  authenticated: boolean;
  /** One instant per decision so SQL and memory agree. */
  now: string;
}

/** Active policies only, in decision order: priority descending, then oldest first, then id. */
export function preparePolicies(
  defs: readonly PolicyDefinition[],
  collection: CollectionMeta,
): PreparedPolicy[] {
  return defs
    .filter((d) => d.isActive)
    .map((d): PreparedPolicy => {
      if (d.condition === null || d.condition === undefined)
        return { ...d, parsed: null, invalid: null };
      try {
        return { ...d, parsed: parseCondition(d.condition, collection), invalid: null };
      } catch (err) {
        const message = err instanceof ConditionError ? err.message : 'invalid condition';
        return { ...d, parsed: null, invalid: message };
      }
    })
    .sort(
      (a, b) =>
        b.priority - a.priority ||
        a.createdAt.getTime() - b.createdAt.getTime() ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
}

/**
 * Member admins, service API keys and workflows (a service identity) are never subject to row
 * policies or readable-field lists.
 */
export function bypassesPolicies(p: DataPrincipal): boolean {
  return (
    p.kind === 'admin' || p.kind === 'workflow' || (p.kind === 'api_key' && p.keyKind === 'service')
  );
}

export function principalKind(p: DataPrincipal): PrincipalKind {
  if (p.kind === 'admin') return 'admin_user';
  // A workflow is a server-side caller, like a service key.
  return p.kind === 'workflow' ? 'api_key' : p.kind;
}

export function varsOf(p: EvalPrincipal, now: Date = new Date()): ConditionVars {
  const isUser = p.kind === 'app_user';
  return {
    userId: isUser ? p.userId : null,
    // An unverified address proves nothing about who the caller is.
    email: isUser && p.emailVerified ? (p.email ?? null) : null,
    roles: isUser ? p.roles : null,
    authenticated: p.kind !== 'anonymous',
    now: now.toISOString(),
  };
}

/** Why a policy's principal gates let this principal through or not (null = passes). */
export function gateFailure(policy: PolicyDefinition, p: DataPrincipal): string | null {
  const kind = principalKind(p);
  const allowed =
    policy.allowedPrincipals.length > 0 ? policy.allowedPrincipals : DEFAULT_PRINCIPALS;
  if (!allowed.includes(kind))
    return `principal '${kind}' is not in allowed_principals (${allowed.join(',')})`;
  if (policy.requireEmailVerified && !(p.kind === 'app_user' && p.emailVerified))
    return 'requires a verified e-mail';
  // Roles gate app users and anonymous callers (who hold none); API keys are trusted server keys.
  if (policy.allowedRoles.length > 0 && p.kind !== 'api_key' && p.kind !== 'admin') {
    const held = p.kind === 'app_user' ? p.roles : [];
    if (!policy.allowedRoles.some((r) => held.includes(r)))
      return `holds none of the roles ${policy.allowedRoles.join(',')}`;
  }
  return null;
}

// ---------------------------------------------------------------- FilterAst construction

export const TRUE: FilterAst = { kind: 'literal', value: true };
export const FALSE: FilterAst = { kind: 'literal', value: false };
/** SQL's unknown: what a comparison with a variable the caller lacks is. */
export const UNKNOWN: FilterAst = { kind: 'literal', value: null };
const isLit = (f: FilterAst, v: boolean | null) => f.kind === 'literal' && f.value === v;

/** Kleene AND: FALSE wins, TRUE drops out, one UNKNOWN is kept (it is not FALSE under NOT). */
export function and(...items: FilterAst[]): FilterAst {
  const kept: FilterAst[] = [];
  let unknown = false;
  for (const f of items) {
    if (isLit(f, false)) return FALSE;
    if (isLit(f, true)) continue;
    if (isLit(f, null)) unknown = true;
    else if (f.kind === 'and') kept.push(...f.children);
    else kept.push(f);
  }
  if (unknown) kept.push(UNKNOWN);
  if (kept.length === 0) return TRUE;
  return kept.length === 1 ? kept[0] : { kind: 'and', children: kept };
}

/** Kleene OR: TRUE wins, FALSE drops out, one UNKNOWN is kept. */
export function or(...items: FilterAst[]): FilterAst {
  const kept: FilterAst[] = [];
  let unknown = false;
  for (const f of items) {
    if (isLit(f, true)) return TRUE;
    if (isLit(f, false)) continue;
    if (isLit(f, null)) unknown = true;
    else if (f.kind === 'or') kept.push(...f.children);
    else kept.push(f);
  }
  if (unknown) kept.push(UNKNOWN);
  if (kept.length === 0) return FALSE;
  return kept.length === 1 ? kept[0] : { kind: 'or', children: kept };
}

/** NOT(unknown) is unknown. */
export function not(item: FilterAst): FilterAst {
  if (item.kind === 'literal')
    return { kind: 'literal', value: item.value === null ? null : !item.value };
  if (item.kind === 'not') return item.child;
  return { kind: 'not', child: item };
}

type Resolved = { ok: true; value: unknown } | { ok: false };

function resolveVar(name: ConditionVariable, fieldType: string, vars: ConditionVars): Resolved {
  switch (name) {
    case '$current_user_id':
    case '$current_app_user_id':
      return vars.userId === null ? { ok: false } : { ok: true, value: vars.userId };
    case '$current_user_email':
      return vars.email === null ? { ok: false } : { ok: true, value: vars.email };
    case '$current_user_roles':
      return vars.roles === null ? { ok: false } : { ok: true, value: [...vars.roles] };
    case '$now':
      return { ok: true, value: fieldType === 'date' ? vars.now.slice(0, 10) : vars.now };
    default:
      return { ok: false };
  }
}

function operandValue(c: Extract<Condition, { t: 'cmp' }>, vars: ConditionVars): Resolved {
  const o = c.operand;
  if (o.kind === 'value') return { ok: true, value: o.value };
  if (o.kind === 'list') return { ok: true, value: o.values };
  return resolveVar(o.name, c.fieldType, vars);
}

/**
 * A condition as a row filter. Leaves on a NULL column are two-valued (NULL-safe): false, except
 * `$neq`/`$nin`, which are true. A comparison with a variable the principal lacks (e.g. anonymous
 * `$current_user_id`) is UNKNOWN, as SQL's `col = NULL`: neither it nor its negation holds, so
 * neither an allow nor a deny policy matches by accident (`$neq` included).
 */
export function conditionToFilter(c: Condition, vars: ConditionVars): FilterAst {
  switch (c.t) {
    case 'and':
      return and(...c.items.map((i) => conditionToFilter(i, vars)));
    case 'or':
      return or(...c.items.map((i) => conditionToFilter(i, vars)));
    case 'not':
      return not(conditionToFilter(c.item, vars));
    case 'authenticated':
      return vars.authenticated ? TRUE : FALSE;
    case 'cmp': {
      const leaf = (op: Extract<Condition, { t: 'cmp' }>['op'], value: unknown): FilterAst => ({
        kind: 'cond',
        field: c.field,
        op,
        value,
      });
      if (c.op === 'isnull')
        return leaf('isnull', c.operand.kind === 'value' && c.operand.value === true);
      const r = operandValue(c, vars);
      if (!r.ok) return UNKNOWN;
      if (c.op === 'in' || c.op === 'notin') {
        const values = r.value as unknown[];
        if (values.length === 0) return c.op === 'in' ? FALSE : TRUE;
        return c.op === 'in'
          ? and(leaf('isnull', false), leaf('in', values))
          : or(leaf('isnull', true), leaf('notin', values));
      }
      if (c.op === 'neq') return or(leaf('isnull', true), leaf('neq', r.value));
      return and(leaf('isnull', false), leaf(c.op, r.value));
    }
    default:
      return FALSE;
  }
}

/** The row filter a (validated) policy contributes; invalid stored conditions fail closed. */
function policyCondition(p: PreparedPolicy, vars: ConditionVars): FilterAst {
  if (p.invalid !== null) return p.effect === 'allow' ? FALSE : TRUE;
  return p.parsed ? conditionToFilter(p.parsed, vars) : TRUE;
}

export type Decision =
  /** `deciding`: the allow policies that decided (empty when no policy was consulted). */
  | { kind: 'all'; deciding: PreparedPolicy[] }
  | { kind: 'deny'; reason: string }
  | { kind: 'filter'; filter: FilterAst; deciding: PreparedPolicy[] };

/**
 * The first-match rule as one row filter: a row is allowed iff the first gated policy (in order)
 * whose condition holds for it is an allow. Folded from the end: allow → `c OR rest`,
 * deny → `NOT c AND rest`, which equals `(c AND eff) OR (NOT c AND rest)` for two-valued c.
 * With an unknown c (a variable the caller lacks) an allow does not admit and a deny does not
 * let the row through: the row is shown only if the fold is TRUE. When an unconditional deny
 * decides before any allow can admit a row, the action is denied outright (403, as the original).
 */
export function decide(
  policies: readonly PreparedPolicy[],
  principal: EvalPrincipal,
  action: RecordAction,
  now: Date = new Date(),
): Decision {
  if (bypassesPolicies(principal)) return { kind: 'all', deciding: [] };
  if (policies.length === 0) {
    return principal.kind === 'api_key'
      ? { kind: 'all', deciding: [] }
      : {
          kind: 'deny',
          reason: 'the collection has no active policies (admins and API keys only)',
        };
  }
  const gated = policies.filter((p) => p.action === action && gateFailure(p, principal) === null);
  if (gated.length === 0)
    return { kind: 'deny', reason: `no ${action} policy applies to this principal` };
  const vars = varsOf(principal, now);
  const conditions = gated.map((p) => policyCondition(p, vars));
  let acc: FilterAst = FALSE;
  for (let i = gated.length - 1; i >= 0; i -= 1) {
    acc = gated[i].effect === 'allow' ? or(conditions[i], acc) : and(not(conditions[i]), acc);
  }
  // Allow policies that can decide some row: not shadowed by an earlier unconditional policy.
  const deciding: PreparedPolicy[] = [];
  let firstUnconditional: PreparedPolicy | null = null;
  for (let i = 0; i < gated.length; i += 1) {
    const c = conditions[i];
    if (gated[i].effect === 'allow' && c.kind !== 'literal') deciding.push(gated[i]);
    if (isLit(c, true)) {
      if (gated[i].effect === 'allow') deciding.push(gated[i]);
      firstUnconditional = gated[i];
      break;
    }
  }
  if (isLit(acc, true)) return { kind: 'all', deciding };
  if (acc.kind === 'literal' && firstUnconditional?.effect === 'deny')
    return { kind: 'deny', reason: `policy '${firstUnconditional.name}' denies every row` };
  return { kind: 'filter', filter: acc, deciding };
}

// ---------------------------------------------------------------- in-memory twin

function normalize(v: unknown, type: string): unknown {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'int':
      try {
        return BigInt(typeof v === 'number' ? Math.trunc(v) : String(v));
      } catch {
        return Number(v);
      }
    case 'float':
    case 'decimal':
      return Number(v);
    case 'bool':
      return v === true || v === 'true' || v === 't';
    case 'datetime': {
      const ms = v instanceof Date ? v.getTime() : Date.parse(String(v));
      return Number.isNaN(ms) ? String(v) : ms;
    }
    case 'date':
      return v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10);
    case 'uuid':
      return String(v).toLowerCase();
    case 'relation':
    case 'file':
      return String(v).toLowerCase();
    default:
      return typeof v === 'string' ? v : String(v);
  }
}

function cmpValues(a: unknown, b: unknown): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The row's value by field name, else by column name; absent = NULL. */
function rowValue(row: Readonly<Record<string, unknown>>, field: string, column: string): unknown {
  const own = (k: string) => (Object.prototype.hasOwnProperty.call(row, k) ? row[k] : undefined);
  const v = own(field) ?? own(column);
  return v === undefined ? null : v;
}

/** Three-valued logic: null is unknown. */
export type Truth = boolean | null;

export function and3(a: Truth, b: Truth): Truth {
  if (a === false || b === false) return false;
  return a === null || b === null ? null : true;
}

export function or3(a: Truth, b: Truth): Truth {
  if (a === true || b === true) return true;
  return a === null || b === null ? null : false;
}

export const not3 = (a: Truth): Truth => (a === null ? null : !a);

/** A condition against one row in memory, with exactly the semantics of `conditionToFilter`. */
export function evaluateCondition(
  c: Condition,
  vars: ConditionVars,
  row: Readonly<Record<string, unknown>>,
): Truth {
  switch (c.t) {
    case 'and':
      return c.items.reduce<Truth>((acc, i) => and3(acc, evaluateCondition(i, vars, row)), true);
    case 'or':
      return c.items.reduce<Truth>((acc, i) => or3(acc, evaluateCondition(i, vars, row)), false);
    case 'not':
      return not3(evaluateCondition(c.item, vars, row));
    case 'authenticated':
      return vars.authenticated;
    case 'cmp': {
      const raw = rowValue(row, c.field, c.column);
      if (c.op === 'isnull')
        return (raw === null) === (c.operand.kind === 'value' && c.operand.value === true);
      const r = operandValue(c, vars);
      if (!r.ok) return null;
      const v = normalize(raw, c.fieldType);
      if (c.op === 'in' || c.op === 'notin') {
        const values = r.value as unknown[];
        if (values.length === 0) return c.op === 'notin';
        if (v === null) return c.op === 'notin';
        const hit = values.some((x) => cmpValues(v, normalize(x, c.fieldType)) === 0);
        return c.op === 'in' ? hit : !hit;
      }
      if (v === null) return c.op === 'neq';
      const x = normalize(r.value, c.fieldType);
      switch (c.op) {
        case 'eq':
          return cmpValues(v, x) === 0;
        case 'neq':
          return cmpValues(v, x) !== 0;
        case 'gt':
          return cmpValues(v, x) > 0;
        case 'gte':
          return cmpValues(v, x) >= 0;
        case 'lt':
          return cmpValues(v, x) < 0;
        case 'lte':
          return cmpValues(v, x) <= 0;
        case 'contains':
          return String(v).includes(String(x));
        case 'startswith':
          return String(v).startsWith(String(x));
        case 'endswith':
          return String(v).endsWith(String(x));
        default:
          return false;
      }
    }
    default:
      return false;
  }
}

/**
 * Pure evaluator with the same semantics as the SQL row filter `decide` builds: whether this
 * principal may perform `action` on `row` (for `create`, the new row). Denials are `false`.
 */
export function evaluateInMemory(
  policies: readonly PreparedPolicy[],
  principal: EvalPrincipal,
  row: Readonly<Record<string, unknown>>,
  action: RecordAction,
  now: Date = new Date(),
): boolean {
  if (bypassesPolicies(principal)) return true;
  if (policies.length === 0) return principal.kind === 'api_key';
  const vars = varsOf(principal, now);
  const gated = policies.filter((p) => p.action === action && gateFailure(p, principal) === null);
  // The same fold as `decide`, in three-valued logic: only a TRUE result admits the row.
  let acc: Truth = false;
  for (let i = gated.length - 1; i >= 0; i -= 1) {
    const p = gated[i];
    const c: Truth =
      p.invalid !== null
        ? p.effect === 'deny'
        : p.parsed === null
          ? true
          : evaluateCondition(p.parsed, vars, row);
    acc = p.effect === 'allow' ? or3(c, acc) : and3(not3(c), acc);
  }
  return acc === true;
}

// ---------------------------------------------------------------- readable text

function literalText(v: unknown): string {
  if (v === null) return 'NULL';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return `'${String(v).replace(/'/g, "''")}'`;
}

const OP_TEXT: Record<string, string> = {
  eq: '=',
  neq: '<>',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
  contains: 'CONTAINS',
  startswith: 'STARTS WITH',
  endswith: 'ENDS WITH',
};

/** A row filter as readable text for `explain` (not SQL that is ever run). */
export function filterToText(f: FilterAst): string {
  switch (f.kind) {
    case 'literal':
      return f.value === null ? 'UNKNOWN' : f.value ? 'TRUE' : 'FALSE';
    case 'not':
      return `NOT (${filterToText(f.child)})`;
    case 'and':
    case 'or':
      return f.children.length === 1
        ? filterToText(f.children[0])
        : `(${f.children.map(filterToText).join(f.kind === 'and' ? ' AND ' : ' OR ')})`;
    case 'cond':
      if (f.op === 'isnull') return `${f.field} ${f.value === true ? 'IS NULL' : 'IS NOT NULL'}`;
      if (f.op === 'in' || f.op === 'notin')
        return `${f.field} ${f.op === 'in' ? 'IN' : 'NOT IN'} (${(f.value as unknown[]).map(literalText).join(', ')})`;
      return `${f.field} ${OP_TEXT[f.op] ?? f.op.toUpperCase()} ${literalText(f.value)}`;
    default:
      return 'FALSE';
  }
}
