import {
  MAX_TEMPLATE_OUTPUT_CHARS,
  renderTemplate,
  resolvePath,
  TemplateError,
  templatePaths,
  validateTemplatePaths,
  type TemplateContext,
} from './template';

const ctx: TemplateContext = {
  trigger: {
    event: 'record.updated',
    record: { id: 'r1', title: 'Hello', qty: 3, done: false, tags: ['a', 'b'], note: null },
    old_record: { id: 'r1', title: 'Hi' },
  },
  input: { n: 5, user: { name: 'Ada' } },
  steps: [
    { output: { status: 200, items: [{ id: 'i0' }, { id: 'i1' }] } },
    { output: 'plain' },
    { output: { items: [{ id: 'x' }] } },
  ],
  env: { API_KEY: 'secret-1' },
};

describe('renderTemplate', () => {
  it.each([
    ['{{trigger.record.qty}}', 3],
    ['{{ trigger.record.done }}', false],
    ['{{trigger.record.tags}}', ['a', 'b']],
    ['{{trigger.record.note}}', null],
    ['{{trigger.record.missing}}', null],
    ['{{input.user}}', { name: 'Ada' }],
    ['{{steps.2.output.items.0.id}}', 'x'],
    ['{{steps.0.output.status}}', 200],
    ['{{env.API_KEY}}', 'secret-1'],
    ['{{env.NOPE}}', null],
    ['{{nope.x}}', null],
    ['{{trigger}}', ctx.trigger],
  ])('a string that is exactly %s keeps the raw value', (template, expected) => {
    expect(renderTemplate(template, ctx)).toEqual(expected);
  });

  it.each([
    ['Title: {{trigger.record.title}}!', 'Title: Hello!'],
    ['{{trigger.record.qty}} items', '3 items'],
    ['{{trigger.record.done}}/{{input.n}}', 'false/5'],
    ['tags={{trigger.record.tags}}', 'tags=["a","b"]'],
    ['user={{ input.user }}', 'user={"name":"Ada"}'],
    ['[{{trigger.record.note}}][{{trigger.record.missing}}][{{bad root}}]', '[][][]'],
    ['{{a}}{{b}}', ''],
    [' {{input.n}}', ' 5'],
    ['no placeholders', 'no placeholders'],
    ['{single} {{ }} braces', '{single}  braces'],
  ])('interpolates %s as text', (template, expected) => {
    expect(renderTemplate(template, ctx)).toBe(expected);
  });

  it('walks objects and arrays, leaving keys and non-strings alone', () => {
    const template = {
      url: 'https://x.test/items/{{trigger.record.id}}',
      body: {
        qty: '{{trigger.record.qty}}',
        list: ['{{steps.0.output.items.1.id}}', 7, true, null],
      },
      '{{input.n}}': 'key untouched',
    };
    expect(renderTemplate(template, ctx)).toEqual({
      url: 'https://x.test/items/r1',
      body: { qty: 3, list: ['i1', 7, true, null] },
      '{{input.n}}': 'key untouched',
    });
  });

  it('interpolates a Date as its ISO string', () => {
    const at = new Date('2024-05-06T07:08:09.000Z');
    expect(renderTemplate('at {{input.at}}', { input: { at } })).toBe(
      'at 2024-05-06T07:08:09.000Z',
    );
  });

  it('reads steps given as a record keyed by index', () => {
    const byKey: TemplateContext = { steps: { '0': { output: { ok: 1 } } } };
    expect(renderTemplate('{{steps.0.output.ok}}', byKey)).toBe(1);
  });

  it('keeps a "__proto__" key of the template as an own key, without changing the prototype', () => {
    const template = JSON.parse('{"__proto__": {"polluted": "{{input.n}}"}, "a": 1}') as unknown;
    const out = renderTemplate(template, ctx) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ polluted: 5 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects output over the size cap', () => {
    const big = 'x'.repeat(300_000);
    const template = Array.from({ length: 4 }, () => '{{input.big}}');
    expect(() => renderTemplate(template, { input: { big } })).toThrow(TemplateError);
    expect(() => renderTemplate('a{{input.big}}'.repeat(4), { input: { big } })).toThrow(/exceeds/);
    const bigObject = { items: Array.from({ length: 4 }, () => big) };
    expect(() => renderTemplate('all: {{input.o}}', { input: { o: bigObject } })).toThrow(
      TemplateError,
    );
    expect(() => renderTemplate('x'.repeat(MAX_TEMPLATE_OUTPUT_CHARS + 1), {})).toThrow(
      TemplateError,
    );
    expect(renderTemplate(['{{input.big}}', '{{input.big}}'], { input: { big } })).toEqual([
      big,
      big,
    ]);
  });

  it('rejects a template nested too deeply', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(() => renderTemplate(deep, ctx)).toThrow(/nested deeper/);
  });
});

