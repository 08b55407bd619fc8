import { AppError } from '../common/errors/app-error';
import { parseJsonFilter, type FilterAst } from './filter';
import { makeCatalog, makeCollection, makeField } from './test-collection.fixture';
import {
  bindViewParams,
  compileView,
  finishView,
  outputResolver,
  planView,
  type ViewAccess,
} from './view-compiler';
import type { ViewDefinition } from './view-definition';

const categories = makeCollection('categories', [
  makeField('name', 'string'),
  makeField('internal', 'string'),
  makeField('secret', 'string', { isHidden: true }),
]);
const tags = makeCollection('tags', [makeField('label', 'string')]);
const posts = makeCollection('posts', [
  makeField('title', 'string'),
  makeField('price', 'int'),
  makeField('category', 'relation', {
    column: 'category_id',
    relation: {
      kind: 'many_to_one',
      targetCollectionId: 'c_categories',
      onDelete: 'SET NULL',
      displayField: null,
    },
  }),
  makeField('tags', 'relation', {
    relation: {
      kind: 'many_to_many',
      targetCollectionId: 'c_tags',
      onDelete: 'CASCADE',
      displayField: null,
      junctionTable: 'posts_tags',
      junctionSourceColumn: 'posts_id',
      junctionTargetColumn: 'tags_id',
    },
  }),
]);
// A table name that needs quoting: identifiers always go through quoteIdent.
const weird = makeCollection('weird', [makeField('a"b', 'string')], { table: 'we"ird' });
const catalog = makeCatalog([categories, tags, posts, weird]);

const def = (over: Partial<ViewDefinition>): ViewDefinition => ({
  base_collection_id: posts.id,
  projection: null,
  joins: [],
  filters: [],
  sorts: [],
  group_by: [],
  aggregates: [],
  having: null,
  params_schema: {},
  default_limit: 100,
  max_limit: 1000,
  ...over,
});

const OPEN: ViewAccess = { rowFilter: null, readable: null };
const ownerFilter = (id: string): FilterAst => ({
  kind: 'cond',
  field: 'created_by_app_user_id',
  op: 'eq',
  value: id,
});

function errorsOf(fn: () => unknown): { field: string; rule: string }[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError)
      return (err.errors ?? []).map(({ field, rule }) => ({ field, rule }));
    throw err;
  }
  throw new Error('expected a throw');
}

describe('planView', () => {
  it.each<[string, Partial<ViewDefinition>, string, string]>([
    ['unknown field', { projection: ['nope'] }, 'projection[0]', 'unknown_field'],
    [
      'hidden field of a join',
      { joins: [{ relation: 'category', type: 'left', fields: ['secret'] }] },
      'joins[0].fields[0]',
      'unknown_field',
    ],
    [
      'unknown relation',
      { joins: [{ relation: 'author', type: 'left', fields: [] }] },
      'joins[0].relation',
      'unknown_relation',
    ],
    [
      'nested join before its parent',
      { joins: [{ relation: 'category.parent', type: 'left', fields: [] }] },
      'joins[0].relation',
      'unknown_relation',
    ],
    [
      'sum over text',
      { aggregates: [{ fn: 'sum', field: 'title', as: 's' }] },
      'aggregates[0].field',
      'not_numeric',
    ],
    [
      'avg without field',
      { aggregates: [{ fn: 'avg', field: null, as: 's' }] },
      'aggregates[0].field',
      'required',
    ],
    [
      'alias not an identifier',
      { aggregates: [{ fn: 'count', field: null, as: 'x y' }] },
      'aggregates[0].as',
      'invalid_name',
    ],
    [
      'alias clashing with a column',
      { group_by: ['title'], aggregates: [{ fn: 'count', field: null, as: 'title' }] },
      'aggregates[0].as',
      'duplicate',
    ],
    [
      'ungrouped projection',
      { projection: ['price'], group_by: ['title'] },
      'projection[0]',
      'not_grouped',
    ],
    [
      'having without grouping',
      { having: { field: 'price', op: 'gt', value: 1 } },
      'having',
      'not_grouped',
    ],
    [
      'having on a base field',
      { group_by: ['title'], having: { field: 'price', op: 'gt', value: 1 } },
      'having.field',
      'unknown_field',
    ],
    [
      'operator not for the type',
      { filters: [{ field: 'price', op: 'contains', value: 'x' }] },
      'filters[0].op',
      'operator_not_allowed',
    ],
    [
      'bad original operator',
      { filters: [{ field: 'price', operator: '~', value: 1 }] },
      'filters[0].op',
      'unknown_operator',
    ],
    [
      'unparsable static value',
      { filters: [{ field: 'price', op: 'gt', value: 'ten' }] },
      'filters[0].value',
      'invalid_value',
    ],
    [
      'undeclared param',
      { filters: [{ field: 'price', op: 'gt', value: '{{p}}' }] },
      'filters',
      'unknown_param',
    ],
    [
      'sort on a non-output column',
      { projection: ['title'], sorts: [{ field: 'price', desc: false }] },
      'sorts[0].field',
      'unknown_field',
    ],
    ['max_limit over the cap', { max_limit: 5000 }, 'max_limit', 'out_of_range'],
  ])('%s → 400 naming the field', (_label, over, field, rule) => {
    expect(errorsOf(() => planView(def(over), posts, catalog))).toContainEqual({ field, rule });
  });

  it('collects every problem of a definition at once', () => {
    const errors = errorsOf(() =>
      planView(def({ projection: ['a', 'b'], max_limit: 0 }), posts, catalog),
    );
    expect(errors.map((e) => e.field)).toEqual([
      'projection[0]',
      'projection[1]',
      'projection',
      'max_limit',
    ]);
  });
});

