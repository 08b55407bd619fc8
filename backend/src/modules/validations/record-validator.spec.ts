import fc from 'fast-check';
import type { CollectionMeta, FieldMeta } from '../../schema-engine/catalog.types';
import type { FieldTypeName } from '../../schema-engine/field-types/field-type';
import { validateRecord, type RuleRow } from './record-validator';
import { parseConfig, RULE_TYPES, type RuleType } from './rule-types';

const field = (name: string, type: FieldTypeName, extra: Partial<FieldMeta> = {}): FieldMeta => ({
  id: `f-${name}`,
  name,
  displayName: name,
  column: name,
  type,
  options: {},
  isRequired: false,
  isUnique: false,
  isIndexed: false,
  isHidden: false,
  isSystem: false,
  isDeleted: false,
  defaultValue: null,
  ...extra,
});

const collection: CollectionMeta = {
  id: 'c1',
  projectId: 'p1',
  name: 'items',
  displayName: 'Items',
  schema: 'p_1',
  table: 'items',
  isSystem: false,
  idType: 'bigint',
  fields: [
    field('title', 'string'),
    field('body', 'text'),
    field('qty', 'int'),
    field('price', 'decimal'),
    field('status', 'string'),
    field('shipped_at', 'string'),
    field('author', 'relation', { column: 'author_id' }),
    field('old', 'string', { isDeleted: true }),
  ],
};

let seq = 0;
const rule = (
  fieldName: string,
  ruleType: RuleType | string,
  config: Record<string, unknown> = {},
  extra: Partial<RuleRow> = {},
): RuleRow => ({
  id: `r${++seq}`,
  fieldId: `f-${fieldName}`,
  ruleType,
  config,
  errorMessage: null,
  priority: 0,
  isActive: true,
  ...extra,
});

const run = (
  rules: RuleRow[],
  payload: Record<string, unknown>,
  mode: 'create' | 'update' = 'create',
  existing?: Record<string, unknown>,
) => validateRecord(collection, rules, payload, mode, existing);

