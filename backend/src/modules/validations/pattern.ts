/**
 * Admin-supplied regular expressions, matched by RE2 (the `re2js` port) in linear time.
 *
 * Why not `RegExp`: V8 backtracks, so one hostile pattern such as `(a+)+$` would block the event
 * loop for every write. Patterns keep the syntax rules always accepted (a JavaScript-like subset
 * with flags i, m, s, matched at the start of the value like Python's `re.match`): a small
 * translator re-emits each pattern in explicit RE2 syntax, so `\s`, `.`, `\uXXXX` and named groups
 * mean what they meant before, and refuses what RE2 cannot do (lookaround, backreferences).
 * RE2 is linear in the input but its per-character cost grows with the compiled program, so
 * patterns are capped in length, repetition counts and program size when a rule is saved.
 */
import { RE2JS } from 're2js';

/** Longest pattern a rule may hold (characters). */
export const MAX_PATTERN_LENGTH = 512;
/** Largest count in `{n}`, `{n,}` or `{n,m}`; RE2 also caps nested counts at a product of 1000. */
export const MAX_REPEAT = 1000;
/** Largest compiled RE2 program a rule may save (instructions); bounds the cost per character. */
export const MAX_PROGRAM_SIZE = 2500;
/** Longest value checked against a pattern (characters). */
export const MAX_PATTERN_INPUT_LENGTH = 10_000;
/** Patterns stored before the caps still compile up to this size; beyond it they fail closed. */
const HARD_PROGRAM_SIZE = 6_000;

export type RegexFlag = 'i' | 'm' | 's';

export class PatternSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PatternSyntaxError';
  }
}

/** A compiled pattern; `test` is anchored at the start like Python's `re.match`. */
export interface CompiledPattern {
  readonly source: string;
  readonly flags: string;
  /** The RE2 text actually compiled (anchored prefix match, case folding passed apart). */
  readonly re2: string;
  readonly caseInsensitive: boolean;
  /** RE2 program size: matching costs at most about this much work per input character. */
  readonly programSize: number;
  /** Whether a prefix of `input` matches (add `$` to the pattern to match the whole input). */
  test(input: string): boolean;
}

type Range = [number, number];
const MAX_CP = 0x10ffff;
const DIGIT: Range[] = [[0x30, 0x39]];
const WORD: Range[] = [
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x5f, 0x5f],
  [0x61, 0x7a],
];
/** JavaScript's `\s`: ASCII whitespace plus the Unicode spaces, line separators and BOM. */
const SPACE: Range[] = [
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
];
/** `.` without the s flag: anything but JavaScript's line terminators. */
const LINE_TERMINATORS: Range[] = [
  [0x0a, 0x0a],
  [0x0d, 0x0d],
  [0x2028, 0x2029],
];

function normalise(ranges: Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

function complement(ranges: Range[]): Range[] {
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of normalise(ranges)) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CP) out.push([next, MAX_CP]);
  return out;
}

const CLASS_ESCAPES: Record<string, Range[]> = {
  d: DIGIT,
  D: complement(DIGIT),
  w: WORD,
  W: complement(WORD),
  s: SPACE,
  S: complement(SPACE),
};
const CONTROL_ESCAPES: Record<string, number> = { n: 10, r: 13, t: 9, f: 12, v: 11, '0': 0 };

const hex = (cp: number) => `\\x{${cp.toString(16)}}`;
/** One code point as RE2 text: letters and digits as they are, anything else escaped. */
const literal = (cp: number) =>
  (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)
    ? String.fromCharCode(cp)
    : hex(cp);
const classText = (ranges: Range[], negate = false) =>
  `[${negate ? '^' : ''}${normalise(ranges)
    .map(([lo, hi]) => (lo === hi ? literal(lo) : `${literal(lo)}-${literal(hi)}`))
    .join('')}]`;

/** A translated piece: RE2 text, an estimate of its program size, whether it is an assertion. */
interface Piece {
  re: string;
  size: number;
  assertion?: boolean;
}

/** Parses the accepted subset and re-emits it as explicit RE2 syntax. */
class Translator {
  private pos = 0;
  private readonly src: string[];

  constructor(
    pattern: string,
    private readonly flags: ReadonlySet<RegexFlag>,
  ) {
    this.src = Array.from(pattern);
  }

  translate(): Piece {
    const piece = this.alternation();
    if (this.pos < this.src.length) throw new PatternSyntaxError(`unmatched ')' at ${this.pos}`);
    return piece;
  }

  private peek(offset = 0): string | undefined {
    return this.src[this.pos + offset];
  }

  private alternation(): Piece {
    const items = [this.sequence()];
    while (this.peek() === '|') {
      this.pos++;
      items.push(this.sequence());
    }
    if (items.length === 1) return items[0];
    return {
      re: items.map((i) => i.re).join('|'),
      size: items.reduce((n, i) => n + i.size + 2, 0),
    };
  }

