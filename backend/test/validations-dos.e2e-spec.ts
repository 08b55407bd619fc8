import { createTestApp, type TestApp } from './setup/test-app';
import { createAdmin, createProject, type TestAdmin } from './factories/admin.factory';
import { addField, createCollection } from './factories/schema.factory';

/** The 149-character pattern: 4 × 620 counted repeats in a loop, ~5000 RE2 instructions. */
const a = '[a-z0-9 ,._:;/+=()#&@!?%*<>~-]';
const b = '[a-z0-9 ,._:;/+=()#&@!?%*-]';
const HOSTILE = `^(?:${a}{0,620}${a}{0,620}${b}{0,620}${b}{0,620})*$`;
/** The same shape at the largest counts the program-size cap allows (~2400 instructions). */
const HOSTILE_ALLOWED = `^(?:${a}{0,300}${a}{0,300}${b}{0,300}${b}{0,300})*$`;
/** 10,000 characters RE2 cannot settle quickly for the patterns above; the newline fails them. */
const VALUE = `${'-'.repeat(9_999)}\n`;

describe('validation rules cannot freeze the server (issue 9.4)', () => {
  let t: TestApp;
  let admin: TestAdmin;
  let pid: string;
  const rulesOf = (collection: string, field: string) =>
    `/api/projects/${pid}/validations/collections/${collection}/fields/${field}/rules`;
  const addRule = (collection: string, field: string, body: Record<string, unknown>) =>
    t.request('POST', rulesOf(collection, field), { token: admin.token, body });
  const data = (collection: string, path = '') => `/api/projects/${pid}/data/${collection}${path}`;

  /**
   * Runs `work` while asking /health every 25 ms; returns its result, the health latencies and
   * how many health answers arrived before `work` settled.
   */
  async function withHealthProbe<T>(work: Promise<T>) {
    let settled = false;
    const result = work.finally(() => {
      settled = true;
    });
    const latencies: number[] = [];
    let beforeSettled = 0;
    for (let i = 0; i < 2000 && !settled; i++) {
      const started = Date.now();
      const res = await fetch(`${t.baseUrl}/health`);
      expect(res.status).toBe(200);
      latencies.push(Date.now() - started);
      if (!settled) beforeSettled++;
      await new Promise((r) => setTimeout(r, 25));
    }
    return { result: await result, latencies, beforeSettled };
  }

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createAdmin(t);
    pid = (await createProject(t, admin)).id;
    for (const name of ['notes', 'tags', 'docs']) {
      await createCollection(t, admin, pid, name);
      await addField(t, admin, pid, name, { name: 'body', field_type: 'text' });
    }
  });
  afterAll(() => t.close());

  describe('caps at save: 400 VALIDATION_FAILED naming the limit', () => {
    it.each([
      ['the issue pattern (program size)', HOSTILE, /at most 2500 are allowed/],
      ['a pattern over 512 characters', 'a'.repeat(513), /longer than 512 characters/],
      ['a repeat count over 1000', 'a{1001}', /repeat counts above 1000/],
      ['nested counts over 1000 in total', '(?:a{2}){501}', /multiply to more than 1000/],
      ['lookahead (RE2 has none)', 'a(?=b)', /lookahead is not supported/],
      ['a backreference (RE2 has none)', '(a)\\1', /backreferences are not supported/],
    ])('%s', async (_label, pattern, reason) => {
      const res = await addRule('notes', 'body', { rule_type: 'regex', config: { pattern } });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors).toEqual([
        expect.objectContaining({
          field: 'config.pattern',
          message: expect.stringMatching(reason),
        }),
      ]);
    });

    it('at most 20 rules a field', async () => {
      for (let i = 0; i < 20; i++) {
        const ok = await addRule('tags', 'body', {
          rule_type: 'max_length',
          config: { max: 100 + i },
        });
        expect(ok.status).toBe(201);
      }
      const res = await addRule('tags', 'body', { rule_type: 'regex', config: { pattern: 'x' } });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.detail).toBe('A field holds at most 20 validation rules');
    });
  });

  describe('the costliest allowed pattern on 10,000-character values', () => {
    beforeAll(async () => {
      const res = await addRule('notes', 'body', {
        rule_type: 'regex',
        config: { pattern: HOSTILE_ALLOWED },
      });
      expect(res.status).toBe(201);
    });

    it('a 3-row bulk is refused with a clear 400 while /health keeps answering', async () => {
      const { result, latencies, beforeSettled } = await withHealthProbe(
        t.request('POST', data('notes', '/bulk'), {
          token: admin.token,
          body: { create: [{ body: VALUE }, { body: VALUE }, { body: VALUE }] },
        }),
      );
      expect(result.status).toBe(400);
      expect(result.body.code).toBe('VALIDATION_FAILED');
      expect(result.body.errors[0]).toMatchObject({ field: 'body', rule: 'regex', row: 0 });
      expect(result.body.errors[0].message).toMatch(/budget per write|Does not match/);
      expect(beforeSettled).toBeGreaterThan(0);
      expect(Math.max(...latencies)).toBeLessThan(1000);
      const stored = await t.request('GET', data('notes', '?limit=1'), { token: admin.token });
      expect(stored.body.total).toBe(0);
    });

    it('a 3-row import checks every row while /health keeps answering', async () => {
      const { result, latencies, beforeSettled } = await withHealthProbe(
        t.request('POST', data('notes', '/import'), {
          token: admin.token,
          body: [{ body: VALUE }, { body: VALUE }, { body: VALUE }],
        }),
      );
      expect(result.status).toBe(400);
      expect(result.body.code).toBe('VALIDATION_FAILED');
      expect(result.body.errors.map((e: { row: number }) => e.row)).toEqual([1, 2, 3]);
      expect(beforeSettled).toBeGreaterThan(0);
      expect(Math.max(...latencies)).toBeLessThan(1000);
    });
  });

  describe('regex semantics kept', () => {
    beforeAll(async () => {
      for (const [pattern, flags] of [
        ['^[A-Z]{2}\\d{6}', 'i'],
        ['(\\w+\\s?)*$', ''],
        ['[a-z ]{0,1000}', ''], // a big program on a long value: checked on the worker, in budget
      ]) {
        const res = await addRule('docs', 'body', {
          rule_type: 'regex',
          config: { pattern, flags },
        });
        expect(res.status).toBe(201);
      }
    });

    it('accepts matching values, long ones included, and refuses the others', async () => {
      const long = `ab123456 ${'word '.repeat(1_998)}`;
      expect(long.length).toBeLessThanOrEqual(10_000);
      const ok = await t.request('POST', data('docs'), {
        token: admin.token,
        body: { body: long },
      });
      expect(ok.status).toBe(201);
      const bad = await t.request('POST', data('docs'), {
        token: admin.token,
        body: { body: 'A1234567' },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual([
        { field: 'body', rule: 'regex', message: 'Does not match required pattern' },
      ]);
      const hostile = await t.request('POST', data('docs'), {
        token: admin.token,
        body: { body: `ab123456 ${'a'.repeat(9_990)}!` },
      });
      expect(hostile.status).toBe(400);
      expect(hostile.body.errors.map((e: { rule: string }) => e.rule)).toEqual(['regex']);
    });
  });
});
