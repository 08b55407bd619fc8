/**
 * A small RE2-style regular expression engine for admin-supplied patterns.
 *
 * Why not `RegExp`: V8 backtracks, so one hostile pattern such as `(a+)+$` would block the event
 * loop for every write to the collection. This engine compiles the pattern to an NFA and simulates
 * it (Thompson / Pike VM without captures), so matching costs O(program × input) whatever the
 * pattern. The price is a safe subset: no backreferences, no lookaround, no inline flags.
 * Patterns are capped at MAX_PATTERN_LENGTH characters and MAX_PROGRAM_SIZE instructions; callers
 * cap the input (MAX_REGEX_INPUT_LENGTH).
 */

export const MAX_PATTERN_LENGTH = 500;
export const MAX_PROGRAM_SIZE = 5000;
export const MAX_REGEX_INPUT_LENGTH = 10_000;
const MAX_REPEAT = 1000;

export type RegexFlag = 'i' | 'm' | 's';

export class RegexSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegexSyntaxError';
  }
}

type CharPredicate = (cp: number) => boolean;

type Node =
  | { t: 'char'; test: CharPredicate }
  | { t: 'cat'; items: Node[] }
  | { t: 'alt'; items: Node[] }
  | { t: 'rep'; node: Node; min: number; max: number }
  | { t: 'assert'; kind: AssertKind };

type AssertKind = 'bol' | 'eol' | 'wordb' | 'nwordb';

type Inst =
  | { op: 'char'; test: CharPredicate }
  | { op: 'split'; x: number; y: number }
  | { op: 'jmp'; x: number }
  | { op: 'assert'; kind: AssertKind }
  | { op: 'match' };

