import fc from 'fast-check';
import { escapeLiteral } from 'pg';

import { columnTypeSql, defaultSql, InvalidColumnTypeError, quoteLiteral } from './sql-parts';

describe('quoteLiteral', () => {
  it.each([
    ['plain', "'plain'"],
    ["it's", "'it''s'"],
    ['a\\b', " E'a\\\\b'"],
    ["'); drop table x; --", "'''); drop table x; --'"],
    ['ünïcødé 🐘', "'ünïcødé 🐘'"],
    ['', "''"],
  ])('%j → %s', (input, expected) => {
    expect(quoteLiteral(input)).toBe(expected);
  });

  it("matches node-postgres' escapeLiteral for any string without NUL", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }).filter((s) => !s.includes('\u0000')),
        (value) => quoteLiteral(value) === escapeLiteral(value),
      ),
      { numRuns: 2000 },
    );
  });

  it('rejects NUL, which PostgreSQL text cannot hold', () => {
    expect(() => quoteLiteral('a\u0000')).toThrow();
  });
});

describe('defaultSql', () => {
  it('casts the escaped literal to the column type', () => {
    expect(defaultSql("x'y", 'text')).toBe("'x''y'::text");
    expect(defaultSql('a\\b', 'jsonb')).toBe("E'a\\\\b'::jsonb");
  });
});

describe('columnTypeSql', () => {
  it.each([
    'text',
    'bigint',
    'double precision',
    'boolean',
    'date',
    'timestamptz',
    'uuid',
    'jsonb',
    'numeric',
    'numeric(10,2)',
    'numeric(10, 2)',
    'varchar(255)',
    'text[]',
  ])('accepts %s', (type) => {
    expect(columnTypeSql(type)).toBe(type);
  });

  it.each([
    'TEXT',
    'text; drop table x',
    'text default 1',
    'text not null',
    'money',
    'varchar',
    'numeric(1,2,3)',
    'text collate "C"',
    'bigint)',
    '',
    'text(5)',
  ])('rejects %j', (type) => {
    expect(() => columnTypeSql(type)).toThrow(InvalidColumnTypeError);
  });
});
