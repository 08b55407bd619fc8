import { randomBytes, randomUUID } from 'node:crypto';

import { Client, Pool, type PoolClient } from 'pg';

import { AppError } from '../common/errors/app-error';
import type { CollectionMeta, FieldMeta } from './catalog.types';
import { projectSchemaName } from './identifiers';
import { plan } from './schema-diff';
import { createdByIndexName, foreignKeyName, indexName, type SchemaOp } from './schema-op';
import { SchemaChangeError, SchemaMigrator } from './schema-migrator';

const ADMIN_URL =
  process.env.TEST_DATABASE_URL ??
  process.env.DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';
const DB_NAME = `bf_sm_${randomBytes(6).toString('hex')}`;

function urlFor(database: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function admin<T>(run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

let pool: Pool;
const migrator = new SchemaMigrator();

beforeAll(async () => {
  await admin((c) => c.query(`CREATE DATABASE ${DB_NAME}`));
  pool = new Pool({ connectionString: urlFor(DB_NAME), max: 6 });
  // Dropping the database at the end terminates idle clients; that is expected, not a failure.
  pool.on('error', () => undefined);
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_proc WHERE proname = 'gen_random_uuid'`,
  );
  if (rows[0].n === 0) await pool.query('CREATE EXTENSION IF NOT EXISTS pgcrypto');
  await pool.query(`CREATE SCHEMA backendify`);
  await pool.query(`CREATE TABLE backendify.schema_ops (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    project_id uuid NOT NULL,
    collection_id uuid NULL,
    op_type text NOT NULL,
    payload_json jsonb NOT NULL,
    sql text,
    status text NOT NULL CHECK (status IN ('applied', 'failed')),
    error text NULL,
    actor_user_id uuid NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`);
  await pool.query(`CREATE TABLE backendify.test_metadata (
    project_id uuid NOT NULL, name text NOT NULL
  )`);
});

afterAll(async () => {
  await pool.end();
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`));
});

async function withClient<T>(run: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await run(client);
  } finally {
    client.release();
  }
}

async function columnsOf(schema: string, table: string): Promise<string[]> {
  const { rows } = await pool.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns
     WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
    [schema, table],
  );
  return rows.map((r) => r.column_name);
}

