import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestApp, type TestApp } from './setup/test-app';
import {
  createAdmin,
  createApiKey,
  createProject,
  type TestAdmin,
} from './factories/admin.factory';
import { addField, createCollection } from './factories/schema.factory';

/** `GET /api/projects/{pid}/types.ts` (DESIGN §5 "Types"). */
describe('typescript types', () => {
  let t: TestApp;
  let admin: TestAdmin;
  let pid: string;
  let service: string;
  let publicKey: string;
  const url = () => `/api/projects/${pid}/types.ts`;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createAdmin(t);
    pid = (await createProject(t, admin)).id;
    service = (await createApiKey(t, admin, pid, 'svc', 'service')).api_key;
    publicKey = (await createApiKey(t, admin, pid, 'pub', 'public')).api_key;
    const categories = await createCollection(t, admin, pid, 'categories');
    await addField(t, admin, pid, 'categories', {
      name: 'name',
      field_type: 'string',
      is_required: true,
    });
    const tags = await createCollection(t, admin, pid, 'tags');
    await addField(t, admin, pid, 'tags', { name: 'label', field_type: 'string' });
    const posts = await createCollection(t, admin, pid, 'posts');
    await addField(t, admin, pid, 'posts', {
      name: 'title',
      field_type: 'string',
      is_required: true,
    });
    await addField(t, admin, pid, 'posts', {
      name: 'views',
      field_type: 'int',
      is_required: true,
      default_value: '0',
    });
    await addField(t, admin, pid, 'posts', { name: 'price', field_type: 'decimal' });
    await addField(t, admin, pid, 'posts', {
      name: 'status',
      field_type: 'enum',
      is_required: true,
      options: { values: ['draft', 'live'] },
    });
    await addField(t, admin, pid, 'posts', { name: 'meta', field_type: 'json' });
    await addField(t, admin, pid, 'posts', { name: 'published_at', field_type: 'datetime' });
    await addField(t, admin, pid, 'posts', {
      name: 'secret',
      field_type: 'string',
      is_hidden: true,
    });
    const rel = (cid: string, body: Record<string, unknown>) =>
      t.request('POST', `/api/projects/${pid}/schema/relations/collections/${cid}/relations`, {
        token: admin.token,
        body,
      });
    expect(
      (
        await rel(posts.id, {
          name: 'category',
          target_collection_id: categories.id,
          on_delete: 'SET NULL',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await rel(posts.id, {
          name: 'tags',
          target_collection_id: tags.id,
          relation_type: 'many_to_many',
        })
      ).status,
    ).toBe(201);
  });
  afterAll(() => t.close());

  it('answers TypeScript for a member, with every collection and _users', async () => {
    const res = await t.request('GET', url(), { token: admin.token });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/typescript/);
    expect(res.text).toContain('export interface Posts {');
    expect(res.text).toContain('  status: "draft" | "live";');
    expect(res.text).toContain('  category_id: number | null;');
    expect(res.text).toContain('  tags: number[];');
    expect(res.text).toContain('export interface Users {');
    expect(res.text).toContain(
      'posts: { Row: Posts; Insert: PostsInsert; Update: PostsUpdate; Relations: PostsRelations };',
    );
    expect(res.text).not.toMatch(/password_hash/);
  });

  it('lists exactly the keys the data API answers with, for a record and its expansion', async () => {
    const text = (await t.request('GET', url(), { apiKey: service })).text;
    const cat = await t.request('POST', `/api/projects/${pid}/data/categories`, {
      apiKey: service,
      body: { name: 'Tech' },
    });
    const tag = await t.request('POST', `/api/projects/${pid}/data/tags`, {
      apiKey: service,
      body: { label: 'ts' },
    });
    const post = await t.request('POST', `/api/projects/${pid}/data/posts`, {
      apiKey: service,
      body: {
        title: 'Hi',
        status: 'live',
        category: cat.body.id,
        tags: [tag.body.id],
        secret: 's',
      },
    });
    expect(post.status).toBe(201);
    const keysOf = (name: string) => {
      const m = new RegExp(`export interface ${name} \\{\\n([\\s\\S]*?)\\n\\}`).exec(text);
      if (!m) throw new Error(`no interface ${name}`);
      return [...m[1].matchAll(/^ {2}(\w+)\??:/gm)].map((x) => x[1]).sort();
    };
    expect(Object.keys(post.body).sort()).toEqual(keysOf('Posts'));
    expect(Object.keys(cat.body).sort()).toEqual(keysOf('Categories'));
    const expanded = await t.request(
      'GET',
      `/api/projects/${pid}/data/posts/${post.body.id}?expand=category,tags`,
      {
        apiKey: service,
      },
    );
    expect(keysOf('PostsRelations')).toEqual(['category', 'tags']);
    expect(Object.keys(expanded.body.category).sort()).toEqual(keysOf('Categories'));
    expect(Object.keys(expanded.body.tags[0]).sort()).toEqual(keysOf('Tags'));
  });

  it('compiles, and refuses at compile time what the API refuses at run time', () => {
    return t.request('GET', url(), { token: admin.token }).then((res) => {
      const dir = mkdtempSync(join(tmpdir(), 'bf-types-e2e-'));
      writeFileSync(join(dir, 'backendify.d.ts'), res.text);
      writeFileSync(
        join(dir, 'use.ts'),
        [
          "import type { PostsInsert, Posts } from './backendify';",
          "export const ok: PostsInsert = { title: 'x', status: 'draft', tags: [1], price: 2.5 };",
          '// @ts-expect-error status is required',
          "export const missing: PostsInsert = { title: 'x' };",
          '// @ts-expect-error unknown field',
          "export const unknown: PostsInsert = { title: 'x', status: 'live', nope: 1 };",
          'declare const p: Posts;',
          'export const views: number = p.views;',
        ].join('\n'),
      );
      const tsc = require.resolve('typescript/bin/tsc');
      try {
        execFileSync(
          process.execPath,
          [tsc, '--noEmit', '--strict', '--target', 'es2022', 'use.ts'],
          {
            cwd: dir,
            encoding: 'utf8',
          },
        );
      } catch (e) {
        throw new Error(String((e as { stdout?: string }).stdout));
      }
    });
  }, 60_000);

  it('follows schema changes', async () => {
    await addField(t, admin, pid, 'tags', { name: 'color', field_type: 'string' });
    const res = await t.request('GET', url(), { token: admin.token });
    expect(res.text).toMatch(/export interface Tags \{[^}]*color: string \| null;/);
  });

  it('is refused to public keys and anonymous callers; a wrong key is 401, another project 404', async () => {
    const pub = await t.request('GET', url(), { apiKey: publicKey });
    expect(pub.status).toBe(403);
    expect(pub.body.code).toBe('FORBIDDEN');
    const anon = await t.request('GET', url());
    expect(anon.status).toBe(403);
    const bad = await t.request('GET', url(), { apiKey: 'bf_nope' });
    expect(bad.status).toBe(401);
    const other = await t.request(
      'GET',
      `/api/projects/00000000-0000-4000-8000-000000000009/types.ts`,
      {
        token: admin.token,
      },
    );
    expect(other.status).toBe(404);
  });
});
