import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { Client } from 'pg';
import { AppError } from '../common/errors/app-error';
import { getFieldType } from '../schema-engine/field-types/registry';
import { quoteIdent, quoteQualified } from '../schema-engine/identifiers';
import { compileFilter } from './compile-filter';
import { compareDecimal, compareText, evaluateFilter } from './evaluate-filter';
import { visibleColumns } from './field-resolver';
import { parseJsonFilter, type FilterAst } from './filter';
import { compileInsert } from './query-compiler';
import { serializeRows } from './serialize-row';
import { SqlParams } from './sql-params';
import { makeCollection, makeField } from './test-collection.fixture';

/**
 * Property: for random `filter=` trees and random rows, the in-memory evaluator (realtime
 * subscription filters) gives exactly the TRUE / FALSE / UNKNOWN that the compiled SQL gives on
 * real PostgreSQL, the rows read as events carry them (serialized, through JSON).
 */
const DATABASE_URL = process.env.TEST_DATABASE_URL;
const SCHEMA = `evf_${randomUUID().replace(/-/g, '').slice(0, 16)}`;

const items = makeCollection(
  'items',
  [
    makeField('s', 'string'),
    makeField('t', 'text'),
    makeField('n', 'int'),
    makeField('f', 'float'),
    makeField('d', 'decimal', { options: { precision: 8, scale: 2 } }),
    makeField('b', 'bool'),
    makeField('day', 'date'),
    makeField('at', 'datetime'),
    makeField('u', 'uuid'),
    makeField('e', 'enum', { options: { values: ['draft', 'live'] } }),
    makeField('j', 'json'),
  ],
  { schema: SCHEMA, table: 'items', id: 'c_items' },
);

let client: Client;

beforeAll(async () => {
  if (!DATABASE_URL)
    throw new Error('TEST_DATABASE_URL is not set: run through jest and its global setup');
  client = new Client({ connectionString: DATABASE_URL });
  await client.connect();
  const columns = items.fields
    .map((f) => `${quoteIdent(f.column)} ${getFieldType(f.type).columnType(f.options)}`)
    .join(', ');
  await client.query(`CREATE SCHEMA ${quoteIdent(SCHEMA)}`);
  await client.query(
    `CREATE TABLE ${quoteQualified(SCHEMA, 'items')} (id bigint generated always as identity primary key,
      created_at timestamptz not null default now(), updated_at timestamptz not null default now(),
      created_by_user_id text, created_by_app_user_id text, ${columns})`,
  );
});

afterAll(async () => {
  await client.query(`DROP SCHEMA IF EXISTS ${quoteIdent(SCHEMA)} CASCADE`);
  await client.end();
});

const CHARS = ['a', 'A', 'b', 'é', 'É', 'z', ' ', '%', '_', '\\', 'ß', '😀', 'ǅ', '~'];
const text = fc.string({ unit: fc.constantFrom(...CHARS), maxLength: 4 });
const INTS = [-3, 0, 1, 2, 42, '9007199254740993', '-9223372036854775808'];
const FLOATS = [-1.5, 0, 0.1, 0.30000000000000004, 2, 1e10];
const DECIMALS = ['0', '1.5', '1.50', '-0.25', '3', '1.005', '-1', '999999.99'];
const DAYS = ['2024-12-31', '2025-01-01', '2025-06-01', '0099-01-01'];
const TIMES = [
  '2025-06-01T12:00:00Z',
  '2025-06-01T12:00:00.5Z',
  '2025-06-01T14:00:00+02:00',
  '2025-06-01T12:00:00.123Z',
  '2025-05-31T23:59:59.999-01:30',
];
const FILTER_TIMES = [...TIMES, '2025-06-01T12:00:00.123456Z', '2025-06-01T12:00:00.1229Z'];
const UUIDS = ['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12'];

const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 4 });

const rowArb = fc.record({
  s: nullable(text),
  t: nullable(text),
  n: nullable(fc.constantFrom(...INTS)),
  f: nullable(fc.constantFrom(...FLOATS)),
  d: nullable(fc.constantFrom(...DECIMALS)),
  b: nullable(fc.boolean()),
  day: nullable(fc.constantFrom(...DAYS)),
  at: nullable(fc.constantFrom(...TIMES)),
  u: nullable(fc.constantFrom(...UUIDS)),
  e: nullable(fc.constantFrom('draft', 'live')),
  j: nullable(fc.constantFrom({ a: 1 }, [1, 2], 'x')),
});

const ORDERED = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte'] as const;
const TEXT_OPS = [...ORDERED, 'contains', 'icontains', 'startswith', 'endswith', 'like', 'ilike'];

/** A leaf of each field's operators with values of its domain (uppercase uuids, nulls too). */
function leafFor(field: string, values: fc.Arbitrary<unknown>, ops: readonly string[]) {
  return fc.oneof(
    fc.tuple(fc.constantFrom(...ops), values).map(([op, value]) => ({ field, op, value })),
    fc
      .tuple(fc.constantFrom('in', 'notin'), fc.array(values, { minLength: 1, maxLength: 3 }))
      .map(([op, value]) => ({ field, op, value })),
    fc.boolean().map((value) => ({ field, op: 'isnull', value })),
    fc.constantFrom('eq', 'neq').map((op) => ({ field, op, value: null })),
  );
}