describe('validateRecord: each rule type', () => {
  const cases: [
    RuleType,
    string,
    Record<string, unknown>,
    unknown,
    string | null, // expected message, null = passes
  ][] = [
    ['min_length', 'title', { min: 3 }, 'abc', null],
    ['min_length', 'title', { min: 3 }, 'ab', 'Must be at least 3 characters'],
    ['min_length', 'title', { min: 2 }, '😀😀', null],
    ['min_length', 'title', { min: 3 }, '😀😀', 'Must be at least 3 characters'],
    ['min_length', 'title', { min: 1 }, 5, 'Must be a string'],
    ['max_length', 'title', { max: 3 }, 'abc', null],
    ['max_length', 'title', { max: 3 }, 'abcd', 'Must be at most 3 characters'],
    ['max_length', 'body', { max: 2 }, '😀😀', null],
    ['regex', 'title', { pattern: '[a-z]+$' }, 'hello', null],
    ['regex', 'title', { pattern: '[a-z]+$' }, 'Hello', 'Does not match required pattern'],
    ['regex', 'title', { pattern: '[a-z]+$', flags: 'i' }, 'Hello', null],
    ['regex', 'title', { pattern: 'ab' }, 'abc', null], // anchored at the start only, as re.match
    ['regex', 'title', { pattern: 'bc' }, 'abc', 'Does not match required pattern'],
    ['custom_regex', 'title', { pattern: '^\\d{3}-\\d{4}$' }, '555-1234', null],
    [
      'custom_regex',
      'title',
      { pattern: '^\\d{3}-\\d{4}$' },
      '555-12345',
      'Does not match required pattern',
    ],
    ['email', 'title', {}, 'a.b+c@example.co', null],
    ['email', 'title', {}, 'a@b', 'Invalid email format'],
    ['email', 'title', {}, 'not an email', 'Invalid email format'],
    ['url', 'title', {}, 'https://example.com/x?y=1', null],
    ['url', 'title', {}, 'ftp://example.com', 'Invalid URL format'],
    ['url', 'title', {}, 'http://', 'Invalid URL format'],
    ['uuid', 'title', {}, '123E4567-e89b-12d3-a456-426614174000', null],
    ['uuid', 'title', {}, '123e4567-e89b-12d3-a456-42661417400', 'Invalid UUID format'],
    ['min_value', 'qty', { min: 0 }, 0, null],
    ['min_value', 'qty', { min: 0 }, -1, 'Must be at least 0'],
    ['min_value', 'price', { min: 1.5 }, '1.50', null],
    ['min_value', 'price', { min: 1.5 }, '1.49', 'Must be at least 1.5'],
    ['min_value', 'qty', { min: 0 }, 'abc', 'Must be a number'],
    ['max_value', 'qty', { max: 10 }, 10, null],
    ['max_value', 'qty', { max: 10 }, 11, 'Must be at most 10'],
    ['range', 'qty', { min: 1, max: 5 }, 1, null],
    ['range', 'qty', { min: 1, max: 5 }, 5, null],
    ['range', 'qty', { min: 1, max: 5 }, 0, 'Must be between 1 and 5'],
    ['range', 'qty', { min: 1, max: 5 }, 6, 'Must be between 1 and 5'],
    ['enum', 'status', { values: ['draft', 'live'] }, 'live', null],
    ['enum', 'status', { values: ['draft', 'live'] }, 'Live', 'Must be one of: draft, live'],
    ['enum', 'qty', { values: [1, 2] }, 2, null],
    ['enum', 'qty', { values: [1, 2] }, 3, 'Must be one of: 1, 2'],
    ['not_empty', 'title', {}, ' x ', null],
    ['not_empty', 'title', {}, '   ', 'Cannot be empty'],
    ['date_format', 'shipped_at', {}, '2024-02-29', null],
    ['date_format', 'shipped_at', {}, '2023-02-29', 'Invalid date format, expected %Y-%m-%d'],
    ['date_format', 'shipped_at', {}, '2024-13-01', 'Invalid date format, expected %Y-%m-%d'],
    ['date_format', 'shipped_at', { format: '%d/%m/%Y %H:%M' }, '31/12/2024 23:59', null],
    [
      'date_format',
      'shipped_at',
      { format: '%d/%m/%Y %H:%M' },
      '31/12/2024 24:00',
      'Invalid date format, expected %d/%m/%Y %H:%M',
    ],
    ['date_format', 'shipped_at', { format: '%b %d, %Y' }, 'Mar 05, 2024', null],
  ];

  it.each(cases)('%s on %s %j with %j → %s', (type, fieldName, config, value, expected) => {
    expect(parseConfig(type, config).ok).toBe(true);
    const errors = run([rule(fieldName, type, config)], { [fieldName]: value });
    expect(errors).toEqual(
      expected === null ? [] : [{ field: fieldName, rule: type, message: expected }],
    );
  });

  it.each(RULE_TYPES.filter((t) => t !== 'required_if'))(
    '%s skips null and absent values',
    (type) => {
      const config: Record<string, Record<string, unknown>> = {
        min_length: { min: 1 },
        max_length: { max: 1 },
        regex: { pattern: 'x' },
        custom_regex: { pattern: 'x' },
        min_value: { min: 1 },
        max_value: { max: 1 },
        range: { min: 1, max: 2 },
        enum: { values: ['x'] },
      };
      const r = rule('title', type, config[type] ?? {});
      expect(run([r], { title: null })).toEqual([]);
      expect(run([r], {})).toEqual([]);
    },
  );
});

