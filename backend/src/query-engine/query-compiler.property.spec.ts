import fc from 'fast-check';
import { AppError } from '../common/errors/app-error';
import { FILTER_OPERATORS } from '../schema-engine/field-types/field-type';
import { parseJsonFilter } from './filter';
import { parseListQuery } from './list-query';
import { compileSelect, type CompiledSelect } from './query-compiler';
import { escapeLike } from './sql-params';
import { everyTypeCollection } from './test-collection.fixture';

const sut = everyTypeCollection();
const META_IDENTIFIERS = new Set<string>([
  sut.schema,
  sut.table,
  'id',
  'created_at',
  'updated_at',
  'created_by_user_id',
  'created_by_app_user_id',
  ...sut.fields.map((f) => f.column),
  '__total',
  '__m',
  ...Array.from({ length: 11 }, (_, i) => `__sk${i}`),
]);
const KEYWORDS = new Set([
  'SELECT',
  'FROM',
  'WHERE',
  'AND',
  'OR',
  'NOT',
  'LIKE',
  'ILIKE',
  'ESCAPE',
  'ANY',
  'ALL',
  'IS',
  'NULL',
  'BETWEEN',
  'ORDER',
  'BY',
  'ASC',
  'DESC',
  'LIMIT',
  'OFFSET',
  'AS',
  'count',
  'to_json',
  'TRUE',
  'FALSE',
  'WITH',
  'MATERIALIZED',
  'IN',
]);

/** Every identifier comes from the meta; everything else is keywords, punctuation and `$n`. */
function assertOnlyMetaText(compiled: CompiledSelect): void {
  const identifiers = [...compiled.text.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1]);
  for (const identifier of identifiers) expect(META_IDENTIFIERS.has(identifier)).toBe(true);
  const rest = compiled.text
    .replace(/"((?:[^"]|"")*)"/g, ' ')
    .replace(/ESCAPE '\\'/g, 'ESCAPE')
    .replace(/#>> '\{\}'/g, ' ');
  expect(rest).toMatch(/^[A-Za-z_0-9$(),*<>=. ]*$/);
  for (const word of rest.match(/[A-Za-z_]+/g) ?? []) expect(KEYWORDS.has(word)).toBe(true);
  const placeholders = [...rest.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]));
  for (const n of placeholders) expect(n >= 1 && n <= compiled.values.length).toBe(true);
}

const outcomes = { compiled: 0, rejected: 0 };

function compileOr400(build: () => CompiledSelect): void {
  let compiled: CompiledSelect;
  try {
    compiled = build();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(400);
    outcomes.rejected += 1;
    return;
  }
  assertOnlyMetaText(compiled);
  outcomes.compiled += 1;
}

const hostileText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '"',
    '";DROP TABLE x;--',
    "' OR 1=1 --",
    '\u0000',
    'a\u0000b',
    '%',
    '_',
    '\\',
    '$1',
    'title"',
    'title; SELECT 1',
    '𝕏💥',
    'constructor',
    '__proto__',
    'toString',
    '',
    ',',
    ',,',
    'x'.repeat(100_000),
  ),
);
const fieldName = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      ...sut.fields.map((f) => f.name),
      'owner_id',
      'id',
      'created_at',
      'created_by_app_user_id',
    ),
  },
  { weight: 1, arbitrary: hostileText },
);
const operator = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...FILTER_OPERATORS) },
  { weight: 1, arbitrary: hostileText },
);
const typedValue = fc.oneof(
  hostileText,
  fc.integer().map(String),
  fc.double().map(String),
  fc.constantFrom(
    'true',
    'false',
    '2024-01-01',
    '2024-01-01T00:00:00Z',
    'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    'draft',
    '1,2',
    'a,b',
  ),
);

describe('hostile input never reaches the SQL text', () => {
  afterAll(() => {
    // Both outcomes must actually be exercised, or the properties prove nothing.
    expect(outcomes.compiled).toBeGreaterThan(300);
    expect(outcomes.rejected).toBeGreaterThan(100);
  });

  it('field__op query parameters', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fieldName, operator, typedValue), { maxLength: 6 }),
        (entries) => {
          const query: Record<string, string> = {};
          for (const [field, op, value] of entries) query[`${field}__${op}`] = value;
          compileOr400(() => compileSelect({ collection: sut, ...parseListQuery(query, sut) }));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('bare keys, sort, fields, search, limit, offset and after', () => {
    fc.assert(
      fc.property(
        fc.dictionary(hostileText, typedValue, { maxKeys: 4 }),
        fc.record(
          {
            sort: fc.oneof(hostileText, fc.constantFrom('-qty,title', 'price,-at', 'status')),
            fields: fc.oneof(hostileText, fc.constantFrom('title,qty', 'owner')),
            search: hostileText,
            limit: fc.oneof(hostileText, fc.integer().map(String)),
            offset: fc.oneof(hostileText, fc.nat().map(String)),
            after: hostileText,
          },
          { requiredKeys: [] },
        ),
        (filters, paging) => {
          compileOr400(() =>
            compileSelect({ collection: sut, ...parseListQuery({ ...filters, ...paging }, sut) }),
          );
        },
      ),
      { numRuns: 400 },
    );
  });

  it('filter= JSON trees', () => {
    const leafValue = fc.oneof(
      typedValue,
      fc.jsonValue({ maxDepth: 2 }),
      fc.array(typedValue, { maxLength: 3 }),
      fc.constant(null),
    );
    const tree = fc.letrec<{ node: unknown }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.record({ field: fieldName, op: operator, value: leafValue }),
        fc.record({ and: fc.array(tie('node'), { maxLength: 4 }) }),
        fc.record({ or: fc.array(tie('node'), { maxLength: 4 }) }),
        fc.record({ not: tie('node') }),
        fc.jsonValue({ maxDepth: 3 }),
      ),
    })).node;
    fc.assert(
      fc.property(tree, (json) => {
        compileOr400(() =>
          compileSelect({ collection: sut, filter: parseJsonFilter(json, sut), withTotal: true }),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('well-typed hostile text values always compile and travel only as parameters', () => {
    const textOps = [
      'eq',
      'neq',
      'gt',
      'lt',
      'contains',
      'icontains',
      'startswith',
      'endswith',
      'like',
      'ilike',
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...textOps),
        hostileText.filter((v) => !v.includes('\u0000')),
        (op, value) => {
          fc.pre(!((op === 'like' || op === 'ilike') && /(^|[^\\])(\\\\)*\\$/.test(value)));
          const compiled = compileSelect({
            collection: sut,
            ...parseListQuery({ [`body__${op}`]: value, search: value }, sut),
          });
          assertOnlyMetaText(compiled);
          outcomes.compiled += 1;
          const forms = [value, escapeLike(value)];
          const carried = compiled.values.some(
            (v) => typeof v === 'string' && forms.some((f) => v.includes(f)),
          );
          expect(carried).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('filter= JSON text, however malformed', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json(), hostileText), (raw) => {
        compileOr400(() =>
          compileSelect({ collection: sut, ...parseListQuery({ filter: raw }, sut) }),
        );
      }),
      { numRuns: 300 },
    );
  });
});