const isDigit: CharPredicate = (c) => c >= 48 && c <= 57;
const isWord: CharPredicate = (c) =>
  isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isSpace: CharPredicate = (c) =>
  c === 32 ||
  (c >= 9 && c <= 13) ||
  c === 0xa0 ||
  c === 0x1680 ||
  (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 ||
  c === 0x2029 ||
  c === 0x202f ||
  c === 0x205f ||
  c === 0x3000 ||
  c === 0xfeff;
const not =
  (p: CharPredicate): CharPredicate =>
  (c) =>
    !p(c);

const CLASS_ESCAPES: Record<string, CharPredicate> = {
  d: isDigit,
  D: not(isDigit),
  w: isWord,
  W: not(isWord),
  s: isSpace,
  S: not(isSpace),
};
const CONTROL_ESCAPES: Record<string, number> = { n: 10, r: 13, t: 9, f: 12, v: 11, '0': 0 };

class Parser {
  private pos = 0;
  private readonly src: string[];

  constructor(
    pattern: string,
    private readonly flags: ReadonlySet<RegexFlag>,
  ) {
    this.src = Array.from(pattern);
  }

  parse(): Node {
    const node = this.alternation();
    if (this.pos < this.src.length) throw new RegexSyntaxError(`unmatched ')' at ${this.pos}`);
    return node;
  }

  private peek(offset = 0): string | undefined {
    return this.src[this.pos + offset];
  }

  private alternation(): Node {
    const items = [this.sequence()];
    while (this.peek() === '|') {
      this.pos++;
      items.push(this.sequence());
    }
    return items.length === 1 ? items[0] : { t: 'alt', items };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.pos < this.src.length && this.peek() !== '|' && this.peek() !== ')') {
      const atom = this.atom();
      items.push(this.quantified(atom));
    }
    return { t: 'cat', items };
  }

  private quantified(atom: Node): Node {
    let node = atom;
    for (;;) {
      const ch = this.peek();
      let min: number;
      let max: number;
      if (ch === '*') [min, max] = [0, Infinity];
      else if (ch === '+') [min, max] = [1, Infinity];
      else if (ch === '?') [min, max] = [0, 1];
      else if (ch === '{') {
        const bounds = this.braces();
        if (!bounds) return node;
        [min, max] = bounds;
      } else return node;
      if (ch !== '{') this.pos++;
      if (node.t === 'assert') throw new RegexSyntaxError('nothing to repeat');
      if (this.peek() === '?')
        this.pos++; // lazy: same answer for a yes/no match
      else if (this.peek() === '+')
        throw new RegexSyntaxError('possessive quantifiers are not supported');
      node = { t: 'rep', node, min, max };
      const next = this.peek();
      if (next === '*' || next === '+' || next === '?')
        throw new RegexSyntaxError('nothing to repeat');
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
      throw new RegexSyntaxError(`repeat counts above ${MAX_REPEAT} are not supported`);
    }
    if (min > max) throw new RegexSyntaxError('numbers out of order in {} quantifier');
    return [min, max];
  }

  private atom(): Node {
    const ch = this.src[this.pos++];
    switch (ch) {
      case '(':
        return this.group();
      case '[':
        return this.charClass();
      case '.':
        return {
          t: 'char',
          test: this.flags.has('s')
            ? () => true
            : (c) => c !== 10 && c !== 13 && c !== 0x2028 && c !== 0x2029,
        };
      case '^':
        return { t: 'assert', kind: 'bol' };
      case '$':
        return { t: 'assert', kind: 'eol' };
      case '\\':
        return this.escape();
      case '*':
      case '+':
      case '?':
        throw new RegexSyntaxError('nothing to repeat');
      default:
        return this.literal(ch.codePointAt(0) as number);
    }
  }

  private literal(cp: number): Node {
    if (this.flags.has('i')) {
      const lower = foldCase(cp);
      return { t: 'char', test: (c) => c === cp || foldCase(c) === lower };
    }
    return { t: 'char', test: (c) => c === cp };
  }

  private group(): Node {
    if (this.peek() === '?') {
      const next = this.peek(1);
      if (next === ':') this.pos += 2;
      else if (next === '=' || next === '!')
        throw new RegexSyntaxError('lookahead is not supported');
      else if (next === '<' && (this.peek(2) === '=' || this.peek(2) === '!')) {
        throw new RegexSyntaxError('lookbehind is not supported');
      } else if (next === '<' || (next === 'P' && this.peek(2) === '<')) {
        const close = this.src.indexOf('>', this.pos);
        if (close < 0) throw new RegexSyntaxError('unterminated group name');
        this.pos = close + 1;
      } else throw new RegexSyntaxError('inline flags and extensions (?...) are not supported');
    }
    const inner = this.alternation();
    if (this.src[this.pos++] !== ')') throw new RegexSyntaxError("missing ')'");
    return inner;
  }

  private escape(): Node {
    const ch = this.src[this.pos++];
    if (ch === undefined) throw new RegexSyntaxError('pattern ends with a lone backslash');
    if (CLASS_ESCAPES[ch]) return { t: 'char', test: CLASS_ESCAPES[ch] };
    if (ch === 'b') return { t: 'assert', kind: 'wordb' };
    if (ch === 'B') return { t: 'assert', kind: 'nwordb' };
    if (/[1-9]/.test(ch) || ch === 'k')
      throw new RegexSyntaxError('backreferences are not supported');
    if (ch === 'A' || ch === 'Z' || ch === 'z') {
      throw new RegexSyntaxError(`\\${ch} is not supported; use ^ and $`);
    }
    return this.literal(this.escapedCodePoint(ch));
  }

  /** The code point of an escape that stands for one character (`\n`, `\x41`, `\.`). */
  private escapedCodePoint(ch: string): number {
    if (ch in CONTROL_ESCAPES) return CONTROL_ESCAPES[ch];
    if (ch === 'x' || ch === 'u') {
      const len = ch === 'x' ? 2 : 4;
      const hex = this.src.slice(this.pos, this.pos + len).join('');
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) {
        throw new RegexSyntaxError(`invalid \\${ch} escape`);
      }
      this.pos += len;
      return parseInt(hex, 16);
    }
    if (/[a-zA-Z0-9]/.test(ch)) throw new RegexSyntaxError(`unknown escape \\${ch}`);
    return ch.codePointAt(0) as number;
  }

  private charClass(): Node {
    let negate = false;
    if (this.peek() === '^') {
      negate = true;
      this.pos++;
    }
    const parts: CharPredicate[] = [];
    let first = true;
    for (;;) {
      const ch = this.src[this.pos++];
      if (ch === undefined) throw new RegexSyntaxError("missing ']'");
      if (ch === ']' && !first) break;
      first = false;
      let lo: number;
      if (ch === '\\') {
        const e = this.src[this.pos++];
        if (e === undefined) throw new RegexSyntaxError("missing ']'");
        if (CLASS_ESCAPES[e]) {
          parts.push(CLASS_ESCAPES[e]);
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
            throw new RegexSyntaxError('invalid range in character class');
          hi = this.escapedCodePoint(e);
        } else hi = h.codePointAt(0) as number;
        if (hi < lo) throw new RegexSyntaxError('range out of order in character class');
        parts.push((c) => c >= lo && c <= hi);
      } else {
        const cp = lo;
        parts.push((c) => c === cp);
      }
    }
    const ci = this.flags.has('i');
    const inSet = (c: number) => parts.some((p) => p(c));
    const matches: CharPredicate = ci
      ? (c) => inSet(c) || inSet(foldCase(c)) || inSet(upperCase(c))
      : inSet;
    return { t: 'char', test: negate ? not(matches) : matches };
  }
}

