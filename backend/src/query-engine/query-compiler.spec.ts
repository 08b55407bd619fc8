import { AppError } from '../common/errors/app-error';
import { parseQueryFilters } from './filter';
import {
  buildCursor,
  compileCount,
  compileCountEstimate,
  compileDelete,
  compileGetById,
  compileInsert,
  compileSelect,
  compileUpdate,
  decodeCursor,
  finishPage,
  parseRecordId,
  planRows,
  splitPreviousRow,
  TOTAL_ALIAS,
} from './query-compiler';
import { parseListQuery } from './list-query';
import { parseSort } from './sort';
import { everyTypeCollection, makeCollection, makeField } from './test-collection.fixture';

const sut = everyTypeCollection();
const OWNER = { kind: 'cond', field: 'created_by_app_user_id', op: 'eq', value: 'u1' } as const;

function rejection(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('compileSelect', () => {
  it('lists every visible column, newest first, with the total in the same statement', () => {
    expect(compileSelect({ collection: sut, withTotal: true }).text).toMatchInlineSnapshot(
      `"SELECT "id", "created_at", "updated_at", "created_by_user_id", "created_by_app_user_id", "title", "body", "qty", "ratio", "price", "active", "day", "at", "ref", "meta", "status", "attachment", "owner_id", (SELECT count(*) FROM "p_test"."items") AS "__total" FROM "p_test"."items" ORDER BY "id" DESC LIMIT $1"`,
    );
  });

  it('ANDs the policy with the filter and search exactly once; page and total from one pass', () => {
    const compiled = compileSelect({
      collection: sut,
      filter: parseQueryFilters({ qty__gte: '5' }, sut),
      policyFilter: OWNER,
      search: 'foo',
      sort: '-qty,title',
      fields: 'title,qty',
      limit: 50,
      withTotal: true,
    });
    expect({ text: compiled.text, values: compiled.values }).toMatchInlineSnapshot(`
{
  "text": "WITH "__m" AS MATERIALIZED (SELECT "id", "qty", "title" FROM "p_test"."items" WHERE ("created_by_app_user_id" = $1 AND "qty" >= $2) AND ("title" ILIKE $3 OR "body" ILIKE $3)) SELECT "id", "title", "qty", (SELECT count(*) FROM "__m") AS "__total" FROM "p_test"."items" WHERE "id" IN (SELECT "id" FROM "__m" ORDER BY "qty" DESC, "title" ASC, "id" ASC LIMIT $4) ORDER BY "qty" DESC, "title" ASC, "id" ASC",
  "values": [
    "u1",
    5,
    "%foo%",
    51,
  ],
}
`);
  });

  it('uses OFFSET only when it is not zero and fetches one extra row', () => {
    const compiled = compileSelect({
      collection: sut,
      fields: ['title'],
      limit: 10,
      offset: 20,
      withTotal: false,
    });
    expect({ text: compiled.text, values: compiled.values }).toMatchInlineSnapshot(`
{
  "text": "SELECT "id", "title" FROM "p_test"."items" ORDER BY "id" DESC LIMIT $1 OFFSET $2",
  "values": [
    11,
    20,
  ],
}
`);
  });

  it('reads timestamptz sort keys as text for exact cursors', () => {
    const compiled = compileSelect({
      collection: sut,
      fields: ['title'],
      sort: '-created_at',
      withTotal: false,
    });
    expect(compiled.text).toMatchInlineSnapshot(
      `"SELECT "id", "title", "created_at", to_json("created_at") #>> '{}' AS "__sk0" FROM "p_test"."items" ORDER BY "created_at" DESC, "id" ASC LIMIT $1"`,
    );
  });

  it('compiles a keyset condition for after=, respecting direction and NULLs', () => {
    const sortKeys = parseSort('-qty,title', sut);
    const cursor = buildCursor({ qty: '7', title: 'b', id: '12' }, sortKeys);
    const compiled = compileSelect({
      collection: sut,
      fields: ['id'],
      sort: sortKeys,
      after: cursor,
      withTotal: false,
    });
    expect({ text: compiled.text, values: compiled.values }).toMatchInlineSnapshot(`
{
  "text": "SELECT "id", "qty", "title" FROM "p_test"."items" WHERE "qty" <= $1 AND ("qty" < $1 OR ("qty" = $1 AND ("title" > $2 OR "title" IS NULL)) OR ("qty" = $1 AND "title" = $2 AND "id" > $3)) ORDER BY "qty" DESC, "title" ASC, "id" ASC LIMIT $4",
  "values": [
    7,
    "b",
    12,
    101,
  ],
}
`);
  });

  it('keyset after a NULL ascending key only continues within NULLs', () => {
    const sortKeys = parseSort('qty', sut);
    const cursor = buildCursor({ qty: null, id: '3' }, sortKeys);
    const compiled = compileSelect({
      collection: sut,
      fields: ['id'],
      sort: sortKeys,
      after: cursor,
      withTotal: false,
    });
    expect({ text: compiled.text, values: compiled.values }).toMatchInlineSnapshot(`
{
  "text": "SELECT "id", "qty" FROM "p_test"."items" WHERE ("qty" IS NULL AND "id" > $1) ORDER BY "qty" ASC, "id" ASC LIMIT $2",
  "values": [
    3,
    101,
  ],
}
`);
  });

  it('keyset on the default sort is a plain id comparison', () => {
    const sortKeys = parseSort(null, sut);
    const cursor = buildCursor({ id: '40' }, sortKeys);
    const compiled = compileSelect({
      collection: sut,
      fields: ['id'],
      after: cursor,
      withTotal: true,
    });
    expect({ text: compiled.text, values: compiled.values }).toMatchInlineSnapshot(`
{
  "text": "SELECT "id", (SELECT count(*) FROM "p_test"."items") AS "__total" FROM "p_test"."items" WHERE "id" < $1 ORDER BY "id" DESC LIMIT $2",
  "values": [
    40,
    101,
  ],
}
`);
  });

  it.each<[Parameters<typeof compileSelect>[0], string]>([
    [
      { collection: sut, limit: 0, withTotal: false },
      'limit must be an integer between 1 and 1000',
    ],
    [
      { collection: sut, limit: 1001, withTotal: false },
      'limit must be an integer between 1 and 1000',
    ],
    [
      { collection: sut, limit: 1.5, withTotal: false },
      'limit must be an integer between 1 and 1000',
    ],
    [{ collection: sut, offset: -1, withTotal: false }, 'offset must be a non-negative integer'],
    [
      { collection: sut, offset: 5, after: 'abc', withTotal: false },
      'after cannot be combined with offset',
    ],
    [{ collection: sut, sort: 'nope', withTotal: false }, 'Unknown field: nope'],
    [{ collection: sut, sort: '-secret', withTotal: false }, 'Unknown field: secret'],
    [{ collection: sut, sort: 'meta', withTotal: false }, "Field 'meta' cannot be sorted"],
    [{ collection: sut, fields: 'title,secret', withTotal: false }, 'Unknown field: secret'],
    [{ collection: sut, fields: 'gone', withTotal: false }, 'Unknown field: gone'],
    [{ collection: sut, after: 'not base64!', withTotal: false }, 'after is not a valid cursor'],
    [
      {
        collection: sut,
        after: Buffer.from('{"s":"id:desc","v":["x"]}').toString('base64url'),
        withTotal: false,
      },
      'after is not a valid cursor',
    ],
    [
      {
        collection: sut,
        after: Buffer.from('{"s":"id:asc","v":[1]}').toString('base64url'),
        withTotal: false,
      },
      'after belongs to a different sort order',
    ],
    [
      { collection: sut, after: Buffer.from('[1]').toString('base64url'), withTotal: false },
      'after belongs to a different sort order',
    ],
    [
      {
        collection: sut,
        after: Buffer.from('{"s":"id:desc","v":[null]}').toString('base64url'),
        withTotal: false,
      },
      'after is not a valid cursor',
    ],
  ])('rejects bad paging/sort/projection with 400 (%#)', (input, message) => {
    const error = rejection(() => compileSelect(input));
    expect(error.status).toBe(400);
    expect(error.detail).toBe(message);
  });
});

describe('cursors', () => {
  it('round-trip every sortable type', () => {
    const sortKeys = parseSort('title,qty,-ratio,price,active,day,-at,ref,status,owner', sut);
    const row = {
      title: "it's",
      qty: '9007199254740993',
      ratio: 0.1,
      price: '12.30',
      active: false,
      day: new Date(2024, 1, 29),
      at: new Date('2024-01-01T00:00:00Z'),
      __sk6: '2024-01-01T00:00:00.123456+00:00',
      ref: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
      status: null,
      owner_id: '5',
      id: '77',
    };
    const cursor = buildCursor(row, sortKeys);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, sortKeys)).toEqual([
      "it's",
      '9007199254740993',
      0.1,
      '12.30',
      false,
      '2024-02-29',
      '2024-01-01T00:00:00.123456+00:00',
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
      null,
      5,
      77,
    ]);
  });

  it('finishPage trims the look-ahead row, builds next_cursor and reads the total', () => {
    const compiled = compileSelect({ collection: sut, fields: ['id'], limit: 2, withTotal: true });
    const rows = [
      { id: '3', [TOTAL_ALIAS]: '3' },
      { id: '2', [TOTAL_ALIAS]: '3' },
      { id: '1', [TOTAL_ALIAS]: '3' },
    ];
    const page = finishPage(rows, compiled);
    expect(page.rows).toHaveLength(2);
    expect(page.total).toBe(3);
    expect(decodeCursor(page.nextCursor as string, compiled.sortKeys)).toEqual([2]);
    expect(finishPage(rows.slice(0, 2), compiled).nextCursor).toBeNull();
    expect(finishPage([], compiled).total).toBe(0);
    const later = compileSelect({
      collection: sut,
      fields: ['id'],
      limit: 2,
      offset: 10,
      withTotal: true,
    });
    expect(finishPage([], later).total).toBeNull();
  });
});

