import { describe, expect, it } from '@jest/globals';
import type { FieldDef } from '@/lib/schema-meta';
import { curlSnippet, sampleFilter, sampleRecord } from './snippets';

const field = (over: Partial<FieldDef>): FieldDef =>
  ({
    name: 'f',
    field_type: 'string',
    sql_column_name: over.name ?? 'f',
    options: null,
    is_required: false,
    is_unique: false,
    default_value: null,
    is_system: false,
    is_hidden: false,
    is_deleted: false,
    relation_type: null,
    ...over,
  }) as FieldDef;

describe('sampleRecord', () => {
  it('fills every required field without a default, with a value of its type', () => {
    const sut = sampleRecord(
      [
        field({ name: 'title', is_required: true }),
        field({
          name: 'status',
          field_type: 'enum',
          is_required: true,
          options: { values: ['draft', 'live'] },
        }),
        field({ name: 'views', field_type: 'int', is_required: true }),
        field({ name: 'rating', field_type: 'int', is_required: true, default_value: 3 }),
        field({ name: 'note' }),
        field({ name: 'created_at', field_type: 'datetime', is_required: true, is_system: true }),
      ],
      'u1',
    );
    expect(sut).toEqual({ title: 'Hello from Backendify', status: 'draft', views: 1 });
  });

  it('makes unique text distinct and keeps within max_length', () => {
    const sut = sampleRecord(
      [
        field({ name: 'slug', is_required: true, is_unique: true }),
        field({ name: 'code', is_required: true, options: { max_length: 5 } }),
      ],
      'abc',
    );
    expect(sut).toEqual({ slug: 'Hello from Backendify abc', code: 'Hello' });
  });

  it('sends a many-to-one relation by its column and leaves file and hidden fields out', () => {
    const sut = sampleRecord([
      field({
        name: 'category',
        field_type: 'relation',
        relation_type: 'many_to_one',
        sql_column_name: 'category_id',
        is_required: true,
      }),
      field({ name: 'cover', field_type: 'file', is_required: true }),
      field({ name: 'secret', is_required: true, is_hidden: true }),
    ]);
    expect(sut).toEqual({ category_id: 1 });
  });

  it('shows the first text field when nothing is required', () => {
    expect(
      sampleRecord([
        field({ name: 'views', field_type: 'int' }),
        field({ name: 'body', field_type: 'text' }),
      ]),
    ).toEqual({
      body: 'Hello from Backendify',
    });
  });
});

describe('sampleFilter', () => {
  it.each([
    [[field({ name: 'title' })], { field: 'title', op: 'icontains', value: 'hello' }],
    [[field({ name: 'views', field_type: 'int' })], { field: 'views', op: 'gte', value: 0 }],
    [[field({ name: 'done', field_type: 'bool' })], { field: 'done', op: 'eq', value: true }],
    [
      [field({ name: 'blob', field_type: 'json' })],
      { field: 'created_at', op: 'gte', value: '2000-01-01T00:00:00Z' },
    ],
  ])('%#', (fields, expected) => {
    expect(sampleFilter(fields)).toEqual(expected);
  });
});

describe('curlSnippet', () => {
  const input = {
    origin: 'http://127.0.0.1:3000',
    projectId: 'p1',
    collection: 'posts',
    fields: [field({ name: 'title', is_required: true })],
    clientPackageDir: '/x',
  };

  it('reads the key from the environment unless the console has it, shell-quoted', () => {
    expect(curlSnippet({ ...input, credential: 'service' }).code).toContain(
      '-H "X-API-Key: $BACKENDIFY_API_KEY"',
    );
    const sut = curlSnippet({ ...input, credential: 'public', apiKey: "bk_it's" }).code;
    expect(sut).toContain(`export BACKENDIFY_PUBLIC_KEY='bk_it'\\''s'`);
    expect(sut).toContain('-H "X-API-Key: $BACKENDIFY_PUBLIC_KEY"');
  });

  it('signs an app user in and calls with the bearer token', () => {
    const sut = curlSnippet({ ...input, credential: 'app_user' }).code;
    expect(sut).toContain('/api/projects/p1/auth/login');
    expect(sut).toContain('-H "Authorization: Bearer $TOKEN"');
    expect(sut).not.toContain('X-API-Key');
  });
});
