import { AppError } from '../common/errors/app-error';
import { parseJsonFilter, parseJsonFilterParam, parseQueryFilters, type FilterAst } from './filter';
import {
  everyTypeCollection,
  makeCatalog,
  makeCollection,
  makeField,
} from './test-collection.fixture';

const sut = everyTypeCollection();

function rejection(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('parseQueryFilters', () => {
  it('defaults to eq, splits at the last __, ignores reserved keys and ANDs the rest', () => {
    expect(
      parseQueryFilters(
        { qty__gte: '5', title: 'x', limit: '10', sort: '-qty', status__in: 'draft,published' },
        sut,
      ),
    ).toEqual({
      kind: 'and',
      children: [
        { kind: 'cond', field: 'qty', op: 'gte', value: 5 },
        { kind: 'cond', field: 'title', op: 'eq', value: 'x' },
        { kind: 'cond', field: 'status', op: 'in', value: ['draft', 'published'] },
      ],
    });
  });

  it('returns null when there are no filters', () => {
    expect(parseQueryFilters({ limit: '1' }, sut)).toBeNull();
  });

  it('addresses relations by name or column and system columns by name', () => {
    expect(parseQueryFilters({ owner_id: '3' }, sut)).toEqual({
      kind: 'cond',
      field: 'owner',
      op: 'eq',
      value: 3,
    });
    expect(parseQueryFilters({ created_by_app_user_id__isnull: 'false' }, sut)).toEqual({
      kind: 'cond',
      field: 'created_by_app_user_id',
      op: 'isnull',
      value: false,
    });
  });

  it('ANDs repeated keys', () => {
    expect(parseQueryFilters({ qty__gte: ['1', '2'] }, sut)).toEqual({
      kind: 'and',
      children: [
        { kind: 'cond', field: 'qty', op: 'gte', value: 1 },
        { kind: 'cond', field: 'qty', op: 'gte', value: 2 },
      ],
    });
  });

  it('resolves old names through aliases', () => {
    expect(
      parseQueryFilters({ headline__eq: 'x' }, sut, [], { aliases: { headline: 'title' } }),
    ).toEqual({
      kind: 'cond',
      field: 'title',
      op: 'eq',
      value: 'x',
    });
  });

  it('uses uuid parsing for relations to uuid-id collections when a catalog is given', () => {
    const users = makeCollection('_users', [], { idType: 'uuid', id: 'c_users' });
    const posts = makeCollection('posts', [
      makeField('author', 'relation', {
        column: 'author_id',
        relation: {
          kind: 'many_to_one',
          targetCollectionId: 'c_users',
          onDelete: 'CASCADE',
          displayField: null,
        },
      }),
    ]);
    const catalog = makeCatalog([users, posts]);
    const id = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11';
    expect(parseQueryFilters({ author: id }, posts, [], { catalog })).toEqual({
      kind: 'cond',
      field: 'author',
      op: 'eq',
      value: id,
    });
    expect(rejection(() => parseQueryFilters({ author: '5' }, posts, [], { catalog })).status).toBe(
      400,
    );
  });

  it('accepts LIKE patterns whose trailing backslash is escaped', () => {
    expect(parseQueryFilters({ title__like: 'a\\\\' }, sut)).toEqual({
      kind: 'cond',
      field: 'title',
      op: 'like',
      value: 'a\\\\',
    });
  });

  it('prefers a field whose own name contains __', () => {
    const c = makeCollection('odd', [makeField('a__in', 'string')]);
    expect(parseQueryFilters({ a__in: 'x' }, c)).toEqual({
      kind: 'cond',
      field: 'a__in',
      op: 'eq',
      value: 'x',
    });
  });

  it.each<[Record<string, string>, string, string]>([
    [{ nope: '1' }, 'unknown_field', 'Unknown field: nope'],
    [{ nope__gt: '1' }, 'unknown_field', 'Unknown field: nope'],
    [{ secret: 'x' }, 'unknown_field', 'Unknown field: secret'],
    [{ secret__startswith: '$2b$' }, 'unknown_field', 'Unknown field: secret'],
    [{ gone: 'x' }, 'unknown_field', 'Unknown field: gone'],
    [{ qty__foo: '1' }, 'unknown_operator', 'Unknown operator: foo'],
    [{ qty__constructor: '1' }, 'unknown_operator', 'Unknown operator: constructor'],
    [
      { qty__contains: '1' },
      'operator_not_allowed',
      "Operator 'contains' is not allowed on field 'qty' (int)",
    ],
    [
      { meta__eq: '{}' },
      'operator_not_allowed',
      "Operator 'eq' is not allowed on field 'meta' (json)",
    ],
    [
      { active__gt: 'true' },
      'operator_not_allowed',
      "Operator 'gt' is not allowed on field 'active' (bool)",
    ],
    [
      { status__like: 'd%' },
      'operator_not_allowed',
      "Operator 'like' is not allowed on field 'status' (enum)",
    ],
    [{ qty: 'abc' }, 'invalid_value', 'Invalid value for qty: must be an integer'],
    [{ qty: '1.5' }, 'invalid_value', 'Invalid value for qty: must be an integer'],
    [{ id: 'abc' }, 'invalid_value', 'Invalid value for id: must be an integer'],
    [{ active: 'yes' }, 'invalid_value', 'Invalid value for active: must be true or false'],
    [
      { day__gt: '2024-02-30' },
      'invalid_value',
      'Invalid value for day: must be a date (YYYY-MM-DD)',
    ],
    [
      { status: 'nope' },
      'invalid_value',
      "Invalid value for status: must be one of: draft, published, it's",
    ],
    [{ ref: 'x' }, 'invalid_value', 'Invalid value for ref: must be a UUID'],
    [{ qty__in: '' }, 'invalid_value', 'Invalid value for qty: must be an integer'],
    [{ qty__in: '1,,2' }, 'invalid_value', 'Invalid value for qty: must be an integer'],
    [{ qty__between: '1' }, 'invalid_value', 'Invalid value for qty: between takes two values'],
    [{ qty__between: '1,2,3' }, 'invalid_value', 'Invalid value for qty: between takes two values'],
    [
      { qty__isnull: 'maybe' },
      'invalid_value',
      'Invalid value for qty: isnull takes true or false',
    ],
    [
      { title__contains: 'a\u0000' },
      'invalid_value',
      'Invalid value for title: must not contain NUL characters',
    ],
    [
      { title__like: 'abc\\' },
      'invalid_value',
      'Invalid value for title: pattern must not end with \\',
    ],
    [
      { title__ilike: '\\\\\\' },
      'invalid_value',
      'Invalid value for title: pattern must not end with \\',
    ],
    [
      { title: 'x'.repeat(201) },
      'invalid_value',
      'Invalid value for title: must be at most 200 characters',
    ],
  ])('rejects %j with 400 %s', (query, rule, message) => {
    const error = rejection(() => parseQueryFilters(query, sut));
    expect(error.status).toBe(400);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.detail).toBe(message);
    expect(error.errors?.[0]?.rule).toBe(rule);
  });

  it('gives hidden and nonexistent fields the same answer (no oracle)', () => {
    const hidden = rejection(() => parseQueryFilters({ secret__startswith: 'a' }, sut));
    const missing = rejection(() => parseQueryFilters({ zzzzzz__startswith: 'a' }, sut));
    expect(hidden.detail.replace('secret', 'X')).toBe(missing.detail.replace('zzzzzz', 'X'));
  });

  it('caps in-lists and the number of conditions', () => {
    expect(
      rejection(() =>
        parseQueryFilters({ qty__in: Array.from({ length: 1001 }, (_, i) => i).join(',') }, sut),
      ).status,
    ).toBe(400);
    expect(
      rejection(() => parseQueryFilters({ qty__gt: Array.from({ length: 201 }, () => '1') }, sut))
        .status,
    ).toBe(400);
  });
});

