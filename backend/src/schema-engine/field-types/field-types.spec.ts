import { FIELD_TYPE_NAMES, type FieldOptions, type FieldTypeName } from './field-type';
import { allFieldTypes, getFieldType, isFieldTypeName, normalizeFieldTypeName } from './registry';
import { DATETIME_FIELD_TYPE, pgTimestampToIso } from './datetime.field-type';

type Case = [FieldTypeName, unknown, FieldOptions, unknown];

const okValue = (name: FieldTypeName, input: unknown, options: FieldOptions = {}) =>
  getFieldType(name).parse(input, options);

describe('registry', () => {
  it('has a definition for every type name, named after it', () => {
    for (const name of FIELD_TYPE_NAMES) expect(getFieldType(name).name).toBe(name);
    expect(allFieldTypes()).toHaveLength(FIELD_TYPE_NAMES.length);
  });

  it.each([
    ['boolean', 'bool'],
    ['bool', 'bool'],
    ['string', 'string'],
    ['relation', 'relation'],
    ['Boolean', null],
    ['varchar', null],
    ['constructor', null],
    ['__proto__', null],
    ['', null],
  ])('normalizeFieldTypeName(%j) → %j', (input, expected) => {
    expect(normalizeFieldTypeName(input)).toBe(expected);
  });

  it.each([
    ['int', true],
    ['boolean', false],
    ['toString', false],
    [1, false],
    [null, false],
  ])('isFieldTypeName(%j) → %j', (input, expected) => {
    expect(isFieldTypeName(input)).toBe(expected);
  });

  it('throws on an unknown name', () => {
    expect(() => getFieldType('nope' as FieldTypeName)).toThrow('unknown field type');
  });
});

describe('columnType', () => {
  it.each<[FieldTypeName, FieldOptions, string]>([
    ['string', {}, 'text'],
    ['string', { max_length: 80 }, 'varchar(80)'],
    ['string', { max_length: 10485760 }, 'varchar(10485760)'],
    ['text', {}, 'text'],
    ['int', {}, 'bigint'],
    ['float', {}, 'double precision'],
    ['decimal', {}, 'numeric(18,2)'],
    ['decimal', { precision: 10, scale: 0 }, 'numeric(10,0)'],
    ['decimal', { precision: 1000, scale: 1000 }, 'numeric(1000,1000)'],
    ['bool', {}, 'boolean'],
    ['date', {}, 'date'],
    ['datetime', {}, 'timestamptz'],
    ['uuid', {}, 'uuid'],
    ['json', {}, 'jsonb'],
    ['enum', { values: ['a'] }, 'text'],
    ['file', {}, 'uuid'],
    ['relation', {}, 'bigint'],
  ])('%s %j → %s', (name, options, expected) => {
    expect(getFieldType(name).columnType(options)).toBe(expected);
  });

  it('refuses to render decimal options that were not validated', () => {
    expect(() => getFieldType('decimal').columnType({ precision: 0 })).toThrow();
    expect(() => getFieldType('decimal').columnType({ precision: 5, scale: 6 })).toThrow();
  });
});

describe('validateOptions', () => {
  it.each<[FieldTypeName, FieldOptions, boolean]>([
    ['string', {}, true],
    ['string', { max_length: 1 }, true],
    ['string', { max_length: 0 }, false],
    ['string', { max_length: 10485761 }, false],
    ['string', { max_length: 1.5 }, false],
    ['string', { max_length: '10' as unknown as number }, false],
    ['decimal', {}, true],
    ['decimal', { precision: 1, scale: 0 }, true],
    ['decimal', { precision: 1000, scale: 0 }, true],
    ['decimal', { precision: 1001 }, false],
    ['decimal', { precision: 0 }, false],
    ['decimal', { precision: 5, scale: 6 }, false],
    ['decimal', { precision: 5, scale: -1 }, false],
    ['decimal', { precision: 5.5 }, false],
    ['enum', { values: ['draft', 'published'] }, true],
    ['enum', { values: [] }, false],
    ['enum', {}, false],
    ['enum', { values: ['a', 'a'] }, false],
    ['enum', { values: [''] }, false],
    ['enum', { values: ['x'.repeat(255)] }, true],
    ['enum', { values: ['x'.repeat(256)] }, false],
    ['enum', { values: Array.from({ length: 200 }, (_, i) => `v${i}`) }, true],
    ['enum', { values: Array.from({ length: 201 }, (_, i) => `v${i}`) }, false],
    ['enum', { values: [1] as unknown as string[] }, false],
    ['file', { bucket: 'avatars' }, true],
    ['file', { bucket: '' }, false],
    ['int', {}, true],
    ['json', {}, true],
  ])('%s %j valid=%s', (name, options, valid) => {
    const problem = getFieldType(name).validateOptions(options);
    if (valid) expect(problem).toBeNull();
    else expect(typeof problem).toBe('string');
  });
});