  private sequence(): Piece {
    let re = '';
    let size = 0;
    while (this.pos < this.src.length && this.peek() !== '|' && this.peek() !== ')') {
      const piece = this.quantified(this.atom());
      re += piece.re;
      size += piece.size;
    }
    return { re, size };
  }

  private quantified(atom: Piece): Piece {
    let piece = atom;
    let repeated = false;
    for (;;) {
      const ch = this.peek();
      let min: number;
      let max: number;
      let suffix: string;
      if (ch === '*') [min, max, suffix] = [0, Infinity, '*'];
      else if (ch === '+') [min, max, suffix] = [1, Infinity, '+'];
      else if (ch === '?') [min, max, suffix] = [0, 1, '?'];
      else if (ch === '{') {
        const bounds = this.braces();
        if (!bounds) return piece;
        [min, max] = bounds;
        suffix = max === min ? `{${min}}` : max === Infinity ? `{${min},}` : `{${min},${max}}`;
      } else return piece;
      if (ch !== '{') this.pos++;
      if (piece.assertion) throw new PatternSyntaxError('nothing to repeat');
      if (this.peek() === '?')
        this.pos++; // lazy: same answer for a yes/no match
      else if (this.peek() === '+')
        throw new PatternSyntaxError('possessive quantifiers are not supported');
      // RE2 refuses a quantifier right after another one; a group says the same thing.
      const base = repeated ? `(?:${piece.re})` : piece.re;
      const copies = max === Infinity ? min + 1 : max;
      piece = { re: base + suffix, size: Math.max(1, copies) * (piece.size + 1) };
      repeated = true;
      const next = this.peek();
      if (next === '*' || next === '+' || next === '?')
        throw new PatternSyntaxError('nothing to repeat');
    }
  }

  /** `{n}`, `{n,}`, `{n,m}`; anything else is a literal `{` as in JavaScript. */
  private braces(): [number, number] | null {
    const rest = this.src.slice(this.pos, this.pos + 16).join('');
    const m = /^\{(\d+)(,(\d*))?\}/.exec(rest);
    if (!m) return null;
    this.pos += m[0].length;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT)) {
      throw new PatternSyntaxError(`repeat counts above ${MAX_REPEAT} are not supported`);
    }
    if (min > max) throw new PatternSyntaxError('numbers out of order in {} quantifier');
    return [min, max];
  }

  private atom(): Piece {
    const ch = this.src[this.pos++];
    switch (ch) {
      case '(':
        return this.group();
      case '[':
        return this.charClass();
      case '.':
        return { re: this.flags.has('s') ? '(?s:.)' : classText(LINE_TERMINATORS, true), size: 1 };
      case '^':
        return { re: this.flags.has('m') ? '(?m:^)' : '\\A', size: 1, assertion: true };
      case '$':
        return { re: this.flags.has('m') ? '(?m:$)' : '\\z', size: 1, assertion: true };
      case '\\':
        return this.escape();
      case '*':
      case '+':
      case '?':
        throw new PatternSyntaxError('nothing to repeat');
      default:
        return { re: literal(ch.codePointAt(0) as number), size: 1 };
    }
  }

  private group(): Piece {
    if (this.peek() === '?') {
      const next = this.peek(1);
      if (next === ':') this.pos += 2;
      else if (next === '=' || next === '!')
        throw new PatternSyntaxError('lookahead is not supported');
      else if (next === '<' && (this.peek(2) === '=' || this.peek(2) === '!')) {
        throw new PatternSyntaxError('lookbehind is not supported');
      } else if (next === '<' || (next === 'P' && this.peek(2) === '<')) {
        const close = this.src.indexOf('>', this.pos);
        if (close < 0) throw new PatternSyntaxError('unterminated group name');
        this.pos = close + 1;
      } else throw new PatternSyntaxError('inline flags and extensions (?...) are not supported');
    }
    const inner = this.alternation();
    if (this.src[this.pos++] !== ')') throw new PatternSyntaxError("missing ')'");
    // Captures are never read: every group is a plain group.
    return { re: `(?:${inner.re})`, size: inner.size };
  }

  private escape(): Piece {
    const ch = this.src[this.pos++];
    if (ch === undefined) throw new PatternSyntaxError('pattern ends with a lone backslash');
    // Outside a class these never fold case, as before (`\w` with flag i is still ASCII words).
    if (CLASS_ESCAPES[ch]) return { re: `(?-i:${classText(CLASS_ESCAPES[ch])})`, size: 1 };
    if (ch === 'b' || ch === 'B') return { re: `\\${ch}`, size: 1, assertion: true };
    if (/[1-9]/.test(ch) || ch === 'k')
      throw new PatternSyntaxError('backreferences are not supported');
    if (ch === 'A' || ch === 'Z' || ch === 'z') {
      throw new PatternSyntaxError(`\\${ch} is not supported; use ^ and $`);
    }
    return { re: literal(this.escapedCodePoint(ch)), size: 1 };
  }

  /** The code point of an escape that stands for one character (`\n`, `\x41`, `\.`). */
  private escapedCodePoint(ch: string): number {
    if (ch in CONTROL_ESCAPES) return CONTROL_ESCAPES[ch];
    if (ch === 'x' || ch === 'u') {
      const len = ch === 'x' ? 2 : 4;
      const digits = this.src.slice(this.pos, this.pos + len).join('');
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(digits)) {
        throw new PatternSyntaxError(`invalid \\${ch} escape`);
      }
      this.pos += len;
      return parseInt(digits, 16);
    }
    if (/[a-zA-Z0-9]/.test(ch)) throw new PatternSyntaxError(`unknown escape \\${ch}`);
    return ch.codePointAt(0) as number;
  }

  private charClass(): Piece {
    let negate = false;
    if (this.peek() === '^') {
      negate = true;
      this.pos++;
    }
    const ranges: Range[] = [];
    let first = true;
    for (;;) {
      const ch = this.src[this.pos++];
      if (ch === undefined) throw new PatternSyntaxError("missing ']'");
      if (ch === ']' && !first) break;
      first = false;
      let lo: number;
      if (ch === '\\') {
        const e = this.src[this.pos++];
        if (e === undefined) throw new PatternSyntaxError("missing ']'");
        if (CLASS_ESCAPES[e]) {
          ranges.push(...CLASS_ESCAPES[e]);
          continue;
        }
        lo = e === 'b' ? 8 : this.escapedCodePoint(e);
      } else lo = ch.codePointAt(0) as number;
      if (this.peek() === '-' && this.peek(1) !== undefined && this.peek(1) !== ']') {
        this.pos++;
        const h = this.src[this.pos++];
        let hi: number;
        if (h === '\\') {
          const e = this.src[this.pos++];
          if (e === undefined || CLASS_ESCAPES[e])
            throw new PatternSyntaxError('invalid range in character class');
          hi = this.escapedCodePoint(e);
        } else hi = h.codePointAt(0) as number;
        if (hi < lo) throw new PatternSyntaxError('range out of order in character class');
        ranges.push([lo, hi]);
      } else ranges.push([lo, lo]);
    }
    return { re: classText(ranges, negate), size: 1 };
  }
}

