import { describe, expect, it } from '@jest/globals';
import { slugify } from './slugify';

const IDENTIFIER = /^[a-z][a-z0-9_]{0,62}$/;

describe('slugify', () => {
  it.each([
    ['Categories', 'categories'],
    ['Blog posts', 'blog_posts'],
    ['  Blog   Posts  ', 'blog_posts'],
    ['View count', 'view_count'],
    ['view_count', 'view_count'],
    ['E-mail address', 'e_mail_address'],
    ["Author's name", 'authors_name'],
    ['Author’s name', 'authors_name'],
    ['Crème brûlée', 'creme_brulee'],
    ['Straße', 'strasse'],
    ['2024 sales', 'n_2024_sales'],
    ['_private', 'private'],
    ['Price (€)', 'price'],
    ['Title 2', 'title_2'],
  ])('%j → %j', (displayName, name) => {
    expect(slugify(displayName)).toBe(name);
  });

  it.each(['', '   ', '—', '日本語', '!!!'])('%j leaves nothing usable', (displayName) => {
    expect(slugify(displayName)).toBe('');
  });

  it('cuts long names to 63 characters without a trailing underscore', () => {
    const sut = slugify(`${'a'.repeat(62)} b`);
    expect(sut).toBe('a'.repeat(62));
    expect(slugify('word '.repeat(40))).toMatch(IDENTIFIER);
    expect(slugify('word '.repeat(40)).length).toBeLessThanOrEqual(63);
  });

  it('always gives a valid identifier or nothing', () => {
    for (const text of ['Ünïcödé Tëxt', '9', 'a-b-c', 'x'.repeat(100), 'Ñandú', '__a__']) {
      const name = slugify(text);
      expect(name === '' || IDENTIFIER.test(name)).toBe(true);
    }
  });
});
