import { makeCollection, makeField } from '../../query-engine/test-collection.fixture';
import { ConditionError, conditionFromJsonText, parseCondition, usesVariable } from './condition';

const posts = makeCollection('posts', [
  makeField('title', 'string'),
  makeField('body', 'text'),
  makeField('qty', 'int'),
  makeField('price', 'decimal', { options: { precision: 10, scale: 2 } }),
  makeField('published', 'bool'),
  makeField('due', 'datetime'),
  makeField('day', 'date'),
  makeField('ref', 'uuid'),
  makeField('meta', 'json'),
  makeField('status', 'enum', { options: { values: ['draft', 'live'] } }),
  makeField('tier', 'string'),
  makeField('secret', 'string', { isHidden: true }),
  makeField('gone', 'string', { isDeleted: true }),
]);

const errorsOf = (raw: unknown): { field: string; rule: string }[] => {
  try {
    parseCondition(raw, posts);
  } catch (err) {
    if (err instanceof ConditionError)
      return err.errors.map(({ field, rule }) => ({ field, rule }));
    throw err;
  }
  throw new Error('accepted');
};

describe('parseCondition: accepted forms', () => {
  it.each<[string, unknown]>([
    ['authenticated', { type: 'authenticated' }],
    ['owner (default field)', { type: 'owner' }],
    ['owner with field', { type: 'owner', field: 'created_by_app_user_id' }],
    ['app_user_owner', { type: 'app_user_owner' }],
    ['app_user_owner on a uuid field', { type: 'app_user_owner', field: 'ref' }],
    ['field_equals literal', { type: 'field_equals', field: 'qty', value: 3 }],
    ['field_equals text number', { type: 'field_equals', field: 'qty', value: '3' }],
    [
      'field_equals principal.user_id',
      { type: 'field_equals', field: 'ref', value: 'principal.user_id' },
    ],
    [
      'field_equals principal.app_user_id',
      { type: 'field_equals', field: 'title', value: 'principal.app_user_id' },
    ],
    [
      'field_equals principal.email',
      { type: 'field_equals', field: 'title', value: 'principal.email' },
    ],
    ['and', { type: 'and', conditions: [{ type: 'authenticated' }, { type: 'owner' }] }],
    ['or', { type: 'or', conditions: [{ type: 'authenticated' }] }],
    ['not', { type: 'not', condition: { type: 'owner' } }],
    ['console shorthand eq', { created_by_app_user_id: '$current_user_id' }],
    ['console app user id', { created_by_app_user_id: '$current_app_user_id' }],
    ['console null eq', { title: null }],
    ['console several fields', { title: 'a', qty: 1, published: true }],
    ['console $eq $neq', { title: { $eq: 'a', $neq: 'b' } }],
    ['console ordered', { qty: { $gt: 1, $gte: 1, $lt: 9, $lte: 9 } }],
    ['console decimal', { price: { $gte: '9.99' } }],
    ['console $in/$nin', { status: { $in: ['draft'], $nin: ['live'] } }],
    ['console text ops', { body: { $contains: '50%', $startswith: 'a', $endswith: 'z' } }],
    ['console builder spellings', { title: { $starts_with: 'a', $ends_with: 'z' } }],
    ['console $isnull', { meta: { $isnull: true } }],
    ['console $now', { due: { $lte: '$now' }, day: { $gte: '$now' } }],
    ['console roles $in', { tier: { $in: '$current_user_roles' } }],
    ['console roles $nin', { status: { $nin: '$current_user_roles' } }],
    ['console email', { title: '$current_user_email' }],
    ['console $and/$or/$not', { $and: [{ qty: 1 }], $or: [{ qty: 2 }, { $not: { qty: 3 } }] }],
    ['system columns', { id: { $gt: 5 }, created_at: { $lt: '$now' }, created_by_user_id: null }],
    ['uuid literal', { ref: 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11' }],
  ])('%s', (_label, raw) => {
    expect(() => parseCondition(raw, posts)).not.toThrow();
  });

  it('normalises both forms to the same tree', () => {
    expect(parseCondition({ type: 'owner' }, posts)).toEqual(
      parseCondition({ created_by_app_user_id: '$current_user_id' }, posts),
    );
    expect(parseCondition({ type: 'field_equals', field: 'qty', value: '3' }, posts)).toEqual({
      t: 'cmp',
      field: 'qty',
      column: 'qty',
      fieldType: 'int',
      op: 'eq',
      operand: { kind: 'value', value: 3 },
    });
    expect(parseCondition({ title: null }, posts)).toMatchObject({
      op: 'isnull',
      operand: { value: true },
    });
    expect(parseCondition({ ref: 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11' }, posts)).toMatchObject({
      operand: { value: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' },
    });
  });

  it('reports variables in use', () => {
    const c = parseCondition(
      { $or: [{ qty: 1 }, { $not: { title: '$current_user_email' } }] },
      posts,
    );
    expect(usesVariable(c, '$current_user_email')).toBe(true);
    expect(usesVariable(c, '$current_user_id')).toBe(false);
  });
});

describe('parseCondition: rejected forms (fail closed)', () => {
  it.each<[string, unknown, string, string]>([
    [
      'the docs owner_field',
      { owner_field: 'created_by_app_user_id' },
      'condition.owner_field',
      'unknown_field',
    ],
    ['a hidden field (§9.5)', { secret: 'x' }, 'condition.secret', 'hidden_field'],
    [
      'a hidden field in a typed form',
      { type: 'field_equals', field: 'secret', value: 'x' },
      'condition.field',
      'hidden_field',
    ],
    ['a JSON array', [], 'condition', 'invalid_condition'],
    ['null', null, 'condition', 'invalid_condition'],
    ['a string', 'owner', 'condition', 'invalid_condition'],
    ['a number', 1, 'condition', 'invalid_condition'],
    ['an empty object', {}, 'condition', 'invalid_condition'],
    ['missing type value', { type: null }, 'condition.type', 'unknown_type'],
    ['unknown type', { type: 'is_admin' }, 'condition.type', 'unknown_type'],
    [
      'unknown nested type',
      { type: 'or', conditions: [{ type: 'authenticated' }, { type: 'x' }] },
      'condition.conditions[1].type',
      'unknown_type',
    ],
    [
      'unknown type under not',
      { type: 'not', condition: { type: 'nope' } },
      'condition.condition.type',
      'unknown_type',
    ],
    ['extra key on a typed node', { type: 'owner', owner_field: 'x' }, 'condition', 'unknown_key'],
    [
      'and without a list',
      { type: 'and', conditions: {} },
      'condition.conditions',
      'invalid_condition',
    ],
    [
      'and with an empty list',
      { type: 'and', conditions: [] },
      'condition.conditions',
      'invalid_condition',
    ],
    [
      'owner on an unknown field',
      { type: 'owner', field: 'nope' },
      'condition.field',
      'unknown_field',
    ],
    ['owner on an int field', { type: 'owner', field: 'qty' }, 'condition', 'invalid_variable'],
    [
      'field_equals without value',
      { type: 'field_equals', field: 'qty' },
      'condition.value',
      'required',
    ],
    [
      'field_equals wrong type',
      { type: 'field_equals', field: 'qty', value: 'abc' },
      'condition.value',
      'invalid_value',
    ],
    ['unknown field', { nope: 1 }, 'condition.nope', 'unknown_field'],
    ['deleted field', { gone: 'x' }, 'condition.gone', 'unknown_field'],
    ['unknown operator', { title: { $regex: '.*' } }, 'condition.title.$regex', 'unknown_operator'],
    ['operator without $', { title: { eq: 'a' } }, 'condition.title.eq', 'unknown_operator'],
    ['unknown top-level operator', { $where: 'true' }, 'condition.$where', 'unknown_operator'],
    [
      'prototype key as operator',
      { title: { constructor: 'a' } },
      'condition.title.constructor',
      'unknown_operator',
    ],
    ['empty operator object', { title: {} }, 'condition.title', 'invalid_condition'],
    [
      'operator the type lacks',
      { published: { $gt: true } },
      'condition.published.$gt',
      'operator_not_allowed',
    ],
    [
      'contains on an int',
      { qty: { $contains: '1' } },
      'condition.qty.$contains',
      'operator_not_allowed',
    ],
    ['ops on json', { meta: { $eq: 1 } }, 'condition.meta.$eq', 'operator_not_allowed'],
    ['bad int', { qty: 'x' }, 'condition.qty', 'invalid_value'],
    ['bad bool', { published: 'maybe' }, 'condition.published', 'invalid_value'],
    ['bad enum', { status: 'gone' }, 'condition.status', 'invalid_value'],
    ['bad uuid', { ref: 'nope' }, 'condition.ref', 'invalid_value'],
    ['bad datetime', { due: { $gt: 'yesterday' } }, 'condition.due.$gt', 'invalid_value'],
    [
      'object value',
      { title: { nested: { $eq: 1 } } },
      'condition.title.nested',
      'unknown_operator',
    ],
    ['array value for eq', { title: ['a'] }, 'condition.title', 'invalid_value'],
    ['null in $gt', { qty: { $gt: null } }, 'condition.qty.$gt', 'invalid_value'],
    ['$in scalar', { qty: { $in: 1 } }, 'condition.qty.$in', 'invalid_value'],
    ['$in empty', { qty: { $in: [] } }, 'condition.qty.$in', 'invalid_value'],
    ['$in bad item', { qty: { $in: [1, 'x'] } }, 'condition.qty.$in[1]', 'invalid_value'],
    ['$isnull text', { title: { $isnull: 'true' } }, 'condition.title.$isnull', 'invalid_value'],
    [
      '$contains non-string',
      { title: { $contains: 5 } },
      'condition.title.$contains',
      'invalid_value',
    ],
    ['unknown variable', { title: '$current_tenant_id' }, 'condition.title', 'unknown_variable'],
    ['user id on an int', { qty: '$current_user_id' }, 'condition.qty', 'invalid_variable'],
    [
      'user id ordered',
      { title: { $gt: '$current_user_id' } },
      'condition.title.$gt',
      'invalid_variable',
    ],
    ['$now on text', { title: '$now' }, 'condition.title', 'invalid_variable'],
    ['roles with $eq', { tier: '$current_user_roles' }, 'condition.tier', 'invalid_variable'],
    [
      'roles on an int',
      { qty: { $in: '$current_user_roles' } },
      'condition.qty.$in',
      'invalid_variable',
    ],
    [
      'scalar variable in $in',
      { title: { $in: '$current_user_id' } },
      'condition.title.$in',
      'invalid_variable',
    ],
    ['$and not a list', { $and: { qty: 1 } }, 'condition.$and', 'invalid_condition'],
    ['$not not an object', { $not: [] }, 'condition.$not', 'invalid_condition'],
    ['$or with a bad child', { $or: [{ qty: 1 }, 'x'] }, 'condition.$or[1]', 'invalid_condition'],
  ])('%s', (_label, raw, field, rule) => {
    expect(errorsOf(raw)).toContainEqual({ field, rule });
  });

  it('limits depth and size', () => {
    let deep: unknown = { qty: 1 };
    for (let i = 0; i < 11; i += 1) deep = { $not: deep };
    expect(errorsOf(deep)).toContainEqual({ field: expect.any(String), rule: 'too_deep' });
    const wide = { $or: Array.from({ length: 150 }, (_, i) => ({ qty: i })) };
    expect(errorsOf(wide)).toContainEqual({ field: expect.any(String), rule: 'too_large' });
  });

  it('reports every problem at once', () => {
    expect(errorsOf({ nope: 1, qty: 'x', title: { $regex: 'a' } })).toHaveLength(3);
  });

  it('rejects condition_json that is not JSON', () => {
    expect(() => conditionFromJsonText('{nope')).toThrow(ConditionError);
    expect(conditionFromJsonText('[]')).toEqual([]);
  });
});
