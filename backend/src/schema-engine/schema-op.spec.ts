import fc from 'fast-check';

import {
  assertValidObjectName,
  indexName,
  objectName,
  opTypeName,
  primaryKeyName,
  type SchemaOp,
} from './schema-op';

const schema = 'p_00000000_0000_4000_8000_000000000001';

describe('objectName', () => {
  it.each([
    [['posts', ['title'], 'idx'], 'posts_title_idx'],
    [['posts', ['title'], 'key'], 'posts_title_key'],
    [['posts', ['title'], 'trgm'], 'posts_title_trgm'],
    [['posts', ['author_id'], 'fkey'], 'posts_author_id_fkey'],
    [['posts', [], 'pkey'], 'posts_pkey'],
    [['_users', ['email'], 'key'], '_users_email_key'],
  ] as const)('%j → %s', ([table, columns, suffix], expected) => {
    expect(objectName(table, columns, suffix)).toBe(expected);
  });

  it('hash-suffixes names over 63 bytes, deterministically and distinctly', () => {
    const table = 'a'.repeat(40);
    const one = indexName(table, 'b'.repeat(30), 'btree');
    const two = indexName(table, `${'b'.repeat(29)}c`, 'btree');
    expect(one).toHaveLength(63);
    expect(one).toMatch(/^a{40}_b{9}_[0-9a-f]{8}_idx$/);
    expect(indexName(table, 'b'.repeat(30), 'btree')).toBe(one);
    expect(two).not.toBe(one);
  });

  it('keeps a name of exactly 63 bytes as is', () => {
    const name = primaryKeyName('t'.repeat(58));
    expect(name).toBe(`${'t'.repeat(58)}_pkey`);
  });

  it('always yields a valid name for any valid identifiers', () => {
    const ident = fc.stringMatching(/^[a-z][a-z0-9_]{0,62}$/);
    fc.assert(
      fc.property(ident, ident, fc.constantFrom('btree', 'unique', 'trigram'), (t, c, m) => {
        const name = indexName(t, c, m);
        assertValidObjectName(name);
        return Buffer.byteLength(name) <= 63 && indexName(t, c, m) === name;
      }),
    );
  });

  it.each(['', 'A_idx', 'x"y', 'a'.repeat(64), 'a-b', 'é'])(
    'assertValidObjectName rejects %j',
    (n) => {
      expect(() => assertValidObjectName(n)).toThrow();
    },
  );
});

describe('opTypeName', () => {
  it.each<[SchemaOp, string]>([
    [{ kind: 'createSchema', schema }, 'create_schema'],
    [{ kind: 'createTable', schema, table: 't', idType: 'bigint' }, 'create_table'],
    [
      {
        kind: 'addColumn',
        schema,
        table: 't',
        column: 'c',
        columnType: 'text',
        notNull: false,
        defaultValue: null,
      },
      'add_column',
    ],
    [
      {
        kind: 'addColumn',
        schema,
        table: 't',
        column: 'c_id',
        columnType: 'bigint',
        notNull: false,
        defaultValue: null,
        relation: true,
      },
      'add_relation_column',
    ],
    [{ kind: 'renameTable', schema, from: 'a', to: 'b' }, 'rename_table'],
    [{ kind: 'renameColumn', schema, table: 't', from: 'a', to: 'b' }, 'rename_column'],
    [{ kind: 'dropColumn', schema, table: 't', column: 'c' }, 'drop_column'],
    [
      { kind: 'alterColumnType', schema, table: 't', column: 'c', columnType: 'text' },
      'change_column_type',
    ],
    [{ kind: 'createUsersTable', schema }, 'create_users_table'],
    [{ kind: 'ensureExtension', name: 'pg_trgm' }, 'ensure_extension'],
    [{ kind: 'setNotNull', schema, table: 't', column: 'c' }, 'set_not_null'],
  ])('%j → %s', (op, expected) => {
    expect(opTypeName(op)).toBe(expected);
  });
});
