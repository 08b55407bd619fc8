import { foreignKeyName, indexName, type SchemaOp } from '../schema-op';
import { describeOp } from './describe-op';
import { renderOp } from './render-op';

const schema = 'p_00000000_0000_4000_8000_000000000001';

/** Statements joined one per line, so inline snapshots read like a migration file. */
function sql(op: SchemaOp): string {
  return renderOp(op).join(';\n');
}

describe('renderOp', () => {
  it('createSchema', () => {
    expect(sql({ kind: 'createSchema', schema })).toMatchInlineSnapshot(
      `"CREATE SCHEMA IF NOT EXISTS "p_00000000_0000_4000_8000_000000000001""`,
    );
  });

  it('dropSchema', () => {
    expect(sql({ kind: 'dropSchema', schema, cascade: true })).toMatchInlineSnapshot(
      `
      "DROP SCHEMA "p_00000000_0000_4000_8000_000000000001" CASCADE;
      DROP ROLE IF EXISTS "p_00000000_0000_4000_8000_000000000001_sql""
    `,
    );
    expect(sql({ kind: 'dropSchema', schema, cascade: false })).toMatchInlineSnapshot(
      `"DROP SCHEMA "p_00000000_0000_4000_8000_000000000001""`,
    );
  });

  it('createTable with bigint and uuid ids', () => {
    expect(sql({ kind: 'createTable', schema, table: 'posts', idType: 'bigint' }))
      .toMatchInlineSnapshot(`
"CREATE TABLE "p_00000000_0000_4000_8000_000000000001"."posts" (
  "id" bigint GENERATED ALWAYS AS IDENTITY,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  "created_by_user_id" text,
  "created_by_app_user_id" text,
  CONSTRAINT "posts_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "posts_created_by_app_user_id_idx" ON "p_00000000_0000_4000_8000_000000000001"."posts" ("created_by_app_user_id")"
`);
    expect(sql({ kind: 'createTable', schema, table: 'tokens', idType: 'uuid' }))
      .toMatchInlineSnapshot(`
"CREATE TABLE "p_00000000_0000_4000_8000_000000000001"."tokens" (
  "id" uuid DEFAULT gen_random_uuid(),
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  "created_by_user_id" text,
  "created_by_app_user_id" text,
  CONSTRAINT "tokens_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "tokens_created_by_app_user_id_idx" ON "p_00000000_0000_4000_8000_000000000001"."tokens" ("created_by_app_user_id")"
`);
  });

  it('createUsersTable', () => {
    expect(sql({ kind: 'createUsersTable', schema })).toMatchInlineSnapshot(`
"CREATE TABLE "p_00000000_0000_4000_8000_000000000001"."_users" (
  "id" uuid DEFAULT gen_random_uuid(),
  "email" text NOT NULL,
  "password_hash" text,
  "is_email_verified" boolean NOT NULL DEFAULT false,
  "is_disabled" boolean NOT NULL DEFAULT false,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  "created_by_user_id" text,
  "created_by_app_user_id" text,
  CONSTRAINT "_users_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "_users_created_by_app_user_id_idx" ON "p_00000000_0000_4000_8000_000000000001"."_users" ("created_by_app_user_id");
CREATE UNIQUE INDEX "_users_email_key" ON "p_00000000_0000_4000_8000_000000000001"."_users" ("email")"
`);
  });

  it('dropTable', () => {
    expect(sql({ kind: 'dropTable', schema, table: 'posts' })).toMatchInlineSnapshot(
      `"DROP TABLE "p_00000000_0000_4000_8000_000000000001"."posts""`,
    );
  });

  it('renameTable', () => {
    expect(
      sql({ kind: 'renameTable', schema, from: 'posts', to: 'articles' }),
    ).toMatchInlineSnapshot(
      `"ALTER TABLE "p_00000000_0000_4000_8000_000000000001"."posts" RENAME TO "articles""`,
    );
  });

  it('addColumn: plain, required with an escaped default, relation', () => {
    expect(
      sql({
        kind: 'addColumn',
        schema,
        table: 'posts',
        column: 'body',
        columnType: 'text',
        notNull: false,
        defaultValue: null,
      }),
    ).toMatchInlineSnapshot(
      `"ALTER TABLE "p_00000000_0000_4000_8000_000000000001"."posts" ADD COLUMN "body" text"`,
    );
    expect(
      sql({
        kind: 'addColumn',
        schema,
        table: 'posts',
        column: 'note',
        columnType: 'varchar(40)',
        notNull: true,
        defaultValue: "'); drop table x; --",
      }),
    ).toMatchInlineSnapshot(
      `"ALTER TABLE "p_00000000_0000_4000_8000_000000000001"."posts" ADD COLUMN "note" varchar(40) NOT NULL DEFAULT '''); drop table x; --'::varchar(40)"`,
    );
    expect(
      sql({
        kind: 'addColumn',
        schema,
        table: 'posts',
        column: 'path',
        columnType: 'text',
        notNull: false,
        defaultValue: "C:\\dir\\it's",
      }),
    ).toMatchInlineSnapshot(
      `"ALTER TABLE "p_00000000_0000_4000_8000_000000000001"."posts" ADD COLUMN "path" text DEFAULT E'C:\\\\dir\\\\it''s'::text"`,
    );
    expect(
      sql({
        kind: 'addColumn',
        schema,
        table: 'posts',
        column: 'price',
        columnType: 'numeric(10,2)',
        notNull: true,
        defaultValue: '0.00',
      }),
    ).toMatchInlineSnapshot(
      `"ALTER TABLE "p_00000000_0000_4000_8000_000000000001"."posts" ADD COLUMN "price" numeric(10,2) NOT NULL DEFAULT '0.00'::numeric(10,2)"`,
    );
    expect(
      sql({
        kind: 'addColumn',
        schema,
        table: 'posts',
        column: 'author_id',
        columnType: 'bigint',
        notNull: false,
        defaultValue: null,
        relation: true,
      }),
    ).toMatchInlineSnapshot(
      `"ALTER TABLE "p_00000000_0000_4000_8000_000000000001"."posts" ADD COLUMN "author_id" bigint"`,
    );
  });

  it('dropColumn', () => {
    expect(
      sql({ kind: 'dropColumn', schema, table: 'posts', column: 'body' }),
    ).toMatchInlineSnapshot(
      `"ALTER TABLE "p_00000000_0000_4000_8000_000000000001"."posts" DROP COLUMN "body""`,
    );
  });

  it('renameColumn', () => {
    expect(
      sql({ kind: 'renameColumn', schema, table: 'posts', from: 'title', to: 'headline' }),
    ).toMatchInlineSnapshot(
      `"ALTER TABLE "p_00000000_0000_4000_8000_000000000001"."posts" RENAME COLUMN "title" TO "headline""`,
    );
  });

  it('alterColumnType', () => {
    expect(
      sql({ kind: 'alterColumnType', schema, table: 'posts', column: 'qty', columnType: 'bigint' }),
    ).toMatchInlineSnapshot(
      `"ALTER TABLE "p_00000000_0000_4000_8000_000000000001"."posts" ALTER COLUMN "qty" TYPE bigint USING "qty"::bigint"`,
    );
  });

  it('setNotNull and dropNotNull', () => {
    expect(
      sql({ kind: 'setNotNull', schema, table: 'posts', column: 'title' }),
    ).toMatchInlineSnapshot(
      `"ALTER TABLE "p_00000000_0000_4000_8000_000000000001"."posts" ALTER COLUMN "title" SET NOT NULL"`,
    );
    expect(
      sql({ kind: 'dropNotNull', schema, table: 'posts', column: 'title' }),
    ).toMatchInlineSnapshot(
      `"ALTER TABLE "p_00000000_0000_4000_8000_000000000001"."posts" ALTER COLUMN "title" DROP NOT NULL"`,
    );
  });

  it('setDefault and dropDefault', () => {
    expect(
      sql({
        kind: 'setDefault',
        schema,
        table: 'posts',
        column: 'meta',
        columnType: 'jsonb',
        value: '{"a":"b\'c"}',
      }),
    ).toMatchInlineSnapshot(
      `"ALTER TABLE "p_00000000_0000_4000_8000_000000000001"."posts" ALTER COLUMN "meta" SET DEFAULT '{"a":"b''c"}'::jsonb"`,
    );
    expect(
      sql({ kind: 'dropDefault', schema, table: 'posts', column: 'meta' }),
    ).toMatchInlineSnapshot(
      `"ALTER TABLE "p_00000000_0000_4000_8000_000000000001"."posts" ALTER COLUMN "meta" DROP DEFAULT"`,
    );
  });

  it.each(['btree', 'unique', 'trigram'] as const)('createIndex %s', (method) => {
    expect(
      sql({
        kind: 'createIndex',
        schema,
        table: 'posts',
        column: 'title',
        method,
        name: indexName('posts', 'title', method),
      }),
    ).toBe(
      {
        btree: `CREATE INDEX "posts_title_idx" ON "${schema}"."posts" ("title")`,
        unique: `CREATE UNIQUE INDEX "posts_title_key" ON "${schema}"."posts" ("title")`,
        trigram: `CREATE INDEX "posts_title_trgm" ON "${schema}"."posts" USING gin ("title" gin_trgm_ops)`,
      }[method],
    );
  });

  it('dropIndex and renameIndex', () => {
    expect(sql({ kind: 'dropIndex', schema, name: 'posts_title_idx' })).toMatchInlineSnapshot(
      `"DROP INDEX "p_00000000_0000_4000_8000_000000000001"."posts_title_idx""`,
    );
    expect(
      sql({ kind: 'renameIndex', schema, from: 'posts_title_idx', to: 'posts_headline_idx' }),
    ).toMatchInlineSnapshot(
      `"ALTER INDEX "p_00000000_0000_4000_8000_000000000001"."posts_title_idx" RENAME TO "posts_headline_idx""`,
    );
  });

  it('addForeignKey for each ON DELETE action', () => {
    for (const onDelete of ['RESTRICT', 'CASCADE', 'SET NULL'] as const) {
      expect(
        sql({
          kind: 'addForeignKey',
          schema,
          table: 'posts',
          column: 'owner_id',
          targetTable: '_users',
          onDelete,
          name: foreignKeyName('posts', 'owner_id'),
        }),
      ).toContain(`ON DELETE ${onDelete}`);
    }
    expect(
      sql({
        kind: 'addForeignKey',
        schema,
        table: 'posts',
        column: 'author_id',
        targetTable: 'authors',
        onDelete: 'SET NULL',
        name: 'posts_author_id_fkey',
      }),
    ).toMatchInlineSnapshot(
      `"ALTER TABLE "p_00000000_0000_4000_8000_000000000001"."posts" ADD CONSTRAINT "posts_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "p_00000000_0000_4000_8000_000000000001"."authors" ("id") ON DELETE SET NULL"`,
    );
  });

  it('dropConstraint and renameConstraint', () => {
    expect(
      sql({ kind: 'dropConstraint', schema, table: 'posts', name: 'posts_author_id_fkey' }),
    ).toMatchInlineSnapshot(
      `"ALTER TABLE "p_00000000_0000_4000_8000_000000000001"."posts" DROP CONSTRAINT "posts_author_id_fkey""`,
    );
    expect(
      sql({
        kind: 'renameConstraint',
        schema,
        table: 'posts',
        from: 'posts_author_id_fkey',
        to: 'posts_writer_id_fkey',
      }),
    ).toMatchInlineSnapshot(
      `"ALTER TABLE "p_00000000_0000_4000_8000_000000000001"."posts" RENAME CONSTRAINT "posts_author_id_fkey" TO "posts_writer_id_fkey""`,
    );
  });

  it('createJunctionTable', () => {
    expect(
      sql({
        kind: 'createJunctionTable',
        schema,
        table: 'posts_tags',
        source: { column: 'posts_id', table: 'posts', idType: 'bigint' },
        target: { column: 'tags_id', table: 'tags', idType: 'bigint' },
      }),
    ).toMatchInlineSnapshot(`
"CREATE TABLE "p_00000000_0000_4000_8000_000000000001"."posts_tags" (
  "posts_id" bigint NOT NULL CONSTRAINT "posts_tags_posts_id_fkey" REFERENCES "p_00000000_0000_4000_8000_000000000001"."posts" ("id") ON DELETE CASCADE,
  "tags_id" bigint NOT NULL CONSTRAINT "posts_tags_tags_id_fkey" REFERENCES "p_00000000_0000_4000_8000_000000000001"."tags" ("id") ON DELETE CASCADE,
  CONSTRAINT "posts_tags_pkey" PRIMARY KEY ("posts_id", "tags_id")
);
CREATE INDEX "posts_tags_tags_id_idx" ON "p_00000000_0000_4000_8000_000000000001"."posts_tags" ("tags_id")"
`);
  });

  it('ensureExtension', () => {
    expect(sql({ kind: 'ensureExtension', name: 'pg_trgm' })).toMatchInlineSnapshot(`
"SELECT pg_advisory_xact_lock(hashtextextended('backendify:extensions', 0));
CREATE EXTENSION IF NOT EXISTS "pg_trgm""
`);
  });
});

