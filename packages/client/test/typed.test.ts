import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { BackendifyError, createClient, type DatabaseTypes } from '../src';
import { newProject, rejection } from './helpers';
import { serverUrl } from './setup/server';

const run = promisify(execFile);
const CLI = resolve(__dirname, '../bin/backendify.mjs');
const TSC = require.resolve('typescript/bin/tsc');
const SRC = resolve(__dirname, '../src');

/** What the server generated for this project, as the structural type the test uses at run time. */
interface Blog extends DatabaseTypes {
  collections: {
    categories: {
      Row: { id: number; name: string };
      Insert: { name: string };
      Update: { name?: string };
      Relations: Record<never, never>;
    };
    posts: {
      Row: { id: number; title: string; views: number; category_id: number | null };
      Insert: { title: string; views?: number; category?: number | null };
      Update: { title?: string; views?: number; category?: number | null };
      Relations: { category: { id: number; name: string } | null };
    };
  };
}

/** Generated types + the typed client: `pnpm backendify types` and `createClient<Database>()`. */
describe('typed client', () => {
  let projectId: string;
  let key: string;
  let dir: string;

  beforeAll(async () => {
    const p = await newProject('Typed');
    projectId = p.projectId;
    const schema = p.admin.admin.schema(projectId);
    const categories = await schema.collections.create({
      name: 'categories',
      display_name: 'Categories',
    });
    await schema
      .fields('categories')
      .create({ name: 'name', field_type: 'string', is_required: true });
    const posts = await schema.collections.create({ name: 'posts', display_name: 'Posts' });
    await schema.fields('posts').create({ name: 'title', field_type: 'string', is_required: true });
    await schema.fields('posts').create({
      name: 'views',
      field_type: 'int',
      is_required: true,
      default_value: '0',
    });
    await schema.relations.create(posts.id, {
      name: 'category',
      target_collection_id: categories.id,
      on_delete: 'SET NULL',
    });
    key = (await p.admin.admin.apiKeys(projectId).create({ name: 'cli', kind: 'service' })).api_key;
    dir = mkdtempSync(join(tmpdir(), 'bf-typed-'));
  });

  it('`backendify types` writes the project types to a file', async () => {
    const out = join(dir, 'src/backendify.d.ts');
    const { stdout } = await run(
      process.execPath,
      [CLI, 'types', '--project', projectId, '--out', out, '--url', serverUrl(), '--key', key],
      { env: { ...process.env, INIT_CWD: dir } },
    );
    expect(stdout).toContain('(3 collections)');
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('export interface Posts {');
    expect(text).toContain('posts: { Row: Posts;');
  });

  it('fails with one clear line without credentials or with a wrong key', async () => {
    const noCreds = await rejection(
      run(process.execPath, [CLI, 'types', '--project', projectId, '--url', serverUrl()], {
        env: { PATH: process.env.PATH },
      }),
    );
    expect(String((noCreds as { stderr: string }).stderr)).toMatch(/^backendify: no credentials/);
    const bad = await rejection(
      run(
        process.execPath,
        [CLI, 'types', '-p', projectId, '--url', serverUrl(), '--key', 'bf_x'],
        {
          env: { PATH: process.env.PATH },
        },
      ),
    );
    const stderr = String((bad as { stderr: string }).stderr);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/HTTP 401/);
  });

  it('type-checks records, filters, fields and expand against the generated file', async () => {
    writeFileSync(
      join(dir, 'src/app.ts'),
      [
        `import { createClient } from ${JSON.stringify(SRC)};`,
        "import type { Database } from './backendify';",
        "const bf = createClient<Database>({ url: 'http://x', apiKey: 'k' });",
        "const posts = bf.project('p').collection('posts');",
        'export async function ok() {',
        "  const page = await posts.list({ views__gte: 1, sort: ['-views'], fields: ['title'], expand: ['category'] });",
        '  const title: string = page.records[0].title;',
        '  const cat: string | undefined = page.records[0].category?.name;',
        "  const created = await posts.create({ title: 'x', category: 1 });",
        '  const views: number = created.views;',
        "  bf.project('p').realtime.subscribe('posts', { onEvent: (e) => e.record.title.toUpperCase() });",
        "  const loose = bf.project('p').collection<{ any: number }>('elsewhere');",
        '  return { title, cat, views, loose };',
        '}',
        'export async function refused() {',
        '  // @ts-expect-error unknown filter field',
        '  await posts.list({ nope__eq: 1 });',
        '  // @ts-expect-error title is required',
        '  await posts.create({ views: 2 });',
        '  // @ts-expect-error not a relation of posts',
        "  await posts.get(1, { expand: ['author'] });",
        '  // @ts-expect-error not a field',
        "  await posts.list({ fields: ['body'] });",
        '  const page = await posts.list();',
        '  // @ts-expect-error no expand asked, so no category',
        '  page.records[0].category;',
        '}',
      ].join('\n'),
    );
    // The client is built without Node or DOM typings: so is the app here.
    const compilerOptions = {
      strict: true,
      noEmit: true,
      target: 'es2022',
      lib: ['es2022'],
      module: 'commonjs',
      moduleResolution: 'node10',
      skipLibCheck: true,
      types: [],
    };
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions, files: ['src/app.ts'] }),
    );
    try {
      await run(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: dir });
    } catch (e) {
      throw new Error(String((e as { stdout?: string }).stdout));
    }
  }, 120_000);

  it('runs typed calls against the server', async () => {
    const bf = createClient<Blog>({ url: serverUrl(), apiKey: key });
    const data = bf.project(projectId);
    const tech = await data.collection('categories').create({ name: 'Tech' });
    const post = await data.collection('posts').create({ title: 'Hello', category: tech.id });
    expect(post).toMatchObject({ title: 'Hello', views: 0, category_id: tech.id });
    const page = await data.collection('posts').list({ views__lte: 0, expand: ['category'] });
    expect(page.records[0].category?.name).toBe('Tech');
    const one = await data
      .collection('posts')
      .get(post.id, { expand: ['category'], fields: ['title'] });
    expect(one.title).toBe('Hello');
    const err = await rejection(
      data.collection('posts').create({ title: 'x', views: 'many' as unknown as number }),
    );
    expect(err).toBeInstanceOf(BackendifyError);
    expect(await data.types()).toContain('export interface Categories {');
  });
});