describe('resolvePath', () => {
  const hostile: TemplateContext = {
    input: { obj: {}, arr: [1, 2], str: 'abc', inherited: Object.create({ secret: 1 }) },
  };

  it.each([
    'input.__proto__',
    'input.obj.__proto__',
    'input.obj.constructor',
    'input.obj.constructor.prototype',
    'input.arr.constructor',
    'input.arr.map',
    'input.str.length',
    'input.str.0',
    'input.inherited.secret',
    'input.obj.toString',
    'input.arr.01',
    'input..obj',
    'input.obj.',
    'constructor',
    'toString',
  ])('%s is undefined', (path) => {
    expect(resolvePath(hostile, path)).toBeUndefined();
  });

  it('reads own properties and array indexes', () => {
    expect(resolvePath(hostile, 'input.arr.1')).toBe(2);
    expect(resolvePath(hostile, 'input.arr.2')).toBeUndefined();
    expect(resolvePath(hostile, 'input.str')).toBe('abc');
  });
});

describe('templatePaths', () => {
  it('lists every path once, in order', () => {
    const template = {
      a: 'Hi {{ trigger.record.title }} and {{input.n}}',
      b: ['{{steps.0.output.status}}', { c: '{{input.n}}' }],
      d: 5,
      e: '{{ not a path }}',
    };
    expect(templatePaths(template)).toEqual([
      'trigger.record.title',
      'input.n',
      'steps.0.output.status',
      'not a path',
    ]);
  });

  it('finds nothing in a template without placeholders', () => {
    expect(templatePaths({ a: 'x', b: [1, '{y}'] })).toEqual([]);
  });
});

describe('validateTemplatePaths', () => {
  it('accepts known roots and earlier steps', () => {
    const template = {
      a: '{{trigger.record.x}} {{input.y}} {{env.KEY}}',
      b: '{{steps.0.output}} {{steps.1.output.z}} {{steps}}',
    };
    expect(validateTemplatePaths(template, { stepIndex: 2, stepCount: 4 })).toEqual([]);
  });

  it('reports unknown roots, later or missing steps and malformed paths', () => {
    const template = [
      '{{record.title}}',
      '{{steps.2.output}}',
      '{{steps.3.output}}',
      '{{steps.9.output}}',
      '{{steps.first.output}}',
      '{{input..x}}',
    ];
    expect(validateTemplatePaths(template, { stepIndex: 2, stepCount: 4 })).toEqual([
      '{{record.title}}: unknown root "record" (expected trigger, input, steps, env)',
      '{{steps.2.output}}: step 2 does not run before step 2',
      '{{steps.3.output}}: step 3 does not run before step 2',
      '{{steps.9.output}}: there is no step 9 (the workflow has 4)',
      '{{steps.first.output}}: "first" is not a step index',
      '{{input..x}}: not a path (dotted names, e.g. trigger.record.title)',
    ]);
  });
});
