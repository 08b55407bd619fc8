import type { FieldError } from '../../common/errors/app-error';
import type { CollectionMeta, FieldMeta } from '../../schema-engine/catalog.types';
import { compileDateFormat } from './date-format';
import { isRuleType, parseConfig, RULE_TYPE_INFO, type RuleType } from './rule-types';
import { compilePattern, MAX_PATTERN_INPUT_LENGTH, type CompiledPattern } from './pattern';

/** A validation rule as stored (`backendify.validation_rules`). */
export interface RuleRow {
  id: string;
  fieldId: string;
  ruleType: string;
  config: Record<string, unknown>;
  errorMessage: string | null;
  priority: number;
  isActive: boolean;
}

export type WriteMode = 'create' | 'update';
export type { FieldError };

/** Returns the failure message, or null when the value passes. */
type ValueCheck = (value: unknown) => string | null;

type CompiledRule =
  | { kind: 'value'; check: ValueCheck }
  | { kind: 'pattern'; pattern: CompiledPattern; message: string }
  | { kind: 'required_if'; otherField: string; matches: (v: unknown) => boolean; message: string }
  | { kind: 'broken' };

const EMAIL = compilePattern('^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,}$');
const URL_RE = compilePattern('^https?://[^\\s/$.?#].[^\\s]*$', 'i');
const UUID_RE = compilePattern(
  '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
  'i',
);
const NUMERIC_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

const NOT_A_STRING = 'Must be a string';
const NOT_A_NUMBER = 'Must be a number';

/** Rules compile once per stored row object; the rules cache keeps the rows alive. */
const compiledCache = new WeakMap<RuleRow, CompiledRule>();

function hasKey(obj: Record<string, unknown> | undefined, key: string): boolean {
  return obj !== undefined && obj !== null && Object.prototype.hasOwnProperty.call(obj, key);
}

function has(obj: Record<string, unknown> | undefined, f: FieldMeta): boolean {
  return hasKey(obj, f.name) || hasKey(obj, f.column);
}

/** The value sent for a field, by name or column name (`author` or `author_id`). */
function valueIn(obj: Record<string, unknown> | undefined, f: FieldMeta): unknown {
  if (hasKey(obj, f.name)) return obj![f.name];
  if (hasKey(obj, f.column)) return obj![f.column];
  return undefined;
}

function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff || i + 1 >= s.length) n++;
    else {
      const d = s.charCodeAt(i + 1);
      n++;
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
  }
  return n;
}

function asNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v.length <= 400 && NUMERIC_TEXT.test(v.trim())) {
    const n = Number(v.trim());
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

const fmt = (template: string, vars: Record<string, unknown>) =>
  template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in vars ? String(vars[key]) : whole));

function textCheck(test: (s: string) => boolean, message: string): ValueCheck {
  return (v) => (typeof v !== 'string' ? NOT_A_STRING : test(v) ? null : message);
}

const patternRule = (pattern: CompiledPattern, message: string): CompiledRule => ({
  kind: 'pattern',
  pattern,
  message,
});

function numberCheck(test: (n: number) => boolean, message: string): ValueCheck {
  return (v) => {
    const n = asNumber(v);
    return n === null ? NOT_A_NUMBER : test(n) ? null : message;
  };
}

function sameValue(a: unknown, b: unknown): boolean {
  const x = a === undefined ? null : a;
  const y = b === undefined ? null : b;
  if (x === y) return true;
  if (x === null || y === null || typeof x === 'object' || typeof y === 'object') return false;
  return String(x) === String(y);
}

