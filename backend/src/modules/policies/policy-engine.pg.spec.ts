import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { Client } from 'pg';
import { compileInsert, compileSelect } from '../../query-engine/query-compiler';
import { makeCollection, makeField } from '../../query-engine/test-collection.fixture';
import { getFieldType } from '../../schema-engine/field-types/registry';
import { quoteIdent, quoteQualified } from '../../schema-engine/identifiers';
import type { DataPrincipal } from '../access/access-context';
import { parseCondition } from './condition';
import {
  conditionToFilter,
  decide,
  evaluateCondition,
  evaluateInMemory,
  preparePolicies,
  varsOf,
  type EvalPrincipal,
  type PolicyDefinition,
  type PrincipalKind,
} from './policy-engine';
import { compileFilter } from '../../query-engine/compile-filter';
import { SqlParams } from '../../query-engine/sql-params';

/**
 * Property: for random policies × principals × rows, the SQL row filter `decide` builds selects
 * exactly the rows `evaluateInMemory` allows (same semantics in SQL and in memory).
 */
// The run's PostgreSQL (DATABASE_URL, or the embedded one jest's global setup starts); required.
const DATABASE_URL = process.env.TEST_DATABASE_URL;
const SCHEMA = `pol_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
const USERS = [
  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
  'b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12',
  'c0eebc99-9c0b-4ef8-bb6d-6bb9bd380a13',
];
const NOW = new Date('2025-06-01T12:00:00.000Z');
const DUES = ['2025-05-31T12:00:00Z', '2025-06-01T12:00:00Z', '2025-06-02T00:00:00.5Z'];
const WORDS = ['a', 'ab', 'b', 'ba', 'bab'];
const ROLES = ['editor', 'viewer', 'admin'];

const items = makeCollection(
  'items',
  [
    makeField('title', 'string'),
    makeField('qty', 'int'),
    makeField('published', 'bool'),
    makeField('tier', 'string'),
    makeField('due', 'datetime'),
    makeField('secret', 'string', { isHidden: true }),
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

const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 4 });
const word = fc.constantFrom(...WORDS);
const smallInt = fc.integer({ min: -2, max: 3 });

const leaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant({ type: 'authenticated' }),
  fc.constant({ type: 'owner' }),
  fc.constant({ type: 'app_user_owner', field: 'created_by_app_user_id' }),
  fc.constant({ created_by_app_user_id: '$current_user_id' }),
  fc.constant({ created_by_app_user_id: { $neq: '$current_app_user_id' } }),
  fc.constantFrom('$in', '$nin').map((op) => ({ tier: { [op]: '$current_user_roles' } })),
  fc
    .constantFrom('$lt', '$lte', '$gt', '$gte', '$eq', '$neq')
    .map((op) => ({ due: { [op]: '$now' } })),
  fc
    .tuple(
      fc.constantFrom(
        '$eq',
        '$neq',
        '$gt',
        '$gte',
        '$lt',
        '$lte',
        '$contains',
        '$startswith',
        '$endswith',
      ),
      word,
    )
    .map(([op, v]) => ({ title: { [op]: v } })),
  fc
    .tuple(fc.constantFrom('$eq', '$neq', '$gt', '$gte', '$lt', '$lte'), smallInt)
    .map(([op, v]) => ({ qty: { [op]: v } })),
  fc
    .tuple(fc.constantFrom('$in', '$nin'), fc.uniqueArray(smallInt, { minLength: 1, maxLength: 3 }))
    .map(([op, v]) => ({ qty: { [op]: v } })),
  fc.constantFrom(true, false, null).map((v) => ({ published: v })),
  fc
    .constantFrom('title', 'qty', 'tier')
    .chain((f) => fc.boolean().map((b) => ({ [f]: { $isnull: b } }))),
  fc.constantFrom('$eq', '$neq').map((op) => ({ tier: { [op]: '$current_user_email' } })),
  word.map((v) => ({ type: 'field_equals', field: 'tier', value: v })),
);

const condition: fc.Arbitrary<unknown> = fc.letrec<{ c: unknown }>((tie) => ({
  c: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('c'), { minLength: 1, maxLength: 3 }).map((cs) => ({ $and: cs })),
    fc.array(tie('c'), { minLength: 1, maxLength: 3 }).map((cs) => ({ $or: cs })),
    tie('c').map((c) => ({ $not: c })),
    fc
      .array(tie('c'), { minLength: 1, maxLength: 3 })
      .map((cs) => ({ type: 'or', conditions: cs })),
    tie('c').map((c) => ({ type: 'not', condition: c })),
  ),
})).c;

const policyArb: fc.Arbitrary<Omit<PolicyDefinition, 'id' | 'name' | 'createdAt'>> = fc.record({
  action: fc.constantFrom('list' as const, 'read' as const),
  effect: fc.constantFrom('allow' as const, 'deny' as const),
  condition: fc.option(condition, { nil: null, freq: 3 }),
  isActive: fc.constantFrom(true, true, true, false),
  priority: fc.integer({ min: 0, max: 3 }),
  allowedPrincipals: fc.subarray<PrincipalKind>(['app_user', 'anonymous', 'api_key', 'admin_user']),
  requireEmailVerified: fc.boolean(),
  allowedRoles: fc.subarray(['editor', 'viewer']),
  readFields: fc.constant(null),
  writeFields: fc.constant(null),
});

const principalArb: fc.Arbitrary<EvalPrincipal> = fc.oneof(
  fc.constant<DataPrincipal>({ kind: 'anonymous' }),
  fc.constant<DataPrincipal>({ kind: 'api_key', keyId: 'k', keyKind: 'public' }),
  fc
    .record({
      userId: fc.constantFrom(...USERS),
      emailVerified: fc.boolean(),
      roles: fc.subarray(ROLES),
      email: fc.constantFrom('a', 'editor'),
    })
    .map((u): EvalPrincipal => ({ kind: 'app_user', ...u })),
);

const rowArb = fc.record({
  title: nullable(word),
  qty: nullable(smallInt),
  published: nullable(fc.boolean()),
  tier: nullable(fc.constantFrom(...ROLES, 'a')),
  due: nullable(fc.constantFrom(...DUES)),
  secret: nullable(word),
  created_by_app_user_id: nullable(fc.constantFrom(...USERS.slice(0, 2))),
});

describe('policy row filter (SQL) ≡ evaluateInMemory', () => {
  it('agrees on random policies, principals and rows', async () => {
    const db = client;
    const table = quoteQualified(SCHEMA, 'items');
    await fc.assert(
      fc.asyncProperty(
        fc.array(policyArb, { maxLength: 5 }),
        principalArb,
        fc.array(rowArb, { minLength: 1, maxLength: 10 }),
        fc.constantFrom('list' as const, 'read' as const),
        async (defs, principal, rows, action) => {
          const policies = preparePolicies(
            defs.map((d, i) => ({
              ...d,
              id: `p${i}`,
              name: `p${i}`,
              createdAt: new Date(2020, 0, 1, 0, 0, i),
            })),
            items,
          );
          // Every generated condition is valid: nothing may be silently dropped.
          expect(policies.every((p) => p.invalid === null)).toBe(true);
          await db.query(`TRUNCATE ${table}`);
          const ids: string[] = [];
          for (const row of rows) {
            const q = compileInsert({ collection: items, values: row });
            ids.push(String((await db.query(q.text, q.values)).rows[0].id));
          }
          const expected = ids.filter((_, i) =>
            evaluateInMemory(policies, principal, rows[i], action, NOW),
          );
          const d = decide(policies, principal, action, NOW);
          if (d.kind === 'deny') {
            expect(expected).toEqual([]);
            return;
          }
          const policyFilter = d.kind === 'all' ? null : d.filter;
          const q = compileSelect({
            collection: items,
            policyFilter,
            limit: 1000,
            withTotal: false,
          });
          const got = (await db.query(q.text, q.values)).rows.map((r: { id: unknown }) =>
            String(r.id),
          );
          expect(got.sort()).toEqual([...expected].sort());
        },
      ),
      { numRuns: 300 },
    );
  });
});

/**
 * Three-valued logic: a condition compiled to SQL is TRUE, FALSE or NULL (unknown) on each row
 * exactly as the in-memory evaluator says; a comparison with a variable the caller lacks is
 * unknown, and so is its negation (never TRUE by accident).
 */
describe('condition truth values (SQL) ≡ evaluateCondition', () => {
  it('agrees on TRUE / FALSE / UNKNOWN for random conditions, principals and rows', async () => {
    const db = client as Client;
    const table = quoteQualified(SCHEMA, 'items');
    await fc.assert(
      fc.asyncProperty(
        condition,
        principalArb,
        fc.array(rowArb, { minLength: 1, maxLength: 8 }),
        async (raw, principal, rows) => {
          const parsed = parseCondition(raw, items);
          const vars = varsOf(principal, NOW);
          await db.query(`TRUNCATE ${table}`);
          const ids: string[] = [];
          for (const row of rows) {
            const q = compileInsert({ collection: items, values: row });
            ids.push(String((await db.query(q.text, q.values)).rows[0].id));
          }
          const params = new SqlParams();
          const sql = compileFilter(conditionToFilter(parsed, vars), {
            collection: items,
            params,
          });
          const result = await db.query<{ id: string; v: boolean | null; n: boolean | null }>(
            `SELECT id::text AS id, (${sql}) AS v, (NOT (${sql})) AS n FROM ${table}`,
            params.values,
          );
          const got = new Map(result.rows.map((r) => [r.id, r]));
          rows.forEach((row, i) => {
            const expected = evaluateCondition(parsed, vars, row);
            const r = got.get(ids[i]);
            expect(r?.v ?? null).toBe(expected);
            expect(r?.n ?? null).toBe(expected === null ? null : !expected);
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a missing variable is unknown, whatever the operator', () => {
    const anon = varsOf({ kind: 'anonymous' }, NOW);
    const row = { created_by_app_user_id: USERS[0], tier: 'a' };
    for (const raw of [
      { created_by_app_user_id: '$current_app_user_id' },
      { created_by_app_user_id: { $neq: '$current_app_user_id' } },
      { $not: { created_by_app_user_id: '$current_user_id' } },
      { tier: { $in: '$current_user_roles' } },
      { tier: { $nin: '$current_user_roles' } },
      { tier: { $neq: '$current_user_email' } },
    ])
      expect(evaluateCondition(parseCondition(raw, items), anon, row)).toBeNull();
  });
});
