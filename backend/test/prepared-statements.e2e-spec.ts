import { createTestApp, type TestApp } from './setup/test-app';
import {
  createAdmin,
  createApiKey,
  createProject,
  type TestAdmin,
} from './factories/admin.factory';
import { addField, createCollection } from './factories/schema.factory';

/** Single-row data statements run as named prepared statements; schema changes must not break them. */
describe('prepared data statements', () => {
  let t: TestApp;
  let admin: TestAdmin;
  let pid: string;
  let key: string;
  const data = (path = '') => `/api/projects/${pid}/data/items${path}`;

  beforeAll(async () => {
    // One data connection: every statement meets the prepared statements of the ones before.
    t = await createTestApp({ DB_POOL_SIZE: '1' });
    admin = await createAdmin(t);
    pid = (await createProject(t, admin)).id;
    key = (await createApiKey(t, admin, pid)).api_key;
    await createCollection(t, admin, pid, 'items');
    await addField(t, admin, pid, 'items', {
      name: 'title',
      field_type: 'string',
      options: { max_length: 20 },
    });
    await addField(t, admin, pid, 'items', {
      name: 'ratio',
      field_type: 'decimal',
      options: { precision: 6, scale: 2 },
    });
  });
  afterAll(() => t.close());

  it('keep working when a column type changes under them', async () => {
    const created = await t.request('POST', data(), {
      apiKey: key,
      body: { title: 'before', ratio: '1.25' },
    });
    const id = created.body.id;
    expect((await t.request('GET', data(`/${id}`), { apiKey: key })).status).toBe(200);
    expect(
      (await t.request('PATCH', data(`/${id}`), { apiKey: key, body: { ratio: '2.50' } })).status,
    ).toBe(200);
    // varchar(20) → varchar(200) and numeric(6,2) → numeric(10,3): the row type of the statement changes.
    const f1 = await t.request(
      'PATCH',
      `/api/projects/${pid}/schema/collections/items/fields/title`,
      {
        token: admin.token,
        body: { options: { max_length: 200 } },
      },
    );
    expect(f1.status).toBe(200);
    const f2 = await t.request(
      'PATCH',
      `/api/projects/${pid}/schema/collections/items/fields/ratio`,
      {
        token: admin.token,
        body: { options: { precision: 10, scale: 3 } },
      },
    );
    expect(f2.status).toBe(200);
    const typed = await t.query<{ t: string }>(
      `SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute
        WHERE attrelid = (SELECT oid FROM pg_class WHERE relname = 'items' AND relnamespace =
          (SELECT oid FROM pg_namespace WHERE nspname = $1)) AND attname = 'ratio'`,
      [`p_${pid.replace(/-/g, '_')}`],
    );
    expect(typed[0].t).toBe('numeric(10,3)');
    const got = await t.request('GET', data(`/${id}`), { apiKey: key });
    expect(got.status).toBe(200);
    expect(got.body.ratio).toBe('2.500');
    const upd = await t.request('PATCH', data(`/${id}`), {
      apiKey: key,
      body: { title: 'x'.repeat(100) },
    });
    expect(upd.status).toBe(200);
    expect(upd.body.title).toHaveLength(100);
    const more = await t.request('POST', data(), { apiKey: key, body: { title: 'after' } });
    expect(more.status).toBe(201);
    expect((await t.request('DELETE', data(`/${more.body.id}`), { apiKey: key })).status).toBe(204);
  });
});