describe('compileCount', () => {
  it('counts under the same filter, search and policy', () => {
    expect(
      compileCount({
        collection: sut,
        filter: parseQueryFilters({ active: 'true' }, sut),
        policyFilter: OWNER,
        search: 'x',
      }),
    ).toMatchInlineSnapshot(`
{
  "text": "SELECT count(*) AS "total" FROM "p_test"."items" WHERE ("created_by_app_user_id" = $1 AND "active" = $2) AND ("title" ILIKE $3 OR "body" ILIKE $3)",
  "values": [
    "u1",
    true,
    "%x%",
  ],
}
`);
  });
});

describe('count=estimated', () => {
  const filter = parseQueryFilters({ price__gte: '10' }, sut);
  it('caps the count in the list statement and skips the single-scan form', () => {
    const q = compileSelect({ collection: sut, filter, withTotal: true, countCap: 1001 });
    expect(q.text).toContain(
      '(SELECT count(*) FROM (SELECT 1 FROM "p_test"."items" WHERE "price" >= $1 LIMIT $2) "__c") AS "__total"',
    );
    const contains = parseQueryFilters({ title__contains: 'a' }, sut);
    const s = compileSelect({ collection: sut, filter: contains, withTotal: true, countCap: 5 });
    expect(s.text).not.toContain('MATERIALIZED');
    expect(compileCount({ collection: sut, filter, countCap: 7 })).toEqual({
      text: 'SELECT count(*) AS "total" FROM (SELECT 1 FROM "p_test"."items" WHERE "price" >= $1 LIMIT $2) "__c"',
      values: ['10', 7],
    });
  });
  it('asks the planner for the estimate and reads Plan Rows', () => {
    expect(compileCountEstimate({ collection: sut, filter }).text).toBe(
      'EXPLAIN (FORMAT JSON) SELECT 1 FROM "p_test"."items" WHERE "price" >= $1',
    );
    expect(planRows([{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': 1234.4 } }] }])).toBe(1234);
    expect(planRows([{ 'QUERY PLAN': 'nonsense' }])).toBe(0);
    expect(planRows([])).toBe(0);
  });
});

describe('single-row statements', () => {
  it('get by id with policy and projection', () => {
    const compiled = compileGetById({
      collection: sut,
      id: 5,
      policyFilter: OWNER,
      fields: 'title',
    });
    expect({ text: compiled.text, values: compiled.values }).toMatchInlineSnapshot(`
{
  "text": "SELECT "id", "title" FROM "p_test"."items" WHERE "id" = $1 AND "created_by_app_user_id" = $2",
  "values": [
    5,
    "u1",
  ],
}
`);
  });

  it('insert returns the stored row', () => {
    const compiled = compileInsert({
      collection: sut,
      values: { title: 'x', owner_id: 3, secret: 'hash', created_by_app_user_id: 'u1' },
    });
    expect({ text: compiled.text, values: compiled.values }).toMatchInlineSnapshot(`
{
  "text": "INSERT INTO "p_test"."items" ("title", "owner_id", "secret", "created_by_app_user_id") VALUES ($1, $2, $3, $4) RETURNING "id", "created_at", "updated_at", "created_by_user_id", "created_by_app_user_id", "title", "body", "qty", "ratio", "price", "active", "day", "at", "ref", "meta", "status", "attachment", "owner_id"",
  "values": [
    "x",
    3,
    "hash",
    "u1",
  ],
}
`);
  });

  it('insert with no values uses DEFAULT VALUES', () => {
    expect(compileInsert({ collection: sut, values: {}, returning: false })).toEqual({
      text: 'INSERT INTO "p_test"."items" DEFAULT VALUES',
      values: [],
      columns: [],
      prepare: true,
    });
  });

  it('update sets updated_at and checks the policy in the same statement', () => {
    const compiled = compileUpdate({
      collection: sut,
      id: 5,
      values: { qty: 2, meta: '{}' },
      policyFilter: OWNER,
    });
    expect({ text: compiled.text, values: compiled.values }).toMatchInlineSnapshot(`
{
  "text": "UPDATE "p_test"."items" SET "qty" = $1, "meta" = $2, "updated_at" = now() WHERE "id" = $3 AND "created_by_app_user_id" = $4 RETURNING "id", "created_at", "updated_at", "created_by_user_id", "created_by_app_user_id", "title", "body", "qty", "ratio", "price", "active", "day", "at", "ref", "meta", "status", "attachment", "owner_id"",
  "values": [
    2,
    "{}",
    5,
    "u1",
  ],
}
`);
  });

  it('update can return the previous row in the same statement', () => {
    const compiled = compileUpdate({
      collection: makeCollection('notes', [makeField('body', 'text')]),
      id: 5,
      values: { body: 'new' },
      policyFilter: OWNER,
      returnPrevious: true,
    });
    expect({ text: compiled.text, values: compiled.values }).toMatchInlineSnapshot(`
{
  "text": "WITH "previous" AS (SELECT "id", "created_at", "updated_at", "created_by_user_id", "created_by_app_user_id", "body" FROM "p_test"."notes" WHERE "id" = $2 AND "created_by_app_user_id" = $3 FOR UPDATE) UPDATE "p_test"."notes" AS "t" SET "body" = $1, "updated_at" = now() FROM "previous" WHERE "t"."id" = "previous"."id" RETURNING "t"."id", "t"."created_at", "t"."updated_at", "t"."created_by_user_id", "t"."created_by_app_user_id", "t"."body", "previous"."id" AS "__prev0", "previous"."created_at" AS "__prev1", "previous"."updated_at" AS "__prev2", "previous"."created_by_user_id" AS "__prev3", "previous"."created_by_app_user_id" AS "__prev4", "previous"."body" AS "__prev5"",
  "values": [
    "new",
    5,
    "u1",
  ],
}
`);
    expect(
      splitPreviousRow({ id: '5', body: 'new', __prev0: '5', __prev5: 'old' }, compiled),
    ).toMatchObject({ current: { id: '5', body: 'new' }, previous: { id: '5', body: 'old' } });
  });

  it('delete returns the deleted row', () => {
    const compiled = compileDelete({
      collection: sut,
      id: 5,
      policyFilter: { kind: 'literal', value: false },
    });
    expect({ text: compiled.text, values: compiled.values }).toMatchInlineSnapshot(`
{
  "text": "DELETE FROM "p_test"."items" WHERE "id" = $1 AND FALSE RETURNING "id", "created_at", "updated_at", "created_by_user_id", "created_by_app_user_id", "title", "body", "qty", "ratio", "price", "active", "day", "at", "ref", "meta", "status", "attachment", "owner_id"",
  "values": [
    5,
  ],
}
`);
  });

  it.each([
    [{ nope: 1 }, 'Unknown field: nope'],
    [{ id: 1 }, 'Unknown field: id'],
    [{ updated_at: 'x' }, 'Unknown field: updated_at'],
    [{ gone: 'x' }, 'Unknown field: gone'],
    [{ owner: 1, owner_id: 2 }, 'Field owner_id is given twice'],
  ])('refuses write keys %j', (values, message) => {
    expect(rejection(() => compileInsert({ collection: sut, values })).detail).toBe(message);
  });

  it('update may not set system columns', () => {
    expect(
      rejection(() =>
        compileUpdate({ collection: sut, id: 1, values: { created_by_app_user_id: 'x' } }),
      ).status,
    ).toBe(400);
  });

  it.each([
    ['12', 12],
    [12, 12],
    ['9223372036854775807', '9223372036854775807'],
  ])('parseRecordId(%j) on bigint ids', (raw, expected) => {
    expect(parseRecordId(raw, sut)).toBe(expected);
  });

  it.each(['abc', '1.5', '', '-', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'])(
    'parseRecordId(%j) is 404',
    (raw) => {
      expect(rejection(() => parseRecordId(raw, sut)).status).toBe(404);
    },
  );

  it('parseRecordId on uuid ids', () => {
    const users = makeCollection('_users', [makeField('email', 'string')], { idType: 'uuid' });
    expect(parseRecordId('A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', users)).toBe(
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    );
    expect(rejection(() => parseRecordId('1', users)).status).toBe(404);
  });
});

describe('parseListQuery', () => {
  it('parses a whole list request', () => {
    const parsed = parseListQuery(
      {
        qty__gt: '1',
        filter: '{"field":"title","op":"icontains","value":"a"}',
        search: 's',
        sort: '-qty',
        fields: 'title',
        limit: '10',
        count: 'false',
      },
      sut,
    );
    expect(parsed.filter).toEqual({
      kind: 'and',
      children: [
        { kind: 'cond', field: 'qty', op: 'gt', value: 1 },
        { kind: 'cond', field: 'title', op: 'icontains', value: 'a' },
      ],
    });
    expect(parsed).toMatchObject({
      search: 's',
      fields: ['title'],
      limit: 10,
      withTotal: false,
      expand: [],
    });
    expect(compileSelect({ collection: sut, ...parsed }).text).toContain('LIMIT $4');
  });

  it.each<[Record<string, string | string[]>, string]>([
    [{ limit: 'abc' }, 'limit must be a non-negative integer'],
    [{ limit: '-1' }, 'limit must be a non-negative integer'],
    [{ limit: '5000' }, 'limit must be an integer between 1 and 1000'],
    [{ limit: '0' }, 'limit must be an integer between 1 and 1000'],
    [{ offset: '1', after: 'x' }, 'after cannot be combined with offset'],
    [{ limit: ['1', '2'] }, 'limit is given more than once'],
    [{ count: 'maybe' }, 'count must be true, false or estimated'],
    [{ filter: 'nope' }, 'filter must be valid JSON'],
    [{ expand: 'owner' }, 'expand is not available here'],
    [{ search: 'a\u0000' }, 'search must not contain NUL characters'],
  ])('rejects %j', (query, message) => {
    expect(rejection(() => parseListQuery(query, sut)).detail).toBe(message);
  });
});
