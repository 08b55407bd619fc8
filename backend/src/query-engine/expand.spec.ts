import { AppError } from '../common/errors/app-error';
import type { CollectionMeta } from '../schema-engine/catalog.types';
import {
  compileExpand,
  compileManyToManyIds,
  expandRecords,
  expandRequiredFields,
  parseExpand,
  type ExpandContext,
} from './expand';
import type { FilterAst } from './filter';
import type { CompiledQuery } from './sql-params';
import { makeCatalog, makeCollection, makeField } from './test-collection.fixture';

const m2o = (targetCollectionId: string) => ({
  kind: 'many_to_one' as const,
  targetCollectionId,
  onDelete: 'SET NULL' as const,
  displayField: null,
});

const people = makeCollection('people', [
  makeField('name', 'string'),
  makeField('password', 'string', { isHidden: true }),
  makeField('team', 'relation', { column: 'team_id', relation: m2o('c_teams') }),
]);
const teams = makeCollection('teams', [makeField('label', 'string')]);
const tags = makeCollection('tags', [makeField('label', 'string')]);
const posts = makeCollection('posts', [
  makeField('title', 'string'),
  makeField('author', 'relation', { column: 'author_id', relation: m2o('c_people') }),
  makeField('editor', 'relation', {
    column: 'editor_id',
    relation: m2o('c_people'),
    isHidden: true,
  }),
  makeField('tags', 'relation', {
    column: 'tags',
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
const comments = makeCollection('comments', [
  makeField('body', 'text'),
  makeField('post', 'relation', { column: 'post_id', relation: m2o('c_posts') }),
]);
const catalog = makeCatalog([people, teams, tags, posts, comments]);

function rejection(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('parseExpand', () => {
  it('builds a merged tree of many-to-one, reverse and many-to-many relations', () => {
    const nodes = parseExpand('author.team,author,comments_via_post,tags', posts, catalog);
    expect(
      nodes.map((n) => ({
        name: n.name,
        kind: n.kind,
        target: n.target.name,
        fk: n.fkColumn,
        children: n.children.map((c) => c.name),
      })),
    ).toEqual([
      {
        name: 'author',
        kind: 'many_to_one',
        target: 'people',
        fk: 'author_id',
        children: ['team'],
      },
      {
        name: 'comments_via_post',
        kind: 'one_to_many',
        target: 'comments',
        fk: 'post_id',
        children: [],
      },
      { name: 'tags', kind: 'many_to_many', target: 'tags', fk: 'posts_id', children: [] },
    ]);
    expect(expandRequiredFields(nodes)).toEqual(['author_id']);
  });

  it('accepts the FK column name for many-to-one', () => {
    expect(parseExpand('author_id', posts, catalog)[0].name).toBe('author');
  });

  it.each([
    ['nope', 'Unknown relation: nope'],
    ['title', 'Unknown relation: title'],
    ['editor', 'Unknown relation: editor'],
    ['author.password', 'Unknown relation: password'],
    ['comments_via_nope', 'Unknown relation: comments_via_nope'],
    ['nope_via_post', 'Unknown relation: nope_via_post'],
    ['author..team', 'Unknown relation: author..team'],
    ['comments_via_post.post.author.team', 'expand nests at most 3 levels'],
  ])('rejects %j', (raw, message) => {
    const error = rejection(() => parseExpand(raw, posts, catalog));
    expect(error.status).toBe(400);
    expect(error.detail).toBe(message);
  });

  it('caps the number of relations at 10', () => {
    const many = makeCollection(
      'many',
      Array.from({ length: 11 }, (_, i) =>
        makeField(`r${i}`, 'relation', { column: `r${i}_id`, relation: m2o('c_teams') }),
      ),
    );
    const local = makeCatalog([many, teams]);
    const ten = Array.from({ length: 10 }, (_, i) => `r${i}`).join(',');
    expect(parseExpand(ten, many, local)).toHaveLength(10);
    expect(rejection(() => parseExpand(`${ten},r10`, many, local)).detail).toBe(
      'expand takes at most 10 relations',
    );
  });
});

describe('compileExpand', () => {
  const ctx = (policy: FilterAst | null): ExpandContext => ({
    catalog,
    run: () => Promise.resolve([]),
    accessFor: () => ({ rowFilter: policy, readable: null }),
  });
  const policy: FilterAst = {
    kind: 'cond',
    field: 'created_by_app_user_id',
    op: 'eq',
    value: 'u1',
  };

  it('many-to-one: one ANY() query with the target policy', () => {
    const [node] = parseExpand('author', posts, catalog);
    expect(compileExpand(node, ['1', '2'], ctx(policy))).toMatchInlineSnapshot(`
{
  "text": "SELECT "id", "created_at", "updated_at", "created_by_user_id", "created_by_app_user_id", "name", "team_id" FROM "p_test"."people" WHERE "id" = ANY($1) AND "created_by_app_user_id" = $2 LIMIT $3",
  "values": [
    [
      "1",
      "2",
    ],
    "u1",
    10001,
  ],
}
`);
  });

  it('one-to-many: capped per parent with row_number()', () => {
    const [node] = parseExpand('comments_via_post', posts, catalog);
    expect(compileExpand(node, ['1'], ctx(policy))).toMatchInlineSnapshot(`
{
  "text": "SELECT * FROM (SELECT "t"."id", "t"."created_at", "t"."updated_at", "t"."created_by_user_id", "t"."created_by_app_user_id", "t"."body", "t"."post_id", row_number() OVER (PARTITION BY "t"."post_id" ORDER BY "t"."id") AS "__rn" FROM "p_test"."comments" AS "t" WHERE "t"."post_id" = ANY($1) AND "t"."created_by_app_user_id" = $3) AS "s" WHERE "s"."__rn" <= $2 ORDER BY "s"."post_id", "s"."id" LIMIT $4",
  "values": [
    [
      "1",
    ],
    100,
    "u1",
    10001,
  ],
}
`);
  });

  it('many-to-many: through the junction, policy on the target', () => {
    const [node] = parseExpand('tags', posts, catalog);
    expect(compileExpand(node, ['1'], ctx(null))).toMatchInlineSnapshot(`
{
  "text": "SELECT * FROM (SELECT "j"."posts_id" AS "__parent", "t"."id", "t"."created_at", "t"."updated_at", "t"."created_by_user_id", "t"."created_by_app_user_id", "t"."label", row_number() OVER (PARTITION BY "j"."posts_id" ORDER BY "t"."id") AS "__rn" FROM "p_test"."posts_tags" AS "j" JOIN "p_test"."tags" AS "t" ON "t"."id" = "j"."tags_id" WHERE "j"."posts_id" = ANY($1)) AS "s" WHERE "s"."__rn" <= $2 ORDER BY "s"."__parent", "s"."id" LIMIT $3",
  "values": [
    [
      "1",
    ],
    100,
    10001,
  ],
}
`);
  });

  it('many-to-many id arrays', () => {
    expect(compileManyToManyIds(posts.fields[3], posts, [1, 2])).toMatchInlineSnapshot(`
{
  "text": "SELECT "posts_id" AS "__parent", "tags_id" AS "id" FROM "p_test"."posts_tags" WHERE "posts_id" = ANY($1) ORDER BY "posts_id", "tags_id"",
  "values": [
    [
      1,
      2,
    ],
  ],
}
`);
  });
});

describe('expandRecords', () => {
  it('runs one query per relation per level and attaches results', async () => {
    const queries: CompiledQuery[] = [];
    const data: Record<string, Record<string, unknown>[]> = {
      people: [{ id: '10', name: 'Ann', password: 'x', team_id: '7' }],
      teams: [{ id: '7', label: 'core' }],
      comments: [
        { id: '100', body: 'a', post_id: '1', __rn: '1' },
        { id: '101', body: 'b', post_id: '1', __rn: '2' },
      ],
      tags: [{ __parent: '2', id: '5', label: 't', __rn: '1' }],
    };
    const ctx: ExpandContext = {
      catalog,
      accessFor: (c: CollectionMeta) => ({
        rowFilter: c.name === 'teams' ? { kind: 'literal', value: true } : null,
        readable: null,
      }),
      run: (query) => {
        queries.push(query);
        const table = /FROM "p_test"\."(\w+)"/.exec(query.text)?.[1] ?? '';
        const name = table === 'posts_tags' ? 'tags' : table;
        return Promise.resolve(data[name] ?? []);
      },
    };
    const records: Record<string, unknown>[] = [
      { id: 1, title: 'p1', author_id: 10 },
      { id: 2, title: 'p2', author_id: null },
      { id: 3, title: 'p3', author_id: 99 },
    ];
    await expandRecords(
      records,
      posts,
      parseExpand('author.team,comments_via_post,tags', posts, catalog),
      ctx,
    );
    expect(queries).toHaveLength(4);
    expect(records[0]).toMatchObject({
      author: { id: 10, name: 'Ann', team_id: 7, team: { id: 7, label: 'core' } },
      comments_via_post: [
        { id: 100, body: 'a', post_id: 1 },
        { id: 101, body: 'b', post_id: 1 },
      ],
      tags: [],
    });
    expect(records[0].author).not.toHaveProperty('password');
    expect(records[1]).toMatchObject({
      author: null,
      comments_via_post: [],
      tags: [{ id: 5, label: 't' }],
    });
    expect(records[2].author).toBeNull();
  });

  it('skips the query when no parent has a key', async () => {
    const run = jest.fn();
    const records: Record<string, unknown>[] = [{ id: 1, author_id: null }];
    await expandRecords(records, posts, parseExpand('author', posts, catalog), {
      catalog,
      run,
      accessFor: () => ({ rowFilter: null, readable: null }),
    });
    expect(run).not.toHaveBeenCalled();
    expect(records[0].author).toBeNull();
  });
});
