import { compilePattern, MAX_PROGRAM_SIZE } from './pattern';

describe('compilePattern', () => {
  it.each([
    ['abc', '', 'abcdef', true],
    ['abc', '', 'xabc', false],
    ['^a+$', '', 'aaaa', true],
    ['^a+$', '', 'aaab', false],
    ['[a-z]{2,3}\\d', 'i', 'AB1', true],
    ['foo|bar', '', 'barx', true],
    ['(?:ab)+$', '', 'ababab', true],
    ['(?<year>\\d{4})-\\d\\d', '', '2024-01', true],
    ['(?P<year>\\d{4})$', '', '2024', true],
    ['(a|b)*c', '', 'ababab', false],
    ['\\bfoo\\b', '', 'foo bar', true],
    ['a$', 'm', 'a\nb', true],
    ['a$', '', 'a\nb', false],
    ['^b', 'm', 'a\nb', false], // anchored at the start of the value whatever the flags
    ['a\\n^b', 'm', 'a\nb', true],
    ['a.b', '', 'a\nb', false],
    ['a.b', '', 'a\rb', false],
    ['a.b', 's', 'a\nb', true],
    ['[^\\s]+', '', '  ', false],
    ['\\s$', '', '\u00a0', true], // JavaScript's \s, not RE2's ASCII one
    ['\\S', '', '\u3000', false],
    ['[\\S]', '', 'x', true],
    ['[^\\S]', '', '\u2028', true],
    ['\\w', 'i', '\u212a', false], // \w stays ASCII under flag i, as before
    ['[\\]a-]+$', '', ']-a', true],
    ['\\x41\\u00e9', '', 'Aé', true],
    ['\\u00C9', 'i', 'é', true],
    ['a{2}$', '', 'aaa', false],
    ['a{2,}$', '', 'aaaa', true],
    ['a{2}{2}$', '', 'aaaa', true],
    ['a{,2}', '', 'a{,2}', true], // not a quantifier: literal text, as in JavaScript
    ['x?y', '', 'y', true],
    ['a*?b', '', 'aab', true],
    ['[\\d-z]+$', '', '1-z', true],
    ['[\\b]', '', '\b', true],
    ['😀+$', '', '😀😀', true],
    ['[😀-😂]$', '', '😁', true],
    ['\\$\\.\\*\\(\\)\\[\\{\\|\\/', '', '$.*()[{|/', true],
    ['a|', '', 'zzz', true],
  ])('/%s/%s on %j → %s', (pattern, flags, input, expected) => {
    expect(compilePattern(pattern, flags).test(input)).toBe(expected);
  });

  it.each([
    ['(a', /missing/],
    ['a)', /unmatched/],
    ['a**', /nothing to repeat/],
    ['*a', /nothing to repeat/],
    ['^*', /nothing to repeat/],
    ['(?=a)', /lookahead/],
    ['(?!a)', /lookahead/],
    ['(?<!a)b', /lookbehind/],
    ['(?i)a', /inline flags/],
    ['(a)\\1', /backreferences/],
    ['\\k<x>', /backreferences/],
    ['a++', /possessive/],
    ['[z-a]', /out of order/],
    ['a{5,2}', /out of order/],
    ['a{1001}', /repeat counts above 1000/],
    ['(a{40}){40}', /nested repeat counts multiply to more than 1000/], // RE2: nested counts multiply to at most 1000
    ['\\q', /unknown escape/],
    ['\\u12', /invalid \\u escape/],
  ])('rejects %j', (pattern, reason) => {
    expect(() => compilePattern(pattern)).toThrow(reason);
  });

  it('rejects unknown flags', () => {
    expect(() => compilePattern('a', 'g')).toThrow(/unknown flag/);
  });

  it('caps length and program size at save, naming the limit', () => {
    expect(() => compilePattern('x'.repeat(513), '', true)).toThrow(/longer than 512 characters/);
    expect(compilePattern('x'.repeat(512), '', true).test('x'.repeat(512))).toBe(true);
    const big = '^(?:[a-z ]{0,620}[a-z ]{0,620}[a-z ]{0,620}[a-z ]{0,620})*$';
    expect(() => compilePattern(big, '', true)).toThrow(
      new RegExp(`at most ${MAX_PROGRAM_SIZE} are allowed`),
    );
    // A rule stored before the cap still compiles: the write budget bounds it instead.
    expect(compilePattern(big).programSize).toBeGreaterThan(MAX_PROGRAM_SIZE);
    const fits = '^(?:[a-z ]{0,250}[a-z ]{0,250}[a-z ]{0,250}[a-z ]{0,250})*$';
    expect(compilePattern(fits, '', true).programSize).toBeLessThanOrEqual(MAX_PROGRAM_SIZE);
  });

  it.each(['(a+)+$', '(a|a)*$', '(a*)*b', '(\\w+\\s?)*$', '^(a|aa)+$'])(
    'answers the classic catastrophic pattern %s on a 10,000-character value',
    (pattern) => {
      expect(compilePattern(pattern).test(`${'a'.repeat(10_000)}!`)).toBe(false);
    },
  );
});