describe('parse (JSON body values)', () => {
  it.each<Case>([
    ['string', 'hello', {}, 'hello'],
    ['string', '', {}, ''],
    ['string', 'ab', { max_length: 2 }, 'ab'],
    ['string', '😀😀', { max_length: 2 }, '😀😀'],
    ['string', null, {}, null],
    ['text', 'long text', {}, 'long text'],
    ['int', 5, {}, 5],
    ['int', -5, {}, -5],
    ['int', '42', {}, 42],
    ['int', '9007199254740993', {}, '9007199254740993'],
    ['int', '-9223372036854775808', {}, '-9223372036854775808'],
    ['int', '9223372036854775807', {}, '9223372036854775807'],
    ['float', 1.5, {}, 1.5],
    ['float', '2.5e3', {}, 2500],
    ['float', -0.25, {}, -0.25],
    ['decimal', '12.345', {}, '12.345'],
    ['decimal', 12.5, {}, '12.5'],
    ['decimal', '-0.5', {}, '-0.5'],
    ['decimal', '+3', {}, '3'],
    ['decimal', '.5', {}, '0.5'],
    ['decimal', '9999999999999999.99', {}, '9999999999999999.99'],
    [
      'decimal',
      '123456789012345678901234567890.1',
      { precision: 40, scale: 1 },
      '123456789012345678901234567890.1',
    ],
    ['bool', true, {}, true],
    ['bool', false, {}, false],
    ['date', '2024-02-29', {}, '2024-02-29'],
    ['datetime', '2024-01-31T12:00:00Z', {}, '2024-01-31T12:00:00Z'],
    ['datetime', '2024-01-31T12:00:00.123456+02:00', {}, '2024-01-31T12:00:00.123456+02:00'],
    ['datetime', '2024-01-31 12:00', {}, '2024-01-31T12:00:00Z'],
    ['datetime', '2024-01-31T12:00:00.123456789-0530', {}, '2024-01-31T12:00:00.123456-05:30'],
    ['datetime', '2024-01-31T12:00:00+00', {}, '2024-01-31T12:00:00+00:00'],
    ['uuid', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', {}, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'],
    ['json', { a: [1, 'x'] }, {}, '{"a":[1,"x"]}'],
    ['json', 'text', {}, '"text"'],
    ['json', 0, {}, '0'],
    ['json', false, {}, 'false'],
    ['json', null, {}, null],
    ['enum', 'draft', { values: ['draft', 'done'] }, 'draft'],
    ['file', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', {}, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'],
    ['relation', 7, {}, 7],
    ['relation', '7', {}, 7],
  ])('%s accepts %j %j → %j', (name, input, options, expected) => {
    expect(okValue(name, input, options)).toEqual({ ok: true, value: expected });
  });

  it.each<[FieldTypeName, unknown, FieldOptions]>([
    ['string', 5, {}],
    ['string', true, {}],
    ['string', 'abc', { max_length: 2 }],
    ['string', '😀😀😀', { max_length: 2 }],
    ['string', 'a\u0000b', {}],
    ['string', { a: 1 }, {}],
    ['text', ['x'], {}],
    ['text', 'nul\u0000', {}],
    ['int', 1.5, {}],
    ['int', 'abc', {}],
    ['int', '1.0', {}],
    ['int', '', {}],
    ['int', ' 1', {}],
    ['int', '1e3', {}],
    ['int', true, {}],
    ['int', 2 ** 53, {}],
    ['int', '9223372036854775808', {}],
    ['int', '-9223372036854775809', {}],
    ['int', Number.NaN, {}],
    ['float', Number.NaN, {}],
    ['float', Number.POSITIVE_INFINITY, {}],
    ['float', 'Infinity', {}],
    ['float', 'NaN', {}],
    ['float', '', {}],
    ['float', '1,5', {}],
    ['float', true, {}],
    ['float', '1e999', {}],
    ['decimal', 'abc', {}],
    ['decimal', '1e5', {}],
    ['decimal', '', {}],
    ['decimal', '.', {}],
    ['decimal', '-', {}],
    ['decimal', '1.2.3', {}],
    ['decimal', 1e21, {}],
    ['decimal', '10000000000000000', {}],
    ['decimal', '9999999999999999.995', {}],
    ['decimal', '100', { precision: 3, scale: 1 }],
    ['decimal', Number.NaN, {}],
    ['decimal', true, {}],
    ['bool', 'true', {}],
    ['bool', 1, {}],
    ['bool', 0, {}],
    ['date', '2023-02-29', {}],
    ['date', '2024-13-01', {}],
    ['date', '2024-1-01', {}],
    ['date', '2024-01-01T00:00:00Z', {}],
    ['date', '0000-01-01', {}],
    ['date', 20240101, {}],
    ['datetime', '2024-01-31', {}],
    ['datetime', '2024-01-31T24:00:00Z', {}],
    ['datetime', '2024-01-31T12:60:00Z', {}],
    ['datetime', '2024-02-30T12:00:00Z', {}],
    ['datetime', '2024-01-31T12:00:00+16:00', {}],
    ['datetime', 'yesterday', {}],
    ['datetime', 1706702400000, {}],
    ['uuid', 'not-a-uuid', {}],
    ['uuid', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1', {}],
    ['uuid', 'a0eebc999c0b4ef8bb6d6bb9bd380a11', {}],
    ['uuid', 5, {}],
    ['json', undefined, {}],
    ['json', 'a\u0000b', {}],
    ['json', { k: '\u0000' }, {}],
    ['enum', 'other', { values: ['draft'] }],
    ['enum', 'toString', { values: ['draft'] }],
    ['enum', 1, { values: ['1'] }],
    ['file', 'x', {}],
    ['relation', 1.5, {}],
    ['relation', 'abc', {}],
  ])('%s rejects %j %j', (name, input, options) => {
    const result = okValue(name, input, options);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message.length).toBeGreaterThan(0);
  });

  it('accepts null for every type (required-ness is checked elsewhere)', () => {
    for (const name of FIELD_TYPE_NAMES) {
      expect(okValue(name, null, name === 'enum' ? { values: ['a'] } : {})).toEqual({
        ok: true,
        value: null,
      });
    }
  });

  it('rejects a cyclic JSON value instead of throwing', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(okValue('json', cyclic).ok).toBe(false);
  });

  it('keeps an escaped backslash before u0000 (text, not NUL)', () => {
    expect(okValue('json', '\\u0000')).toEqual({ ok: true, value: '"\\\\u0000"' });
  });
});

