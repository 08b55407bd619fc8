import { createTestApp, type TestApp } from './setup/test-app';
import {
  createAdmin,
  createApiKey,
  createProject,
  type TestAdmin,
} from './factories/admin.factory';
import { addField, createCollection, schemaOf } from './factories/schema.factory';

type Row = Record<string, unknown>;

/**
 * Issue 13: a view's answer equals a hand-written SQL oracle for 3 principals (member admin,
 * app users A and B under owner policies on both collections) × 10 views: no leaked row, no
 * wrong count.
 */
describe('views against a hand-written SQL oracle', () => {
  let t: TestApp;
  let owner: TestAdmin;
  let pid: string;
  let s: string;
  const users: Record<string, { token: string; id: string }> = {};

  /** `mine(alias)`: the owner condition for the principal, or TRUE for the admin. */
  type Oracle = (mine: (alias: string) => string) => string;
  const cases: [string, Record<string, unknown>, Oracle][] = [
    [
      'plain',
      { projection: ['title', 'price'] },
      (m) => `SELECT p.title, p.price FROM ${s}.posts p WHERE ${m('p')} ORDER BY p.id`,
    ],
    [
      'left_join',
      { projection: ['id'], joins: [{ relation: 'category', type: 'left', fields: ['name'] }] },
      (m) =>
        `SELECT p.id, c.name AS "category.name" FROM ${s}.posts p LEFT JOIN ${s}.categories c ON c.id = p.category_id AND ${m('c')} WHERE ${m('p')} ORDER BY p.id`,
    ],
    [
      'inner_join',
      { projection: ['id'], joins: [{ relation: 'category', type: 'inner', fields: ['name'] }] },
      (m) =>
        `SELECT p.id, c.name AS "category.name" FROM ${s}.posts p JOIN ${s}.categories c ON c.id = p.category_id AND ${m('c')} WHERE ${m('p')} ORDER BY p.id`,
    ],
    [
      'count_by_category',
      {
        joins: [{ relation: 'category', type: 'left' }],
        group_by: ['category.name'],
        aggregates: [{ fn: 'count', as: 'n' }],
      },
      (m) =>
        `SELECT c.name AS "category.name", count(*)::int AS n FROM ${s}.posts p LEFT JOIN ${s}.categories c ON c.id = p.category_id AND ${m('c')} WHERE ${m('p')} GROUP BY c.name ORDER BY c.name`,
    ],
    [
      'sum_by_category_inner',
      {
        joins: [{ relation: 'category', type: 'inner' }],
        group_by: ['category.name'],
        aggregates: [{ fn: 'sum', field: 'price', as: 'total' }],
      },
      (m) =>
        `SELECT c.name AS "category.name", sum(p.price)::int AS total FROM ${s}.posts p JOIN ${s}.categories c ON c.id = p.category_id AND ${m('c')} WHERE ${m('p')} GROUP BY c.name ORDER BY c.name`,
    ],
    [
      'avg_all',
      {
        aggregates: [
          { fn: 'avg', field: 'price', as: 'mean' },
          { fn: 'count', as: 'n' },
        ],
      },
      (m) =>
        `SELECT avg(p.price)::float8 AS mean, count(*)::int AS n FROM ${s}.posts p WHERE ${m('p')}`,
    ],
    [
      'distinct_categories',
      {
        joins: [{ relation: 'category', type: 'left' }],
        aggregates: [{ fn: 'count_distinct', field: 'category.id', as: 'k' }],
      },
      (m) =>
        `SELECT count(DISTINCT c.id)::int AS k FROM ${s}.posts p LEFT JOIN ${s}.categories c ON c.id = p.category_id AND ${m('c')} WHERE ${m('p')}`,
    ],
    [
      'filtered_join',
      {
        projection: ['id', 'price'],
        joins: [{ relation: 'category', type: 'left', fields: ['name'] }],
        filters: [{ field: 'price', op: 'gte', value: '{{min}}' }],
        params_schema: { min: { type: 'integer', default: 15 } },
        sorts: [{ field: 'price', desc: true }],
      },
      (m) =>
        `SELECT p.id, p.price, c.name AS "category.name" FROM ${s}.posts p LEFT JOIN ${s}.categories c ON c.id = p.category_id AND ${m('c')} WHERE ${m('p')} AND p.price >= 15 ORDER BY p.price DESC, p.id`,
    ],
    [
      'minmax_having',
      {
        joins: [{ relation: 'category', type: 'left' }],
        group_by: ['category.name'],
        aggregates: [
          { fn: 'min', field: 'price', as: 'lo' },
          { fn: 'max', field: 'price', as: 'hi' },
          { fn: 'count', as: 'n' },
        ],
        having: { field: 'n', op: 'gte', value: 2 },
      },
      (m) =>
        `SELECT c.name AS "category.name", min(p.price)::int AS lo, max(p.price)::int AS hi, count(*)::int AS n FROM ${s}.posts p LEFT JOIN ${s}.categories c ON c.id = p.category_id AND ${m('c')} WHERE ${m('p')} GROUP BY c.name HAVING count(*) >= 2 ORDER BY c.name`,
    ],
    [
      'posts_per_category_reverse',
      {
        base_collection: 'categories',
        joins: [{ relation: 'posts_via_category', type: 'left' }],
        group_by: ['name'],
        aggregates: [{ fn: 'count', field: 'posts_via_category.id', as: 'posts' }],
      },
      (m) =>
        `SELECT c.name, count(p.id)::int AS posts FROM ${s}.categories c LEFT JOIN ${s}.posts p ON p.category_id = c.id AND ${m('p')} WHERE ${m('c')} GROUP BY c.name ORDER BY c.name`,
    ],
  ];

  beforeAll(async () => {
    t = await createTestApp();
    owner = await createAdmin(t);
    pid = (await createProject(t, owner)).id;
    s = `"${schemaOf(pid)}"`;
    await createApiKey(t, owner, pid);
    const categories = await createCollection(t, owner, pid, 'categories');
    const posts = await createCollection(t, owner, pid, 'posts');
    await addField(t, owner, pid, 'categories', { name: 'name', field_type: 'string' });
    await addField(t, owner, pid, 'posts', { name: 'title', field_type: 'string' });
    await addField(t, owner, pid, 'posts', { name: 'price', field_type: 'int' });
    const rel = await t.request(
      'POST',
      `/api/projects/${pid}/schema/relations/collections/${posts.id}/relations`,
      {
        token: owner.token,
        body: {
          name: 'category',
          display_name: 'Category',
          target_collection_id: categories.id,
          relation_type: 'many_to_one',
          on_delete: 'SET NULL',
        },
      },
    );
    expect(rel.status).toBe(201);
    for (const who of ['a', 'b']) {
      const reg = await t.request('POST', `/api/projects/${pid}/auth/register`, {
        body: { email: `${who}-oracle-${Date.now()}@example.com`, password: 'oracle password 1' },
      });
      const me = await t.request('GET', `/api/projects/${pid}/auth/me`, {
        token: reg.body.access_token,
      });
      users[who] = { token: reg.body.access_token, id: me.body.id };
    }
    const owners = [users.a.id, users.b.id, null];
    // 5 categories and 40 posts with mixed owners, some without a category.
    await t.query(
      `INSERT INTO ${s}.categories (name, created_by_app_user_id)
       SELECT 'cat' || i, ($1::text[])[1 + i % 3] FROM generate_series(1, 5) i`,
      [owners],
    );
    await t.query(
      `INSERT INTO ${s}.posts (title, price, category_id, created_by_app_user_id)
       SELECT 'post' || i, (i * 7) % 50, CASE WHEN i % 6 = 0 THEN NULL ELSE (SELECT id FROM ${s}.categories ORDER BY id OFFSET i % 5 LIMIT 1) END,
              ($1::text[])[1 + (i * 5) % 3]
       FROM generate_series(1, 40) i`,
      [owners],
    );
    for (const c of ['posts', 'categories']) {
      const res = await t.request('POST', `/api/projects/${pid}/schema/collections/${c}/policies`, {
        token: owner.token,
        body: {
          name: `${c} owner`,
          action: 'list',
          allowed_principals: 'app_user',
          condition: { created_by_app_user_id: '$current_app_user_id' },
        },
      });
      expect(res.status).toBe(201);
    }
    for (const [name, def] of cases) {
      const res = await t.request('POST', `/api/projects/${pid}/views`, {
        token: owner.token,
        body: { name, base_collection: 'posts', ...def },
      });
      if (res.status !== 201) throw new Error(`${name}: ${res.status} ${res.text}`);
    }
  });
  afterAll(() => t.close());

  const principals = () => [
    { label: 'admin', token: owner.token, id: null as string | null },
    { label: 'app user A', token: users.a.token, id: users.a.id },
    { label: 'app user B', token: users.b.token, id: users.b.id },
  ];

  it.each(cases.map(([name]) => name))(
    '%s answers exactly the oracle for 3 principals',
    async (name) => {
      const oracle = cases.find((c) => c[0] === name)?.[2] as Oracle;
      for (const p of principals()) {
        const mine = (alias: string) =>
          p.id === null ? 'TRUE' : `${alias}.created_by_app_user_id = '${p.id}'`;
        const expected = (await t.query<Row>(oracle(mine))).map((r) =>
          Object.fromEntries(
            Object.entries(r).map(([k, v]) => [
              k,
              typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v,
            ]),
          ),
        );
        const res = await t.request('POST', `/api/projects/${pid}/views/${name}/execute`, {
          token: p.token,
          body: { limit: 1000 },
        });
        expect({ principal: p.label, status: res.status }).toEqual({
          principal: p.label,
          status: 200,
        });
        const normalize = (rows: Row[]) =>
          rows.map((r) =>
            Object.fromEntries(
              Object.entries(r).map(([k, v]) => [
                k,
                typeof v === 'number' ? Number(v.toFixed(6)) : v,
              ]),
            ),
          );
        expect({ principal: p.label, rows: normalize(res.body.data) }).toEqual({
          principal: p.label,
          rows: normalize(expected),
        });
        expect(res.body.total).toBe(expected.length);
      }
    },
  );

  it('is not vacuous: the principals see different, non-empty subsets', async () => {
    const totals: number[] = [];
    for (const p of principals()) {
      const res = await t.request('POST', `/api/projects/${pid}/views/left_join/execute`, {
        token: p.token,
        body: {},
      });
      totals.push(res.body.total);
      const nulls = res.body.data.filter((r: Row) => r['category.name'] === null).length;
      // App users see NULLs where the post's category belongs to someone else.
      if (p.id !== null) expect(nulls).toBeGreaterThan(0);
    }
    expect(totals[0]).toBe(40);
    expect(totals[1]).toBeGreaterThan(0);
    expect(totals[2]).toBeGreaterThan(0);
    expect(totals[1] + totals[2]).toBeLessThan(40);
  });
});
