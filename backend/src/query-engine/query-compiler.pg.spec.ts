import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { Client } from 'pg';
import { AppError } from '../common/errors/app-error';
import { getFieldType } from '../schema-engine/field-types/registry';
import { quoteIdent, quoteQualified } from '../schema-engine/identifiers';
import { expandRecords, parseExpand } from './expand';
import type { FilterAst } from './filter';
import { parseListQuery, type QueryParams } from './list-query';
import {
  compileCount,
  compileDelete,
  compileGetById,
  compileInsert,
  compileSelect,
  compileUpdate,
  finishPage,
  parseRecordId,
  splitPreviousRow,
} from './query-compiler';
import { serializeRows, serializerFor } from './serialize-row';
import {
  everyTypeCollection,
  makeCatalog,
  makeCollection,
  makeField,
} from './test-collection.fixture';

// The run's PostgreSQL (DATABASE_URL, or the embedded one jest's global setup starts); required.
const DATABASE_URL = process.env.TEST_DATABASE_URL;
const SCHEMA = `qe_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
const U1 = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11';
const U2 = 'b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12';

const people = makeCollection('people', [makeField('name', 'string')], { schema: SCHEMA });
const items = everyTypeCollection(SCHEMA, 'items');
items.fields = items.fields.map((f) =>
  f.name === 'owner' && f.relation
    ? { ...f, relation: { ...f.relation, targetCollectionId: people.id } }
    : f,
);
const catalog = makeCatalog([people, items]);

const ROWS: Record<string, Record<string, unknown>> = {
  r1: {
    title: 'Alpha',
    body: 'first 50% off',
    qty: 1,
    ratio: 0.5,
    price: '10.00',
    active: true,
    day: '2024-01-01',
    at: '2024-01-01T10:00:00Z',
    ref: U1,
    meta: { a: 1 },
    status: 'draft',
    attachment: U1,
    owner: 'p1',
    secret: 's1',
  },
  r2: {
    title: 'beta',
    body: 'second_one',
    qty: 2,
    ratio: 1.5,
    price: '20.50',
    active: false,
    day: '2024-02-01',
    at: '2024-02-01T10:00:00.123456Z',
    ref: U2,
    meta: null,
    status: 'published',
    owner: 'p1',
  },
  r3: {
    title: 'Gamma',
    body: 'third \\ back',
    qty: 3,
    ratio: 2.5,
    price: '30.25',
    active: true,
    day: '2024-03-01',
    at: '2024-03-01T00:00:00+02:00',
    ref: null,
    meta: [1],
    status: "it's",
    owner: 'p2',
  },
  r4: {
    title: 'O\'Reilly "quoted"',
    body: null,
    qty: null,
    ratio: null,
    price: null,
    active: null,
    day: null,
    at: null,
    ref: null,
    meta: null,
    status: null,
  },
  r5: {
    title: 'alphabet',
    body: 'FIRST',
    qty: 5,
    ratio: -1,
    price: '-5.00',
    active: false,
    day: '2023-12-31',
    at: '2023-12-31T23:59:59Z',
    ref: U1,
    meta: { b: 2 },
    status: 'draft',
  },
  r6: {
    title: '😀 emoji',
    body: '%_',
    qty: '9007199254740993',
    ratio: 0,
    price: '0.00',
    active: true,
    day: '2024-02-29',
    at: '2024-06-01T00:00:00Z',
    ref: U2,
    meta: 'str',
    status: 'published',
  },
};

let client: Client;
const idToName = new Map<string, string>();
const nameToId = new Map<string, string>();
const peopleIds = new Map<string, string>();

async function run(query: { text: string; values: unknown[] }): Promise<Record<string, unknown>[]> {
  return (await client.query(query.text, query.values)).rows as Record<string, unknown>[];
}

async function names(query: QueryParams, policyFilter: FilterAst | null = null): Promise<string[]> {
  const parsed = parseListQuery({ limit: '1000', ...query }, items, { catalog });
  const rows = await run(compileSelect({ collection: items, ...parsed, policyFilter }));
  return finishPage(rows, compileSelect({ collection: items, ...parsed, policyFilter }))
    .rows.map((r) => idToName.get(String(r.id)) as string)
    .sort();
}

beforeAll(async () => {
  if (!DATABASE_URL)
    throw new Error('TEST_DATABASE_URL is not set: run through jest and its global setup');
  client = new Client({ connectionString: DATABASE_URL });
  await client.connect();
  const col = (name: string) => quoteIdent(name);
  const table = quoteQualified(SCHEMA, 'items');
  const system =
    'id bigint generated always as identity primary key, created_at timestamptz not null default now(), ' +
    'updated_at timestamptz not null default now(), created_by_user_id text, created_by_app_user_id text';
  const fieldColumns = items.fields
    .map(
      (f) =>
        `${col(f.column)} ${f.type === 'relation' ? 'bigint' : getFieldType(f.type).columnType(f.options)}`,
    )
    .join(', ');
  await client.query(`CREATE SCHEMA ${quoteIdent(SCHEMA)}`);
  await client.query(
    `CREATE TABLE ${quoteQualified(SCHEMA, 'people')} (${system}, ${col('name')} text)`,
  );
  await client.query(`CREATE TABLE ${table} (${system}, ${fieldColumns})`);
  for (const name of ['p1', 'p2']) {
    const [row] = await run(compileInsert({ collection: people, values: { name } }));
    peopleIds.set(name, String(row.id));
  }
  for (const [name, values] of Object.entries(ROWS)) {
    const { owner, ...rest } = values;
    const parsed: Record<string, unknown> = {
      created_by_app_user_id: name === 'r1' || name === 'r2' ? 'u1' : 'u2',
    };
    for (const [key, value] of Object.entries(rest)) {
      const field = items.fields.find((f) => f.name === key);
      const result = field
        ? getFieldType(field.type).parse(value, field.options)
        : { ok: false as const, message: key };
      if (!result.ok) throw new Error(`fixture ${name}.${key}: ${result.message}`);
      parsed[key] = result.value;
    }
    if (owner) parsed.owner = peopleIds.get(owner as string);
    const [row] = await run(compileInsert({ collection: items, values: parsed }));
    idToName.set(String(row.id), name);
    nameToId.set(name, String(row.id));
  }
});

afterAll(async () => {
  await client.query(`DROP SCHEMA IF EXISTS ${quoteIdent(SCHEMA)} CASCADE`);
  await client.end();
});

describe('compiled SQL on real PostgreSQL', () => {
  it.each<[QueryParams, string[]]>([
    [{ title: 'Alpha' }, ['r1']],
    [{ title__neq: 'Alpha' }, ['r2', 'r3', 'r4', 'r5', 'r6']],
    [{ title__gt: 'Gamma', title__lt: 'beta' }, ['r4', 'r5']],
    [{ title__contains: 'lpha' }, ['r1', 'r5']],
    [{ title__icontains: 'ALPHA' }, ['r1', 'r5']],
    [{ title__startswith: 'alp' }, ['r5']],
    [{ title__endswith: 'ta' }, ['r2']],
    [{ title__in: 'Alpha,beta' }, ['r1', 'r2']],
    [{ title__notin: 'Alpha,beta' }, ['r3', 'r4', 'r5', 'r6']],
    [{ title__like: 'A%' }, ['r1']],
    [{ title__ilike: 'a%' }, ['r1', 'r5']],
    [{ title__contains: '"quoted"' }, ['r4']],
    [{ title__startswith: "O'" }, ['r4']],
    [{ title__contains: '😀' }, ['r6']],
    [{ body__isnull: 'true' }, ['r4']],
    [{ body__contains: '50%' }, ['r1']],
    [{ body__contains: '%_' }, ['r6']],
    [{ body__contains: '_' }, ['r2', 'r6']],
    [{ body__contains: '\\' }, ['r3']],
    [{ body__startswith: '%' }, ['r6']],
    [{ body__icontains: 'first' }, ['r1', 'r5']],
    [{ body__between: 'second,t' }, ['r2']],
    [{ qty: '2' }, ['r2']],
    [{ qty__gt: '2' }, ['r3', 'r5', 'r6']],
    [{ qty__gte: '3', qty__lte: '5' }, ['r3', 'r5']],
    [{ qty__lt: '2' }, ['r1']],
    [{ qty__between: '2,5' }, ['r2', 'r3', 'r5']],
    [{ qty__in: '1,3' }, ['r1', 'r3']],
    [{ qty__notin: '1,3' }, ['r2', 'r5', 'r6']],
    [{ qty: '9007199254740993' }, ['r6']],
    [{ qty__isnull: 'false' }, ['r1', 'r2', 'r3', 'r5', 'r6']],
    [{ ratio__lt: '0' }, ['r5']],
    [{ ratio__between: '0,1.5' }, ['r1', 'r2', 'r6']],
    [{ price__gte: '20.50' }, ['r2', 'r3']],
    [{ price__lt: '0' }, ['r5']],
    [{ price__in: '10,30.25' }, ['r1', 'r3']],
    [{ active: 'true' }, ['r1', 'r3', 'r6']],
    [{ active__neq: 'true' }, ['r2', 'r5']],
    [{ active__isnull: 'true' }, ['r4']],
    [{ day__gte: '2024-02-01' }, ['r2', 'r3', 'r6']],
    [{ day__between: '2024-01-01,2024-02-29' }, ['r1', 'r2', 'r6']],
    [{ day__notin: '2024-01-01,2023-12-31' }, ['r2', 'r3', 'r6']],
    [{ at__gt: '2024-02-01T10:00:00.123Z' }, ['r2', 'r3', 'r6']],
    [{ at__gte: '2024-03-01' }, ['r6']],
    [{ at: '2024-02-29T22:00:00Z' }, ['r3']],
    [{ at__lt: '2024-01-01T11:00:00+01:00' }, ['r5']],
    [{ ref: U1 }, ['r1', 'r5']],
    [{ ref__in: `${U1},${U2}` }, ['r1', 'r2', 'r5', 'r6']],
    [{ ref__neq: U1 }, ['r2', 'r6']],
    [{ ref__isnull: 'true' }, ['r3', 'r4']],
    [{ meta__isnull: 'true' }, ['r2', 'r4']],
    [{ status: 'draft' }, ['r1', 'r5']],
    [{ status__in: "published,it's" }, ['r2', 'r3', 'r6']],
    [{ status__notin: 'draft' }, ['r2', 'r3', 'r6']],
    [{ attachment: U1 }, ['r1']],
    [{ attachment__isnull: 'true' }, ['r2', 'r3', 'r4', 'r5', 'r6']],
    [{ owner__isnull: 'false' }, ['r1', 'r2', 'r3']],
    [{ created_by_app_user_id: 'u1' }, ['r1', 'r2']],
    [{ created_at__lte: '2999-01-01' }, ['r1', 'r2', 'r3', 'r4', 'r5', 'r6']],
    [{ search: 'alpha' }, ['r1', 'r5']],
    [{ search: '%' }, ['r1', 'r6']],
    [{ search: 'first', qty__gt: '1' }, ['r5']],
    [
      {
        filter: JSON.stringify({
          or: [
            { field: 'qty', op: 'lt', value: 2 },
            { field: 'status', value: "it's" },
          ],
        }),
      },
      ['r1', 'r3'],
    ],
    [{ filter: JSON.stringify({ not: { field: 'active', op: 'eq', value: true } }) }, ['r2', 'r5']],
    [
      {
        filter: JSON.stringify({
          and: [
            { field: 'title', op: 'icontains', value: 'a' },
            { not: { field: 'qty', op: 'in', value: [1, 2] } },
          ],
        }),
      },
      ['r3', 'r5'],
    ],
    [{ title: "'; DROP TABLE items; --" }, []],
    [{ title__like: "%' OR '1'='1" }, []],
    [{ body__contains: "') OR TRUE --" }, []],
  ])('%j → %j', async (query, expected) => {
    expect(await names(query)).toEqual(expected);
  });

  it('applies the policy filter to rows and to the total', async () => {
    const policy: FilterAst = {
      kind: 'cond',
      field: 'created_by_app_user_id',
      op: 'eq',
      value: 'u2',
    };
    expect(await names({ status: 'draft' }, policy)).toEqual(['r5']);
    const parsed = parseListQuery({ limit: '1' }, items);
    const compiled = compileSelect({ collection: items, ...parsed, policyFilter: policy });
    const page = finishPage(await run(compiled), compiled);
    expect(page.total).toBe(4);
    const [{ total }] = await run(compileCount({ collection: items, policyFilter: policy }));
    expect(Number(total)).toBe(4);
    expect(await names({}, { kind: 'literal', value: false })).toEqual([]);
  });

  it.each([
    '-qty',
    'title',
    '-at,title',
    'status,-price',
    'active,-day',
    'ratio',
    '-created_at',
    'owner,-ref',
  ])('keyset pages with sort=%s visit every row exactly once, in order', async (sort) => {
    const full = await run(
      compileSelect({ collection: items, ...parseListQuery({ sort, limit: '100' }, items) }),
    );
    const seen: string[] = [];
    let after: string | undefined;
    for (let guard = 0; guard < 20; guard += 1) {
      const compiled = compileSelect({
        collection: items,
        ...parseListQuery({ sort, limit: '2', ...(after ? { after } : {}) }, items),
      });
      const page = finishPage(await run(compiled), compiled);
      seen.push(...page.rows.map((r) => String(r.id)));
      if (!page.nextCursor) break;
      after = page.nextCursor;
    }
    expect(seen).toEqual(full.map((r) => String(r.id)));
    expect(new Set(seen).size).toBe(6);
  });

  it('offset pages and totals agree with the data', async () => {
    const compiled = compileSelect({
      collection: items,
      ...parseListQuery({ sort: 'qty', limit: '4', offset: '4' }, items),
    });
    const page = finishPage(await run(compiled), compiled);
    expect(page.rows).toHaveLength(2);
    expect(page.total).toBe(6);
    expect(page.nextCursor).toBeNull();
  });

  it('serializes rows from pg by type and projection', async () => {
    const compiled = compileSelect({
      collection: items,
      ...parseListQuery({ qty: '9007199254740993' }, items),
    });
    const [record] = serializeRows(
      finishPage(await run(compiled), compiled).rows,
      compiled.columns,
    );
    expect(record).toMatchObject({
      title: '😀 emoji',
      qty: '9007199254740993',
      price: '0.00',
      day: '2024-02-29',
      at: '2024-06-01T00:00:00.000Z',
      meta: 'str',
      status: 'published',
    });
    expect(record).not.toHaveProperty('secret');
    const r2 = await run(
      compileGetById({
        collection: items,
        id: parseRecordId(nameToId.get('r2'), items),
        fields: 'at,qty',
      }),
    );
    expect(
      serializeRows(r2, compileGetById({ collection: items, id: 1, fields: 'at,qty' }).columns),
    ).toEqual([{ id: Number(nameToId.get('r2')), at: '2024-02-01T10:00:00.123Z', qty: 2 }]);
  });

  it('get/update/delete honour the policy in one statement', async () => {
    const id = parseRecordId(nameToId.get('r1'), items);
    const mine: FilterAst = {
      kind: 'cond',
      field: 'created_by_app_user_id',
      op: 'eq',
      value: 'u1',
    };
    const theirs: FilterAst = {
      kind: 'cond',
      field: 'created_by_app_user_id',
      op: 'eq',
      value: 'u2',
    };
    expect(await run(compileGetById({ collection: items, id, policyFilter: theirs }))).toHaveLength(
      0,
    );
    expect(
      await run(
        compileUpdate({ collection: items, id, values: { qty: 11 }, policyFilter: theirs }),
      ),
    ).toHaveLength(0);
    const [before] = await run(compileGetById({ collection: items, id, policyFilter: mine }));
    const [updated] = await run(
      compileUpdate({
        collection: items,
        id,
        values: { qty: 11, title: "Alpha'" },
        policyFilter: mine,
      }),
    );
    expect(serializerFor(items)(updated)).toMatchObject({ qty: 11, title: "Alpha'" });
    expect((updated.updated_at as Date).getTime()).toBeGreaterThanOrEqual(
      (before.updated_at as Date).getTime(),
    );
    const withPrevious = compileUpdate({
      collection: items,
      id,
      values: { qty: 12 },
      policyFilter: mine,
      returnPrevious: true,
    });
    const split = splitPreviousRow((await run(withPrevious))[0], withPrevious);
    expect([split.previous.qty, split.current.qty, split.previous.title]).toEqual([
      '11',
      '12',
      "Alpha'",
    ]);
    const notMine = withPrevious.values.map((v) => (v === 'u1' ? 'u2' : v));
    expect(await run({ text: withPrevious.text, values: notMine })).toHaveLength(0);
    expect(await run(compileDelete({ collection: items, id, policyFilter: theirs }))).toHaveLength(
      0,
    );
    const temp = await run(compileInsert({ collection: items, values: { title: 'temp' } }));
    const [deleted] = await run(
      compileDelete({ collection: items, id: temp[0].id, policyFilter: null }),
    );
    expect(deleted.title).toBe('temp');
    await run(compileUpdate({ collection: items, id, values: { qty: 1, title: 'Alpha' } }));
  });

  it('expands many-to-one and one-to-many without N+1', async () => {
    const compiled = compileSelect({
      collection: items,
      ...parseListQuery({ owner__isnull: 'false', sort: 'title' }, items),
    });
    const records = serializeRows(finishPage(await run(compiled), compiled).rows, compiled.columns);
    let queries = 0;
    await expandRecords(records, items, parseExpand('owner', items, catalog), {
      catalog,
      accessFor: () => ({ rowFilter: null, readable: null }),
      run: (q) => {
        queries += 1;
        return run(q);
      },
    });
    expect(queries).toBe(1);
    expect(records.map((r) => (r.owner as { name: string }).name)).toEqual(['p1', 'p2', 'p1']);

    const owners = serializeRows(
      await run(compileSelect({ collection: people, sort: 'name', withTotal: false })),
      compileSelect({ collection: people, withTotal: false }).columns,
    );
    await expandRecords(owners, people, parseExpand('items_via_owner', people, catalog), {
      catalog,
      accessFor: (c) => ({
        rowFilter:
          c.name === 'items' ? { kind: 'cond', field: 'active', op: 'eq', value: true } : null,
        readable: null,
      }),
      run,
    });
    expect(
      owners.map((o) => (o.items_via_owner as { title: string }[]).map((i) => i.title)),
    ).toEqual([['Alpha'], ['Gamma']]);
  });

  it('hostile values are a 400 or run cleanly, and leave the table intact', async () => {
    const hostile = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary', maxLength: 20 }),
      fc.constantFrom(
        "'",
        '"',
        '\\',
        'a\\',
        "'; DROP SCHEMA public CASCADE; --",
        '$1',
        '%',
        '_',
        ')) OR ((1=1',
        '\u2028',
        '\u0000',
        '😀'.repeat(1000),
      ),
    );
    const ops = [
      'eq',
      'neq',
      'gt',
      'contains',
      'icontains',
      'startswith',
      'endswith',
      'like',
      'ilike',
      'in',
      'notin',
      'between',
    ];
    const fields = [
      'body',
      'title',
      'qty',
      'price',
      'day',
      'at',
      'ref',
      'status',
      'active',
      'owner',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...fields),
        fc.constantFrom(...ops),
        hostile,
        async (field, op, value) => {
          let parsed;
          try {
            parsed = parseListQuery(
              { [`${field}__${op}`]: value, search: value, sort: `-${field}` },
              items,
            );
          } catch (error) {
            expect(error).toBeInstanceOf(AppError);
            expect((error as AppError).status).toBe(400);
            return;
          }
          await run(compileSelect({ collection: items, ...parsed }));
        },
      ),
      { numRuns: 300 },
    );
    const [{ count }] = await run({
      text: `SELECT count(*) AS count FROM ${quoteQualified(SCHEMA, 'items')}`,
      values: [],
    });
    expect(Number(count)).toBe(6);
  });
});