describe('validateRecord: ordering, messages, modes', () => {
  it('uses a custom message instead of the default', () => {
    const r = rule('title', 'min_length', { min: 5 }, { errorMessage: 'Too short!' });
    expect(run([r], { title: 'ab' })).toEqual([
      { field: 'title', rule: 'min_length', message: 'Too short!' },
    ]);
  });

  it('runs every rule in ascending priority and accumulates errors', () => {
    const rules = [
      rule('title', 'max_length', { max: 1 }, { priority: 5 }),
      rule('qty', 'min_value', { min: 10 }, { priority: -1 }),
      rule('title', 'regex', { pattern: '\\d' }, { priority: 2 }),
    ];
    expect(run(rules, { title: 'abc', qty: 1 }).map((e) => e.rule)).toEqual([
      'min_value',
      'regex',
      'max_length',
    ]);
  });

  it('skips inactive rules and rules of deleted or unknown fields', () => {
    const rules = [
      rule('title', 'min_length', { min: 10 }, { isActive: false }),
      rule('old', 'min_length', { min: 10 }),
      rule('nope', 'min_length', { min: 10 }),
    ];
    expect(run(rules, { title: 'a', old: 'a', nope: 'a' })).toEqual([]);
  });

  it('reads a relation by its name or its column', () => {
    const r = rule('author', 'min_value', { min: 5 });
    expect(run([r], { author_id: 1 })).toHaveLength(1);
    expect(run([r], { author: 7 })).toEqual([]);
  });

  it('checks only the fields present on update', () => {
    const rules = [rule('title', 'min_length', { min: 3 }), rule('qty', 'min_value', { min: 1 })];
    expect(run(rules, { qty: 0 }, 'update', { title: 'x' }).map((e) => e.field)).toEqual(['qty']);
  });

  it('fails closed on a stored config that no longer parses', () => {
    const r = rule('title', 'regex', { pattern: '(a' });
    expect(run([r], { title: 'a' })).toEqual([
      { field: 'title', rule: 'regex', message: 'This validation rule is misconfigured' },
    ]);
  });

  it('refuses regex inputs above 10,000 characters and stays fast on hostile ones', () => {
    const r = rule('title', 'regex', { pattern: '(a|a)*(a*)*$' });
    const started = Date.now();
    expect(run([r], { title: `${'a'.repeat(9_999)}!` })).toHaveLength(1);
    expect(run([r], { title: 'a'.repeat(10_001) })[0].message).toMatch(/Too long/);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('validateRecord: required_if', () => {
  const eq = rule('shipped_at', 'required_if', { field: 'status', equals: 'shipped' });
  const inList = rule('body', 'required_if', { field: 'qty', in: [1, 2] });

  it.each([
    [{ status: 'shipped' }, 1],
    [{ status: 'shipped', shipped_at: '' }, 1],
    [{ status: 'shipped', shipped_at: '  ' }, 1],
    [{ status: 'shipped', shipped_at: null }, 1],
    [{ status: 'shipped', shipped_at: '2024-01-01' }, 0],
    [{ status: 'draft' }, 0],
    [{}, 0],
  ])('equals: create %j → %i errors', (payload, n) => {
    expect(run([eq], payload)).toHaveLength(n);
  });

  it.each([
    [{ qty: 1 }, 1],
    [{ qty: '2' }, 1],
    [{ qty: 3 }, 0],
    [{ qty: 2, body: 'x' }, 0],
  ])('in: create %j → %i errors', (payload, n) => {
    expect(run([inList], payload)).toHaveLength(n);
  });

  it('says why in its default message', () => {
    expect(run([eq], { status: 'shipped' })[0]).toEqual({
      field: 'shipped_at',
      rule: 'required_if',
      message: 'Required when status is shipped',
    });
  });

  it('judges updates on the stored record merged with the payload', () => {
    expect(run([eq], { status: 'shipped' }, 'update', { shipped_at: '2024-01-01' })).toEqual([]);
    expect(run([eq], { status: 'shipped' }, 'update', { shipped_at: null })).toHaveLength(1);
    expect(run([eq], { shipped_at: null }, 'update', { status: 'shipped' })).toHaveLength(1);
    // Neither field touched: the rule does not run.
    expect(run([eq], { title: 'x' }, 'update', { status: 'shipped' })).toEqual([]);
  });
});

describe('validateRecord: hostile input (properties)', () => {
  const allRules = [
    rule('title', 'min_length', { min: 2 }),
    rule('title', 'max_length', { max: 20 }),
    rule('title', 'regex', { pattern: '^(\\w+\\s?)*$' }),
    rule('title', 'email'),
    rule('title', 'url'),
    rule('title', 'uuid'),
    rule('title', 'not_empty'),
    rule('shipped_at', 'date_format', { format: '%Y-%m-%dT%H:%M:%S%z' }),
    rule('qty', 'min_value', { min: 0 }),
    rule('qty', 'max_value', { max: 10 }),
    rule('price', 'range', { min: 0, max: 1 }),
    rule('status', 'enum', { values: ['a', 'b'] }),
    rule('qty', 'enum', { values: [1] }),
    rule('body', 'required_if', { field: 'status', in: ['a', null] }),
    rule('title', 'bogus_type', {}),
  ];
  const keys = fc.constantFrom(
    'title',
    'body',
    'qty',
    'price',
    'status',
    'shipped_at',
    'author_id',
    '__proto__',
    'constructor',
  );

  it('never throws; always returns well-formed errors', () => {
    fc.assert(
      fc.property(
        fc.dictionary(keys, fc.anything()),
        fc.constantFrom('create' as const, 'update' as const),
        fc.option(fc.dictionary(keys, fc.anything()), { nil: undefined }),
        (payload, mode, existing) => {
          const errors = run(allRules, payload, mode, existing);
          for (const e of errors) {
            expect(typeof e.field).toBe('string');
            expect(typeof e.rule).toBe('string');
            expect(typeof e.message).toBe('string');
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('survives non-object payloads', () => {
    fc.assert(
      fc.property(fc.anything(), (payload) => {
        expect(Array.isArray(run(allRules, payload as Record<string, unknown>))).toBe(true);
      }),
    );
  });
});
