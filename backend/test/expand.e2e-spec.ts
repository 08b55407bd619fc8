import { createTestApp, type TestApp } from './setup/test-app';
import {
  createAdmin,
  createApiKey,
  createProject,
  type TestAdmin,
} from './factories/admin.factory';
import { addField, createCollection } from './factories/schema.factory';

describe('relations through the data API: writes, id arrays and expand', () => {
  let t: TestApp;
  let admin: TestAdmin;
  let pid: string;
  let key: string;
  const data = (c: string) => `/api/projects/${pid}/data/${c}`;
  const relate = async (source: { id: string }, body: Record<string, unknown>) => {
    const res = await t.request(
      'POST',
      `/api/projects/${pid}/schema/relations/collections/${source.id}/relations`,
      {
        token: admin.token,
        body: { display_name: String(body.name), ...body },
      },
    );
    expect(res.status).toBe(201);
    return res.body;
  };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createAdmin(t);
    pid = (await createProject(t, admin)).id;
    key = (await createApiKey(t, admin, pid)).api_key;
    const authors = await createCollection(t, admin, pid, 'authors');
    const books = await createCollection(t, admin, pid, 'books');
    const tags = await createCollection(t, admin, pid, 'tags');
    await addField(t, admin, pid, 'authors', { name: 'name', field_type: 'string' });
    await addField(t, admin, pid, 'books', { name: 'title', field_type: 'string' });
    await addField(t, admin, pid, 'tags', { name: 'label', field_type: 'string' });
    await relate(books, {
      name: 'author',
      target_collection_id: authors.id,
      relation_type: 'many_to_one',
      on_delete: 'CASCADE',
    });
    await relate(books, {
      name: 'tags',
      target_collection_id: tags.id,
      relation_type: 'many_to_many',
    });
    await relate(authors, {
      name: 'mentor',
      target_collection_id: authors.id,
      relation_type: 'many_to_one',
      on_delete: 'SET NULL',
    });
  });
  afterAll(() => t.close());

  it('writes and reads relations, expands them, and cascades', async () => {
    const ann = (await t.request('POST', data('authors'), { apiKey: key, body: { name: 'Ann' } }))
      .body;
    const bob = (
      await t.request('POST', data('authors'), {
        apiKey: key,
        body: { name: 'Bob', mentor: ann.id },
      })
    ).body;
    expect(bob.mentor_id).toBe(ann.id);
    const t1 = (await t.request('POST', data('tags'), { apiKey: key, body: { label: 'sci-fi' } }))
      .body;
    const t2 = (await t.request('POST', data('tags'), { apiKey: key, body: { label: 'classic' } }))
      .body;
    const book = await t.request('POST', data('books'), {
      apiKey: key,
      body: { title: 'Dune', author: ann.id, tags: [t1.id, t2.id] },
    });
    expect(book.status).toBe(201);
    expect(book.body).toMatchObject({ title: 'Dune', author_id: ann.id, tags: [t1.id, t2.id] });
    const missing = await t.request('POST', data('books'), {
      apiKey: key,
      body: { title: 'X', author_id: 999999 },
    });
    expect(missing.status).toBe(409);
    expect(missing.body.code).toBe('FOREIGN_KEY_VIOLATION');

    const expanded = await t.request('GET', `${data('books')}/${book.body.id}?expand=author,tags`, {
      apiKey: key,
    });
    expect(expanded.status).toBe(200);
    expect(expanded.body.author).toMatchObject({ id: ann.id, name: 'Ann' });
    expect(expanded.body.tags.map((x: { label: string }) => x.label).sort()).toEqual([
      'classic',
      'sci-fi',
    ]);

    const list = await t.request('GET', `${data('books')}?expand=author.mentor`, { apiKey: key });
    expect(list.body.records[0].author).toMatchObject({ name: 'Ann', mentor: null });
    const reverse = await t.request('GET', `${data('authors')}?expand=books_via_author&sort=id`, {
      apiKey: key,
    });
    expect(reverse.body.records[0].books_via_author.map((b: { title: string }) => b.title)).toEqual(
      ['Dune'],
    );
    const asAdmin = await t.request('GET', `${data('books')}?expand=author`, {
      token: admin.token,
    });
    expect(asAdmin.body.records[0].author.name).toBe('Ann');

    const replaced = await t.request('PATCH', `${data('books')}/${book.body.id}`, {
      apiKey: key,
      body: { tags: [t2.id] },
    });
    expect(replaced.body.tags).toEqual([t2.id]);
    expect((await t.request('GET', `${data('books')}?tags__in=1`, { apiKey: key })).status).toBe(
      400,
    );

    expect(
      (await t.request('DELETE', `${data('authors')}/${ann.id}`, { apiKey: key })).status,
    ).toBe(204);
    expect(
      (await t.request('GET', `${data('books')}/${book.body.id}`, { apiKey: key })).status,
    ).toBe(404);
    expect(
      (await t.request('GET', `${data('authors')}/${bob.id}`, { apiKey: key })).body.mentor_id,
    ).toBeNull();
  });
});
