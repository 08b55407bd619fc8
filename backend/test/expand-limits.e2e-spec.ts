import { createTestApp, type TestApp } from './setup/test-app';
import { createAdmin, createProject, type TestAdmin } from './factories/admin.factory';
import { addField, createCollection, schemaOf } from './factories/schema.factory';

/**
 * Issue 9.6: `limit=100&expand=links.links` answered 1,010,000 records. One answer expands at
 * most 10,000 records (DESIGN §8 Limits); more is a 400 naming `expand`, found before the rows
 * are read (each expand statement is limited to the remaining budget plus one).
 */
describe('expand amplification cap', () => {
  let t: TestApp;
  let admin: TestAdmin;
  let pid: string;
  const data = (c: string) => `/api/projects/${pid}/data/${c}`;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createAdmin(t);
    pid = (await createProject(t, admin)).id;
    const nodes = await createCollection(t, admin, pid, 'nodes');
    await addField(t, admin, pid, 'nodes', { name: 'label', field_type: 'string' });
    const rel = await t.request(
      'POST',
      `/api/projects/${pid}/schema/relations/collections/${nodes.id}/relations`,
      {
        token: admin.token,
        body: {
          name: 'links',
          display_name: 'links',
          target_collection_id: nodes.id,
          relation_type: 'many_to_many',
        },
      },
    );
    expect(rel.status).toBe(201);
    const schema = schemaOf(pid);
    await t.query(
      `INSERT INTO ${schema}.nodes (label) SELECT 'n' || g FROM generate_series(1, 101) g`,
    );
    // Every node links to 100 others: 100 parents × 100 × 100 would be a million records.
    const junction = (
      await t.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_name <> 'nodes' AND table_name <> '_users'`,
        [schema],
      )
    )[0].table_name;
    const cols = (
      await t.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
        [schema, junction],
      )
    ).map((c) => c.column_name);
    const [source, target] = cols.filter((c) => c !== 'id');
    await t.query(
      `INSERT INTO ${schema}."${junction}" ("${source}", "${target}")
       SELECT a.id, b.id FROM ${schema}.nodes a JOIN ${schema}.nodes b ON a.id <> b.id`,
    );
  });
  afterAll(() => t.close());

  it('answers up to 10,000 expanded records', async () => {
    const res = await t.request('GET', `${data('nodes')}?limit=100&expand=links`, {
      token: admin.token,
    });
    expect(res.status).toBe(200);
    const expanded = (res.body.records as { links: unknown[] }[]).reduce(
      (n, r) => n + r.links.length,
      0,
    );
    expect(expanded).toBe(10_000);
  });

  it.each([
    ['limit=100&expand=links.links'],
    ['limit=1&expand=links.links'],
    ['limit=100&expand=links.links.links'],
  ])('%s is a 400 naming expand', async (qs) => {
    const res = await t.request('GET', `${data('nodes')}?${qs}`, { token: admin.token });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors[0].field).toBe('expand');
    expect(res.body.detail).toContain('10000');
    const one = await t.request('GET', `${data('nodes')}/1?expand=links.links`, {
      token: admin.token,
    });
    expect(one.status).toBe(400);
  });
});
