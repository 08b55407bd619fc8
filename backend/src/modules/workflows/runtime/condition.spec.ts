import {
  checkContextCondition,
  ContextConditionError,
  evaluateContextCondition,
} from './condition';
import type { TemplateContext } from './template';

const ctx: TemplateContext = {
  trigger: {
    event: 'record.updated',
    record: {
      id: 'r1',
      qty: 3,
      price: '19.90',
      big: '9007199254740993',
      title: 'Hello World',
      done: false,
      tags: ['a', 'b'],
      note: null,
      due: '2024-05-01T10:00:00Z',
    },
    old_record: { qty: 1 },
  },
  input: { min: 2, allowed: ['r1', 'r2'], when: '2024-05-01T12:00:00+02:00' },
  steps: [{ output: { status: 201, body: { ok: true } } }, { output: { items: [] } }],
  env: { MODE: 'live' },
};

const sut = (cond: unknown, context: TemplateContext = ctx) =>
  evaluateContextCondition(cond, context);

describe('evaluateContextCondition', () => {
  it.each<[unknown, boolean]>([
    [{ 'trigger.record.qty': 3 }, true],
    [{ 'trigger.record.qty': 4 }, false],
    [{ 'trigger.record.qty': '3' }, true],
    [{ 'trigger.record.title': 'Hello World' }, true],
    [{ 'trigger.record.title': 'hello world' }, false],
    [{ 'trigger.record.done': false }, true],
    [{ 'trigger.record.done': 'false' }, false],
    [{ 'trigger.event': 'record.updated', 'env.MODE': 'live' }, true],
    [{ 'trigger.event': 'record.updated', 'env.MODE': 'test' }, false],
    [{ 'steps.0.output.status': { $gte: 200 } }, true],
    [{ 'steps.0.output.status': { $gte: 200, $lt: 300 } }, true],
    [{ 'steps.0.output.status': { $gte: 200, $lt: 201 } }, false],
    [{ 'steps.0.output.status': { $gt: 201 } }, false],
    [{ 'steps.0.output.status': { $lte: 201 } }, true],
    [{ 'steps.0.output.status': { $neq: 200 } }, true],
    [{ 'steps.0.output.status': { $eq: 201 } }, true],
    [{ 'steps.0.output.body.ok': true }, true],
    [{ 'trigger.record.price': { $gt: 19.5 } }, true],
    [{ 'trigger.record.price': { $lt: 19.5 } }, false],
    [{ 'trigger.record.big': { $gt: 9007199254740992 } }, true],
    [{ 'trigger.record.title': { $gt: 'Hello' } }, true],
    [{ 'trigger.record.title': { $contains: 'World' } }, true],
    [{ 'trigger.record.title': { $contains: 'world' } }, false],
    [{ 'trigger.record.title': { $icontains: 'WORLD' } }, true],
    [{ 'trigger.record.title': { $startswith: 'Hell' } }, true],
    [{ 'trigger.record.title': { $starts_with: 'World' } }, false],
    [{ 'trigger.record.title': { $endswith: 'World' } }, true],
    [{ 'trigger.record.title': { $ends_with: 'Hello' } }, false],
    [{ 'trigger.record.tags': { $contains: 'b' } }, true],
    [{ 'trigger.record.tags': { $contains: 'c' } }, false],
    [{ 'trigger.record.id': { $in: ['r0', 'r1'] } }, true],
    [{ 'trigger.record.id': { $in: ['r0'] } }, false],
    [{ 'trigger.record.id': { $nin: ['r0'] } }, true],
    [{ 'trigger.record.qty': { $in: [1, 2, 3] } }, true],
    [{ 'trigger.record.qty': { $between: [3, 5] } }, true],
    [{ 'trigger.record.qty': { $between: [4, 5] } }, false],
    [{ 'trigger.record.due': { $lt: '2024-05-01T11:00:00Z' } }, true],
    // The same instant in another offset.
    [{ 'trigger.record.due': '2024-05-01T12:00:00+02:00' }, true],
    [{ 'trigger.record.due': { $gte: '2024-05-01' } }, true],
  ])('%j → %s', (cond, expected) => {
    expect(sut(cond)).toBe(expected);
  });

  it.each<[unknown, boolean]>([
    [{ 'trigger.record.note': null }, true],
    [{ 'trigger.record.note': { $isnull: true } }, true],
    [{ 'trigger.record.missing': { $isnull: true } }, true],
    [{ 'trigger.record.qty': { $isnull: true } }, false],
    [{ 'trigger.record.qty': { $isnull: false } }, true],
    [{ 'trigger.record.qty': { $eq: null } }, false],
    [{ 'trigger.record.qty': { $neq: null } }, true],
    [{ 'trigger.record.missing': 1 }, false],
    [{ 'trigger.record.missing': { $neq: 1 } }, true],
    [{ 'trigger.record.missing': { $gt: 0 } }, false],
    [{ 'trigger.record.missing': { $lte: 0 } }, false],
    [{ 'trigger.record.missing': { $in: [1] } }, false],
    [{ 'trigger.record.missing': { $nin: [1] } }, true],
    [{ 'trigger.record.missing': { $contains: 'x' } }, false],
    [{ $not: { 'trigger.record.missing': { $gt: 0 } } }, true],
  ])('a missing or null value is NULL-safe: %j → %s', (cond, expected) => {
    expect(sut({ ...(cond as object) })).toBe(expected);
  });

  it.each<[unknown, boolean]>([
    [{ 'trigger.record.title': { $gt: 5 } }, false],
    [{ 'trigger.record.title': { $lt: 5 } }, false],
    [{ 'trigger.record.title': 5 }, false],
    [{ 'trigger.record.title': { $neq: 5 } }, true],
    [{ 'trigger.record.done': 0 }, false],
    [{ 'steps.0.output.body': 'x' }, false],
    [{ 'steps.0.output.body': { $neq: 'x' } }, true],
    [{ 'trigger.record.tags': { $startswith: 'a' } }, false],
  ])('values of different types never compare: %j → %s', (cond, expected) => {
    expect(sut(cond)).toBe(expected);
  });

  it.each<[unknown, boolean]>([
    [{ $and: [{ 'trigger.record.qty': 3 }, { 'env.MODE': 'live' }] }, true],
    [{ $and: [{ 'trigger.record.qty': 3 }, { 'env.MODE': 'test' }] }, false],
    [{ $or: [{ 'trigger.record.qty': 4 }, { 'env.MODE': 'live' }] }, true],
    [{ $or: [{ 'trigger.record.qty': 4 }, { 'env.MODE': 'test' }] }, false],
    [{ $not: { 'trigger.record.qty': 3 } }, false],
    [{ $not: { $or: [{ 'trigger.record.qty': 4 }, { 'env.MODE': 'test' }] } }, true],
    [
      { 'trigger.record.qty': 3, $or: [{ 'env.MODE': 'x' }, { 'trigger.record.done': false }] },
      true,
    ],
    [
      { 'trigger.record.qty': 2, $or: [{ 'env.MODE': 'x' }, { 'trigger.record.done': false }] },
      false,
    ],
  ])('combines with $and/$or/$not: %j → %s', (cond, expected) => {
    expect(sut(cond)).toBe(expected);
  });

  it.each<[unknown, boolean]>([
    [{ 'trigger.record.qty': { $gt: '{{trigger.old_record.qty}}' } }, true],
    [{ 'trigger.record.qty': { $gte: '{{ input.min }}' } }, true],
    [{ 'trigger.record.qty': '{{trigger.old_record.qty}}' }, false],
    [{ 'trigger.record.id': { $in: '{{input.allowed}}' } }, true],
    [{ 'trigger.record.due': '{{input.when}}' }, true],
    [{ 'trigger.record.note': '{{input.missing}}' }, true],
    [{ 'trigger.record.qty': { $gt: '{{input.missing}}' } }, false],
  ])('compares with another context value given as {{path}}: %j → %s', (cond, expected) => {
    expect(sut(cond)).toBe(expected);
  });

  it('reads own properties only', () => {
    const context: TemplateContext = { input: Object.create({ inherited: 1 }) };
    expect(sut({ 'input.inherited': 1 }, context)).toBe(false);
    expect(sut({ 'input.constructor': { $isnull: true } }, context)).toBe(true);
  });

  it('throws on a malformed condition', () => {
    expect(() => sut({ 'trigger.record.qty': { $approx: 3 } })).toThrow(ContextConditionError);
    expect(() => sut({})).toThrow(/empty condition/);
    expect(() => sut('x')).toThrow(/must be a JSON object/);
    expect(() => sut({ 'nope.x': { $isnull: true } })).toThrow(/unknown root "nope"/);
  });
});

