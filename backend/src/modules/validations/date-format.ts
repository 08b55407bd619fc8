/**
 * A strptime-style date checker for the `date_format` rule (the original used Python's strptime).
 * Formats compile to an anchored RegExp whose every quantifier is bounded, so matching is linear.
 */

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

interface Directive {
  re: string;
  part?:
    | 'year'
    | 'year2'
    | 'month'
    | 'monthName'
    | 'day'
    | 'hour'
    | 'hour12'
    | 'minute'
    | 'second'
    | 'yday'
    | 'ampm';
}

const DIRECTIVES: Record<string, Directive> = {
  Y: { re: '(\\d{4})', part: 'year' },
  y: { re: '(\\d{2})', part: 'year2' },
  m: { re: '(\\d{1,2})', part: 'month' },
  d: { re: '(\\d{1,2})', part: 'day' },
  H: { re: '(\\d{1,2})', part: 'hour' },
  I: { re: '(\\d{1,2})', part: 'hour12' },
  M: { re: '(\\d{1,2})', part: 'minute' },
  S: { re: '(\\d{1,2})', part: 'second' },
  f: { re: '\\d{1,6}' },
  p: { re: '([AaPp][Mm])', part: 'ampm' },
  b: { re: `(${MONTHS.map((m) => m.slice(0, 3)).join('|')})`, part: 'monthName' },
  B: { re: `(${MONTHS.join('|')})`, part: 'monthName' },
  j: { re: '(\\d{1,3})', part: 'yday' },
  z: { re: '(?:Z|[+-]\\d{2}:?\\d{2})' },
  '%': { re: '%' },
};

export const DATE_DIRECTIVES = Object.keys(DIRECTIVES);

export interface DateFormat {
  readonly format: string;
  test(value: string): boolean;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Compiles a format such as `%Y-%m-%d`; throws Error naming an unsupported directive. */
export function compileDateFormat(format: string): DateFormat {
  let re = '^';
  const parts: NonNullable<Directive['part']>[] = [];
  for (let i = 0; i < format.length; i++) {
    const ch = format[i];
    if (ch !== '%') {
      re += escapeRe(ch);
      continue;
    }
    const d = format[++i];
    const directive = d === undefined ? undefined : DIRECTIVES[d];
    if (!directive) {
      throw new Error(
        `Unsupported date directive '%${d ?? ''}'; use ${DATE_DIRECTIVES.map((x) => `%${x}`).join(' ')}`,
      );
    }
    re += directive.re;
    if (directive.part) parts.push(directive.part);
  }
  const regex = new RegExp(`${re}$`, 'i');
  return {
    format,
    test(value: string): boolean {
      if (value.length > 200) return false;
      const m = regex.exec(value);
      if (!m) return false;
      const got: Partial<Record<NonNullable<Directive['part']>, string>> = {};
      parts.forEach((p, idx) => (got[p] = m[idx + 1]));
      return plausible(got);
    },
  };
}

function plausible(p: Partial<Record<NonNullable<Directive['part']>, string>>): boolean {
  const num = (s: string | undefined) => (s === undefined ? undefined : Number(s));
  const year = num(p.year) ?? (p.year2 !== undefined ? 2000 + Number(p.year2) : 1900);
  const month =
    num(p.month) ??
    (p.monthName ? MONTHS.findIndex((m) => m.startsWith(p.monthName!.toLowerCase())) + 1 : 1);
  const day = num(p.day) ?? 1;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const inRange = (v: number | undefined, lo: number, hi: number) =>
    v === undefined || (v >= lo && v <= hi);
  if (month < 1 || month > 12) return false;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return (
    day >= 1 &&
    day <= days &&
    inRange(num(p.hour), 0, 23) &&
    inRange(num(p.hour12), 1, 12) &&
    inRange(num(p.minute), 0, 59) &&
    inRange(num(p.second), 0, 61) &&
    inRange(num(p.yday), 1, leap ? 366 : 365)
  );
}
