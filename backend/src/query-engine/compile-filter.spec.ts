import { compileFilter, compileSearch } from './compile-filter';
import { parseQueryFilters, type FilterAst } from './filter';
import { SqlParams } from './sql-params';
import { everyTypeCollection, makeCollection, makeField } from './test-collection.fixture';

const sut = everyTypeCollection();

function compile(ast: FilterAst) {
  const params = new SqlParams();
  const text = compileFilter(ast, { collection: sut, params });
  return { text, values: params.values };
}

describe('compileFilter: every operator of every type', () => {
  it.each<[string, string, string, unknown[]]>([
    ['title__eq', 'abc', '"title" = $1', ['abc']],
    ['title__neq', 'abc', '"title" <> $1', ['abc']],
    ['title__gt', 'abc', '"title" > $1', ['abc']],
    ['title__gte', 'abc', '"title" >= $1', ['abc']],
    ['title__lt', 'abc', '"title" < $1', ['abc']],
    ['title__lte', 'abc', '"title" <= $1', ['abc']],
    ['title__contains', 'abc', '"title" LIKE $1 ESCAPE \'\\\'', ['%abc%']],
    ['title__icontains', 'abc', '"title" ILIKE $1 ESCAPE \'\\\'', ['%abc%']],
    ['title__startswith', 'abc', '"title" LIKE $1 ESCAPE \'\\\'', ['abc%']],
    ['title__endswith', 'abc', '"title" LIKE $1 ESCAPE \'\\\'', ['%abc']],
    ['title__in', 'abc,x%_\\y', '"title" = ANY($1)', [['abc', 'x%_\\y']]],
    ['title__notin', 'abc,x%_\\y', '"title" <> ALL($1)', [['abc', 'x%_\\y']]],
    ['title__isnull', 'true', '"title" IS NULL', []],
    ['title__like', 'abc', '"title" LIKE $1', ['abc']],
    ['title__ilike', 'abc', '"title" ILIKE $1', ['abc']],
    ['title__between', 'abc,x%_\\y', '"title" BETWEEN $1 AND $2', ['abc', 'x%_\\y']],
    ['body__eq', 'abc', '"body" = $1', ['abc']],
    ['body__neq', 'abc', '"body" <> $1', ['abc']],
    ['body__gt', 'abc', '"body" > $1', ['abc']],
    ['body__gte', 'abc', '"body" >= $1', ['abc']],
    ['body__lt', 'abc', '"body" < $1', ['abc']],
    ['body__lte', 'abc', '"body" <= $1', ['abc']],
    ['body__contains', 'abc', '"body" LIKE $1 ESCAPE \'\\\'', ['%abc%']],
    ['body__icontains', 'abc', '"body" ILIKE $1 ESCAPE \'\\\'', ['%abc%']],
    ['body__startswith', 'abc', '"body" LIKE $1 ESCAPE \'\\\'', ['abc%']],
    ['body__endswith', 'abc', '"body" LIKE $1 ESCAPE \'\\\'', ['%abc']],
    ['body__in', 'abc,b', '"body" = ANY($1)', [['abc', 'b']]],
    ['body__notin', 'abc,b', '"body" <> ALL($1)', [['abc', 'b']]],
    ['body__isnull', 'true', '"body" IS NULL', []],
    ['body__like', 'abc', '"body" LIKE $1', ['abc']],
    ['body__ilike', 'abc', '"body" ILIKE $1', ['abc']],
    ['body__between', 'abc,b', '"body" BETWEEN $1 AND $2', ['abc', 'b']],
    ['qty__eq', '5', '"qty" = $1', [5]],
    ['qty__neq', '5', '"qty" <> $1', [5]],
    ['qty__gt', '5', '"qty" > $1', [5]],
    ['qty__gte', '5', '"qty" >= $1', [5]],
    ['qty__lt', '5', '"qty" < $1', [5]],
    ['qty__lte', '5', '"qty" <= $1', [5]],
    ['qty__in', '5,9', '"qty" = ANY($1)', [[5, 9]]],
    ['qty__notin', '5,9', '"qty" <> ALL($1)', [[5, 9]]],
    ['qty__isnull', 'true', '"qty" IS NULL', []],
    ['qty__between', '5,9', '"qty" BETWEEN $1 AND $2', [5, 9]],
    ['ratio__eq', '1.5', '"ratio" = $1', [1.5]],
    ['ratio__neq', '1.5', '"ratio" <> $1', [1.5]],
    ['ratio__gt', '1.5', '"ratio" > $1', [1.5]],
    ['ratio__gte', '1.5', '"ratio" >= $1', [1.5]],
    ['ratio__lt', '1.5', '"ratio" < $1', [1.5]],
    ['ratio__lte', '1.5', '"ratio" <= $1', [1.5]],
    ['ratio__in', '1.5,2.5', '"ratio" = ANY($1)', [[1.5, 2.5]]],
    ['ratio__notin', '1.5,2.5', '"ratio" <> ALL($1)', [[1.5, 2.5]]],
    ['ratio__isnull', 'true', '"ratio" IS NULL', []],
    ['ratio__between', '1.5,2.5', '"ratio" BETWEEN $1 AND $2', [1.5, 2.5]],
    ['price__eq', '2.50', '"price" = $1', ['2.50']],
    ['price__neq', '2.50', '"price" <> $1', ['2.50']],
    ['price__gt', '2.50', '"price" > $1', ['2.50']],
    ['price__gte', '2.50', '"price" >= $1', ['2.50']],
    ['price__lt', '2.50', '"price" < $1', ['2.50']],
    ['price__lte', '2.50', '"price" <= $1', ['2.50']],
    ['price__in', '2.50,3', '"price" = ANY($1)', [['2.50', '3']]],
    ['price__notin', '2.50,3', '"price" <> ALL($1)', [['2.50', '3']]],
    ['price__isnull', 'true', '"price" IS NULL', []],
    ['price__between', '2.50,3', '"price" BETWEEN $1 AND $2', ['2.50', '3']],
    ['active__eq', 'true', '"active" = $1', [true]],
    ['active__neq', 'true', '"active" <> $1', [true]],
    ['active__isnull', 'true', '"active" IS NULL', []],
    ['day__eq', '2024-01-01', '"day" = $1', ['2024-01-01']],
    ['day__neq', '2024-01-01', '"day" <> $1', ['2024-01-01']],
    ['day__gt', '2024-01-01', '"day" > $1', ['2024-01-01']],
    ['day__gte', '2024-01-01', '"day" >= $1', ['2024-01-01']],
    ['day__lt', '2024-01-01', '"day" < $1', ['2024-01-01']],
    ['day__lte', '2024-01-01', '"day" <= $1', ['2024-01-01']],
    ['day__in', '2024-01-01,2024-12-31', '"day" = ANY($1)', [['2024-01-01', '2024-12-31']]],
    ['day__notin', '2024-01-01,2024-12-31', '"day" <> ALL($1)', [['2024-01-01', '2024-12-31']]],
    ['day__isnull', 'true', '"day" IS NULL', []],
    [
      'day__between',
      '2024-01-01,2024-12-31',
      '"day" BETWEEN $1 AND $2',
      ['2024-01-01', '2024-12-31'],
    ],
    ['at__eq', '2024-01-01T10:00:00Z', '"at" = $1', ['2024-01-01T10:00:00Z']],
    ['at__neq', '2024-01-01T10:00:00Z', '"at" <> $1', ['2024-01-01T10:00:00Z']],
    ['at__gt', '2024-01-01T10:00:00Z', '"at" > $1', ['2024-01-01T10:00:00Z']],
    ['at__gte', '2024-01-01T10:00:00Z', '"at" >= $1', ['2024-01-01T10:00:00Z']],
    ['at__lt', '2024-01-01T10:00:00Z', '"at" < $1', ['2024-01-01T10:00:00Z']],
    ['at__lte', '2024-01-01T10:00:00Z', '"at" <= $1', ['2024-01-01T10:00:00Z']],
    [
      'at__in',
      '2024-01-01T10:00:00Z,2024-01-02',
      '"at" = ANY($1)',
      [['2024-01-01T10:00:00Z', '2024-01-02T00:00:00Z']],
    ],
    [
      'at__notin',
      '2024-01-01T10:00:00Z,2024-01-02',
      '"at" <> ALL($1)',
      [['2024-01-01T10:00:00Z', '2024-01-02T00:00:00Z']],
    ],
    ['at__isnull', 'true', '"at" IS NULL', []],
    [
      'at__between',
      '2024-01-01T10:00:00Z,2024-01-02',
      '"at" BETWEEN $1 AND $2',
      ['2024-01-01T10:00:00Z', '2024-01-02T00:00:00Z'],
    ],
    [
      'ref__eq',
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
      '"ref" = $1',
      ['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'],
    ],
    [
      'ref__neq',
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
      '"ref" <> $1',
      ['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'],
    ],
    [
      'ref__in',
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11,b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12',
      '"ref" = ANY($1)',
      [['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12']],
    ],
    [
      'ref__notin',
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11,b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12',
      '"ref" <> ALL($1)',
      [['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12']],
    ],
    ['ref__isnull', 'true', '"ref" IS NULL', []],
    ['meta__isnull', 'true', '"meta" IS NULL', []],
    ['status__eq', 'draft', '"status" = $1', ['draft']],
    ['status__neq', 'draft', '"status" <> $1', ['draft']],
    ['status__in', "draft,it's", '"status" = ANY($1)', [['draft', "it's"]]],
    ['status__notin', "draft,it's", '"status" <> ALL($1)', [['draft', "it's"]]],
    ['status__isnull', 'true', '"status" IS NULL', []],
    [
      'attachment__eq',
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
      '"attachment" = $1',
      ['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'],
    ],
    [
      'attachment__neq',
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
      '"attachment" <> $1',
      ['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'],
    ],
    [
      'attachment__in',
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11,b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12',
      '"attachment" = ANY($1)',
      [['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12']],
    ],
    [
      'attachment__notin',
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11,b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12',
      '"attachment" <> ALL($1)',
      [['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12']],
    ],
    ['attachment__isnull', 'true', '"attachment" IS NULL', []],
    ['owner__eq', '3', '"owner_id" = $1', [3]],
    ['owner__neq', '3', '"owner_id" <> $1', [3]],
    ['owner__in', '3,4', '"owner_id" = ANY($1)', [[3, 4]]],
    ['owner__notin', '3,4', '"owner_id" <> ALL($1)', [[3, 4]]],
    ['owner__isnull', 'true', '"owner_id" IS NULL', []],
    ['id__eq', '1', '"id" = $1', [1]],
    ['id__neq', '1', '"id" <> $1', [1]],
    ['id__gt', '1', '"id" > $1', [1]],
    ['id__gte', '1', '"id" >= $1', [1]],
    ['id__lt', '1', '"id" < $1', [1]],
    ['id__lte', '1', '"id" <= $1', [1]],
    ['id__in', '1,2', '"id" = ANY($1)', [[1, 2]]],
    ['id__notin', '1,2', '"id" <> ALL($1)', [[1, 2]]],
    ['id__isnull', 'true', '"id" IS NULL', []],
    ['id__between', '1,2', '"id" BETWEEN $1 AND $2', [1, 2]],
    ['created_at__eq', '2024-01-01', '"created_at" = $1', ['2024-01-01T00:00:00Z']],
    ['created_at__neq', '2024-01-01', '"created_at" <> $1', ['2024-01-01T00:00:00Z']],
    ['created_at__gt', '2024-01-01', '"created_at" > $1', ['2024-01-01T00:00:00Z']],
    ['created_at__gte', '2024-01-01', '"created_at" >= $1', ['2024-01-01T00:00:00Z']],
    ['created_at__lt', '2024-01-01', '"created_at" < $1', ['2024-01-01T00:00:00Z']],
    ['created_at__lte', '2024-01-01', '"created_at" <= $1', ['2024-01-01T00:00:00Z']],
    [
      'created_at__in',
      '2024-01-01,2024-02-01',
      '"created_at" = ANY($1)',
      [['2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z']],
    ],
    [
      'created_at__notin',
      '2024-01-01,2024-02-01',
      '"created_at" <> ALL($1)',
      [['2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z']],
    ],
    ['created_at__isnull', 'true', '"created_at" IS NULL', []],
    [
      'created_at__between',
      '2024-01-01,2024-02-01',
      '"created_at" BETWEEN $1 AND $2',
      ['2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z'],
    ],
    ['created_by_app_user_id__eq', 'u1', '"created_by_app_user_id" = $1', ['u1']],
    ['created_by_app_user_id__neq', 'u1', '"created_by_app_user_id" <> $1', ['u1']],
    ['created_by_app_user_id__gt', 'u1', '"created_by_app_user_id" > $1', ['u1']],
    ['created_by_app_user_id__gte', 'u1', '"created_by_app_user_id" >= $1', ['u1']],
    ['created_by_app_user_id__lt', 'u1', '"created_by_app_user_id" < $1', ['u1']],
    ['created_by_app_user_id__lte', 'u1', '"created_by_app_user_id" <= $1', ['u1']],
    [
      'created_by_app_user_id__contains',
      'u1',
      '"created_by_app_user_id" LIKE $1 ESCAPE \'\\\'',
      ['%u1%'],
    ],
    [
      'created_by_app_user_id__icontains',
      'u1',
      '"created_by_app_user_id" ILIKE $1 ESCAPE \'\\\'',
      ['%u1%'],
    ],
    [
      'created_by_app_user_id__startswith',
      'u1',
      '"created_by_app_user_id" LIKE $1 ESCAPE \'\\\'',
      ['u1%'],
    ],
    [
      'created_by_app_user_id__endswith',
      'u1',
      '"created_by_app_user_id" LIKE $1 ESCAPE \'\\\'',
      ['%u1'],
    ],
    ['created_by_app_user_id__in', 'u1,u2', '"created_by_app_user_id" = ANY($1)', [['u1', 'u2']]],
    [
      'created_by_app_user_id__notin',
      'u1,u2',
      '"created_by_app_user_id" <> ALL($1)',
      [['u1', 'u2']],
    ],
    ['created_by_app_user_id__isnull', 'true', '"created_by_app_user_id" IS NULL', []],
    ['created_by_app_user_id__like', 'u1', '"created_by_app_user_id" LIKE $1', ['u1']],
    ['created_by_app_user_id__ilike', 'u1', '"created_by_app_user_id" ILIKE $1', ['u1']],
    [
      'created_by_app_user_id__between',
      'u1,u2',
      '"created_by_app_user_id" BETWEEN $1 AND $2',
      ['u1', 'u2'],
    ],
  ])('%s=%s → %s %j', (key, raw, text, values) => {
    const ast = parseQueryFilters({ [key]: raw }, sut) as FilterAst;
    expect(compile(ast)).toEqual({ text, values });
  });
});