describe('checkContextCondition', () => {
  it('accepts well-formed conditions', () => {
    expect(
      checkContextCondition({
        'steps.0.output.status': { $gte: 200, $lt: 300 },
        $or: [{ 'trigger.record.qty': 3 }, { $not: { 'input.flag': true } }],
        'env.MODE': { $in: ['a', 'b'] },
        'trigger.record.note': null,
        'trigger.record.x': { $between: [1, 2], $isnull: false, $contains: 'y' },
        'input.when': { $gt: '{{trigger.record.at}}' },
      }),
    ).toEqual([]);
  });

  it.each<[unknown, string[]]>([
    [
      { 'trigger.record.qty': { $approx: 3 } },
      ["condition.trigger.record.qty.$approx: unknown operator '$approx'"],
    ],
    [{ $xor: [] }, ["condition.$xor: unknown operator '$xor'"]],
    [
      { 'record.qty': 3 },
      ['condition.record.qty: unknown root "record" (expected trigger, input, steps, env)'],
    ],
    [
      { 'input..x': 3 },
      ['condition.input..x: not a path (dotted names, e.g. trigger.record.title)'],
    ],
    [{}, ['condition: an empty condition is not allowed']],
    [[], ['condition: a condition must be a JSON object']],
    [{ 'input.x': {} }, ['condition.input.x: no operator given for "input.x"']],
    [{ 'input.x': [1, 2] }, ['condition.input.x: a list needs an operator ($in, $nin, $between)']],
    [{ 'input.x': { $in: [] } }, ['condition.input.x.$in: takes a list of 1 to 1000 values']],
    [{ 'input.x': { $in: 'a' } }, ['condition.input.x.$in: takes a list of 1 to 1000 values']],
    [
      { 'input.x': { $in: [1, null] } },
      ['condition.input.x.$in[1]: must be a string, number or boolean'],
    ],
    [
      { 'input.x': { $between: [1] } },
      ['condition.input.x.$between: $between takes a list of two values [low, high]'],
    ],
    [{ 'input.x': { $isnull: 'yes' } }, ['condition.input.x.$isnull: $isnull takes true or false']],
    [{ 'input.x': { $contains: 3 } }, ['condition.input.x.$contains: takes a string']],
    [{ 'input.x': { $gt: true } }, ['condition.input.x.$gt: must be a string or number']],
    [{ 'input.x': { $gt: null } }, ['condition.input.x.$gt: must be a string or number']],
    [
      { 'input.x': { $eq: { a: 1 } } },
      ['condition.input.x.$eq: must be a string, number or boolean'],
    ],
    [
      { 'input.x': { $gt: '{{nope.y}}' } },
      ['condition.input.x.$gt: unknown root "nope" (expected trigger, input, steps, env)'],
    ],
    [{ $and: [] }, ['condition.$and: must be a non-empty list of conditions']],
    [
      { $or: [{ 'input.a': 1 }, { 'bad.b': 1 }] },
      ['condition.$or[1].bad.b: unknown root "bad" (expected trigger, input, steps, env)'],
    ],
    [{ $not: 5 }, ['condition.$not: a condition must be a JSON object']],
    [
      { 'input.a': { $foo: 1, $bar: 2 } },
      [
        "condition.input.a.$foo: unknown operator '$foo'",
        "condition.input.a.$bar: unknown operator '$bar'",
      ],
    ],
  ])('%j → %j', (cond, problems) => {
    expect(checkContextCondition(cond)).toEqual(problems);
  });

  it('refuses a prototype key as a path', () => {
    const cond = JSON.parse('{"__proto__": {"$eq": 1}}') as unknown;
    expect(checkContextCondition(cond)).toEqual([
      'condition.__proto__: unknown root "__proto__" (expected trigger, input, steps, env)',
    ]);
  });

  it('with the step position, refuses steps that do not run before', () => {
    const cond = {
      'steps.0.output.ok': true,
      $or: [{ 'steps.1.output.ok': true }, { 'steps.5.x': 1 }],
    };
    expect(checkContextCondition(cond, { stepIndex: 1, stepCount: 3 })).toEqual([
      'condition.$or[0].steps.1.output.ok: step 1 does not run before step 1',
      'condition.$or[1].steps.5.x: there is no step 5 (the workflow has 3)',
    ]);
    expect(checkContextCondition(cond)).toEqual([]);
  });

  it('bounds depth and size', () => {
    let deep: unknown = { 'input.a': 1 };
    for (let i = 0; i < 12; i++) deep = { $not: deep };
    expect(checkContextCondition(deep).join()).toMatch(/nest at most 10 levels/);
    const wide = { $or: Array.from({ length: 120 }, (_, i) => ({ [`input.a${i}`]: i })) };
    expect(checkContextCondition(wide).join()).toMatch(/at most 100 nodes/);
  });
});