describe('parseQuery (query-string values)', () => {
  it.each<Case>([
    ['string', 'x,y', {}, 'x,y'],
    ['int', '10', {}, 10],
    ['int', '-3', {}, -3],
    ['float', '1.25', {}, 1.25],
    ['decimal', '3.10', {}, '3.10'],
    ['bool', 'true', {}, true],
    ['bool', 'FALSE', {}, false],
    ['bool', '1', {}, true],
    ['bool', '0', {}, false],
    ['date', '2024-01-01', {}, '2024-01-01'],
    ['datetime', '2024-01-01', {}, '2024-01-01T00:00:00Z'],
    ['datetime', '2024-01-01T10:00:00+01:00', {}, '2024-01-01T10:00:00+01:00'],
    ['uuid', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', {}, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'],
    ['json', '{"a":1}', {}, '{"a":1}'],
    ['enum', 'b', { values: ['a', 'b'] }, 'b'],
    ['relation', '12', {}, 12],
  ])('%s accepts %j %j → %j', (name, raw, options, expected) => {
    expect(getFieldType(name).parseQuery(raw as string, options)).toEqual({
      ok: true,
      value: expected,
    });
  });

  it.each<[FieldTypeName, string, FieldOptions]>([
    ['int', 'abc', {}],
    ['int', '1.5', {}],
    ['int', 'true', {}],
    ['float', 'abc', {}],
    ['bool', 'yes', {}],
    ['bool', 'constructor', {}],
    ['bool', '', {}],
    ['date', '01/02/2024', {}],
    ['datetime', 'now', {}],
    ['uuid', "' OR 1=1 --", {}],
    ['json', '{bad', {}],
    ['enum', 'c', { values: ['a', 'b'] }],
    ['string', 'a\u0000', {}],
  ])('%s rejects %j', (name, raw, options) => {
    expect(getFieldType(name).parseQuery(raw, options).ok).toBe(false);
  });
});