describe('parseJsonFilter', () => {
  it('parses and/or/not trees with typed leaf values', () => {
    expect(
      parseJsonFilter(
        {
          or: [
            { field: 'qty', op: 'gte', value: 100 },
            {
              and: [
                { field: 'active', value: 'true' },
                { not: { field: 'status', op: 'in', value: ['draft'] } },
              ],
            },
            { field: 'day', op: 'between', value: ['2024-01-01', '2024-12-31'] },
            { field: 'title', op: 'eq', value: null },
          ],
        },
        sut,
      ),
    ).toEqual({
      kind: 'or',
      children: [
        { kind: 'cond', field: 'qty', op: 'gte', value: 100 },
        {
          kind: 'and',
          children: [
            { kind: 'cond', field: 'active', op: 'eq', value: true },
            { kind: 'not', child: { kind: 'cond', field: 'status', op: 'in', value: ['draft'] } },
          ],
        },
        { kind: 'cond', field: 'day', op: 'between', value: ['2024-01-01', '2024-12-31'] },
        { kind: 'cond', field: 'title', op: 'eq', value: null },
      ],
    } satisfies FilterAst);
  });

  it('accepts numeric strings and comma lists', () => {
    expect(parseJsonFilter({ field: 'qty', op: 'in', value: '1,2' }, sut)).toEqual({
      kind: 'cond',
      field: 'qty',
      op: 'in',
      value: [1, 2],
    });
  });

  const deep = (levels: number): unknown => {
    let node: unknown = { field: 'qty', op: 'eq', value: 1 };
    for (let i = 1; i < levels; i += 1) node = { not: node };
    return node;
  };

  it('allows 10 levels and refuses 11', () => {
    expect(parseJsonFilter(deep(10), sut).kind).toBe('not');
    expect(rejection(() => parseJsonFilter(deep(11), sut)).errors?.[0]?.rule).toBe('too_deep');
  });

  it('allows 200 nodes and refuses 201', () => {
    const leaves = (n: number) => ({
      or: Array.from({ length: n }, () => ({ field: 'qty', value: 1 })),
    });
    expect(parseJsonFilter(leaves(199), sut).kind).toBe('or');
    expect(rejection(() => parseJsonFilter(leaves(200), sut)).errors?.[0]?.rule).toBe(
      'too_many_nodes',
    );
  });

  it.each<[unknown, string]>([
    [null, 'invalid_filter'],
    [[], 'invalid_filter'],
    ['x', 'invalid_filter'],
    [{}, 'invalid_filter'],
    [{ and: [] }, 'invalid_filter'],
    [{ and: {} }, 'invalid_filter'],
    [{ or: [1] }, 'invalid_filter'],
    [{ and: [], or: [] }, 'invalid_filter'],
    [{ field: 'qty', op: 'eq', value: 1, extra: 1 }, 'invalid_filter'],
    [{ field: 1, op: 'eq', value: 1 }, 'invalid_filter'],
    [{ field: 'qty', op: 'eq' }, 'invalid_value'],
    [{ field: 'qty', op: 'nope', value: 1 }, 'unknown_operator'],
    [{ field: 'qty', op: 7, value: 1 }, 'unknown_operator'],
    [{ field: 'secret', op: 'eq', value: 'x' }, 'unknown_field'],
    [{ field: '__proto__', op: 'eq', value: 'x' }, 'unknown_field'],
    [{ field: 'qty', op: 'eq', value: 1.5 }, 'invalid_value'],
    [{ field: 'qty', op: 'eq', value: { $gt: 1 } }, 'invalid_value'],
    [{ field: 'qty', op: 'in', value: [] }, 'invalid_value'],
    [{ field: 'qty', op: 'in', value: [null] }, 'invalid_value'],
    [{ field: 'qty', op: 'gt', value: null }, 'invalid_value'],
    [{ field: 'active', op: 'isnull', value: 'yes' }, 'invalid_value'],
    [{ field: 'title', op: 'contains', value: 5 }, 'invalid_value'],
  ])('rejects %j (%s)', (json, rule) => {
    const error = rejection(() => parseJsonFilter(json, sut));
    expect(error.status).toBe(400);
    expect(error.errors?.[0]?.rule).toBe(rule);
  });

  it('rejects malformed JSON text with 400', () => {
    expect(rejection(() => parseJsonFilterParam('{"and":[', sut)).errors?.[0]?.rule).toBe(
      'invalid_json',
    );
    expect(parseJsonFilterParam('{"field":"qty","op":"lt","value":3}', sut)).toEqual({
      kind: 'cond',
      field: 'qty',
      op: 'lt',
      value: 3,
    });
  });
});