function foldCase(cp: number): number {
  return String.fromCodePoint(cp).toLowerCase().codePointAt(0) as number;
}
function upperCase(cp: number): number {
  return String.fromCodePoint(cp).toUpperCase().codePointAt(0) as number;
}

class Compiler {
  readonly prog: Inst[] = [];

  private emit(inst: Inst): number {
    if (this.prog.length >= MAX_PROGRAM_SIZE) {
      throw new RegexSyntaxError('pattern is too complex (too many repetitions)');
    }
    this.prog.push(inst);
    return this.prog.length - 1;
  }

  compile(node: Node): void {
    switch (node.t) {
      case 'char':
        this.emit({ op: 'char', test: node.test });
        return;
      case 'assert':
        this.emit({ op: 'assert', kind: node.kind });
        return;
      case 'cat':
        for (const item of node.items) this.compile(item);
        return;
      case 'alt': {
        const jumps: number[] = [];
        for (let i = 0; i < node.items.length - 1; i++) {
          const split = this.emit({ op: 'split', x: 0, y: 0 });
          this.patchSplit(split, this.prog.length, -1);
          this.compile(node.items[i]);
          jumps.push(this.emit({ op: 'jmp', x: 0 }));
          this.patchSplit(split, -1, this.prog.length);
        }
        this.compile(node.items[node.items.length - 1]);
        for (const j of jumps) (this.prog[j] as { x: number }).x = this.prog.length;
        return;
      }
      case 'rep':
        this.repeat(node.node, node.min, node.max);
        return;
    }
  }

  private patchSplit(at: number, x: number, y: number): void {
    const inst = this.prog[at] as { x: number; y: number };
    if (x >= 0) inst.x = x;
    if (y >= 0) inst.y = y;
  }

  private repeat(node: Node, min: number, max: number): void {
    for (let i = 0; i < min; i++) this.compile(node);
    if (max === Infinity) {
      const split = this.emit({ op: 'split', x: 0, y: 0 });
      this.patchSplit(split, this.prog.length, -1);
      this.compile(node);
      this.emit({ op: 'jmp', x: split });
      this.patchSplit(split, -1, this.prog.length);
      return;
    }
    const splits: number[] = [];
    for (let i = min; i < max; i++) {
      const split = this.emit({ op: 'split', x: 0, y: 0 });
      this.patchSplit(split, this.prog.length, -1);
      splits.push(split);
      this.compile(node);
    }
    for (const s of splits) this.patchSplit(s, -1, this.prog.length);
  }
}

