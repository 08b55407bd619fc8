import type { CollectionMeta } from '../schema-engine/catalog.types';
import { resolveColumn, type CatalogLookup, type ResolvedColumn } from './field-resolver';
import type { FilterAst } from './filter';
import { outputKey } from './serialize-row';
import { escapeLike } from './sql-params';

/** SQL's three-valued truth: null is unknown. */
export type Truth = boolean | null;

type Cond = Extract<FilterAst, { kind: 'cond' }>;

/** How values of a column compare, by its SQL column type. */
type CompareKind = 'bigint' | 'float' | 'decimal' | 'bool' | 'date' | 'datetime' | 'uuid' | 'text';

function compareKind(column: ResolvedColumn): CompareKind {
  const sql = column.type.columnType(column.options);
  if (sql === 'bigint') return 'bigint';
  if (sql === 'double precision') return 'float';
  if (sql.startsWith('numeric')) return 'decimal';
  if (sql === 'boolean') return 'bool';
  if (sql === 'date') return 'date';
  if (sql === 'timestamptz') return 'datetime';
  if (sql === 'uuid') return 'uuid';
  return 'text';
}

const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)? ?([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;

/** An ISO / PostgreSQL timestamp as microseconds since the epoch (timestamptz's precision). */
function micros(text: string): bigint | null {
  const m = DATETIME.exec(text);
  if (!m) {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? null : BigInt(ms) * 1000n;
  }
  const [, y, mo, d, h, mi, s = '00', frac = '', zone] = m;
  const base = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  let offsetMin = 0;
  if (zone && zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    offsetMin =
      (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0')) *
      (zone[0] === '-' ? -1 : 1);
  }
  // Date.UTC maps years 0–99 to 19xx; set the year itself.
  const date = new Date(base);
  date.setUTCFullYear(Number(y));
  const us = BigInt(frac.slice(0, 6).padEnd(6, '0'));
  return BigInt(date.getTime() - offsetMin * 60_000) * 1000n + us;
}

/** Exact comparison of two decimal numbers given as text (numeric semantics: 1.50 = 1.5). */
export function compareDecimal(a: string, b: string): number {
  const parse = (t: string) => {
    const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(t.trim());
    if (!m) return null;
    const int = (m[2] || '0').replace(/^0+(?=\d)/, '');
    const frac = (m[3] ?? '').replace(/0+$/, '');
    const zero = /^0*$/.test(int) && frac === '';
    return { neg: m[1] === '-' && !zero, int: zero ? '0' : int, frac };
  };
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return Number(a) < Number(b) ? -1 : Number(a) > Number(b) ? 1 : 0;
  if (x.neg !== y.neg) return x.neg ? -1 : 1;
  const sign = x.neg ? -1 : 1;
  if (x.int.length !== y.int.length) return (x.int.length < y.int.length ? -1 : 1) * sign;
  if (x.int !== y.int) return (x.int < y.int ? -1 : 1) * sign;
  const width = Math.max(x.frac.length, y.frac.length);
  const fx = x.frac.padEnd(width, '0');
  const fy = y.frac.padEnd(width, '0');
  return fx === fy ? 0 : (fx < fy ? -1 : 1) * sign;
}

/** Code-point order: the `C` / `C.UTF-8` collation the embedded PostgreSQL is created with. */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const cx = (x.value as string).codePointAt(0) as number;
    const cy = (y.value as string).codePointAt(0) as number;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

/** A value of this column in a comparable form; null when it cannot be read as one. */
function normalize(kind: CompareKind, v: unknown): unknown {
  switch (kind) {
    case 'bigint':
      try {
        return BigInt(typeof v === 'number' ? Math.trunc(v) : String(v));
      } catch {
        return null;
      }
    case 'float':
      return typeof v === 'number' ? v : Number(v);
    case 'decimal':
      return String(v);
    case 'bool':
      return v === true || v === 'true' || v === 't';
    case 'datetime':
      return v instanceof Date ? BigInt(v.getTime()) * 1000n : micros(String(v));
    case 'date':
      return v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10);
    case 'uuid':
      return String(v).toLowerCase();
    default:
      return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
}

function compare(kind: CompareKind, a: unknown, b: unknown): number | null {
  if (a === null || b === null) return null;
  switch (kind) {
    case 'bigint':
    case 'datetime':
      return (a as bigint) < (b as bigint) ? -1 : (a as bigint) > (b as bigint) ? 1 : 0;
    case 'float':
    case 'bool': {
      const x = Number(a);
      const y = Number(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 'decimal':
      return compareDecimal(a as string, b as string);
    default:
      return compareText(String(a), String(b));
  }
}

/** PostgreSQL's lower() under a libc UTF-8 locale: per character, simple case mapping. */
function lowerEach(s: string): string {
  let out = '';
  for (const ch of s) {
    const l = ch.toLowerCase();
    out += [...l].length === 1 ? l : ch;
  }
  return out;
}

type Token = { any: true } | { one: true } | { ch: string };

/** A LIKE pattern (`%`, `_`, `\` escapes) as tokens, one per character. */
function likeTokens(pattern: string): Token[] {
  const out: Token[] = [];
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i += 1) {
    const c = chars[i];
    if (c === '\\' && i + 1 < chars.length) out.push({ ch: chars[(i += 1)] });
    else if (c === '%') {
      if (!(out.length && 'any' in out[out.length - 1])) out.push({ any: true });
    } else if (c === '_') out.push({ one: true });
    else out.push({ ch: c });
  }
  return out;
}

/** Wildcard matching with backtracking to the last `%` only: O(text × pattern), no regex. */
function likeMatch(text: string, tokens: readonly Token[]): boolean {
  const t = [...text];
  let ti = 0;
  let pi = 0;
  let star = -1;
  let mark = 0;
  while (ti < t.length) {
    const p = tokens[pi];
    if (p && !('any' in p) && ('one' in p || p.ch === t[ti])) {
      ti += 1;
      pi += 1;
    } else if (p && 'any' in p) {
      star = pi;
      mark = ti;
      pi += 1;
    } else if (star >= 0) {
      pi = star + 1;
      mark += 1;
      ti = mark;
    } else return false;
  }
  while (pi < tokens.length && 'any' in tokens[pi]) pi += 1;
  return pi === tokens.length;
}

const TOKENS = new Map<string, Token[]>();
function tokensOf(pattern: string): Token[] {
  let hit = TOKENS.get(pattern);
  if (!hit) {
    hit = likeTokens(pattern);
    if (TOKENS.size > 10_000) TOKENS.clear();
    TOKENS.set(pattern, hit);
  }
  return hit;
}

function evaluateCond(
  node: Cond,
  column: ResolvedColumn,
  row: Readonly<Record<string, unknown>>,
): Truth {
  const key = outputKey(column);
  const own = (k: string) => (Object.prototype.hasOwnProperty.call(row, k) ? row[k] : undefined);
  const raw = own(key) ?? own(column.key) ?? own(column.column) ?? null;
  const { op, value } = node;
  if (op === 'isnull') return (raw === null) === (value === true);
  if ((op === 'eq' || op === 'neq') && value === null) return (raw === null) === (op === 'eq');
  if (raw === null) return null;
  const kind = compareKind(column);
  const v = normalize(kind, raw);
  if (v === null) return null;
  const cmp = (x: unknown) => compare(kind, v, normalize(kind, x));
  const holds = (c: number | null, test: (n: number) => boolean): Truth =>
    c === null ? null : test(c);
  switch (op) {
    case 'eq':
      return holds(cmp(value), (c) => c === 0);
    case 'neq':
      return holds(cmp(value), (c) => c !== 0);
    case 'gt':
      return holds(cmp(value), (c) => c > 0);
    case 'gte':
      return holds(cmp(value), (c) => c >= 0);
    case 'lt':
      return holds(cmp(value), (c) => c < 0);
    case 'lte':
      return holds(cmp(value), (c) => c <= 0);
    case 'between': {
      const [lo, hi] = value as unknown[];
      const a = cmp(lo);
      const b = cmp(hi);
      // x BETWEEN a AND b ≡ x >= a AND x <= b.
      if (a !== null && a < 0) return false;
      if (b !== null && b > 0) return false;
      return a === null || b === null ? null : true;
    }
    case 'in':
    case 'notin': {
      let unknown = false;
      for (const item of value as unknown[]) {
        const c = cmp(item);
        if (c === 0) return op === 'in';
        if (c === null) unknown = true;
      }
      return unknown ? null : op === 'notin';
    }
    case 'contains':
    case 'startswith':
    case 'endswith':
    case 'icontains': {
      const text = escapeLike(String(value));
      const pattern =
        op === 'startswith' ? `${text}%` : op === 'endswith' ? `%${text}` : `%${text}%`;
      return op === 'icontains'
        ? likeMatch(lowerEach(String(v)), tokensOf(lowerEach(pattern)))
        : likeMatch(String(v), tokensOf(pattern));
    }
    case 'like':
      return likeMatch(String(v), tokensOf(String(value)));
    case 'ilike':
      return likeMatch(lowerEach(String(v)), tokensOf(lowerEach(String(value))));
    default:
      return false;
  }
}

export interface EvaluateOptions {
  catalog?: CatalogLookup;
}

/**
 * A filter against one record in memory, with the semantics of `compileFilter`'s SQL: NULLs are
 * unknown (three-valued AND/OR/NOT), values compare by column type (bigint, numeric, timestamptz
 * to the microsecond, text in code-point order), LIKE patterns with `%`, `_` and `\`. The record
 * is keyed as answers are (field names; relation foreign keys by column). For realtime events and
 * anything else that holds a row rather than a query.
 */
export function evaluateFilter(
  ast: FilterAst,
  collection: CollectionMeta,
  row: Readonly<Record<string, unknown>>,
  options: EvaluateOptions = {},
): Truth {
  switch (ast.kind) {
    case 'literal':
      return ast.value;
    case 'not': {
      const c = evaluateFilter(ast.child, collection, row, options);
      return c === null ? null : !c;
    }
    case 'and': {
      let acc: Truth = true;
      for (const child of ast.children) {
        const c = evaluateFilter(child, collection, row, options);
        if (c === false) return false;
        if (c === null) acc = null;
      }
      return acc;
    }
    case 'or': {
      let acc: Truth = false;
      for (const child of ast.children) {
        const c = evaluateFilter(child, collection, row, options);
        if (c === true) return true;
        if (c === null) acc = null;
      }
      return acc;
    }
    case 'cond': {
      const column = resolveColumn(collection, ast.field, {
        includeHidden: true,
        catalog: options.catalog,
      });
      // A field gone since the filter was parsed matches nothing (SQL would refuse the query).
      if (!column) return null;
      return evaluateCond(ast, column, row);
    }
    default:
      return false;
  }
}
