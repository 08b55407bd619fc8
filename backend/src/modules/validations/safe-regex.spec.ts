import { compileSafeRegex } from './safe-regex';

describe('compileSafeRegex', () => {
  it.each([
    ['abc', '', 'abcdef', true],
    ['abc', '', 'xabc', false],
    ['^a+$', '', 'aaaa', true],
    ['^a+$', '', 'aaab', false],
    ['[a-z]{2,3}\\d', 'i', 'AB1', true],
    ['foo|bar', '', 'barx', true],
    ['(?:ab)+$', '', 'ababab', true],
    ['(?<year>\\d{4})-\\d\\d', '', '2024-01', true],
    ['(a|b)*c', '', 'ababab', false],
    ['\\bfoo\\b', '', 'foo bar', true],
    ['a$', 'm', 'a\nb', true],
    ['a.b', '', 'a\nb', false],
    ['a.b', 's', 'a\nb', true],
    ['[^\\s]+', '', '  ', false],
    ['[\\]a-]+$', '', ']-a', true],
    ['\\x41\\u00e9', '', 'Aé', true],
    ['a{2}$', '', 'aaa', false],
    ['a{2,}$', '', 'aaaa', true],
    ['x?y', '', 'y', true],
  ])('/%s/%s on %j → %s', (pattern, flags, input, expected) => {
    expect(compileSafeRegex(pattern, flags).test(input)).toBe(expected);
  });

  it.each([
    ['(a', /missing/],
    ['a)', /unmatched/],
    ['a**', /nothing to repeat/],
    ['*a', /nothing to repeat/],
    ['(?=a)', /lookahead/],
    ['(?<!a)b', /lookbehind/],
    ['(?i)a', /inline flags/],
    ['(a)\\1', /backreferences/],
    ['[z-a]', /out of order/],
    ['a{5,2}', /out of order/],
    ['a{1001}', /repeat counts/],
    ['(a{1000}){1000}', /too complex/],
    ['\\q', /unknown escape/],
    ['x'.repeat(501), /longer than 500/],
  ])('rejects %j', (pattern, reason) => {
    expect(() => compileSafeRegex(pattern)).toThrow(reason);
  });

  it('rejects unknown flags', () => {
    expect(() => compileSafeRegex('a', 'g')).toThrow(/unknown flag/);
  });

  it.each(['(a+)+$', '(a|a)*$', '(a*)*b', '(\\w+\\s?)*$', '^(a|aa)+$'])(
    'matches the classic catastrophic pattern %s in linear time',
    (pattern) => {
      const started = Date.now();
      expect(compileSafeRegex(pattern).test(`${'a'.repeat(10_000)}!`)).toBe(false);
      expect(Date.now() - started).toBeLessThan(1000);
    },
  );
});
