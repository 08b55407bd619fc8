import fc from 'fast-check';

import {
  assertValidIdentifier,
  identifierProblem,
  InvalidIdentifierError,
  projectSchemaName,
  quoteIdent,
  quoteQualified,
} from './identifiers';

describe('assertValidIdentifier', () => {
  it.each([
    'a',
    'posts',
    'order_items',
    'x1',
    'a_',
    'created_by_app_user_id',
    `a${'b'.repeat(62)}`,
  ])('accepts %j', (name) => {
    expect(() => assertValidIdentifier(name, 'field')).not.toThrow();
    expect(identifierProblem(name)).toBeNull();
  });

  it.each([
    ['empty', ''],
    ['reserved word', 'select'],
    ['reserved word (user)', 'user'],
    ['reserved word (table)', 'table'],
    ['system column name', 'ctid'],
    ['pg_ prefix', 'pg_shadow'],
    ['uppercase', 'Posts'],
    ['all uppercase', 'POSTS'],
    ['leading digit', '1posts'],
    ['leading underscore', '_users'],
    ['64 characters', `a${'b'.repeat(63)}`],
    ['unicode letter', 'café'],
    ['unicode lookalike', 'pоsts'],
    ['emoji', 'posts🐘'],
    ['double quote', 'po"sts'],
    ['single quote', "po'sts"],
    ['space', 'my posts'],
    ['hyphen', 'my-posts'],
    ['dot', 'a.b'],
    ['semicolon', 'a;drop table x'],
    ['NUL', 'a\u0000b'],
    ['newline', 'a\nb'],
    ['trailing newline', 'posts\n'],
  ])('rejects %s (%j)', (_why, name) => {
    expect(() => assertValidIdentifier(name, 'collection')).toThrow(InvalidIdentifierError);
  });

  it.each([[null], [undefined], [42], [{}], [['a']]])('rejects non-string %j', (value) => {
    expect(() => assertValidIdentifier(value, 'field')).toThrow(InvalidIdentifierError);
  });

  it('never rewrites a name: the error carries it unchanged', () => {
    try {
      assertValidIdentifier('Bad Name', 'field');
      throw new Error('expected a throw');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidIdentifierError);
      expect((error as InvalidIdentifierError).identifier).toBe('Bad Name');
      expect((error as InvalidIdentifierError).kind).toBe('field');
    }
  });

  it('for ANY string, either throws or the string matches ^[a-z][a-z0-9_]{0,62}$', () => {
    const anyString = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.stringMatching(/^[a-z_0-9A-Z"' ]{0,70}$/),
      fc.constantFrom('select', 'pg_x', 'a'.repeat(63), 'a'.repeat(64)),
    );
    fc.assert(
      fc.property(anyString, (name) => {
        let threw = false;
        try {
          assertValidIdentifier(name, 'field');
        } catch (error) {
          if (!(error instanceof InvalidIdentifierError)) throw error;
          threw = true;
        }
        return threw || /^[a-z][a-z0-9_]{0,62}$/.test(name);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('quoteIdent', () => {
  it.each([
    ['posts', '"posts"'],
    ['a"b', '"a""b"'],
    ['""', '""""""'],
    ['Robert"); DROP TABLE x;--', '"Robert""); DROP TABLE x;--"'],
    ['ünï', '"ünï"'],
  ])('%j → %s', (name, expected) => {
    expect(quoteIdent(name)).toBe(expected);
  });

  it('rejects NUL', () => {
    expect(() => quoteIdent('a\u0000')).toThrow();
  });

  it('for ANY string without NUL, the inner text with "" collapsed equals the input', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }).filter((s) => !s.includes('\u0000')),
        (name) => {
          const quoted = quoteIdent(name);
          if (!quoted.startsWith('"') || !quoted.endsWith('"') || quoted.length < 2) return false;
          const inner = quoted.slice(1, -1);
          // Every `"` inside must be part of a doubled pair, or the quoting could be escaped.
          if (/(^|[^"])"("")*([^"]|$)/.test(inner)) return false;
          return inner.replace(/""/g, '"') === name;
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('quoteQualified quotes both parts', () => {
    expect(quoteQualified('p_x', 'a"b')).toBe('"p_x"."a""b"');
  });
});

describe('projectSchemaName', () => {
  it('maps a uuid to p_<uuid with _>', () => {
    const name = projectSchemaName('3f2a0c1e-1234-4abc-8def-0123456789ab');
    expect(name).toBe('p_3f2a0c1e_1234_4abc_8def_0123456789ab');
    expect(() => assertValidIdentifier(name, 'schema')).not.toThrow();
  });

  it.each(['', 'not-a-uuid', '3F2A0C1E-1234-4ABC-8DEF-0123456789AB', "x'; drop schema public; --"])(
    'rejects %j',
    (id) => {
      expect(() => projectSchemaName(id)).toThrow();
    },
  );
});