function isBlank(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

function compile(type: RuleType, cfg: Record<string, unknown>): CompiledRule {
  const msg = fmt(RULE_TYPE_INFO[type].default_message, {
    ...cfg,
    values: Array.isArray(cfg.values) ? cfg.values.join(', ') : cfg.values,
    format: cfg.format ?? '%Y-%m-%d',
  });
  const value = (check: ValueCheck): CompiledRule => ({ kind: 'value', check });
  switch (type) {
    case 'min_length': {
      const min = cfg.min as number;
      return value(textCheck((s) => s.length >= min && codePointLength(s) >= min, msg));
    }
    case 'max_length': {
      const max = cfg.max as number;
      return value(textCheck((s) => s.length <= max || codePointLength(s) <= max, msg));
    }
    case 'regex':
    case 'custom_regex':
      return patternRule(compilePattern(cfg.pattern as string, (cfg.flags as string) ?? ''), msg);
    case 'email':
      return patternRule(EMAIL, msg);
    case 'url':
      return patternRule(URL_RE, msg);
    case 'uuid':
      return patternRule(UUID_RE, msg);
    case 'min_value':
      return value(numberCheck((n) => n >= (cfg.min as number), msg));
    case 'max_value':
      return value(numberCheck((n) => n <= (cfg.max as number), msg));
    case 'range':
      return value(numberCheck((n) => n >= (cfg.min as number) && n <= (cfg.max as number), msg));
    case 'enum': {
      const values = cfg.values as (string | number)[];
      return value((v) =>
        values.some(
          (x) => x === v || (typeof x === 'number' && typeof v !== 'boolean' && asNumber(v) === x),
        )
          ? null
          : msg,
      );
    }
    case 'not_empty':
      return value(textCheck((s) => s.trim() !== '', msg));
    case 'date_format': {
      const df = compileDateFormat((cfg.format as string | undefined) ?? '%Y-%m-%d');
      return value(textCheck((s) => df.test(s), msg));
    }
    case 'required_if': {
      const list = cfg.in as unknown[] | undefined;
      const condition = list ? `one of: ${list.map(String).join(', ')}` : String(cfg.equals);
      return {
        kind: 'required_if',
        otherField: cfg.field as string,
        matches: list ? (v) => list.some((x) => sameValue(v, x)) : (v) => sameValue(v, cfg.equals),
        message: fmt(RULE_TYPE_INFO.required_if.default_message, { field: cfg.field, condition }),
      };
    }
  }
}

/** Compiles a stored rule once; a config that no longer parses fails closed ('broken'). */
export function compileRule(rule: RuleRow): CompiledRule {
  let compiled = compiledCache.get(rule);
  if (compiled) return compiled;
  try {
    const parsed = isRuleType(rule.ruleType) ? parseConfig(rule.ruleType, rule.config) : null;
    compiled = parsed?.ok ? compile(rule.ruleType as RuleType, parsed.config) : { kind: 'broken' };
  } catch {
    compiled = { kind: 'broken' };
  }
  compiledCache.set(rule, compiled);
  return compiled;
}

/** A pattern check left for the caller to run off the event loop; it fails with `error`. */
export interface DeferredMatch {
  pattern: CompiledPattern;
  input: string;
  error: FieldError;
}

/** One outcome in rule order: a failure, or a pattern check still to run. */
export type CheckOutcome = { error: FieldError } | { deferred: DeferredMatch };

/** The work a pattern check costs: input characters × RE2 program size. */
export const matchCost = (pattern: CompiledPattern, input: string) =>
  input.length * pattern.programSize;

/**
 * Applies a collection's rules to a write payload and returns every failure (never throws).
 * Rules run in ascending priority (stable for ties); inactive rules are skipped; null or absent
 * values skip every rule except `required_if`. On update only the fields present in the payload
 * are checked, and `required_if` runs when its field or its condition field is present, judged
 * on `existing` merged with the payload. Every check runs here; see checkRecord for a budget.
 */
export function validateRecord(
  collection: CollectionMeta,
  rules: readonly RuleRow[],
  payload: Record<string, unknown>,
  mode: WriteMode,
  existing?: Record<string, unknown>,
): FieldError[] {
  return checkRecord(collection, rules, payload, mode, existing, Infinity).map((o) =>
    'error' in o ? o.error : o.deferred.error,
  );
}

/**
 * validateRecord, running pattern checks here only while their total cost (matchCost) stays
 * within `inlineCost`; the others come back deferred, in their place among the failures.
 */
export function checkRecord(
  collection: CollectionMeta,
  rules: readonly RuleRow[],
  payload: Record<string, unknown>,
  mode: WriteMode,
  existing: Record<string, unknown> | undefined,
  inlineCost: number,
): CheckOutcome[] {
  const out: CheckOutcome[] = [];
  let spent = 0;
  const body: Record<string, unknown> =
    payload !== null && typeof payload === 'object' && !Array.isArray(payload) ? payload : {};
  const byId = new Map<string, FieldMeta>();
  for (const f of collection.fields) if (!f.isDeleted) byId.set(f.id, f);
  const ordered = rules
    .filter((r) => r.isActive)
    .sort((a, b) => (Number(a.priority) || 0) - (Number(b.priority) || 0));
  const current = (f: FieldMeta) =>
    has(body, f) ? valueIn(body, f) : mode === 'update' ? valueIn(existing, f) : undefined;

  for (const rule of ordered) {
    const field = byId.get(rule.fieldId);
    if (!field) continue;
    const failure = (message: string): FieldError => ({
      field: field.name,
      rule: rule.ruleType,
      message: rule.errorMessage || message,
    });
    const fail = (message: string) => out.push({ error: failure(message) });
    try {
      const compiled = compileRule(rule);
      if (compiled.kind === 'required_if') {
        const other = collection.fields.find((f) => f.name === compiled.otherField && !f.isDeleted);
        if (!other) continue;
        if (mode === 'update' && !has(body, field) && !has(body, other)) continue;
        if (compiled.matches(current(other)) && isBlank(current(field))) fail(compiled.message);
        continue;
      }
      if (mode === 'update' && !has(body, field)) continue;
      const value = valueIn(body, field);
      if (value === undefined || value === null) continue;
      if (compiled.kind === 'broken') {
        fail('This validation rule is misconfigured');
        continue;
      }
      if (compiled.kind === 'pattern') {
        if (typeof value !== 'string') fail(NOT_A_STRING);
        else if (value.length > MAX_PATTERN_INPUT_LENGTH) {
          fail(
            `Too long to check against the pattern (max ${MAX_PATTERN_INPUT_LENGTH} characters)`,
          );
        } else if (spent + matchCost(compiled.pattern, value) <= inlineCost) {
          spent += matchCost(compiled.pattern, value);
          if (!compiled.pattern.test(value)) fail(compiled.message);
        } else {
          out.push({
            deferred: { pattern: compiled.pattern, input: value, error: failure(compiled.message) },
          });
        }
        continue;
      }
      const problem = compiled.check(value);
      if (problem !== null) fail(problem);
    } catch {
      fail('Validation error');
    }
  }
  return out;
}