describe('compileFilter: shapes', () => {
  it('escapes LIKE metacharacters in contains/startswith/endswith', () => {
    const ast = parseQueryFilters({ title__contains: '50%_off\\' }, sut) as FilterAst;
    expect(compile(ast)).toEqual({
      text: `"title" LIKE $1 ESCAPE '\\'`,
      values: ['%50\\%\\_off\\\\%'],
    });
  });

  it('passes like/ilike patterns through untouched', () => {
    const ast = parseQueryFilters({ title__like: 'a%b_' }, sut) as FilterAst;
    expect(compile(ast).values).toEqual(['a%b_']);
  });

  it('nests and/or/not with parentheses and numbers params in order', () => {
    const ast: FilterAst = {
      kind: 'or',
      children: [
        { kind: 'cond', field: 'qty', op: 'gt', value: 1 },
        {
          kind: 'not',
          child: {
            kind: 'and',
            children: [
              { kind: 'cond', field: 'title', op: 'eq', value: 'x' },
              { kind: 'cond', field: 'status', op: 'in', value: ['draft'] },
            ],
          },
        },
        { kind: 'literal', value: false },
      ],
    };
    expect(compile(ast)).toMatchInlineSnapshot(`
{
  "text": "("qty" > $1 OR NOT (("title" = $2 AND "status" = ANY($3))) OR FALSE)",
  "values": [
    1,
    "x",
    [
      "draft",
    ],
  ],
}
`);
  });

  it('eq/neq null become IS NULL / IS NOT NULL', () => {
    expect(compile({ kind: 'cond', field: 'qty', op: 'eq', value: null }).text).toBe(
      '"qty" IS NULL',
    );
    expect(compile({ kind: 'cond', field: 'qty', op: 'neq', value: null }).text).toBe(
      '"qty" IS NOT NULL',
    );
    expect(compile({ kind: 'cond', field: 'qty', op: 'isnull', value: false }).text).toBe(
      '"qty" IS NOT NULL',
    );
  });

  it('empty and/or compile to TRUE/FALSE', () => {
    expect(compile({ kind: 'and', children: [] }).text).toBe('TRUE');
    expect(compile({ kind: 'or', children: [] }).text).toBe('FALSE');
  });

  it('qualifies columns with an alias when given', () => {
    const params = new SqlParams();
    const text = compileFilter(
      { kind: 'cond', field: 'owner', op: 'eq', value: 1 },
      { collection: sut, params, alias: 't' },
    );
    expect(text).toBe('"t"."owner_id" = $1');
  });

  it('server-built filters may name hidden fields; unknown names are internal errors', () => {
    expect(compile({ kind: 'cond', field: 'secret', op: 'eq', value: 'x' }).text).toBe(
      '"secret" = $1',
    );
    expect(() => compile({ kind: 'cond', field: 'gone', op: 'eq', value: 'x' })).toThrow(
      /does not have/,
    );
    expect(() => compile({ kind: 'cond', field: 'nope', op: 'eq', value: 'x' })).toThrow(
      /does not have/,
    );
  });
});

describe('compileSearch', () => {
  it('ORs ILIKE over visible textual fields with one escaped parameter', () => {
    const params = new SqlParams();
    const text = compileSearch('50%', { collection: sut, params });
    expect({ text, values: params.values }).toMatchInlineSnapshot(`
{
  "text": "("title" ILIKE $1 OR "body" ILIKE $1)",
  "values": [
    "%50\\%%",
  ],
}
`);
  });

  it('is FALSE when there is nothing textual', () => {
    const params = new SqlParams();
    const numbers = makeCollection('n', [
      makeField('n', 'int'),
      makeField('s', 'string', { isHidden: true }),
    ]);
    expect(compileSearch('x', { collection: numbers, params })).toBe('FALSE');
    expect(params.values).toEqual([]);
  });
});
