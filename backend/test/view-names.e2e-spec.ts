import { createTestApp, type TestApp } from './setup/test-app';
import { createAdmin, createProject, type TestAdmin } from './factories/admin.factory';
import { addField, createCollection } from './factories/schema.factory';

/**
 * Issue 13: `/data/{name}` reads a collection or a view, so the two never share a name — in
 * every direction (view onto a collection, collection onto a view, a rename onto a view).
 */
describe('views and collections never share a name', () => {
  let t: TestApp;
  let admin: TestAdmin;
  let pid: string;
  let articlesId: string;
  const post = (path: string, body: unknown) =>
    t.request('POST', `/api/projects/${pid}${path}`, { token: admin.token, body });
  const nameTaken = (field: string) => ({
    status: 409,
    code: 'NAME_TAKEN',
    title: 'Name taken',
    detail: expect.stringMatching(/names must differ/),
    errors: [expect.objectContaining({ field, rule: 'unique_name' })],
  });

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createAdmin(t);
    pid = (await createProject(t, admin)).id;
    await createCollection(t, admin, pid, 'posts');
    await addField(t, admin, pid, 'posts', { name: 'title', field_type: 'string' });
    articlesId = (await createCollection(t, admin, pid, 'articles')).id;
    const v = await post('/views', {
      name: 'post_titles',
      base_collection: 'posts',
      projection: ['id', 'title'],
    });
    expect(v.status).toBe(201);
  });
  afterAll(() => t.close());

  it('refuses a view named like a collection', async () => {
    const res = await post('/views', { name: 'posts', base_collection: 'posts' });
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject(nameTaken('name'));
    const list = await t.request('GET', `/api/projects/${pid}/views`, { token: admin.token });
    expect(list.body.map((x: { name: string }) => x.name)).toEqual(['post_titles']);
  });

  it('refuses a collection named like a view', async () => {
    const res = await post('/schema/collections', { name: 'post_titles' });
    expect(res.body).toMatchObject(nameTaken('name'));
    const got = await t.request('GET', `/api/projects/${pid}/schema/collections/post_titles`, {
      token: admin.token,
    });
    expect(got.status).toBe(404);
    // The view still answers at /data/{name}.
    const data = await t.request('GET', `/api/projects/${pid}/data/post_titles`, {
      token: admin.token,
    });
    expect(data.status).toBe(200);
  });

  it('refuses renaming a collection onto a view, directly and as a pending change', async () => {
    const evo = `/schema/evolution/collections/${articlesId}`;
    const res = await post(`${evo}/rename`, { new_name: 'post_titles' });
    expect(res.body).toMatchObject(nameTaken('new_name'));
    const pending = await post('/schema/evolution/pending', {
      operation: 'rename_collection',
      collection_id: articlesId,
      params: { new_name: 'post_titles' },
    });
    expect(pending.body).toMatchObject(nameTaken('new_name'));
    // A rename queued before the view existed fails at apply, changing nothing.
    const queued = await post('/schema/evolution/pending', {
      operation: 'rename_collection',
      collection_id: articlesId,
      params: { new_name: 'later_view' },
    });
    expect(queued.status).toBe(201);
    expect((await post('/views', { name: 'later_view', base_collection: 'posts' })).status).toBe(
      201,
    );
    const applied = await post('/schema/evolution/apply', {});
    expect(applied.status).toBe(200);
    expect(applied.body).toMatchObject({
      success: false,
      applied: [],
      failed: { id: queued.body.id, code: 'NAME_TAKEN' },
    });
    const still = await t.request('GET', `/api/projects/${pid}/schema/collections/articles`, {
      token: admin.token,
    });
    expect(still.status).toBe(200);
    // A free name still renames.
    expect((await post(`${evo}/rename`, { new_name: 'stories' })).status).toBe(200);
  });
});
