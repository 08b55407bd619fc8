import { createTestApp, type TestApp } from './setup/test-app';
import {
  createAdmin,
  createApiKey,
  createProject,
  type TestAdmin,
} from './factories/admin.factory';
import { addField, createCollection, schemaOf } from './factories/schema.factory';

/** `count=true|false|estimated` on list routes (PostgREST's exact / none / estimated). */
describe('list count modes', () => {
  let t: TestApp;
  let admin: TestAdmin;
  let pid: string;
  let key: string;
  const data = (q: string) => `/api/projects/${pid}/data/items${q}`;

  beforeAll(async () => {
    // A small threshold keeps the data small: exact up to 50 matches, estimated above.
    t = await createTestApp({ COUNT_ESTIMATE_THRESHOLD: '50' });
    admin = await createAdmin(t);
    pid = (await createProject(t, admin)).id;
    key = (await createApiKey(t, admin, pid)).api_key;
    await createCollection(t, admin, pid, 'items');
    await addField(t, admin, pid, 'items', { name: 'price', field_type: 'int', is_indexed: true });
    await addField(t, admin, pid, 'items', { name: 'title', field_type: 'string' });
    // 2000 rows, price = i; the statistics make the planner's estimate roughly right, never exact.
    await t.query(
      `INSERT INTO ${schemaOf(pid)}.items (price, title)
       SELECT i, 'item ' || i FROM generate_series(1, 2000) AS i`,
    );
    await t.query(`ANALYZE ${schemaOf(pid)}.items`);
  });
  afterAll(() => t.close());

  it('is exact below the threshold and says so', async () => {
    const res = await t.request('GET', data('?price__lte=30&limit=5&count=estimated'), {
      apiKey: key,
    });
    expect(res.status).toBe(200);
    expect(res.body.records).toHaveLength(5);
    expect(res.body.total).toBe(30);
    expect(res.body.total_estimated).toBe(false);
    expect(res.body).toMatchObject({ limit: 5, offset: 0 });
  });

  it('is exact at the threshold itself', async () => {
    const res = await t.request('GET', data('?price__lte=50&limit=5&count=estimated'), {
      apiKey: key,
    });
    expect(res.body.total).toBe(50);
    expect(res.body.total_estimated).toBe(false);
  });

  it("answers the planner's estimate above the threshold", async () => {
    const res = await t.request('GET', data('?price__gt=500&limit=5&count=estimated'), {
      apiKey: key,
    });
    expect(res.status).toBe(200);
    expect(res.body.records).toHaveLength(5);
    expect(res.body.total_estimated).toBe(true);
    // EXPLAIN's row estimate for price > 500 of 1..2000: close to the true 1500, above the threshold.
    const plan = await t.query(
      `EXPLAIN (FORMAT JSON) SELECT 1 FROM ${schemaOf(pid)}.items WHERE price > 500`,
    );
    expect(res.body.total).toBe(Math.round(plan[0]['QUERY PLAN'][0].Plan['Plan Rows']));
    expect(res.body.total).toBeGreaterThan(50);
    expect(Math.abs(res.body.total - 1500)).toBeLessThan(300);
    // The exact total stays available.
    const exact = await t.request('GET', data('?price__gt=500&limit=5&count=true'), {
      apiKey: key,
    });
    expect(exact.body.total).toBe(1500);
    expect(exact.body).not.toHaveProperty('total_estimated');
  });

  it('estimates with substring filters and past the last page too', async () => {
    const res = await t.request('GET', data('?title__contains=item&limit=5&count=estimated'), {
      apiKey: key,
    });
    expect(res.body.total_estimated).toBe(true);
    expect(res.body.total).toBeGreaterThan(50);
    const small = await t.request('GET', data('?title__contains=item 19&limit=5&count=estimated'), {
      apiKey: key,
    });
    // 19, 190..199, 1900..1999: 111 matches, above 50 → estimated; 'item 199' has 11.
    expect(small.body.total_estimated).toBe(true);
    const few = await t.request('GET', data('?title__contains=item 199&count=estimated'), {
      apiKey: key,
    });
    expect(few.body).toMatchObject({ total: 11, total_estimated: false });
    const past = await t.request('GET', data('?price__lte=30&offset=100&count=estimated'), {
      apiKey: key,
    });
    expect(past.body).toMatchObject({ records: [], total: 30, total_estimated: false });
  });

  it('count=false answers total null, as before', async () => {
    const res = await t.request('GET', data('?price__gt=500&limit=5&count=false'), {
      apiKey: key,
    });
    expect(res.status).toBe(200);
    expect(res.body.records).toHaveLength(5);
    expect(res.body.total).toBeNull();
    expect(res.body).not.toHaveProperty('total_estimated');
    expect(res.body.next_cursor).toEqual(expect.any(String));
  });

  it('rejects any other count value with 400', async () => {
    for (const bad of ['maybe', '', 'TRUE', 'estimate']) {
      const res = await t.request('GET', data(`?count=${bad}`), { apiKey: key });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.errors?.[0]?.field).toBe('count');
    }
  });
});