const FLAG_SET = new Set<string>(['i', 'm', 's']);

/** Checks flags text (`"im"`) and returns the flag set; throws PatternSyntaxError. */
export function parseFlags(flags: string): Set<RegexFlag> {
  const out = new Set<RegexFlag>();
  for (const f of flags) {
    if (!FLAG_SET.has(f)) throw new PatternSyntaxError(`unknown flag '${f}' (use i, m or s)`);
    out.add(f as RegexFlag);
  }
  return out;
}

/** Compiled patterns by source and flags: rules reload with every catalog change, RE2 need not. */
const cache = new Map<string, CompiledPattern>();
const CACHE_SIZE = 500;

/**
 * Compiles a pattern of the accepted subset; throws PatternSyntaxError with a readable reason.
 * `forSave` applies the caps a new or changed rule must meet; stored rules compile without the
 * program-size cap so a rule saved before it keeps working (its cost is still budgeted per write).
 */
export function compilePattern(pattern: string, flags = '', forSave = false): CompiledPattern {
  if (pattern.length > MAX_PATTERN_LENGTH && forSave) {
    throw new PatternSyntaxError(`pattern is longer than ${MAX_PATTERN_LENGTH} characters`);
  }
  const flagSet = parseFlags(flags);
  const key = `${[...flagSet].sort().join('')}/${pattern}`;
  let compiled = cache.get(key);
  if (!compiled) {
    const piece = new Translator(pattern, flagSet).translate();
    // Refuse before compiling: RE2 compile time and memory grow with the program.
    if (piece.size > (forSave ? 1.5 * MAX_PROGRAM_SIZE : HARD_PROGRAM_SIZE)) {
      throw tooComplex(`about ${piece.size}`);
    }
    const re2 = `(?:${piece.re})(?s:.*)`;
    const caseInsensitive = flagSet.has('i');
    let re: RE2JS;
    try {
      re = RE2JS.compile(re2, caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0);
    } catch (e) {
      // RE2's own limits (nested repetition counts above 1000 in total, for one).
      const reason = (e as Error).message.replace(/^error parsing regexp: /, '');
      throw new PatternSyntaxError(
        reason.startsWith('invalid repeat count')
          ? `${reason} (nested repeat counts multiply to more than ${MAX_REPEAT})`
          : reason,
      );
    }
    compiled = {
      source: pattern,
      flags: [...flagSet].sort().join(''),
      re2,
      caseInsensitive,
      programSize: re.programSize(),
      test: (input) => re.testExact(input),
    };
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(key, compiled);
  }
  if (forSave && compiled.programSize > MAX_PROGRAM_SIZE) {
    throw tooComplex(String(compiled.programSize));
  }
  return compiled;
}

const tooComplex = (size: string) =>
  new PatternSyntaxError(
    `pattern is too complex: it compiles to ${size} RE2 instructions, at most ${MAX_PROGRAM_SIZE} are allowed (use smaller {n,m} counts)`,
  );