/** A compiled pattern; `test` is anchored at the start like Python's `re.match`. */
export interface SafeRegex {
  readonly source: string;
  readonly flags: string;
  /** Whether a prefix of `input` matches (add `$` to the pattern to match the whole input). */
  test(input: string): boolean;
}

const FLAG_SET = new Set<string>(['i', 'm', 's']);

/** Checks flags text (`"im"`) and returns the flag set; throws RegexSyntaxError. */
export function parseFlags(flags: string): Set<RegexFlag> {
  const out = new Set<RegexFlag>();
  for (const f of flags) {
    if (!FLAG_SET.has(f)) throw new RegexSyntaxError(`unknown flag '${f}' (use i, m or s)`);
    out.add(f as RegexFlag);
  }
  return out;
}

/** Compiles a pattern of the safe subset; throws RegexSyntaxError with a readable reason. */
export function compileSafeRegex(pattern: string, flags = ''): SafeRegex {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw new RegexSyntaxError(`pattern is longer than ${MAX_PATTERN_LENGTH} characters`);
  }
  const flagSet = parseFlags(flags);
  const ast = new Parser(pattern, flagSet).parse();
  const compiler = new Compiler();
  compiler.compile(ast);
  compiler.prog.push({ op: 'match' });
  const prog = compiler.prog;
  const multiline = flagSet.has('m');
  return {
    source: pattern,
    flags: [...flagSet].sort().join(''),
    test: (input) =>
      run(
        prog,
        Array.from(input, (s) => s.codePointAt(0) as number),
        multiline,
      ),
  };
}

function run(prog: Inst[], input: number[], multiline: boolean): boolean {
  const n = input.length;
  // Generation stamps instead of clearing a visited set at every step.
  const seen = new Int32Array(prog.length).fill(-1);
  let current: number[] = [];
  let next: number[] = [];
  const stack: number[] = [];

  const holds = (kind: AssertKind, pos: number): boolean => {
    const prev = pos > 0 ? input[pos - 1] : -1;
    const cur = pos < n ? input[pos] : -1;
    switch (kind) {
      case 'bol':
        return pos === 0 || (multiline && prev === 10);
      case 'eol':
        return pos === n || (multiline && cur === 10);
      case 'wordb':
      case 'nwordb': {
        const boundary = (prev >= 0 && isWord(prev)) !== (cur >= 0 && isWord(cur));
        return kind === 'wordb' ? boundary : !boundary;
      }
    }
  };

  /** Follows epsilon edges from pc at pos; returns true when MATCH is reachable. */
  const add = (list: number[], start: number, pos: number, gen: number): boolean => {
    stack.push(start);
    while (stack.length) {
      const pc = stack.pop() as number;
      if (seen[pc] === gen) continue;
      seen[pc] = gen;
      const inst = prog[pc];
      switch (inst.op) {
        case 'match':
          stack.length = 0;
          return true;
        case 'jmp':
          stack.push(inst.x);
          break;
        case 'split':
          stack.push(inst.y, inst.x);
          break;
        case 'assert':
          if (holds(inst.kind, pos)) stack.push(pc + 1);
          break;
        case 'char':
          list.push(pc);
          break;
      }
    }
    return false;
  };

  if (add(current, 0, 0, 0)) return true;
  for (let pos = 0; pos < n && current.length > 0; pos++) {
    const cp = input[pos];
    next.length = 0;
    for (const pc of current) {
      const inst = prog[pc] as { op: 'char'; test: CharPredicate };
      if (inst.test(cp) && add(next, pc + 1, pos + 1, pos + 1)) return true;
    }
    [current, next] = [next, current];
  }
  return false;
}
