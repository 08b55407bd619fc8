import { createTestApp, type TestApp } from './setup/test-app';
import {
  createAdmin,
  createApiKey,
  createProject,
  type TestAdmin,
} from './factories/admin.factory';
import { addField, createCollection } from './factories/schema.factory';

/** Issue 14.9: an export (CSV or JSON) imports as is into a collection of the same shape. */
describe('export → import round trip', () => {
  let t: TestApp;
  let admin: TestAdmin;
  let pid: string;
  let key: string;
  let categoryIds: number[];
  const data = (collection: string, path = '') => `/api/projects/${pid}/data/${collection}${path}`;

  async function postsCollection(name: string, categoriesId: string) {
    await createCollection(t, admin, pid, name);
    await addField(t, admin, pid, name, { name: 'title', field_type: 'string', is_required: true });
    await addField(t, admin, pid, name, { name: 'note', field_type: 'string' });
    await addField(t, admin, pid, name, { name: 'views', field_type: 'int' });
    await addField(t, admin, pid, name, { name: 'score', field_type: 'float' });
    await addField(t, admin, pid, name, {
      name: 'price',
      field_type: 'decimal',
      options: { precision: 8, scale: 2 },
    });
    await addField(t, admin, pid, name, { name: 'published', field_type: 'bool' });
    await addField(t, admin, pid, name, {
      name: 'status',
      field_type: 'enum',
      options: { values: ['draft', 'live'] },
      default_value: 'draft',
    });
    await addField(t, admin, pid, name, {
      name: 'rank',
      field_type: 'int',
      is_required: true,
      default_value: 1,
    });
    await addField(t, admin, pid, name, { name: 'meta', field_type: 'json' });
    await addField(t, admin, pid, name, { name: 'day', field_type: 'date' });
    await addField(t, admin, pid, name, { name: 'at', field_type: 'datetime' });
    const collections = await t.request('GET', `/api/projects/${pid}/schema/collections`, {
      token: admin.token,
    });
    const self = (collections.body as { id: string; name: string }[]).find((c) => c.name === name);
    const rel = await t.request(
      'POST',
      `/api/projects/${pid}/schema/relations/collections/${self?.id}/relations`,
      {
        token: admin.token,
        body: { name: 'category', target_collection_id: categoriesId, on_delete: 'SET NULL' },
      },
    );
    expect(rel.status).toBe(201);
  }

  const ROWS = [
    {
      title: 'First, with "quotes"',
      note: '=1+1',
      views: -5,
      score: 1.5,
      price: '12.30',
      published: true,
      status: 'live',
      rank: 3,
      meta: { tags: ['a', 'b'], n: 1 },
      day: '2024-02-29',
      at: '2024-03-01T10:20:30.000Z',
    },
    {
      title: "'=already quoted",
      note: 'line one\nline two',
      views: 0,
      score: -0.25,
      price: '-1.00',
      published: false,
      // A nullable field with a default that holds null stays null.
      status: null,
      rank: 1,
      meta: null,
      day: null,
      at: null,
    },
    {
      title: '@mention +plus',
      note: null,
      views: null,
      score: null,
      price: null,
      published: null,
      status: 'draft',
      rank: 2,
      meta: [1, 'two'],
      day: '1999-12-31',
      at: '1999-12-31T23:59:59.000Z',
    },
  ];

  const FIELDS = Object.keys(ROWS[0]).concat('category_id');
  const pick = (r: Record<string, unknown>) => Object.fromEntries(FIELDS.map((k) => [k, r[k]]));
  const list = async (collection: string) =>
    (
      await t.request('GET', data(collection, '?sort=id&limit=100'), { apiKey: key })
    ).body.records.map(pick);

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createAdmin(t);
    pid = (await createProject(t, admin)).id;
    key = (await createApiKey(t, admin, pid)).api_key;
    const categories = await createCollection(t, admin, pid, 'categories');
    await addField(t, admin, pid, 'categories', { name: 'name', field_type: 'string' });
    categoryIds = [];
    for (const name of ['Tech', 'Life']) {
      const c = await t.request('POST', data('categories'), { apiKey: key, body: { name } });
      categoryIds.push(c.body.id);
    }
    for (const name of ['posts', 'posts_csv', 'posts_json'])
      await postsCollection(name, categories.id);
    for (const [i, row] of ROWS.entries()) {
      const res = await t.request('POST', data('posts'), {
        apiKey: key,
        body: { ...row, category_id: i === 2 ? null : categoryIds[i] },
      });
      expect(res.status).toBe(201);
    }
  });
  afterAll(() => t.close());

  it('re-imports a CSV export with every value equal, system columns skipped', async () => {
    const original = await list('posts');
    expect(original).toHaveLength(3);
    const csv = await t.request('GET', data('posts', '/export?format=csv&sort=id'), {
      apiKey: key,
    });
    expect(csv.status).toBe(200);
    const header = csv.text.split('\n')[0].split(',');
    expect(header).toEqual(
      expect.arrayContaining(['id', 'created_at', 'updated_at', 'category_id']),
    );
    // Formula-like text is still guarded for spreadsheets.
    expect(csv.text).toContain("'=1+1");
    const imported = await t.request('POST', data('posts_csv', '/import'), {
      apiKey: key,
      rawBody: csv.text,
      headers: { 'content-type': 'text/csv' },
    });
    expect(imported.status).toBe(200);
    expect(imported.body).toEqual({ inserted: 3 });
    expect(await list('posts_csv')).toEqual(original);
  });

  it('re-imports a JSON export with every value equal', async () => {
    const original = await list('posts');
    const json = await t.request('GET', data('posts', '/export?format=json&sort=id'), {
      apiKey: key,
    });
    expect(json.status).toBe(200);
    expect(json.body[0]).toHaveProperty('id');
    expect(json.body[0]).toHaveProperty('category_id', categoryIds[0]);
    const imported = await t.request('POST', data('posts_json', '/import'), {
      apiKey: key,
      body: json.body,
    });
    expect(imported.status).toBe(200);
    expect(imported.body).toEqual({ inserted: 3 });
    expect(await list('posts_json')).toEqual(original);
  });

  it('still reports unknown columns and bad cells by row, writing nothing', async () => {
    const bad = await t.request('POST', data('posts_csv', '/import'), {
      apiKey: key,
      rawBody: 'title,views,colour\nok,1,red\n,x,blue\n',
      headers: { 'content-type': 'text/csv' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(bad.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ row: 1, field: 'colour' }),
        expect.objectContaining({ row: 2, field: 'title', rule: 'required' }),
        expect.objectContaining({ row: 2, field: 'views' }),
      ]),
    );
    expect(
      (await t.request('GET', data('posts_csv', '?limit=1'), { apiKey: key })).body.total,
    ).toBe(3);
  });

  it('leaves an empty cell of a required field to its default', async () => {
    const res = await t.request('POST', data('posts_csv', '/import'), {
      apiKey: key,
      rawBody: 'title,rank,status\nDefaulted,,\n',
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.status).toBe(200);
    const row = (await t.request('GET', data('posts_csv', '?title=Defaulted'), { apiKey: key }))
      .body.records[0];
    expect(row).toMatchObject({ rank: 1, status: null });
  });
});
