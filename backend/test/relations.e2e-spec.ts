import { createTestApp, type TestApp } from './setup/test-app';
import { createAdmin, createProject, type TestAdmin } from './factories/admin.factory';
import { addField, createCollection, schemaOf } from './factories/schema.factory';

describe('schema: relations', () => {
  let t: TestApp;
  let admin: TestAdmin;
  let pid: string;
  const ids: Record<string, string> = {};
  const base = () => `/api/projects/${pid}/schema/relations`;
  const rel = (cid: string) => `${base()}/collections/${cid}/relations`;

  const fk = async (table: string, column: string) =>
    (
      await t.query<{ confdeltype: string; target: string; conname: string }>(
        `SELECT c.confdeltype, c.conname, ft.relname AS target
         FROM pg_constraint c
         JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
         JOIN pg_class ft ON ft.oid = c.confrelid
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
         WHERE c.contype = 'f' AND n.nspname = $1 AND t.relname = $2 AND a.attname = $3`,
        [schemaOf(pid), table, column],
      )
    )[0];
  const column = async (table: string, name: string) =>
    (
      await t.query<{ data_type: string; is_nullable: string }>(
        `SELECT data_type, is_nullable FROM information_schema.columns
         WHERE table_schema = $1 AND table_name = $2 AND column_name = $3`,
        [schemaOf(pid), table, name],
      )
    )[0];
  const tableExists = async (table: string) =>
    (
      await t.query(
        `SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2`,
        [schemaOf(pid), table],
      )
    ).length === 1;
  const sql = (text: string) => t.query(text.replace(/\$S/g, `"${schemaOf(pid)}"`));

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createAdmin(t);
    pid = (await createProject(t, admin)).id;
    for (const name of ['authors', 'posts', 'tags', 'categories', 'comments']) {
      ids[name] = (await createCollection(t, admin, pid, name)).id;
    }
    await addField(t, admin, pid, 'authors', { name: 'name', field_type: 'string' });
    const cols = await t.request('GET', `/api/projects/${pid}/schema/collections`, {
      token: admin.token,
    });
    ids._users = cols.body.find((c: { name: string }) => c.name === '_users').id;
  });
  afterAll(() => t.close());

  it('creates a many_to_one relation with an indexed <name>_id column and a real FK', async () => {
    const res = await t.request('POST', rel(ids.posts), {
      token: admin.token,
      body: {
        name: 'author',
        display_name: 'Author',
        target_collection_id: ids.authors,
        on_delete: 'CASCADE',
        display_field: 'name',
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'author',
      display_name: 'Author',
      field_type: 'relation',
      sql_column_name: 'author_id',
      is_required: false,
      relation_target_collection_id: ids.authors,
      relation_type: 'many_to_one',
      relation_on_delete: 'CASCADE',
      relation_display_field: 'name',
      target_collection_name: 'authors',
    });
    expect(res.body.id).toEqual(expect.any(String));
    expect(res.body.created_at).toEqual(expect.any(String));
    expect(await column('posts', 'author_id')).toMatchObject({
      data_type: 'bigint',
      is_nullable: 'YES',
    });
    expect(await fk('posts', 'author_id')).toMatchObject({ confdeltype: 'c', target: 'authors' });
    const idx = await t.query<{ indexdef: string }>(
      `SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = 'posts'`,
      [schemaOf(pid)],
    );
    expect(idx.some((i) => i.indexdef.includes('(author_id)'))).toBe(true);
    const ops = await t.query(
      `SELECT op_type FROM backendify.schema_ops WHERE project_id = $1 AND op_type = 'add_relation_column'`,
      [pid],
    );
    expect(ops).toHaveLength(1);
  });

  it('CASCADE deletes children rows when the parent row goes', async () => {
    await sql(`INSERT INTO $S.authors (name) VALUES ('ann')`);
    await sql(`INSERT INTO $S.posts (author_id) SELECT id FROM $S.authors WHERE name = 'ann'`);
    expect(await sql(`SELECT * FROM $S.posts`)).toHaveLength(1);
    await sql(`DELETE FROM $S.authors WHERE name = 'ann'`);
    expect(await sql(`SELECT * FROM $S.posts`)).toHaveLength(0);
  });

  it.each([
    ['RESTRICT', 'r'],
    ['SET NULL', 'n'],
  ])('on_delete %s becomes confdeltype %s', async (onDelete, code) => {
    const name = onDelete === 'RESTRICT' ? 'category' : 'fallback_category';
    const res = await t.request('POST', rel(ids.posts), {
      token: admin.token,
      body: { name, display_name: name, target_collection_id: ids.categories, on_delete: onDelete },
    });
    expect(res.status).toBe(201);
    expect((await fk('posts', `${name}_id`)).confdeltype).toBe(code);
  });

  it('defaults to many_to_one with RESTRICT', async () => {
    const res = await t.request('POST', rel(ids.comments), {
      token: admin.token,
      body: { name: 'post', display_name: 'Post', target_collection_id: ids.posts },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      relation_type: 'many_to_one',
      relation_on_delete: 'RESTRICT',
    });
    expect((await fk('comments', 'post_id')).confdeltype).toBe('r');
  });

  it('targets _users with a uuid FK column', async () => {
    const res = await t.request('POST', rel(ids.posts), {
      token: admin.token,
      body: {
        name: 'owner',
        display_name: 'Owner',
        target_collection_id: ids._users,
        on_delete: 'SET NULL',
        display_field: 'email',
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.target_collection_name).toBe('_users');
    expect((await column('posts', 'owner_id')).data_type).toBe('uuid');
    expect(await fk('posts', 'owner_id')).toMatchObject({ confdeltype: 'n', target: '_users' });
  });

  it('allows self-relations', async () => {
    const res = await t.request('POST', rel(ids.comments), {
      token: admin.token,
      body: { name: 'parent', display_name: 'Parent', target_collection_id: ids.comments },
    });
    expect(res.status).toBe(201);
    expect(await fk('comments', 'parent_id')).toMatchObject({ target: 'comments' });
  });

  it('creates a many_to_many junction table with two cascading FKs', async () => {
    const res = await t.request('POST', rel(ids.posts), {
      token: admin.token,
      body: {
        name: 'tags',
        display_name: 'Tags',
        target_collection_id: ids.tags,
        relation_type: 'many_to_many',
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      relation_type: 'many_to_many',
      sql_column_name: null,
      junction_table: 'posts_tags',
      target_collection_name: 'tags',
    });
    expect(await tableExists('posts_tags')).toBe(true);
    expect(await fk('posts_tags', 'source_id')).toMatchObject({
      confdeltype: 'c',
      target: 'posts',
    });
    expect(await fk('posts_tags', 'target_id')).toMatchObject({ confdeltype: 'c', target: 'tags' });
    expect(await column('posts', 'tags')).toBeUndefined();
  });

  it('lists relations of a collection and of the project', async () => {
    const list = await t.request('GET', rel(ids.posts), { token: admin.token });
    expect(list.status).toBe(200);
    expect(list.body.map((r: { name: string }) => r.name).sort()).toEqual([
      'author',
      'category',
      'fallback_category',
      'owner',
      'tags',
    ]);
    const all = await t.request('GET', base(), { token: admin.token });
    expect(all.status).toBe(200);
    expect(all.body.map((r: { name: string }) => r.name)).toEqual(
      expect.arrayContaining(['author', 'post', 'parent', 'tags']),
    );
  });

  it('lists reverse relations as one_to_many and many_to_many', async () => {
    const authors = await t.request(
      'GET',
      `${base()}/collections/${ids.authors}/reverse-relations`,
      {
        token: admin.token,
      },
    );
    expect(authors.status).toBe(200);
    expect(authors.body).toEqual([
      expect.objectContaining({
        name: 'author',
        display_name: 'Author',
        source_collection_id: ids.posts,
        source_collection_name: 'posts',
        relation_type: 'one_to_many',
        sql_column_name: 'author_id',
        reverse_name: 'posts_via_author',
      }),
    ]);
    const tags = await t.request('GET', `${base()}/collections/${ids.tags}/reverse-relations`, {
      token: admin.token,
    });
    expect(tags.body).toEqual([
      expect.objectContaining({
        relation_type: 'many_to_many',
        reverse_name: 'posts_via_tags',
        junction_table: 'posts_tags',
      }),
    ]);
  });

  it('serves the relation options including many_to_many', async () => {
    const res = await t.request('GET', `${base()}/relation-options`, { token: admin.token });
    expect(res.status).toBe(200);
    expect(res.body.relation_types.map((r: { value: string }) => r.value)).toEqual([
      'many_to_one',
      'many_to_many',
    ]);
    expect(res.body.on_delete_actions.map((r: { value: string }) => r.value)).toEqual([
      'RESTRICT',
      'CASCADE',
      'SET NULL',
    ]);
    expect(res.body.on_delete_actions[0]).toEqual({
      value: 'RESTRICT',
      label: expect.any(String),
      description: expect.any(String),
    });
  });

  it.each([
    ['duplicate relation name', { name: 'author' }, 409],
    ['name clashing with an existing column', { name: 'author_id' }, 409],
    ['system column', { name: 'created_at' }, 400],
    ['bad identifier', { name: 'Bad Name' }, 400],
    ['reserved word', { name: 'select' }, 400],
    ['unknown target', { target_collection_id: '00000000-0000-0000-0000-000000000000' }, 400],
    ['bad on_delete', { on_delete: 'NOTHING' }, 400],
    ['bad relation type', { relation_type: 'one_to_one' }, 400],
    ['SET NULL with is_required', { on_delete: 'SET NULL', is_required: true }, 400],
    ['unknown display_field', { display_field: 'nope' }, 400],
    ['unknown key', { extra: 1 }, 400],
    ['required many_to_many', { relation_type: 'many_to_many', is_required: true }, 400],
  ])('refuses a %s', async (_label, override, status) => {
    const res = await t.request('POST', rel(ids.posts), {
      token: admin.token,
      body: {
        name: 'fresh',
        display_name: 'Fresh',
        target_collection_id: ids.authors,
        ...override,
      },
    });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('refuses a duplicate many_to_many junction table name', async () => {
    await createCollection(t, admin, pid, 'labels');
    const cols = await t.request('GET', `/api/projects/${pid}/schema/collections/labels`, {
      token: admin.token,
    });
    // A collection literally named like the would-be junction table.
    await createCollection(t, admin, pid, 'labels_items');
    const res = await t.request('POST', rel(cols.body.id), {
      token: admin.token,
      body: {
        name: 'items',
        display_name: 'Items',
        target_collection_id: ids.tags,
        relation_type: 'many_to_many',
      },
    });
    expect(res.status).toBe(409);
  });

  it('refuses a required relation on a table with rows, and changes nothing', async () => {
    await sql(`INSERT INTO $S.tags DEFAULT VALUES`);
    const res = await t.request('POST', rel(ids.tags), {
      token: admin.token,
      body: {
        name: 'category',
        display_name: 'Category',
        target_collection_id: ids.categories,
        is_required: true,
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/cannot be required/);
    expect(await column('tags', 'category_id')).toBeUndefined();
    const list = await t.request('GET', rel(ids.tags), { token: admin.token });
    expect(list.body).toEqual([]);
  });

  it('answers 404 for unknown collections and relations', async () => {
    const unknown = '00000000-0000-0000-0000-000000000000';
    for (const path of [
      rel(unknown),
      `${base()}/collections/${unknown}/reverse-relations`,
      `${base()}/collections/not-a-uuid/relations`,
    ]) {
      expect((await t.request('GET', path, { token: admin.token })).status).toBe(404);
    }
    const post = await t.request('POST', rel(unknown), {
      token: admin.token,
      body: { name: 'x', display_name: 'X', target_collection_id: ids.authors },
    });
    expect(post.status).toBe(404);
    expect(
      (await t.request('DELETE', `${rel(ids.posts)}/${unknown}`, { token: admin.token })).status,
    ).toBe(404);
    expect((await t.request('DELETE', `${base()}/${unknown}`, { token: admin.token })).status).toBe(
      404,
    );
  });

  it('requires an admin token (401) and membership (404)', async () => {
    expect((await t.request('GET', rel(ids.posts))).status).toBe(401);
    expect((await t.request('GET', `${base()}/relation-options`)).status).toBe(401);
    expect((await t.request('GET', base())).status).toBe(401);
    const stranger = await createAdmin(t);
    for (const path of [rel(ids.posts), `${base()}/relation-options`, base()]) {
      expect((await t.request('GET', path, { token: stranger.token })).status).toBe(404);
    }
    const post = await t.request('POST', rel(ids.posts), {
      token: stranger.token,
      body: { name: 'sneaky', display_name: 'S', target_collection_id: ids.authors },
    });
    expect(post.status).toBe(404);
  });

  it('a target collection cannot be deleted while relations point at it', async () => {
    const res = await t.request('DELETE', `/api/projects/${pid}/schema/collections/authors`, {
      token: admin.token,
      headers: {},
    });
    expect([400, 409]).toContain(res.status);
    const confirmed = await t.request(
      'DELETE',
      `/api/projects/${pid}/schema/collections/authors?confirm=authors`,
      { token: admin.token },
    );
    expect(confirmed.status).toBe(409);
  });

  it('deletes a many_to_one relation: FK and column go', async () => {
    const list = await t.request('GET', rel(ids.posts), { token: admin.token });
    const category = list.body.find((r: { name: string }) => r.name === 'category');
    const res = await t.request('DELETE', `${rel(ids.posts)}/${category.id}`, {
      token: admin.token,
    });
    expect(res.status).toBe(204);
    expect(await column('posts', 'category_id')).toBeUndefined();
    expect(await fk('posts', 'category_id')).toBeUndefined();
    // The relation belongs to posts, not to comments.
    const post = (await t.request('GET', rel(ids.comments), { token: admin.token })).body.find(
      (r: { name: string }) => r.name === 'post',
    );
    expect(
      (await t.request('DELETE', `${rel(ids.posts)}/${post.id}`, { token: admin.token })).status,
    ).toBe(404);
  });

  it('renames a many_to_many relation field; its junction table stays', async () => {
    const list = await t.request('GET', rel(ids.posts), { token: admin.token });
    const tags = list.body.find((r: { name: string }) => r.name === 'tags');
    const res = await t.request(
      'POST',
      `/api/projects/${pid}/schema/evolution/collections/${ids.posts}/fields/${tags.id}/rename`,
      { token: admin.token, body: { new_name: 'labels' } },
    );
    expect(res.status).toBe(200);
    const after = await t.request('GET', rel(ids.posts), { token: admin.token });
    expect(after.body.find((r: { id: string }) => r.id === tags.id)).toMatchObject({
      name: 'labels',
      junction_table: 'posts_tags',
    });
    expect(await tableExists('posts_tags')).toBe(true);
  });

  it('documents every relations route in OpenAPI', async () => {
    const doc = await t.request('GET', '/docs/openapi.json');
    const paths = Object.keys(doc.body.paths);
    for (const p of [
      '/api/projects/{projectId}/schema/relations',
      '/api/projects/{projectId}/schema/relations/{relationId}',
      '/api/projects/{projectId}/schema/relations/relation-options',
      '/api/projects/{projectId}/schema/relations/collections/{collectionId}/relations',
      '/api/projects/{projectId}/schema/relations/collections/{collectionId}/relations/{relationId}',
      '/api/projects/{projectId}/schema/relations/collections/{collectionId}/reverse-relations',
      '/api/projects/{projectId}/schema/evolution/pending',
      '/api/projects/{projectId}/schema/evolution/apply',
      '/api/projects/{projectId}/schema/evolution/collections/{collectionId}/fields/{fieldId}/change-type',
      '/api/projects/{projectId}/audit/schema-ops',
    ]) {
      expect(paths).toContain(p);
    }
  });

  it('deletes a many_to_many relation: the junction table goes', async () => {
    const list = await t.request('GET', rel(ids.posts), { token: admin.token });
    const tags = list.body.find((r: { name: string }) => r.name === 'labels');
    const res = await t.request('DELETE', `${base()}/${tags.id}`, { token: admin.token });
    expect(res.status).toBe(204);
    expect(await tableExists('posts_tags')).toBe(false);
  });

  describe('documented form POST /schema/relations', () => {
    it('belongs_to creates a many_to_one on the source', async () => {
      const res = await t.request('POST', base(), {
        token: admin.token,
        body: {
          source_collection: 'comments',
          target_collection: 'authors',
          relation_type: 'belongs_to',
          source_field: 'writer',
        },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        collection_name: 'comments',
        name: 'writer',
        sql_column_name: 'writer_id',
        relation_type: 'many_to_one',
        target_collection_name: 'authors',
      });
      expect(await fk('comments', 'writer_id')).toMatchObject({ target: 'authors' });
    });

    it('has_many creates the many_to_one on the target side', async () => {
      const res = await t.request('POST', base(), {
        token: admin.token,
        body: {
          source_collection: 'categories',
          target_collection: 'tags',
          relation_type: 'has_many',
        },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        collection_name: 'tags',
        name: 'categories',
        sql_column_name: 'categories_id',
        target_collection_name: 'categories',
      });
      expect(await fk('tags', 'categories_id')).toMatchObject({ target: 'categories' });
      const reverse = await t.request(
        'GET',
        `${base()}/collections/${ids.categories}/reverse-relations`,
        { token: admin.token },
      );
      expect(reverse.body.map((r: { reverse_name: string }) => r.reverse_name)).toContain(
        'tags_via_categories',
      );
    });

    it('many_to_many by collection names', async () => {
      const res = await t.request('POST', base(), {
        token: admin.token,
        body: {
          source_collection: 'authors',
          target_collection: 'tags',
          relation_type: 'many_to_many',
          source_field: 'topics',
        },
      });
      expect(res.status).toBe(201);
      expect(res.body.junction_table).toBe('authors_topics');
      expect(await tableExists('authors_topics')).toBe(true);
    });

    it.each([
      [{ source_collection: 'nope', target_collection: 'tags', relation_type: 'belongs_to' }, 404],
      [{ source_collection: 'posts', target_collection: 'nope', relation_type: 'belongs_to' }, 400],
      [{ source_collection: 'posts', target_collection: 'tags', relation_type: 'has_one' }, 400],
      [{ source_collection: 'posts', target_collection: 'tags' }, 400],
    ])('refuses %j', async (body, status) => {
      const res = await t.request('POST', base(), { token: admin.token, body });
      expect(res.status).toBe(status);
    });
  });
});
