import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CollectionMeta, FieldMeta } from '../../schema-engine/catalog.types';
import { generateTypes } from './types-generator';

const field = (name: string, over: Partial<FieldMeta> = {}): FieldMeta => ({
  id: `f-${name}`,
  name,
  displayName: name,
  column: name,
  type: 'string',
  options: {},
  isRequired: false,
  isUnique: false,
  isIndexed: false,
  isHidden: false,
  isSystem: false,
  isDeleted: false,
  defaultValue: null,
  ...over,
});

const collection = (
  id: string,
  name: string,
  fields: FieldMeta[],
  over: Partial<CollectionMeta> = {},
): CollectionMeta => ({
  id,
  projectId: 'p1',
  name,
  displayName: name[0].toUpperCase() + name.slice(1),
  schema: 'p_1',
  table: name,
  isSystem: false,
  idType: 'bigint',
  fields,
  ...over,
});

const users = collection(
  'c-users',
  '_users',
  [
    field('email', { isRequired: true, isSystem: true }),
    field('password_hash', { isHidden: true, isSystem: true }),
    field('is_email_verified', {
      type: 'bool',
      isRequired: true,
      isSystem: true,
      defaultValue: 'false',
    }),
    field('display_name', { displayName: 'Display name' }),
  ],
  { isSystem: true, idType: 'uuid', displayName: 'Users' },
);
const tags = collection('c-tags', 'tags', [field('label')]);
const posts = collection('c-posts', 'posts', [
  field('title', { isRequired: true, displayName: 'Title */ evil' }),
  field('body', { type: 'text' }),
  field('views', { type: 'int', isRequired: true, defaultValue: '0' }),
  field('price', { type: 'decimal' }),
  field('published', { type: 'bool' }),
  field('status', { type: 'enum', options: { values: ['draft', 'live'] }, isRequired: true }),
  field('meta', { type: 'json' }),
  field('published_at', { type: 'datetime' }),
  field('cover', { type: 'file', options: { bucket: 'covers' } }),
  field('secret', { isHidden: true }),
  field('old', { isDeleted: true }),
  field('category', {
    type: 'relation',
    column: 'category_id',
    relation: {
      kind: 'many_to_one',
      targetCollectionId: 'c-cat',
      onDelete: 'SET NULL',
      displayField: 'name',
    },
  }),
  field('author', {
    type: 'relation',
    column: 'author_id',
    isRequired: true,
    relation: {
      kind: 'many_to_one',
      targetCollectionId: 'c-users',
      onDelete: 'CASCADE',
      displayField: null,
    },
  }),
  field('tags', {
    type: 'relation',
    column: 'tags',
    relation: {
      kind: 'many_to_many',
      targetCollectionId: 'c-tags',
      onDelete: 'CASCADE',
      displayField: null,
    },
  }),
]);
const categoriesWithPosts = collection('c-cat', 'categories', [
  field('name', { isRequired: true }),
  field('posts', {
    type: 'relation',
    column: 'posts',
    relation: {
      kind: 'one_to_many',
      targetCollectionId: 'c-posts',
      onDelete: 'SET NULL',
      displayField: null,
    },
  }),
]);

const input = (cs: CollectionMeta[]) => ({
  projectId: '00000000-0000-4000-8000-000000000001',
  projectName: 'My "blog"',
  collections: cs.map((meta) => ({ meta, description: null })),
  generatedAt: '2026-12-07T00:00:00.000Z',
});

describe('generateTypes', () => {
  it('emits rows, inserts, updates and relations per collection, and the Database map', () => {
    expect(generateTypes(input([users, posts, categoriesWithPosts, tags]))).toMatchSnapshot();
  });

  it('gives clashing names distinct types (`_users` keeps Users)', () => {
    const text = generateTypes(input([collection('c-u2', 'users', []), users]));
    expect(text).toContain('export interface Users {');
    expect(text).toContain('export interface Users_2 {');
    expect(text).toContain('users: { Row: Users_2;');
    expect(text).toContain('_users: { Row: Users;');
  });

  it('compiles with tsc, and the types reject what the API would refuse', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bf-types-'));
    writeFileSync(
      join(dir, 'backendify.d.ts'),
      generateTypes(input([users, posts, categoriesWithPosts, tags])),
    );
    writeFileSync(
      join(dir, 'use.ts'),
      [
        "import type { Database, Posts, PostsInsert } from './backendify';",
        "const ok: PostsInsert = { title: 'x', status: 'live', author: 'u1', tags: [1, 2], published_at: new Date() };",
        '// @ts-expect-error title is required',
        "const noTitle: PostsInsert = { status: 'live', author: 'u1' };",
        '// @ts-expect-error not an enum value',
        "const badStatus: PostsInsert = { title: 'x', status: 'gone', author: 'u1' };",
        'declare const row: Posts;',
        'const n: number = row.views; const cat: number | null = row.category_id; const t: number[] = row.tags;',
        '// @ts-expect-error hidden fields are never returned',
        'row.secret;',
        "type Rel = Database['collections']['posts']['Relations'];",
        'declare const rel: Rel; const email: string = rel.author.email;',
        'export { ok, noTitle, badStatus, n, cat, t, email };',
      ].join('\n'),
    );
    const tsc = require.resolve('typescript/bin/tsc');
    const run = () =>
      execFileSync(
        process.execPath,
        [tsc, '--noEmit', '--strict', '--target', 'es2022', join(dir, 'use.ts')],
        {
          encoding: 'utf8',
          cwd: dir,
        },
      );
    expect(() => {
      try {
        run();
      } catch (e) {
        throw new Error(String((e as { stdout?: string }).stdout));
      }
    }).not.toThrow();
  }, 60_000);
});
