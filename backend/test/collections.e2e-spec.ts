import { createTestApp, type TestApp } from './setup/test-app';
import { createAdmin, createProject, type TestAdmin } from './factories/admin.factory';
import { addField, createCollection, schemaOf } from './factories/schema.factory';

describe('schema builder: collections and fields', () => {
  let t: TestApp;
  let admin: TestAdmin;
  let pid: string;
  const base = () => `/api/projects/${pid}/schema/collections`;
  const columns = async (table: string) =>
    t.query<{
      column_name: string;
      data_type: string;
      is_nullable: string;
      column_default: string | null;
    }>(
      `SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns
       WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
      [schemaOf(pid), table],
    );
  const indexes = async (table: string) =>
    (
      await t.query<{ indexdef: string }>(
        `SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = $2`,
        [schemaOf(pid), table],
      )
    ).map((r) => r.indexdef);

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createAdmin(t);
    pid = (await createProject(t, admin)).id;
  });
  afterAll(() => t.close());

  it('lists the _users system collection with its system fields, never password_hash', async () => {
    const list = await t.request('GET', base(), { token: admin.token });
    expect(list.status).toBe(200);
    const users = list.body.find((c: { name: string }) => c.name === '_users');
    expect(users).toMatchObject({ is_system: true, display_name: 'Users' });
    const fields = await t.request('GET', `${base()}/_users/fields`, { token: admin.token });
    expect(fields.body.map((f: { name: string }) => f.name)).toEqual([
      'email',
      'is_email_verified',
      'is_disabled',
    ]);
    expect(fields.text).not.toContain('password_hash');
    expect(
      (await t.request('GET', `${base()}/_users/fields/password_hash`, { token: admin.token }))
        .status,
    ).toBe(404);
  });

  it('creates a real table with the system columns', async () => {
    const res = await t.request('POST', base(), {
      token: admin.token,
      body: { name: 'posts', display_name: 'Posts' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'posts',
      display_name: 'Posts',
      sql_table_name: 'posts',
      is_system: false,
    });
    const cols = await columns('posts');
    expect(cols.map((c) => c.column_name)).toEqual([
      'id',
      'created_at',
      'updated_at',
      'created_by_user_id',
      'created_by_app_user_id',
    ]);
    expect(cols[0].data_type).toBe('bigint');
    expect((await indexes('posts')).some((d) => d.includes('created_by_app_user_id'))).toBe(true);
    const ops = await t.query(
      `SELECT op_type, status, sql, actor_user_id FROM backendify.schema_ops WHERE project_id = $1 AND op_type = 'create_table'`,
      [pid],
    );
    expect(ops[0]).toMatchObject({ status: 'applied', actor_user_id: admin.id });
    expect(ops[0].sql).toContain('CREATE TABLE');
  });

  it.each([
    ['Posts', 400],
    ['1abc', 400],
    ['select', 400],
    ['pg_things', 400],
    ['_users', 400],
    ['a-b', 400],
    ['x'.repeat(64), 400],
    ["x'; drop table y; --", 400],
  ])('rejects the collection name %j', async (name, status) => {
    const res = await t.request('POST', base(), { token: admin.token, body: { name } });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('answers 409 for a duplicate collection and 404 for an unknown one', async () => {
    await createCollection(t, admin, pid, 'dupes');
    expect(
      (await t.request('POST', base(), { token: admin.token, body: { name: 'dupes' } })).status,
    ).toBe(409);
    expect((await t.request('GET', `${base()}/nope`, { token: admin.token })).status).toBe(404);
  });

  it('adds a field of every type with the right column type', async () => {
    await createCollection(t, admin, pid, 'everything');
    const types: [string, Record<string, unknown>, string][] = [
      ['string', {}, 'text'],
      ['text', {}, 'text'],
      ['int', {}, 'bigint'],
      ['float', {}, 'double precision'],
      ['decimal', { options: { precision: 10, scale: 2 } }, 'numeric'],
      ['bool', {}, 'boolean'],
      ['boolean', {}, 'boolean'],
      ['date', {}, 'date'],
      ['datetime', {}, 'timestamp with time zone'],
      ['uuid', {}, 'uuid'],
      ['json', {}, 'jsonb'],
      ['enum', { options: { values: ['draft', 'published'] } }, 'text'],
      ['file', {}, 'uuid'],
    ];
    for (const [type, extra, sqlType] of types) {
      const name = `f_${type}`;
      const res = await t.request('POST', `${base()}/everything/fields`, {
        token: admin.token,
        body: { name, field_type: type, ...extra },
      });
      expect(res.status).toBe(201);
      expect(res.body.field_type).toBe(type === 'boolean' ? 'bool' : type);
      const col = (await columns('everything')).find((c) => c.column_name === name);
      expect(col?.data_type).toBe(sqlType);
    }
  });

  it('validates and casts defaults by type, never pasting them into SQL', async () => {
    await createCollection(t, admin, pid, 'defaults');
    const hostile = "x'); DROP TABLE defaults; --";
    const res = await t.request('POST', `${base()}/defaults/fields`, {
      token: admin.token,
      body: { name: 'label', field_type: 'string', is_required: true, default_value: hostile },
    });
    expect(res.status).toBe(201);
    expect(res.body.default_value).toBe(hostile);
    expect(await columns('defaults')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ column_name: 'label', is_nullable: 'NO' }),
      ]),
    );
    await t.query(`INSERT INTO ${schemaOf(pid)}.defaults DEFAULT VALUES`);
    const rows = await t.query(`SELECT label FROM ${schemaOf(pid)}.defaults`);
    expect(rows[0].label).toBe(hostile);
    for (const [field_type, default_value] of [
      ['int', 'abc'],
      ['int', 1.5],
      ['bool', 'maybe'],
      ['date', '2024-02-30'],
      ['uuid', 'nope'],
    ] as const) {
      const bad = await t.request('POST', `${base()}/defaults/fields`, {
        token: admin.token,
        body: { name: `bad_${field_type}`, field_type, default_value },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].field).toBe('default_value');
    }
    const ok = await t.request('POST', `${base()}/defaults/fields`, {
      token: admin.token,
      body: { name: 'count', field_type: 'int', default_value: '42', is_required: true },
    });
    expect(ok.status).toBe(201);
    expect(ok.body.default_value).toBe('42');
  });

  it('refuses a required field without default on a table with rows, and changes nothing', async () => {
    await createCollection(t, admin, pid, 'filled');
    await addField(t, admin, pid, 'filled', { name: 'a', field_type: 'string' });
    await t.query(`INSERT INTO ${schemaOf(pid)}.filled (a) VALUES ('x')`);
    const res = await t.request('POST', `${base()}/filled/fields`, {
      token: admin.token,
      body: { name: 'must', field_type: 'int', is_required: true },
    });
    expect(res.status).toBe(400);
    expect(res.text).not.toMatch(/ALTER|NOT NULL|23502/);
    expect((await columns('filled')).map((c) => c.column_name)).not.toContain('must');
    const fields = await t.request('GET', `${base()}/filled/fields`, { token: admin.token });
    expect(fields.body.map((f: { name: string }) => f.name)).toEqual(['a']);
    const failed = await t.query(
      `SELECT status FROM backendify.schema_ops WHERE project_id = $1 AND status = 'failed'`,
      [pid],
    );
    expect(failed.length).toBeGreaterThan(0);
  });

  it.each([
    [{ name: 'id', field_type: 'string' }, 400],
    [{ name: 'created_at', field_type: 'string' }, 400],
    [{ name: 'Bad', field_type: 'string' }, 400],
    [{ name: 'ok_name', field_type: 'nope' }, 400],
    [{ name: 'ok_name', field_type: 'relation' }, 400],
    [{ name: 'ok_name', field_type: 'enum' }, 400],
    [{ name: 'ok_name', field_type: 'enum', options: { values: [] } }, 400],
    [{ name: 'ok_name', field_type: 'decimal', options: { precision: 2, scale: 5 } }, 400],
    [{ name: 'ok_name', field_type: 'string', options: { evil: 1 } }, 400],
    [{ name: 'ok_name', field_type: 'string', surprise: true }, 400],
  ])('rejects the field %j', async (body, status) => {
    const res = await t.request('POST', `${base()}/posts/fields`, { token: admin.token, body });
    expect(res.status).toBe(status);
  });

  it('answers 409 for a duplicate field', async () => {
    await addField(t, admin, pid, 'posts', {
      name: 'title',
      field_type: 'string',
      is_indexed: true,
    });
    const dup = await t.request('POST', `${base()}/posts/fields`, {
      token: admin.token,
      body: { name: 'title', field_type: 'text' },
    });
    expect(dup.status).toBe(409);
  });

  it('gives indexed text fields a trigram index', async () => {
    const defs = await indexes('posts');
    expect(defs.some((d) => d.includes('gin') && d.includes('title'))).toBe(true);
    expect(defs.some((d) => d.includes('btree') && d.includes('(title)'))).toBe(true);
  });

  it('updates a field: required with default, unique, hidden; 409 on duplicates for unique', async () => {
    await createCollection(t, admin, pid, 'people');
    await addField(t, admin, pid, 'people', { name: 'nick', field_type: 'string' });
    await t.query(`INSERT INTO ${schemaOf(pid)}.people (nick) VALUES ('a'), ('a')`);
    const unique = await t.request('PATCH', `${base()}/people/fields/nick`, {
      token: admin.token,
      body: { is_unique: true },
    });
    expect(unique.status).toBe(409);
    const req = await t.request('PATCH', `${base()}/people/fields/nick`, {
      token: admin.token,
      body: { display_name: 'Nickname', is_hidden: true, default_value: 'anon' },
    });
    expect(req.status).toBe(200);
    expect(req.body).toMatchObject({
      display_name: 'Nickname',
      is_hidden: true,
      default_value: 'anon',
    });
    const cols = await columns('people');
    expect(cols.find((c) => c.column_name === 'nick')?.column_default).toContain('anon');
    const hiddenList = await t.request('GET', `${base()}/people/fields?include_hidden=false`, {
      token: admin.token,
    });
    expect(hiddenList.body).toHaveLength(0);
    expect(
      (
        await t.request('PATCH', `${base()}/people/fields/nick`, {
          token: admin.token,
          body: { is_required: 'yes' },
        })
      ).status,
    ).toBe(400);
  });

  it('protects _users system fields and the collection itself', async () => {
    expect(
      (await t.request('DELETE', `${base()}/_users/fields/email`, { token: admin.token })).status,
    ).toBe(400);
    expect(
      (
        await t.request('PATCH', `${base()}/_users/fields/email`, {
          token: admin.token,
          body: { is_unique: false },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await t.request('PATCH', `${base()}/_users/fields/email`, {
          token: admin.token,
          body: { display_name: 'E-mail' },
        })
      ).status,
    ).toBe(200);
    expect(
      (await t.request('DELETE', `${base()}/_users?confirm=_users`, { token: admin.token })).status,
    ).toBe(400);
    const custom = await t.request('POST', `${base()}/_users/fields`, {
      token: admin.token,
      body: { name: 'nickname', field_type: 'string' },
    });
    expect(custom.status).toBe(201);
    expect(
      (
        await t.request('POST', `${base()}/_users/fields`, {
          token: admin.token,
          body: { name: 'email', field_type: 'string' },
        })
      ).status,
    ).toBe(400);
  });

  it('deletes a field with its column', async () => {
    await createCollection(t, admin, pid, 'temp');
    await addField(t, admin, pid, 'temp', { name: 'gone', field_type: 'int', is_indexed: true });
    expect(
      (await t.request('DELETE', `${base()}/temp/fields/gone`, { token: admin.token })).status,
    ).toBe(204);
    expect((await columns('temp')).map((c) => c.column_name)).not.toContain('gone');
    expect(
      (await t.request('DELETE', `${base()}/temp/fields/gone`, { token: admin.token })).status,
    ).toBe(404);
  });

  it('updates collection metadata and deletes only with confirmation', async () => {
    await createCollection(t, admin, pid, 'drop_me');
    const upd = await t.request('PATCH', `${base()}/drop_me`, {
      token: admin.token,
      body: { display_name: 'Drop me', icon: 'trash' },
    });
    expect(upd.body).toMatchObject({ display_name: 'Drop me', icon: 'trash' });
    expect((await t.request('DELETE', `${base()}/drop_me`, { token: admin.token })).status).toBe(
      400,
    );
    expect(
      (await t.request('DELETE', `${base()}/drop_me?confirm=wrong`, { token: admin.token })).status,
    ).toBe(400);
    expect(
      (await t.request('DELETE', `${base()}/drop_me?confirm=drop_me`, { token: admin.token }))
        .status,
    ).toBe(204);
    expect(await columns('drop_me')).toHaveLength(0);
    expect((await t.request('GET', `${base()}/drop_me`, { token: admin.token })).status).toBe(404);
  });

  it('hides everything from non-members and viewers cannot change the schema', async () => {
    const stranger = await createAdmin(t);
    expect((await t.request('GET', base(), { token: stranger.token })).status).toBe(404);
    const viewer = await createAdmin(t);
    await t.request('POST', `/api/projects/${pid}/members`, {
      token: admin.token,
      body: { email: viewer.email, role: 'viewer' },
    });
    expect((await t.request('GET', base(), { token: viewer.token })).status).toBe(200);
    expect(
      (await t.request('POST', base(), { token: viewer.token, body: { name: 'nope' } })).status,
    ).toBe(403);
    expect((await t.request('GET', base())).status).toBe(401);
  });
});