describe('renderOp rejects what must never reach SQL', () => {
  const cases: [string, SchemaOp][] = [
    [
      'a quote in a table name',
      { kind: 'createTable', schema, table: 'x"; drop table y; --', idType: 'bigint' },
    ],
    ['an uppercase column', { kind: 'dropColumn', schema, table: 'posts', column: 'Title' }],
    [
      'a reserved word',
      { kind: 'renameColumn', schema, table: 'posts', from: 'title', to: 'select' },
    ],
    ['a pg_ prefix', { kind: 'createTable', schema, table: 'pg_shadow', idType: 'bigint' }],
    ['a system table name other than _users', { kind: 'dropTable', schema, table: '_roles' }],
    ['a bad schema', { kind: 'createSchema', schema: 'public' }],
    ['a renamed target', { kind: 'renameTable', schema, from: 'posts', to: 'Posts' }],
    [
      'a raw type',
      {
        kind: 'alterColumnType',
        schema,
        table: 'posts',
        column: 'a',
        columnType: 'text; drop table x',
      },
    ],
    [
      'a type with a default',
      {
        kind: 'addColumn',
        schema,
        table: 'posts',
        column: 'a',
        columnType: 'text default 1',
        notNull: false,
        defaultValue: null,
      },
    ],
    [
      'an unknown type',
      {
        kind: 'addColumn',
        schema,
        table: 'posts',
        column: 'a',
        columnType: 'money',
        notNull: false,
        defaultValue: null,
      },
    ],
    [
      'a NUL in a default',
      {
        kind: 'setDefault',
        schema,
        table: 'posts',
        column: 'a',
        columnType: 'text',
        value: 'a\u0000b',
      },
    ],
    ['a bad index name', { kind: 'dropIndex', schema, name: 'x"y' }],
    ['a too long index name', { kind: 'dropIndex', schema, name: 'a'.repeat(64) }],
    ['an unknown extension', { kind: 'ensureExtension', name: 'plpython3u' as 'pg_trgm' }],
    [
      'an unknown ON DELETE',
      {
        kind: 'addForeignKey',
        schema,
        table: 'a',
        column: 'b_id',
        targetTable: 'b',
        onDelete: 'NO ACTION; drop' as 'CASCADE',
        name: 'a_b_id_fkey',
      },
    ],
    [
      'identical junction columns',
      {
        kind: 'createJunctionTable',
        schema,
        table: 'posts_posts',
        source: { column: 'posts_id', table: 'posts', idType: 'bigint' },
        target: { column: 'posts_id', table: 'posts', idType: 'bigint' },
      },
    ],
  ];
  it.each(cases)('%s', (_name, op) => {
    expect(() => renderOp(op)).toThrow();
  });
});

describe('describeOp', () => {
  it('gives one sentence per op without SQL', () => {
    const ops: SchemaOp[] = [
      { kind: 'createTable', schema, table: 'posts', idType: 'bigint' },
      {
        kind: 'addColumn',
        schema,
        table: 'posts',
        column: 'title',
        columnType: 'text',
        notNull: true,
        defaultValue: 'x',
      },
      { kind: 'alterColumnType', schema, table: 'posts', column: 'qty', columnType: 'bigint' },
      {
        kind: 'createIndex',
        schema,
        table: 'posts',
        column: 'title',
        method: 'trigram',
        name: 'posts_title_trgm',
      },
      {
        kind: 'addForeignKey',
        schema,
        table: 'posts',
        column: 'author_id',
        targetTable: 'authors',
        onDelete: 'SET NULL',
        name: 'posts_author_id_fkey',
      },
    ];
    expect(ops.map(describeOp)).toMatchInlineSnapshot(`
[
  "Create table posts with the system columns.",
  "Add column title (text, required, default "x") to posts.",
  "Change the type of posts.qty to bigint, converting existing values.",
  "Create a trigram search index on posts.title.",
  "Make posts.author_id reference authors (on delete set null).",
]
`);
  });
});