const leaf: fc.Arbitrary<unknown> = fc.oneof(
  leafFor('s', text, TEXT_OPS),
  leafFor('t', text, TEXT_OPS),
  fc.tuple(text, text).map(([a, b]) => ({ field: 's', op: 'between', value: [a, b] })),
  leafFor('n', fc.constantFrom(...INTS), ORDERED),
  fc
    .tuple(fc.constantFrom(...INTS), fc.constantFrom(...INTS))
    .map(([a, b]) => ({ field: 'n', op: 'between', value: [a, b] })),
  leafFor('f', fc.constantFrom(...FLOATS), ORDERED),
  leafFor('d', fc.constantFrom(...DECIMALS, '1.501', '0.00'), ORDERED),
  fc
    .tuple(fc.constantFrom(...DECIMALS), fc.constantFrom(...DECIMALS))
    .map(([a, b]) => ({ field: 'd', op: 'between', value: [a, b] })),
  leafFor('b', fc.boolean(), ['eq', 'neq']),
  leafFor('day', fc.constantFrom(...DAYS), ORDERED),
  leafFor('at', fc.constantFrom(...FILTER_TIMES), ORDERED),
  fc
    .tuple(fc.constantFrom(...FILTER_TIMES), fc.constantFrom(...FILTER_TIMES))
    .map(([a, b]) => ({ field: 'at', op: 'between', value: [a, b] })),
  leafFor('u', fc.constantFrom(...UUIDS, ...UUIDS.map((u) => u.toUpperCase())), ['eq', 'neq']),
  leafFor('e', fc.constantFrom('draft', 'live'), ['eq', 'neq']),
  fc.boolean().map((value) => ({ field: 'j', op: 'isnull', value })),
);

const filterArb: fc.Arbitrary<unknown> = fc.letrec<{ f: unknown }>((tie) => ({
  f: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('f'), { minLength: 1, maxLength: 3 }).map((cs) => ({ and: cs })),
    fc.array(tie('f'), { minLength: 1, maxLength: 3 }).map((cs) => ({ or: cs })),
    tie('f').map((c) => ({ not: c })),
  ),
})).f;

/** Parsed as the data API parses `filter=`; values the API refuses (400) are skipped. */
function parseOrNull(json: unknown): FilterAst | null {
  try {
    return parseJsonFilter(json, items);
  } catch (err) {
    if (err instanceof AppError && err.status === 400) return null;
    throw err;
  }
}

describe('evaluateFilter (memory) ≡ compileFilter (SQL)', () => {
  const table = () => quoteQualified(SCHEMA, 'items');

  it('agrees on TRUE / FALSE / UNKNOWN for random filters and rows', async () => {
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(filterArb, { minLength: 1, maxLength: 4 }),
        fc.array(rowArb, { minLength: 1, maxLength: 8 }),
        async (filters, rows) => {
          await client.query(`TRUNCATE ${table()}`);
          for (const row of rows) {
            const values = { ...row, j: row.j === null ? null : JSON.stringify(row.j) };
            const q = compileInsert({ collection: items, values, returning: false });
            await client.query(q.text, q.values);
          }
          const stored = await client.query(`SELECT * FROM ${table()} ORDER BY id`);
          // What an event carries: the serialized row, through jsonb.
          const records = JSON.parse(
            JSON.stringify(serializeRows(stored.rows, visibleColumns(items))),
          ) as Record<string, unknown>[];
          for (const json of filters) {
            const ast = parseOrNull(json);
            if (!ast) continue;
            const params = new SqlParams();
            const sql = compileFilter(ast, { collection: items, params });
            // Numeric id order, as the records were read (an `id::text` alias would sort as text).
            const res = await client.query<{ id: string; v: boolean | null }>(
              `SELECT id, (${sql}) AS v FROM ${table()} ORDER BY id`,
              params.values,
            );
            res.rows.forEach((r, i) => {
              const got = evaluateFilter(ast, items, records[i]);
              if (got !== r.v)
                throw new Error(
                  `memory ${got} ≠ SQL ${r.v}: ${JSON.stringify(json)} on ${JSON.stringify(records[i])}`,
                );
            });
            compared += res.rows.length;
          }
        },
      ),
      { numRuns: 300 },
    );
    // Not vacuous: most generated filters are valid and compared on rows.
    expect(compared).toBeGreaterThan(500);
  });

  it.each([
    ['1.5', '1.50', 0],
    ['-0.25', '0', -1],
    ['10', '9.99', 1],
    ['-10', '-9.99', -1],
    ['0.00', '-0', 0],
  ])('compareDecimal(%s, %s) = %d', (a, b, want) => {
    expect(compareDecimal(a, b)).toBe(want);
  });

  it('orders text by code point, astral characters after the BMP', () => {
    expect(compareText('\uffff', '😀')).toBe(-1);
    expect(compareText('a', 'ab')).toBe(-1);
    expect(compareText('B', 'a')).toBe(-1);
  });
});