async function tablesOf(schema: string): Promise<string[]> {
  const { rows } = await pool.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`,
    [schema],
  );
  return rows.map((r) => r.table_name);
}

async function indexesOf(schema: string): Promise<string[]> {
  const { rows } = await pool.query<{ indexname: string }>(
    `SELECT indexname FROM pg_indexes WHERE schemaname = $1 ORDER BY 1`,
    [schema],
  );
  return rows.map((r) => r.indexname);
}

async function opsOf(projectId: string): Promise<{ op_type: string; status: string }[]> {
  const { rows } = await pool.query<{ op_type: string; status: string }>(
    `SELECT op_type, status FROM backendify.schema_ops WHERE project_id = $1 ORDER BY created_at, op_type`,
    [projectId],
  );
  return rows;
}

function newProject(): { projectId: string; schema: string } {
  const projectId = randomUUID();
  return { projectId, schema: projectSchemaName(projectId) };
}

function baseOps(schema: string): SchemaOp[] {
  return [
    { kind: 'createSchema', schema },
    { kind: 'createUsersTable', schema },
    { kind: 'createTable', schema, table: 'authors', idType: 'bigint' },
    { kind: 'createTable', schema, table: 'posts', idType: 'bigint' },
    {
      kind: 'addColumn',
      schema,
      table: 'posts',
      column: 'title',
      columnType: 'text',
      notNull: true,
      defaultValue: 'untitled',
    },
    {
      kind: 'addColumn',
      schema,
      table: 'posts',
      column: 'author_id',
      columnType: 'bigint',
      notNull: false,
      defaultValue: null,
      relation: true,
    },
    {
      kind: 'addColumn',
      schema,
      table: 'posts',
      column: 'owner_id',
      columnType: 'uuid',
      notNull: false,
      defaultValue: null,
      relation: true,
    },
    { kind: 'ensureExtension', name: 'pg_trgm' },
    {
      kind: 'createIndex',
      schema,
      table: 'posts',
      column: 'title',
      method: 'trigram',
      name: indexName('posts', 'title', 'trigram'),
    },
    {
      kind: 'createIndex',
      schema,
      table: 'posts',
      column: 'author_id',
      method: 'btree',
      name: indexName('posts', 'author_id', 'btree'),
    },
    {
      kind: 'addForeignKey',
      schema,
      table: 'posts',
      column: 'author_id',
      targetTable: 'authors',
      onDelete: 'SET NULL',
      name: foreignKeyName('posts', 'author_id'),
    },
    {
      kind: 'addForeignKey',
      schema,
      table: 'posts',
      column: 'owner_id',
      targetTable: '_users',
      onDelete: 'CASCADE',
      name: foreignKeyName('posts', 'owner_id'),
    },
    { kind: 'createTable', schema, table: 'tags', idType: 'bigint' },
    {
      kind: 'createJunctionTable',
      schema,
      table: 'posts_tags',
      source: { column: 'posts_id', table: 'posts', idType: 'bigint' },
      target: { column: 'tags_id', table: 'tags', idType: 'bigint' },
    },
  ];
}

describe('SchemaMigrator on real PostgreSQL', () => {
  it('applies a multi-op change: tables, columns, indexes, FKs, metadata and schema_ops rows', async () => {
    const { projectId, schema } = newProject();
    const ops = baseOps(schema);
    const result = await withClient((client) =>
      migrator.apply(client, {
        projectId,
        ops,
        actorUserId: null,
        writeMetadata: async (c) => {
          await c.query(`INSERT INTO backendify.test_metadata VALUES ($1, 'posts')`, [projectId]);
        },
      }),
    );
    expect(result.sql.length).toBeGreaterThan(ops.length);
    expect(await tablesOf(schema)).toEqual(['_users', 'authors', 'posts', 'posts_tags', 'tags']);
    expect(await columnsOf(schema, 'posts')).toEqual([
      'id',
      'created_at',
      'updated_at',
      'created_by_user_id',
      'created_by_app_user_id',
      'title',
      'author_id',
      'owner_id',
    ]);
    expect(await columnsOf(schema, '_users')).toEqual([
      'id',
      'email',
      'password_hash',
      'is_email_verified',
      'is_disabled',
      'created_at',
      'updated_at',
      'created_by_user_id',
      'created_by_app_user_id',
    ]);
    expect(await indexesOf(schema)).toEqual(
      [
        '_users_created_by_app_user_id_idx',
        '_users_email_key',
        '_users_pkey',
        'authors_created_by_app_user_id_idx',
        'authors_pkey',
        createdByIndexName('posts'),
        'posts_author_id_idx',
        'posts_pkey',
        'posts_tags_pkey',
        'posts_tags_tags_id_idx',
        'posts_title_trgm',
        createdByIndexName('tags'),
        'tags_pkey',
      ].sort(),
    );
    const fks = await pool.query<{ conname: string; confdeltype: string }>(
      `SELECT conname, confdeltype FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
       WHERE n.nspname = $1 AND contype = 'f' ORDER BY conname`,
      [schema],
    );
    expect(fks.rows).toEqual([
      { conname: 'posts_author_id_fkey', confdeltype: 'n' },
      { conname: 'posts_owner_id_fkey', confdeltype: 'c' },
      { conname: 'posts_tags_posts_id_fkey', confdeltype: 'c' },
      { conname: 'posts_tags_tags_id_fkey', confdeltype: 'c' },
    ]);
    const recorded = await opsOf(projectId);
    expect(recorded).toHaveLength(ops.length);
    expect(recorded.every((r) => r.status === 'applied')).toBe(true);
    expect(recorded.map((r) => r.op_type)).toEqual(
      expect.arrayContaining([
        'create_schema',
        'create_users_table',
        'create_table',
        'add_column',
        'add_relation_column',
        'ensure_extension',
        'create_index',
        'add_foreign_key',
        'create_junction_table',
      ]),
    );
    const meta = await pool.query(
      `SELECT name FROM backendify.test_metadata WHERE project_id = $1`,
      [projectId],
    );
    expect(meta.rows).toEqual([{ name: 'posts' }]);

    await pool.query(`INSERT INTO ${schema}.posts DEFAULT VALUES`);
    const row = await pool.query<{ id: string; title: string }>(
      `SELECT id::text, title FROM ${schema}.posts`,
    );
    expect(row.rows).toEqual([{ id: '1', title: 'untitled' }]);
  });

  it('a failure in the middle of a multi-op change changes nothing and leaves one failed row', async () => {
    const { projectId, schema } = newProject();
    await withClient((client) =>
      migrator.apply(client, {
        projectId,
        actorUserId: null,
        ops: [
          { kind: 'createSchema', schema },
          { kind: 'createTable', schema, table: 'items', idType: 'bigint' },
        ],
      }),
    );
    await pool.query(`INSERT INTO ${schema}.items DEFAULT VALUES`);
    const tablesBefore = await tablesOf(schema);
    const columnsBefore = await columnsOf(schema, 'items');
    const indexesBefore = await indexesOf(schema);
    const opsBefore = await opsOf(projectId);
    const actorUserId = randomUUID();

    const failing: SchemaOp[] = [
      { kind: 'createTable', schema, table: 'orders', idType: 'bigint' },
      {
        kind: 'addColumn',
        schema,
        table: 'items',
        column: 'price',
        columnType: 'bigint',
        notNull: false,
        defaultValue: null,
      },
      {
        kind: 'addColumn',
        schema,
        table: 'items',
        column: 'sku',
        columnType: 'text',
        notNull: true,
        defaultValue: null,
      },
      {
        kind: 'createIndex',
        schema,
        table: 'items',
        column: 'price',
        method: 'unique',
        name: indexName('items', 'price', 'unique'),
      },
    ];
    const error = await withClient((client) =>
      migrator
        .apply(client, {
          projectId,
          ops: failing,
          actorUserId,
          writeMetadata: async (c) => {
            await c.query(`INSERT INTO backendify.test_metadata VALUES ($1, 'orders')`, [
              projectId,
            ]);
          },
        })
        .then(
          () => null,
          (e: unknown) => e,
        ),
    );
    expect(error).toBeInstanceOf(SchemaChangeError);
    const schemaError = error as SchemaChangeError;
    expect(schemaError.pgCode).toBe('23502');
    expect(schemaError.code).toBe('VALIDATION_FAILED');
    expect(schemaError.status).toBe(400);
    expect(schemaError.opIndex).toBe(2);
    expect(schemaError.detail).not.toMatch(/ALTER|TABLE|"/);

    expect(await tablesOf(schema)).toEqual(tablesBefore);
    expect(await columnsOf(schema, 'items')).toEqual(columnsBefore);
    expect(await indexesOf(schema)).toEqual(indexesBefore);
    const meta = await pool.query(`SELECT 1 FROM backendify.test_metadata WHERE project_id = $1`, [
      projectId,
    ]);
    expect(meta.rowCount).toBe(0);
    const opsAfter = await pool.query<{
      op_type: string;
      status: string;
      error: string;
      actor_user_id: string;
    }>(
      `SELECT op_type, status, error, actor_user_id FROM backendify.schema_ops
       WHERE project_id = $1 AND status = 'failed'`,
      [projectId],
    );
    expect(opsAfter.rows).toEqual([
      {
        op_type: 'add_column',
        status: 'failed',
        error: expect.any(String),
        actor_user_id: actorUserId,
      },
    ]);
    expect(await opsOf(projectId)).toHaveLength(opsBefore.length + 1);
  });

  it('maps a duplicate column to CONFLICT 409 and rolls back earlier ops', async () => {
    const { projectId, schema } = newProject();
    const error = await withClient((client) =>
      migrator
        .apply(client, {
          projectId,
          actorUserId: null,
          ops: [
            { kind: 'createSchema', schema },
            { kind: 'createTable', schema, table: 'things', idType: 'bigint' },
            {
              kind: 'addColumn',
              schema,
              table: 'things',
              column: 'created_at',
              columnType: 'text',
              notNull: false,
              defaultValue: null,
            },
          ],
        })
        .catch((e: unknown) => e),
    );
    expect(error).toMatchObject({ code: 'CONFLICT', status: 409, pgCode: '42701' });
    const schemas = await pool.query(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [schema]);
    expect(schemas.rowCount).toBe(0);
    expect(await opsOf(projectId)).toEqual([{ op_type: 'add_column', status: 'failed' }]);
  });

  it('works inside a caller transaction with a savepoint', async () => {
    const { projectId, schema } = newProject();
    await withClient(async (client) => {
      await client.query('BEGIN');
      await migrator.apply(client, {
        projectId,
        actorUserId: null,
        inTransaction: true,
        ops: [
          { kind: 'createSchema', schema },
          { kind: 'createTable', schema, table: 'kept', idType: 'bigint' },
        ],
      });
      const failed = await migrator
        .apply(client, {
          projectId,
          actorUserId: null,
          inTransaction: true,
          ops: [
            { kind: 'createTable', schema, table: 'dropped', idType: 'bigint' },
            { kind: 'createTable', schema, table: 'kept', idType: 'bigint' },
          ],
        })
        .catch((e: unknown) => e);
      expect(failed).toMatchObject({ code: 'CONFLICT', pgCode: '42P07' });
      await client.query('COMMIT');
    });
    expect(await tablesOf(schema)).toEqual(['kept']);
    const statuses = (await opsOf(projectId)).map((r) => r.status).sort();
    expect(statuses).toEqual(['applied', 'applied', 'failed']);
  });

  it('restores the caller lock_timeout after a savepoint apply', async () => {
    const { projectId, schema } = newProject();
    const setting = await withClient(async (client) => {
      await client.query('BEGIN');
      await client.query(`SET LOCAL lock_timeout = '1234ms'`);
      await migrator.apply(client, {
        projectId,
        actorUserId: null,
        inTransaction: true,
        ops: [{ kind: 'createSchema', schema }],
      });
      const { rows } = await client.query<{ v: string }>(
        `SELECT current_setting('lock_timeout') AS v`,
      );
      await client.query('ROLLBACK');
      return rows[0].v;
    });
    expect(setting).toBe('1234ms');
  });

  it('rolls the DDL back when writeMetadata fails, passing an AppError through', async () => {
    const { projectId, schema } = newProject();
    const appError = AppError.conflict('Collection posts already exists');
    const thrown = await withClient((client) =>
      migrator
        .apply(client, {
          projectId,
          actorUserId: null,
          ops: [
            { kind: 'createSchema', schema },
            { kind: 'createTable', schema, table: 'posts', idType: 'bigint' },
          ],
          writeMetadata: async () => {
            throw appError;
          },
        })
        .catch((e: unknown) => e),
    );
    expect(thrown).toBe(appError);
    const schemas = await pool.query(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [schema]);
    expect(schemas.rowCount).toBe(0);
    expect(await opsOf(projectId)).toEqual([{ op_type: 'schema_change', status: 'failed' }]);
  });

  it('maps a unique violation in the metadata write to CONFLICT', async () => {
    const { projectId, schema } = newProject();
    const thrown = await withClient((client) =>
      migrator
        .apply(client, {
          projectId,
          actorUserId: null,
          ops: [{ kind: 'createSchema', schema }],
          writeMetadata: async (c) => {
            await c.query(`CREATE TEMP TABLE uniq (n int PRIMARY KEY) ON COMMIT DROP`);
            await c.query(`INSERT INTO uniq VALUES (1), (1)`);
          },
        })
        .catch((e: unknown) => e),
    );
    expect(thrown).toMatchObject({ code: 'CONFLICT', pgCode: '23505', opIndex: null });
    expect((thrown as SchemaChangeError).detail).toBe('An item with that name already exists.');
  });

  it('serialises concurrent applies on one project', async () => {
    const { projectId, schema } = newProject();
    await withClient((client) =>
      migrator.apply(client, {
        projectId,
        actorUserId: null,
        ops: [
          { kind: 'createSchema', schema },
          { kind: 'createTable', schema, table: 'log', idType: 'bigint' },
        ],
      }),
    );
    const events: string[] = [];
    const slowApply = (name: string): Promise<unknown> =>
      withClient((client) =>
        migrator.apply(client, {
          projectId,
          actorUserId: null,
          // Separate tables take no common table lock, so only the advisory lock can serialise them.
          ops: [{ kind: 'createTable', schema, table: `log_${name}`, idType: 'bigint' }],
          writeMetadata: async (c) => {
            events.push(`${name}:start`);
            await c.query('SELECT pg_sleep(0.3)');
            events.push(`${name}:end`);
          },
        }),
      );
    await Promise.all([slowApply('a'), slowApply('b'), slowApply('c')]);
    for (let i = 0; i < events.length; i += 2) {
      expect(events[i].split(':')[0]).toBe(events[i + 1].split(':')[0]);
      expect(events[i]).toMatch(/:start$/);
    }
    expect(events).toHaveLength(6);
    expect(await tablesOf(schema)).toEqual(['log', 'log_a', 'log_b', 'log_c']);
  });

  it('gives up with 409 when the project lock is held longer than lock_timeout', async () => {
    const { projectId, schema } = newProject();
    const holder = await pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(
        `SELECT pg_advisory_xact_lock(hashtextextended('backendify:schema:' || $1, 0))`,
        [projectId],
      );
      const started = Date.now();
      const error = await withClient((client) =>
        migrator
          .apply(client, { projectId, actorUserId: null, ops: [{ kind: 'createSchema', schema }] })
          .catch((e: unknown) => e),
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(4500);
      expect(error).toMatchObject({
        code: 'CONFLICT',
        status: 409,
        detail: 'Could not acquire lock for schema change',
      });
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
  }, 15000);

  it.each([
    ["'); drop table x; --"],
    ['unicode ✓ ünïcødé 日本語 🐘'],
    ["back\\slash \\' and \\\\ double"],
    ["it's \"quoted\" $$ $tag$ E'\\x00'"],
  ])('stores the hostile default %j literally', async (value) => {
    const { projectId, schema } = newProject();
    await withClient((client) =>
      migrator.apply(client, {
        projectId,
        actorUserId: null,
        ops: [
          { kind: 'createSchema', schema },
          { kind: 'createTable', schema, table: 'x', idType: 'bigint' },
          {
            kind: 'addColumn',
            schema,
            table: 'x',
            column: 'note',
            columnType: 'text',
            notNull: true,
            defaultValue: value,
          },
          { kind: 'createTable', schema, table: 'y', idType: 'bigint' },
          {
            kind: 'addColumn',
            schema,
            table: 'y',
            column: 'note',
            columnType: 'text',
            notNull: false,
            defaultValue: null,
          },
          { kind: 'setDefault', schema, table: 'y', column: 'note', columnType: 'text', value },
        ],
      }),
    );
    await pool.query(`INSERT INTO ${schema}.x DEFAULT VALUES`);
    await pool.query(`INSERT INTO ${schema}.y DEFAULT VALUES`);
    const x = await pool.query<{ note: string }>(`SELECT note FROM ${schema}.x`);
    const y = await pool.query<{ note: string }>(`SELECT note FROM ${schema}.y`);
    expect(x.rows).toEqual([{ note: value }]);
    expect(y.rows).toEqual([{ note: value }]);
    expect(await tablesOf(schema)).toEqual(['x', 'y']);
  });

  it('maps a failed type conversion to 400 and keeps the column', async () => {
    const { projectId, schema } = newProject();
    await withClient((client) =>
      migrator.apply(client, {
        projectId,
        actorUserId: null,
        ops: [
          { kind: 'createSchema', schema },
          { kind: 'createTable', schema, table: 'm', idType: 'bigint' },
          {
            kind: 'addColumn',
            schema,
            table: 'm',
            column: 'qty',
            columnType: 'text',
            notNull: false,
            defaultValue: 'abc',
          },
        ],
      }),
    );
    await pool.query(`INSERT INTO ${schema}.m DEFAULT VALUES`);
    const error = await withClient((client) =>
      migrator
        .apply(client, {
          projectId,
          actorUserId: null,
          ops: [
            { kind: 'dropDefault', schema, table: 'm', column: 'qty' },
            { kind: 'alterColumnType', schema, table: 'm', column: 'qty', columnType: 'bigint' },
          ],
        })
        .catch((e: unknown) => e),
    );
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', status: 400, pgCode: '22P02' });
    const col = await pool.query<{ data_type: string; column_default: string }>(
      `SELECT data_type, column_default FROM information_schema.columns
       WHERE table_schema = $1 AND table_name = 'm' AND column_name = 'qty'`,
      [schema],
    );
    expect(col.rows).toEqual([{ data_type: 'text', column_default: "'abc'::text" }]);
  });

  it('rejects an invalid identifier before touching the database', async () => {
    const { projectId, schema } = newProject();
    const error = await withClient((client) =>
      migrator
        .apply(client, {
          projectId,
          actorUserId: null,
          ops: [
            { kind: 'createSchema', schema },
            { kind: 'createTable', schema, table: 'Robert"); DROP TABLE x;--', idType: 'bigint' },
          ],
        })
        .catch((e: unknown) => e),
    );
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', opIndex: 1, pgCode: null });
    expect(await opsOf(projectId)).toEqual([]);
  });

  it('applies planned changes end to end: create, rename with derived names, re-create the old name', async () => {
    const { projectId, schema } = newProject();
    const base = (fields: FieldMeta[], table = 'posts'): CollectionMeta => ({
      id: 'c-posts',
      projectId,
      name: table,
      displayName: table,
      schema,
      table,
      isSystem: false,
      idType: 'bigint',
      fields,
    });
    const f = (o: Partial<FieldMeta> & Pick<FieldMeta, 'id' | 'name'>): FieldMeta => ({
      displayName: o.name,
      column: o.name,
      type: 'string',
      options: {},
      isRequired: false,
      isUnique: false,
      isIndexed: false,
      isHidden: false,
      isSystem: false,
      isDeleted: false,
      defaultValue: null,
      ...o,
    });
    const apply = (ops: SchemaOp[]): Promise<unknown> =>
      withClient((client) => migrator.apply(client, { projectId, actorUserId: null, ops }));

    const v1 = base([
      f({ id: 'f1', name: 'title', isIndexed: true, isRequired: true, defaultValue: 'x' }),
      f({ id: 'f2', name: 'code', isUnique: true }),
      f({
        id: 'f3',
        name: 'parent',
        column: 'parent_id',
        type: 'relation',
        relation: {
          kind: 'many_to_one',
          targetCollectionId: 'c-posts',
          onDelete: 'SET NULL',
          displayField: null,
        },
      }),
    ]);
    await apply(plan(null, v1));
    await pool.query(`INSERT INTO ${schema}.posts (code) VALUES ('a'), ('b')`);

    const v2 = base(
      [
        f({ id: 'f1', name: 'headline', isIndexed: true, isRequired: true, defaultValue: 'x' }),
        f({ id: 'f2', name: 'code', type: 'text', isUnique: true }),
        f({
          id: 'f3',
          name: 'parent',
          column: 'parent_id',
          type: 'relation',
          relation: {
            kind: 'many_to_one',
            targetCollectionId: 'c-posts',
            onDelete: 'CASCADE',
            displayField: null,
          },
        }),
        f({ id: 'f4', name: 'views', type: 'int', isRequired: true, defaultValue: '0' }),
      ],
      'articles',
    );
    await apply(plan(v1, v2));
    expect(await indexesOf(schema)).toEqual([
      'articles_code_key',
      'articles_created_by_app_user_id_idx',
      'articles_headline_idx',
      'articles_headline_trgm',
      'articles_parent_id_idx',
      'articles_pkey',
    ]);
    const rows = await pool.query(
      `SELECT code, headline, views::int FROM ${schema}.articles ORDER BY code`,
    );
    expect(rows.rows).toEqual([
      { code: 'a', headline: 'x', views: 0 },
      { code: 'b', headline: 'x', views: 0 },
    ]);

    await apply(
      plan(null, {
        ...v1,
        id: 'c-posts-2',
        fields: v1.fields.map((x) => ({
          ...x,
          relation: x.relation && { ...x.relation, targetCollectionId: 'c-posts-2' },
        })),
      }),
    );
    expect(await tablesOf(schema)).toEqual(['articles', 'posts']);

    await apply(plan(v2, null));
    expect(await tablesOf(schema)).toEqual(['posts']);
  });
});