describe('compileView', () => {
  it('a left join puts the joined collection’s policy in ON and the base’s in WHERE', () => {
    const plan = planView(
      def({
        projection: ['title'],
        joins: [{ relation: 'category', type: 'left', fields: ['name'] }],
        filters: [{ field: 'category.name', op: 'eq', value: '{{cat}}' }],
        params_schema: { cat: { type: 'string', required: true } },
        sorts: [{ field: 'category.name', desc: true }],
      }),
      posts,
      catalog,
    );
    const sut = compileView(plan, {
      access: {
        base: { rowFilter: ownerFilter('u1'), readable: null },
        joins: [{ rowFilter: ownerFilter('u1'), readable: null }],
      },
      params: bindViewParams(plan, { cat: "x' OR 1=1 --" }),
      limit: 10,
    });
    expect(sut.text).toBe(
      'WITH "f" AS (SELECT * FROM (SELECT "t0"."title" AS "title", "t1"."name" AS "category.name", "t0"."id" AS "__rowid" ' +
        'FROM "p_test"."posts" AS "t0" LEFT JOIN "p_test"."categories" AS "t1" ON "t1"."id" = "t0"."category_id" AND "t1"."created_by_app_user_id" = $1 ' +
        'WHERE "t0"."created_by_app_user_id" = $2 AND "t1"."name" = $3) AS "v") ' +
        'SELECT "p".*, "c"."__total" FROM (SELECT count(*) AS "__total" FROM "f") AS "c" ' +
        'LEFT JOIN LATERAL (SELECT *, 1 AS "__present" FROM "f" ORDER BY "category.name" DESC, "__rowid" ASC LIMIT $4) AS "p" ON TRUE',
    );
    expect(sut.values).toEqual(['u1', 'u1', "x' OR 1=1 --", 10]);
  });

  it('groups, aggregates and filters the groups with HAVING', () => {
    const plan = planView(
      def({
        joins: [{ relation: 'category', type: 'inner', fields: [] }],
        group_by: ['category.name'],
        aggregates: [
          { fn: 'count', field: null, as: 'n' },
          { fn: 'sum', field: 'price', as: 'total' },
          { fn: 'count_distinct', field: 'title', as: 'titles' },
        ],
        having: { and: [{ field: 'n', op: 'gte', value: 2 }] },
      }),
      posts,
      catalog,
    );
    const sut = compileView(plan, { access: { base: OPEN, joins: [OPEN] } });
    expect(sut.text).toBe(
      'WITH "f" AS (SELECT * FROM (SELECT "t1"."name" AS "category.name", count(*) AS "n", sum("t0"."price") AS "total", count(DISTINCT "t0"."title") AS "titles" ' +
        'FROM "p_test"."posts" AS "t0" INNER JOIN "p_test"."categories" AS "t1" ON "t1"."id" = "t0"."category_id" ' +
        'GROUP BY "t1"."name" HAVING count(*) >= $1) AS "v") ' +
        'SELECT "p".*, "c"."__total" FROM (SELECT count(*) AS "__total" FROM "f") AS "c" ' +
        'LEFT JOIN LATERAL (SELECT *, 1 AS "__present" FROM "f" ORDER BY "category.name" ASC LIMIT $2) AS "p" ON TRUE',
    );
    expect(sut.values).toEqual([2, 100]);
  });

  it('a many-to-many join keeps the target’s policy inside the pair', () => {
    const plan = planView(
      def({
        projection: ['title'],
        joins: [{ relation: 'tags', type: 'left', fields: ['label'] }],
      }),
      posts,
      catalog,
    );
    const deny: ViewAccess = { rowFilter: { kind: 'literal', value: false }, readable: null };
    const sut = compileView(plan, { access: { base: OPEN, joins: [deny] } });
    expect(sut.text).toContain(
      'LEFT JOIN ("p_test"."posts_tags" AS "j1" INNER JOIN "p_test"."tags" AS "t1" ON "t1"."id" = "j1"."tags_id" AND FALSE) ON "j1"."posts_id" = "t0"."id"',
    );
  });

  it('quotes every identifier, even ones that need it', () => {
    const plan = planView(
      def({
        base_collection_id: weird.id,
        projection: ['a"b'],
        sorts: [{ field: 'a"b', desc: false }],
      }),
      weird,
      catalog,
    );
    const sut = compileView(plan, { access: { base: OPEN, joins: [] } });
    expect(sut.text).toContain('FROM "p_test"."we""ird" AS "t0"');
    expect(sut.text).toContain('"t0"."a""b" AS "a""b"');
  });

  it('binds param values and output filters as parameters, never as SQL text', () => {
    const plan = planView(
      def({
        projection: ['title', 'price'],
        filters: {
          or: [
            { field: 'title', op: 'in', value: ['{{t}}', 'fixed'] },
            { field: 'price', op: 'gt', value: '{{p}}' },
          ],
        },
        params_schema: { t: { type: 'string' }, p: { type: 'integer' } },
      }),
      posts,
      catalog,
    );
    const evil = 'a"; DROP TABLE posts; --';
    const outer = parseJsonFilter({ field: 'title', op: 'neq', value: evil }, posts, {
      columns: outputResolver(plan.columns),
    });
    const sut = compileView(plan, {
      access: { base: OPEN, joins: [] },
      params: bindViewParams(plan, { t: evil, p: '7' }),
      filter: outer,
    });
    expect(sut.text).not.toContain('DROP');
    expect(sut.values).toEqual([[evil, 'fixed'], 7, evil, 100]);
  });

  it('drops a leaf whose optional param is absent; refuses a missing required one', () => {
    const plan = planView(
      def({
        projection: ['title'],
        filters: [{ field: 'price', op: 'gte', value: '{{min}}' }],
        params_schema: { min: { type: 'integer' }, need: { type: 'string', required: true } },
      }),
      posts,
      catalog,
    );
    expect(() => bindViewParams(plan, {})).toThrow(AppError);
    const sut = compileView(plan, {
      access: { base: OPEN, joins: [] },
      params: bindViewParams(plan, { need: 'x' }),
    });
    expect(sut.text).not.toContain('WHERE');
  });

  it('refuses a view reading a field outside read_fields, and drops it from an implicit *', () => {
    const explicit = planView(
      def({
        projection: ['title'],
        joins: [{ relation: 'category', type: 'left', fields: ['internal'] }],
      }),
      posts,
      catalog,
    );
    const readable: ViewAccess = { rowFilter: null, readable: new Set(['name']) };
    expect(
      errorsOf(() => compileView(explicit, { access: { base: OPEN, joins: [readable] } })),
    ).toEqual([{ field: 'category.internal', rule: 'read_fields' }]);
    const star = planView(def({ base_collection_id: categories.id }), categories, catalog);
    const sut = compileView(star, { access: { base: readable, joins: [] } });
    expect(sut.columns.map((c) => c.name)).toEqual([
      'id',
      'created_at',
      'updated_at',
      'created_by_user_id',
      'created_by_app_user_id',
      'name',
    ]);
  });

  it('caps the page at max_limit; limit/offset params override the request', () => {
    const plan = planView(
      def({
        projection: ['title'],
        default_limit: 5,
        max_limit: 5,
        params_schema: { size: { type: 'limit' }, skip: { type: 'offset' } },
      }),
      posts,
      catalog,
    );
    expect(compileView(plan, { access: { base: OPEN, joins: [] }, limit: 500 }).limit).toBe(5);
    const sut = compileView(plan, {
      access: { base: OPEN, joins: [] },
      params: bindViewParams(plan, { size: 2, skip: 4 }),
    });
    expect([sut.limit, sut.offset]).toEqual([2, 4]);
  });

  it('finishView reads the total from the row of an empty page', () => {
    const plan = planView(def({ projection: ['title'] }), posts, catalog);
    const compiled = compileView(plan, { access: { base: OPEN, joins: [] } });
    expect(finishView([{ title: null, __present: null, __total: '3' }], compiled)).toEqual({
      data: [],
      total: 3,
    });
  });
});
