import { makeCollection, makeField } from '../../query-engine/test-collection.fixture';
import { checkContextCondition } from './runtime/condition';
import { checkDefinition, type DefinitionInput } from './workflow-definition';

const orders = makeCollection('orders', [makeField('title', 'string'), makeField('qty', 'int')]);
const ctx = {
  collection: (name: string) => (name === 'orders' ? orders : undefined),
  contextConditionProblems: checkContextCondition,
};
const check = (input: Partial<DefinitionInput>) =>
  checkDefinition({ trigger_type: 'manual', trigger_config: {}, steps: [], ...input }, ctx);
const fields = (input: Partial<DefinitionInput>) => check(input).errors.map((e) => e.field);

describe('checkDefinition', () => {
  it('fills defaults: timezone, function principals, async, the POST method', () => {
    expect(
      check({ trigger_type: 'schedule', trigger_config: { cron: ' 0  9 * * 1 ' } }).checked,
    ).toMatchObject({ triggerConfig: { cron: '0 9 * * 1', timezone: 'UTC' }, slug: null });
    expect(check({ trigger_type: 'http', trigger_config: { slug: 'a-1' } }).checked).toMatchObject({
      triggerConfig: { slug: 'a-1', allowed_principals: ['admin', 'api_key'], async: false },
      slug: 'a-1',
    });
    const http = check({
      steps: [{ action: 'http_request', url: 'https://x.example/{{input.p}}' }],
    });
    expect(http.checked?.steps[0]).toMatchObject({ method: 'POST' });
  });

  it('keeps the collection id of a record trigger, so events match it after a rename', () => {
    const r = check({
      trigger_type: 'record.deleted',
      trigger_config: { collection: 'orders', condition: { qty: { $in: [1, 2] } } },
    });
    expect(r.errors).toEqual([]);
    expect(r.checked).toMatchObject({ collectionId: 'c_orders' });
  });

  it.each<[string, Partial<DefinitionInput>, string]>([
    ['an unknown trigger', { trigger_type: 'webhook' }, 'trigger_type'],
    ['a config that is not an object', { trigger_config: [] }, 'trigger_config'],
    ['a missing action', { steps: [{ url: 'x' }] }, 'steps[0].action'],
    ['a step that is not an object', { steps: ['delay'] }, 'steps[0]'],
    ['a non-integer delay', { steps: [{ action: 'delay', seconds: 1.5 }] }, 'steps[0].seconds'],
    [
      'a bad method',
      { steps: [{ action: 'http_request', url: 'https://a.b', method: 'BREW' }] },
      'steps[0].method',
    ],
    [
      'non-string headers',
      { steps: [{ action: 'http_request', url: 'https://a.b', headers: { a: 1 } }] },
      'steps[0].headers',
    ],
    ['a non-http url', { steps: [{ action: 'http_request', url: 'ftp://a.b' }] }, 'steps[0].url'],
    [
      'creating app users',
      { steps: [{ action: 'create_record', collection: '_users', data: {} }] },
      'steps[0].collection',
    ],
    [
      'data that is not an object',
      { steps: [{ action: 'create_record', collection: 'orders', data: 3 }] },
      'steps[0].data',
    ],
    [
      'a long script',
      { steps: [{ action: 'script', code: 'x'.repeat(100_001) }] },
      'steps[0].code',
    ],
    [
      'a branch to itself',
      { steps: [{ action: 'condition', condition: { 'input.a': 1 }, then: 0 }] },
      'steps[0].then',
    ],
    [
      'a condition naming a later step',
      {
        steps: [
          { action: 'condition', condition: { 'steps.1.output': 1 } },
          { action: 'transform', template: 1 },
        ],
      },
      'steps[0].condition',
    ],
    [
      'too many steps',
      { steps: Array.from({ length: 51 }, () => ({ action: 'transform', template: 1 })) },
      'steps',
    ],
    [
      'a timezone offset',
      { trigger_type: 'schedule', trigger_config: { cron: '* * * * *', timezone: '+02:00' } },
      'trigger_config.timezone',
    ],
    [
      'a slug with a leading dash',
      { trigger_type: 'http', trigger_config: { slug: '-a' } },
      'trigger_config.slug',
    ],
    [
      'async that is not a boolean',
      { trigger_type: 'http', trigger_config: { slug: 'a', async: 'yes' } },
      'trigger_config.async',
    ],
    [
      'a condition naming an unknown field',
      {
        trigger_type: 'record.created',
        trigger_config: { collection: 'orders', condition: { nope: 1 } },
      },
      'trigger_config.condition.nope',
    ],
  ])('refuses %s (%j) naming %s', (_what, input, field) => {
    const r = check(input);
    expect(r.checked).toBeNull();
    expect(r.errors.map((e) => e.field)).toContain(field);
  });

  it('reports every problem at once', () => {
    expect(
      fields({
        steps: [
          { action: 'delay' },
          { action: 'send_email', to: 'a@b.co' },
          { action: 'transform', template: '{{steps.5.output}}' },
        ],
      }),
    ).toEqual(['steps[0].seconds', 'steps[1].subject', 'steps[1].text', 'steps[2]']);
  });

  it('does not read templates in script code or conditions as templates', () => {
    expect(
      check({
        steps: [
          { action: 'script', code: 'return "{{steps.9.output}}"' },
          { action: 'condition', condition: { 'input.x': '{{steps.0.output}}' }, else: null },
        ],
      }).errors,
    ).toEqual([]);
  });
});
