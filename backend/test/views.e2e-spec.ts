import { Client } from 'pg';
import { createTestApp, type TestApp } from './setup/test-app';
import {
  createAdmin,
  createApiKey,
  createProject,
  type TestAdmin,
} from './factories/admin.factory';
import { addField, createCollection, schemaOf } from './factories/schema.factory';

/**
 * Issue 13 (views): the catalog (versions, rollback), joins, aggregates, bound params, and runs
 * by admins, API keys and app users under the policies and read_fields of every collection.
 */
describe('views', () => {
  let t: TestApp;
  let owner: TestAdmin;
  let pid: string;
  let apiKey: string;
  const users: Record<'a' | 'b', { token: string; id: string }> = {} as never;
  const views = (suffix = '') => `/api/projects/${pid}/views${suffix}`;
  const data = (c: string) => `/api/projects/${pid}/data/${c}`;
  const asOwner = (method: string, path: string, body?: unknown) =>
    t.request(method, path, { token: owner.token, ...(body === undefined ? {} : { body }) });
  const execute = (name: string, body: unknown, auth: { token?: string; apiKey?: string }) =>
    t.request('POST', views(`/${name}/execute`), { ...auth, body });
  const createView = async (body: Record<string, unknown>) => {
    const res = await asOwner('POST', views(), body);
    if (res.status !== 201) throw new Error(`view create: ${res.status} ${res.text}`);
    return res.body;
  };
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    t = await createTestApp({ VIEW_STATEMENT_TIMEOUT_MS: '1500' });
    owner = await createAdmin(t);
    pid = (await createProject(t, owner)).id;
    apiKey = (await createApiKey(t, owner, pid)).api_key;
    const categories = await createCollection(t, owner, pid, 'categories');
    const posts = await createCollection(t, owner, pid, 'posts');
    await addField(t, owner, pid, 'categories', { name: 'name', field_type: 'string' });
    await addField(t, owner, pid, 'categories', { name: 'internal', field_type: 'string' });
    await addField(t, owner, pid, 'posts', { name: 'title', field_type: 'string' });
    await addField(t, owner, pid, 'posts', { name: 'price', field_type: 'int' });
    const rel = await asOwner(
      'POST',
      `/api/projects/${pid}/schema/relations/collections/${posts.id}/relations`,
      {
        name: 'category',
        display_name: 'Category',
        target_collection_id: categories.id,
        relation_type: 'many_to_one',
        on_delete: 'SET NULL',
      },
    );
    expect(rel.status).toBe(201);
    for (const who of ['a', 'b'] as const) {
      const reg = await t.request('POST', `/api/projects/${pid}/auth/register`, {
        body: { email: `${who}-${Date.now()}@example.com`, password: 'views password 123' },
      });
      expect(reg.status).toBe(201);
      const me = await t.request('GET', `/api/projects/${pid}/auth/me`, {
        token: reg.body.access_token,
      });
      users[who] = { token: reg.body.access_token, id: me.body.id };
    }
    const insert = async (c: string, body: Record<string, unknown>, ownerId: string | null) => {
      const res = await asOwner('POST', data(c), body);
      expect(res.status).toBe(201);
      await t.query(
        `UPDATE "${schemaOf(pid)}"."${c}" SET created_by_app_user_id = $1 WHERE id = $2`,
        [ownerId, res.body.id],
      );
      return res.body.id as number;
    };
    ids.news = await insert('categories', { name: 'News', internal: 'n-secret' }, users.a.id);
    ids.tech = await insert('categories', { name: 'Tech', internal: 't-secret' }, users.b.id);
    ids.p1 = await insert('posts', { title: 'a1', price: 10, category: ids.news }, users.a.id);
    ids.p2 = await insert('posts', { title: 'a2', price: 20, category: ids.tech }, users.a.id);
    ids.p3 = await insert('posts', { title: 'b1', price: 30, category: ids.tech }, users.b.id);
    ids.p4 = await insert('posts', { title: 'b2', price: 40, category: ids.news }, users.b.id);
    ids.p5 = await insert('posts', { title: 'a3', price: 5 }, users.a.id);
    const policy = async (c: string, body: Record<string, unknown>) => {
      const res = await asOwner('POST', `/api/projects/${pid}/schema/collections/${c}/policies`, {
        name: `${c} ${String(body.allowed_principals)}`,
        action: 'list',
        ...body,
      });
      if (res.status !== 201) throw new Error(`policy: ${res.status} ${res.text}`);
    };
    const mine = { created_by_app_user_id: '$current_app_user_id' };
    await policy('posts', { allowed_principals: 'app_user', condition: mine });
    await policy('categories', {
      allowed_principals: 'app_user',
      condition: mine,
      read_fields: ['name'],
    });
    await policy('posts', { allowed_principals: 'api_key' });
    await policy('categories', { allowed_principals: 'api_key' });

    await createView({
      name: 'posts_with_category',
      base_collection: 'posts',
      projection: ['id', 'title', 'price'],
      joins: [{ relation: 'category', type: 'left', fields: ['name'] }],
      sorts: [{ field: 'id' }],
    });
    await createView({
      name: 'posts_inner',
      base_collection: 'posts',
      projection: ['id', 'title'],
      joins: [{ relation: 'category', type: 'inner', fields: ['name'] }],
      sorts: [{ field: 'id' }],
    });
    await createView({
      name: 'price_by_category',
      base_collection: 'posts',
      joins: [{ relation: 'category', type: 'left' }],
      group_by: ['category.name'],
      aggregates: [
        { fn: 'count', as: 'n' },
        { fn: 'sum', field: 'price', as: 'total' },
        { fn: 'avg', field: 'price', as: 'mean' },
        { fn: 'max', field: 'price', as: 'top' },
        { fn: 'count_distinct', field: 'category.id', as: 'categories' },
      ],
      having: { field: 'n', op: 'gte', value: '{{min_n}}' },
      params_schema: { min_n: { type: 'integer', default: 1 } },
      sorts: [{ field: 'category.name' }],
    });
  });
  afterAll(() => t.close());

  describe('catalog', () => {
    it('answers the original ViewDict shape plus the new keys', async () => {
      const res = await asOwner('GET', views('/posts_with_category'));
      expect(res.status).toBe(200);
      for (const key of [
        'id',
        'name',
        'display_name',
        'description',
        'base_collection_id',
        'projection',
        'filters',
        'sorts',
        'joins',
        'params_schema',
        'default_limit',
        'max_limit',
        'version',
        'is_active',
        'created_at',
        'updated_at',
        'group_by',
        'aggregates',
        'having',
        'base_collection',
      ])
        expect(res.body).toHaveProperty(key);
      expect(res.body).toMatchObject({
        name: 'posts_with_category',
        base_collection: 'posts',
        version: 1,
        is_active: true,
        default_limit: 100,
        max_limit: 1000,
        joins: [{ relation: 'category', type: 'left', fields: ['name'] }],
      });
      const list = await asOwner('GET', views());
      expect(list.body.map((v: { name: string }) => v.name)).toEqual([
        'posts_inner',
        'posts_with_category',
        'price_by_category',
      ]);
      const ops = await asOwner('GET', views('/operators'));
      expect(ops.body.operators).toHaveLength(13);
    });

    it.each([
      [{ name: 'Bad Name', base_collection: 'posts' }, 'name', 400],
      [{ name: 'select', base_collection: 'posts' }, 'name', 400],
      [{ name: 'v_unknown', base_collection: 'nope' }, 'base_collection', 400],
      [{ name: 'v_f', base_collection: 'posts', projection: ['nope'] }, 'projection[0]', 400],
      [
        {
          name: 'v_j',
          base_collection: 'posts',
          joins: [{ relation: 'author', type: 'left', fields: [] }],
        },
        'joins[0].relation',
        400,
      ],
      [
        {
          name: 'v_jf',
          base_collection: 'posts',
          joins: [{ relation: 'category', fields: ['nope'] }],
        },
        'joins[0].fields[0]',
        400,
      ],
      [
        {
          name: 'v_sum',
          base_collection: 'posts',
          aggregates: [{ fn: 'sum', field: 'title', as: 's' }],
        },
        'aggregates[0].field',
        400,
      ],
      [
        { name: 'v_as', base_collection: 'posts', aggregates: [{ fn: 'count', as: 'Bad"as' }] },
        'aggregates[0].as',
        400,
      ],
      [
        {
          name: 'v_grp',
          base_collection: 'posts',
          projection: ['title'],
          aggregates: [{ fn: 'count', as: 'n' }],
        },
        'projection[0]',
        400,
      ],
      [
        {
          name: 'v_op',
          base_collection: 'posts',
          filters: [{ field: 'price', op: 'icontains', value: 'x' }],
        },
        'filters[0].op',
        400,
      ],
      [
        {
          name: 'v_val',
          base_collection: 'posts',
          filters: [{ field: 'price', op: 'gt', value: 'ten' }],
        },
        'filters[0].value',
        400,
      ],
      [
        {
          name: 'v_par',
          base_collection: 'posts',
          filters: [{ field: 'price', op: 'gt', value: '{{p}}' }],
        },
        'filters',
        400,
      ],
      [
        {
          name: 'v_sort',
          base_collection: 'posts',
          projection: ['title'],
          sorts: [{ field: 'price' }],
        },
        'sorts[0].field',
        400,
      ],
      [
        { name: 'v_lim', base_collection: 'posts', default_limit: 500, max_limit: 100 },
        'default_limit',
        400,
      ],
      [
        { name: 'v_hidden', base_collection: 'posts', projection: ['password_hash'] },
        'projection[0]',
        400,
      ],
      [{ name: 'posts', base_collection: 'posts' }, null, 409],
      [{ name: 'posts_inner', base_collection: 'posts' }, null, 409],
    ])('refuses a bad definition (%j) naming %s', async (body, field, status) => {
      const res = await asOwner('POST', views(), body);
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      if (field) expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(res.text).not.toMatch(/SELECT|syntax/);
    });

    it('versions every PATCH, keeps the previous definitions and rolls back', async () => {
      await createView({ name: 'versioned', base_collection: 'posts', projection: ['title'] });
      const p1 = await asOwner('PATCH', views('/versioned'), {
        projection: ['title', 'price'],
        default_limit: 2,
        max_limit: 3,
      });
      expect(p1.status).toBe(200);
      expect(p1.body).toMatchObject({ version: 2, default_limit: 2, max_limit: 3 });
      const p2 = await asOwner('PATCH', views('/versioned'), { description: 'only text' });
      expect(p2.body).toMatchObject({ version: 3, projection: ['title', 'price'] });
      const bad = await asOwner('PATCH', views('/versioned'), { projection: ['nope'] });
      expect(bad.status).toBe(400);
      const versions = await asOwner('GET', views('/versioned/versions'));
      expect(versions.body.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
      expect(versions.body[2]).toMatchObject({ version: 1, projection: ['title'] });
      for (const key of [
        'id',
        'view_id',
        'projection',
        'filters',
        'sorts',
        'joins',
        'params_schema',
        'created_at',
        'created_by_user_id',
      ])
        expect(versions.body[0]).toHaveProperty(key);
      const run = await execute('versioned', { limit: 50 }, { token: owner.token });
      expect(run.body.limit).toBe(3);
      expect(run.body.data).toHaveLength(3);
      const back = await asOwner('POST', views('/versioned/versions/1/rollback'));
      expect(back.status).toBe(200);
      expect(back.body).toMatchObject({ version: 4, projection: ['title'], default_limit: 100 });
      expect((await execute('versioned', {}, { token: owner.token })).body.data[0]).toEqual({
        title: 'a1',
      });
      expect((await asOwner('POST', views('/versioned/versions/99/rollback'))).status).toBe(404);
      const audit = await asOwner(
        'GET',
        `/api/projects/${pid}/audit/events?action=view.*&limit=1000`,
      );
      expect(audit.status).toBe(200);
      const actions = audit.body.events
        .filter((e: { meta?: { name?: string } }) => e.meta?.name === 'versioned')
        .map((e: { action: string }) => e.action)
        .sort();
      expect(actions).toEqual(['view.create', 'view.rollback', 'view.update', 'view.update']);
    });

    it('soft-deletes: 204, then 404, and the name is free again', async () => {
      await createView({ name: 'gone', base_collection: 'posts' });
      expect((await asOwner('DELETE', views('/gone'))).status).toBe(204);
      expect((await asOwner('GET', views('/gone'))).status).toBe(404);
      expect((await asOwner('DELETE', views('/gone'))).status).toBe(404);
      const again = await asOwner('POST', views(), { name: 'gone', base_collection: 'posts' });
      expect(again.status).toBe(201);
      expect(again.body.version).toBe(1);
    });

    it('keeps collections and views apart: a collection may not take a view’s name', async () => {
      const res = await asOwner('POST', `/api/projects/${pid}/schema/collections`, {
        name: 'posts_inner',
        display_name: 'x',
      });
      expect(res.status).toBe(409);
    });

    it('meta documents the view; preview and sql show the one statement', async () => {
      const meta = await asOwner('GET', views('/price_by_category/meta'));
      expect(meta.status).toBe(200);
      expect(meta.body.endpoint.url).toContain(`/views/price_by_category/execute`);
      expect(meta.body.response.fields.map((f: { name: string }) => f.name)).toEqual([
        'category.name',
        'n',
        'total',
        'mean',
        'top',
        'categories',
      ]);
      const preview = await asOwner('POST', views('/preview'), {
        name: 'unsaved',
        base_collection: 'posts',
        projection: ['title'],
        joins: [{ relation: 'category', fields: ['name'] }],
        filters: [{ field: 'price', op: 'gte', value: '{{min}}' }],
        params_schema: { min: { type: 'integer' } },
        params: { min: 30 },
      });
      expect(preview.status).toBe(200);
      expect(preview.body.sql).toContain('LEFT JOIN');
      expect(preview.body.sql).toContain('"category.name"');
      // The value is bound, never pasted (quoted identifiers, the schema's uuid among them, aside).
      expect(preview.body.sql.replace(/"[^"]*"/g, '""')).not.toContain('30');
      expect(preview.body.params).toContain(30);
      expect(preview.body.rows).toEqual([
        { title: 'b1', 'category.name': 'Tech' },
        { title: 'b2', 'category.name': 'News' },
      ]);
      const sql = await asOwner('GET', views('/posts_inner/sql'));
      expect(sql.body.sql).toContain('INNER JOIN');
    });
  });

  describe('execution', () => {
    it('left join: every base row, NULLs where no related row', async () => {
      const res = await execute('posts_with_category', {}, { token: owner.token });
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(
        ['data', 'limit', 'offset', 'total', 'view_name', 'view_version'].sort(),
      );
      expect(res.body).toMatchObject({
        total: 5,
        limit: 100,
        offset: 0,
        view_name: 'posts_with_category',
        view_version: 1,
      });
      expect(res.body.data).toEqual([
        { id: ids.p1, title: 'a1', price: 10, 'category.name': 'News' },
        { id: ids.p2, title: 'a2', price: 20, 'category.name': 'Tech' },
        { id: ids.p3, title: 'b1', price: 30, 'category.name': 'Tech' },
        { id: ids.p4, title: 'b2', price: 40, 'category.name': 'News' },
        { id: ids.p5, title: 'a3', price: 5, 'category.name': null },
      ]);
      const page = await execute(
        'posts_with_category',
        { limit: 2, offset: 4 },
        { token: owner.token },
      );
      expect(page.body).toMatchObject({ total: 5, limit: 2, offset: 4 });
      expect(page.body.data).toHaveLength(1);
      const past = await execute('posts_with_category', { offset: 10 }, { token: owner.token });
      expect(past.body).toMatchObject({ total: 5, data: [] });
    });

    it('inner join drops base rows without a related row', async () => {
      const res = await execute('posts_inner', {}, { token: owner.token });
      expect(res.body.total).toBe(4);
      expect(res.body.data.map((r: { id: number }) => r.id)).toEqual([
        ids.p1,
        ids.p2,
        ids.p3,
        ids.p4,
      ]);
    });

    it('aggregates with group_by, having and a bound param', async () => {
      const all = await execute('price_by_category', {}, { token: owner.token });
      expect(all.status).toBe(200);
      expect(all.body.data).toEqual([
        { 'category.name': 'News', n: 2, total: 50, mean: 25, top: 40, categories: 1 },
        { 'category.name': 'Tech', n: 2, total: 50, mean: 25, top: 30, categories: 1 },
        { 'category.name': null, n: 1, total: 5, mean: 5, top: 5, categories: 0 },
      ]);
      const two = await execute(
        'price_by_category',
        { params: { min_n: 2 } },
        { token: owner.token },
      );
      expect(two.body.total).toBe(2);
      const bad = await execute(
        'price_by_category',
        { params: { min_n: 'x' } },
        { token: owner.token },
      );
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].field).toBe('params.min_n');
      const unknown = await execute(
        'price_by_category',
        { params: { nope: 1 } },
        { token: owner.token },
      );
      expect(unknown.status).toBe(400);
    });

    it('params are bound values: an injection attempt stays a value', async () => {
      await createView({
        name: 'by_title',
        base_collection: 'posts',
        projection: ['title'],
        filters: [
          { field: 'title', operator: '=', is_param: true, param_name: 't' },
          { field: 'price', op: 'gte', value: '{{min}}' },
        ],
        params_schema: { t: { type: 'string', required: true }, min: { type: 'number' } },
      });
      const hit = await execute('by_title', { params: { t: 'a1' } }, { token: owner.token });
      expect(hit.body.data).toEqual([{ title: 'a1' }]);
      for (const evil of ["a1' OR '1'='1", 'a1"; DROP TABLE posts; --', "') OR true --"]) {
        const res = await execute('by_title', { params: { t: evil } }, { token: owner.token });
        expect(res.status).toBe(200);
        expect(res.body.data).toEqual([]);
      }
      const missing = await execute('by_title', {}, { token: owner.token });
      expect(missing.status).toBe(400);
      expect(missing.body.errors[0]).toMatchObject({ field: 'params.t', rule: 'required' });
      const withMin = await execute(
        'by_title',
        { params: { t: 'a1', min: 11 } },
        { token: owner.token },
      );
      expect(withMin.body.data).toEqual([]);
      expect((await t.query(`SELECT count(*)::int AS n FROM "${schemaOf(pid)}".posts`))[0].n).toBe(
        5,
      );
    });

    it('a run past VIEW_STATEMENT_TIMEOUT_MS answers 503 TIMEOUT', async () => {
      const blocker = new Client({ connectionString: t.databaseUrl });
      await blocker.connect();
      try {
        await blocker.query('BEGIN');
        await blocker.query(`LOCK TABLE "${schemaOf(pid)}".posts IN ACCESS EXCLUSIVE MODE`);
        const res = await execute('posts_with_category', {}, { token: owner.token });
        expect(res.status).toBe(503);
        expect(res.body.code).toBe('TIMEOUT');
        expect(res.text).not.toMatch(/SELECT|statement/);
      } finally {
        await blocker.query('ROLLBACK');
        await blocker.end();
      }
    });
  });

  describe('policies of every collection', () => {
    it('an app user sees only their rows, and a join never reveals a row they could not list', async () => {
      const a = await execute('posts_with_category', {}, { token: users.a.token });
      expect(a.status).toBe(200);
      expect(a.body.data).toEqual([
        { id: ids.p1, title: 'a1', price: 10, 'category.name': 'News' },
        { id: ids.p2, title: 'a2', price: 20, 'category.name': null },
        { id: ids.p5, title: 'a3', price: 5, 'category.name': null },
      ]);
      const b = await execute('posts_with_category', {}, { token: users.b.token });
      expect(b.body.data).toEqual([
        { id: ids.p3, title: 'b1', price: 30, 'category.name': 'Tech' },
        { id: ids.p4, title: 'b2', price: 40, 'category.name': null },
      ]);
      const inner = await execute('posts_inner', {}, { token: users.a.token });
      expect(inner.body).toMatchObject({
        total: 1,
        data: [{ id: ids.p1, title: 'a1', 'category.name': 'News' }],
      });
    });

    it('aggregates count only visible rows', async () => {
      const a = await execute('price_by_category', {}, { token: users.a.token });
      expect(a.body.data).toEqual([
        { 'category.name': 'News', n: 1, total: 10, mean: 10, top: 10, categories: 1 },
        { 'category.name': null, n: 2, total: 25, mean: 12.5, top: 20, categories: 0 },
      ]);
      const b = await execute('price_by_category', {}, { token: users.b.token });
      expect(b.body.data).toEqual([
        { 'category.name': 'Tech', n: 1, total: 30, mean: 30, top: 30, categories: 1 },
        { 'category.name': null, n: 1, total: 40, mean: 40, top: 40, categories: 0 },
      ]);
    });

    it('a view reading a field outside read_fields is refused, naming it; implicit * drops it', async () => {
      await createView({
        name: 'with_internal',
        base_collection: 'posts',
        projection: ['title'],
        joins: [{ relation: 'category', fields: ['internal'] }],
      });
      expect((await execute('with_internal', {}, { token: owner.token })).status).toBe(200);
      const refused = await execute('with_internal', {}, { token: users.a.token });
      expect(refused.status).toBe(403);
      expect(refused.body.errors).toEqual([
        expect.objectContaining({ field: 'category.internal', rule: 'read_fields' }),
      ]);
      await createView({
        name: 'filter_internal',
        base_collection: 'categories',
        projection: ['name'],
        filters: [{ field: 'internal', op: 'startswith', value: 'n' }],
      });
      expect((await execute('filter_internal', {}, { token: users.a.token })).status).toBe(403);
      await createView({ name: 'all_categories', base_collection: 'categories' });
      const star = await execute('all_categories', {}, { token: users.a.token });
      expect(star.status).toBe(200);
      expect(star.body.data).toHaveLength(1);
      expect(star.body.data[0]).toMatchObject({ id: ids.news, name: 'News' });
      expect(star.body.data[0]).not.toHaveProperty('internal');
      const admin = await execute('all_categories', {}, { token: owner.token });
      expect(admin.body.data[0]).toHaveProperty('internal', 'n-secret');
    });

    it('API keys run views under their policies; anonymous callers are refused', async () => {
      const key = await execute('posts_with_category', {}, { apiKey });
      expect(key.status).toBe(200);
      expect(key.body.total).toBe(5);
      expect(key.body.data[1]['category.name']).toBe('Tech');
      const anon = await execute('posts_with_category', {}, {});
      expect(anon.status).toBe(401);
      const wrong = await execute('posts_with_category', {}, { apiKey: 'bf_nope' });
      expect(wrong.status).toBe(401);
      expect((await execute('nope', {}, { apiKey })).status).toBe(404);
    });
  });

  describe('/data/{view}', () => {
    it('lists a view like a collection with the data query language', async () => {
      const res = await asOwner(
        'GET',
        `${data('posts_with_category')}?price__gte=20&sort=-price&limit=2`,
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: 3, limit: 2, offset: 0, next_cursor: null });
      expect(res.body.records.map((r: { price: number }) => r.price)).toEqual([40, 30]);
      const joined = await asOwner('GET', `${data('posts_with_category')}?category.name=News`);
      expect(joined.body.records.map((r: { id: number }) => r.id)).toEqual([ids.p1, ids.p4]);
      const tree = encodeURIComponent(
        JSON.stringify({
          or: [
            { field: 'category.name', op: 'isnull', value: true },
            { field: 'title', op: 'eq', value: 'b1' },
          ],
        }),
      );
      const or = await asOwner('GET', `${data('posts_with_category')}?filter=${tree}&fields=title`);
      expect(or.body.records).toEqual([{ title: 'b1' }, { title: 'a3' }]);
      const agg = await asOwner('GET', `${data('price_by_category')}?n__gte=2&sort=-top`);
      expect(agg.body.records.map((r: { top: number }) => r.top)).toEqual([40, 30]);
      const params = encodeURIComponent(JSON.stringify({ t: 'b2' }));
      const p = await asOwner('GET', `${data('by_title')}?params=${params}`);
      expect(p.body.records).toEqual([{ title: 'b2' }]);
    });

    it('applies the caller’s policies there too', async () => {
      const res = await t.request('GET', data('posts_with_category'), { token: users.b.token });
      expect(res.status).toBe(200);
      expect(res.body.records.map((r: { id: number }) => r.id)).toEqual([ids.p3, ids.p4]);
      expect(res.body.records[1]['category.name']).toBeNull();
    });

    it.each([
      ['unknown field', 'nope__eq=1'],
      ['unknown operator', 'price__near=1'],
      ['bad value', 'price__gt=ten'],
      ['unknown sort', 'sort=nope'],
      ['search', 'search=x'],
      ['expand', 'expand=category'],
      ['limit too high', 'limit=5000'],
    ])('refuses %s with a 400', async (_label, qs) => {
      const res = await asOwner('GET', `${data('posts_with_category')}?${qs}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    });

    it.each([
      ['POST', ''],
      ['POST', '/bulk'],
      ['PATCH', '/1'],
      ['DELETE', '/1'],
      ['GET', '/1'],
    ])('%s %s on a view is 405 METHOD_NOT_ALLOWED', async (method, suffix) => {
      const res = await asOwner(
        method,
        `${data('posts_with_category')}${suffix}`,
        method === 'GET' || method === 'DELETE' ? undefined : { title: 'x' },
      );
      expect(res.status).toBe(405);
      expect(res.body.code).toBe('METHOD_NOT_ALLOWED');
      expect(res.headers.get('allow')).toBe('GET');
    });

    it('an unknown name is still a 404 for members', async () => {
      expect((await asOwner('GET', data('nothing_here'))).status).toBe(404);
    });
  });
});