describe('serialize (node-postgres values → JSON)', () => {
  const localDate = new Date(2024, 0, 31);
  it.each<[FieldTypeName, unknown, unknown]>([
    ['string', 'x', 'x'],
    ['int', '42', 42],
    ['int', '9007199254740993', '9007199254740993'],
    ['int', 7, 7],
    ['int', 7n, 7],
    ['int', 2n ** 60n, '1152921504606846976'],
    ['relation', '3', 3],
    ['float', 1.5, 1.5],
    ['float', '2.5', 2.5],
    ['decimal', '12.30', '12.30'],
    ['bool', true, true],
    ['date', localDate, '2024-01-31'],
    ['date', '2024-01-31', '2024-01-31'],
    ['datetime', new Date('2024-01-31T12:00:00.000Z'), '2024-01-31T12:00:00.000Z'],
    ['datetime', '2024-01-31 12:00:00+00', '2024-01-31T12:00:00.000Z'],
    ['uuid', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'],
    ['json', { a: 1 }, { a: 1 }],
    ['json', [1, 2], [1, 2]],
    ['enum', 'a', 'a'],
    ['file', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'],
    ['text', null, null],
    ['int', null, null],
    ['date', undefined, null],
  ])('%s %p → %p', (name, value, expected) => {
    expect(getFieldType(name).serialize(value)).toEqual(expected);
  });
});

describe('operators and textual', () => {
  it.each<[FieldTypeName, string[], boolean]>([
    [
      'string',
      [
        'eq',
        'neq',
        'gt',
        'gte',
        'lt',
        'lte',
        'contains',
        'icontains',
        'startswith',
        'endswith',
        'in',
        'notin',
        'isnull',
        'like',
        'ilike',
        'between',
      ],
      true,
    ],
    [
      'text',
      [
        'eq',
        'neq',
        'gt',
        'gte',
        'lt',
        'lte',
        'contains',
        'icontains',
        'startswith',
        'endswith',
        'in',
        'notin',
        'isnull',
        'like',
        'ilike',
        'between',
      ],
      true,
    ],
    ['int', ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'notin', 'isnull', 'between'], false],
    ['float', ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'notin', 'isnull', 'between'], false],
    ['decimal', ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'notin', 'isnull', 'between'], false],
    ['date', ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'notin', 'isnull', 'between'], false],
    [
      'datetime',
      ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'notin', 'isnull', 'between'],
      false,
    ],
    ['bool', ['eq', 'neq', 'isnull'], false],
    ['uuid', ['eq', 'neq', 'in', 'notin', 'isnull'], false],
    ['file', ['eq', 'neq', 'in', 'notin', 'isnull'], false],
    ['relation', ['eq', 'neq', 'in', 'notin', 'isnull'], false],
    ['json', ['isnull'], false],
    ['enum', ['eq', 'neq', 'in', 'notin', 'isnull'], false],
  ])('%s allows %j (textual=%s)', (name, operators, textual) => {
    expect([...getFieldType(name).operators].sort()).toEqual([...operators].sort());
    expect(getFieldType(name).textual).toBe(textual);
  });
});

describe('datetime serialize from PostgreSQL text', () => {
  it.each([
    '2026-02-27 04:01:00+00',
    '2026-12-03 15:15:06.1+00',
    '2026-12-03 15:15:06.15+00',
    '2026-12-03 15:15:06.154789+00',
    '1999-12-31 23:59:59.999999+00',
  ])('%s gives what a Date gives', (text) => {
    expect(pgTimestampToIso(text)).toBe(new Date(text).toISOString());
    expect(DATETIME_FIELD_TYPE.serialize(text)).toBe(new Date(text).toISOString());
  });
  it('leaves other offsets and shapes to Date or as they are', () => {
    expect(pgTimestampToIso('2026-02-27 05:01:00+01')).toBeNull();
    expect(DATETIME_FIELD_TYPE.serialize('2026-02-27 05:01:00+01')).toBe(
      '2026-02-27T04:01:00.000Z',
    );
    expect(DATETIME_FIELD_TYPE.serialize('infinity')).toBe('infinity');
    expect(DATETIME_FIELD_TYPE.serialize(new Date(0))).toBe('1970-01-01T00:00:00.000Z');
  });
});
