import { createTestApp, type TestApp } from './setup/test-app';
import { createAdmin, createProject, type TestAdmin } from './factories/admin.factory';
import { addField, createCollection } from './factories/schema.factory';

describe('validation rules', () => {
  let t: TestApp;
  let admin: TestAdmin;
  let outsider: TestAdmin;
  let pid: string;
  const base = () => `/api/projects/${pid}/validations`;
  const rulesOf = (collection: string, field: string) =>
    `${base()}/collections/${collection}/fields/${field}/rules`;
  const addRule = (collection: string, field: string, body: Record<string, unknown>) =>
    t.request('POST', rulesOf(collection, field), { token: admin.token, body });
  const validate = (collection: string, body: Record<string, unknown>) =>
    t.request('POST', `${base()}/collections/${collection}/validate`, { token: admin.token, body });

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createAdmin(t);
    outsider = await createAdmin(t);
    pid = (await createProject(t, admin)).id;
    await createCollection(t, admin, pid, 'orders');
    await addField(t, admin, pid, 'orders', { name: 'title', field_type: 'string' });
    await addField(t, admin, pid, 'orders', { name: 'qty', field_type: 'int' });
    await addField(t, admin, pid, 'orders', { name: 'status', field_type: 'string' });
    await addField(t, admin, pid, 'orders', { name: 'tracking', field_type: 'string' });
    await addField(t, admin, pid, 'orders', { name: 'paid', field_type: 'bool' });
  });
  afterAll(() => t.close());

  describe('GET /rule-types', () => {
    it('lists the 13 original types plus required_if with their config schema', async () => {
      const res = await t.request('GET', `${base()}/rule-types`, { token: admin.token });
      expect(res.status).toBe(200);
      expect(res.body.rule_types).toHaveLength(14);
      expect(res.body.rule_types.find((r: { type: string }) => r.type === 'range')).toMatchObject({
        applies_to: ['int', 'float', 'decimal'],
        config_schema: { min: 'number', max: 'number' },
      });
      expect(res.body.rule_types.map((r: { type: string }) => r.type)).toContain('required_if');
    });

    it('needs an admin token (401) and membership (404)', async () => {
      expect((await t.request('GET', `${base()}/rule-types`)).status).toBe(401);
      expect(
        (await t.request('GET', `${base()}/rule-types`, { token: outsider.token })).status,
      ).toBe(404);
    });
  });

  describe('POST …/rules', () => {
    it('creates a rule and returns the original RuleDict shape', async () => {
      const res = await addRule('orders', 'title', {
        rule_type: 'min_length',
        config: { min: 3 },
        error_message: 'Title too short',
        priority: 2,
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        field_name: 'title',
        rule_type: 'min_length',
        config: { min: 3 },
        error_message: 'Title too short',
        priority: 2,
        is_active: true,
      });
      for (const k of ['id', 'field_id', 'created_at', 'updated_at'])
        expect(res.body[k]).toBeTruthy();
    });

    it.each([
      ['unknown rule type', 'title', { rule_type: 'nope' }, 'rule_type'],
      ['bad regex', 'title', { rule_type: 'regex', config: { pattern: '(a' } }, 'config.pattern'],
      [
        'backreference',
        'title',
        { rule_type: 'regex', config: { pattern: '(a)\\1' } },
        'config.pattern',
      ],
      [
        'pattern too long',
        'title',
        { rule_type: 'regex', config: { pattern: 'a'.repeat(513) } },
        'config.pattern',
      ],
      [
        'bad flags',
        'title',
        { rule_type: 'regex', config: { pattern: 'a', flags: 'g' } },
        'config.flags',
      ],
      ['min > max', 'qty', { rule_type: 'range', config: { min: 5, max: 1 } }, 'config.min'],
      [
        'unknown config key',
        'title',
        { rule_type: 'min_length', config: { min: 1, mx: 2 } },
        'config',
      ],
      [
        'wrong config type',
        'title',
        { rule_type: 'min_length', config: { min: 'three' } },
        'config.min',
      ],
      ['missing config key', 'qty', { rule_type: 'min_value', config: {} }, 'config.min'],
      [
        'enum value of the wrong type',
        'qty',
        { rule_type: 'enum', config: { values: ['a'] } },
        'config.values.0',
      ],
      [
        'bad date directive',
        'title',
        { rule_type: 'date_format', config: { format: '%Q' } },
        'config.format',
      ],
      [
        'required_if on an unknown field',
        'tracking',
        { rule_type: 'required_if', config: { field: 'zzz', equals: 1 } },
        'config.field',
      ],
      [
        'required_if with equals and in',
        'tracking',
        { rule_type: 'required_if', config: { field: 'status', equals: 1, in: [1] } },
        'config.equals',
      ],
      [
        'type mismatch: min_length on int',
        'qty',
        { rule_type: 'min_length', config: { min: 1 } },
        'rule_type',
      ],
      [
        'type mismatch: range on string',
        'title',
        { rule_type: 'range', config: { min: 1, max: 2 } },
        'rule_type',
      ],
      ['type mismatch: email on bool', 'paid', { rule_type: 'email' }, 'rule_type'],
      ['unknown body key', 'title', { rule_type: 'email', extra: 1 }, 'extra'],
      ['non-integer priority', 'title', { rule_type: 'email', priority: 1.5 }, 'priority'],
    ])('400 on %s', async (_name, fieldName, body, errorField) => {
      const res = await addRule('orders', fieldName, body);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(errorField);
    });

    it('names the valid types and the mismatch in detail, like the original', async () => {
      expect((await addRule('orders', 'title', { rule_type: 'nope' })).body.detail).toMatch(
        /^Invalid rule type: nope\. Valid types: /,
      );
      expect(
        (await addRule('orders', 'qty', { rule_type: 'min_length', config: { min: 1 } })).body
          .detail,
      ).toBe("Rule type 'min_length' cannot be applied to field type 'int'");
    });

    it('404 for unknown collections and fields, and for _users.password_hash', async () => {
      expect((await addRule('nope', 'title', { rule_type: 'email' })).status).toBe(404);
      expect((await addRule('orders', 'nope', { rule_type: 'email' })).status).toBe(404);
      const secret = await addRule('_users', 'password_hash', { rule_type: 'not_empty' });
      expect(secret.status).toBe(404);
      expect(secret.body.detail).toBe('Field not found');
      expect((await addRule('_users', 'email', { rule_type: 'email' })).status).toBe(201);
    });

    it('401 without a token, 404 for a non-member', async () => {
      expect(
        (await t.request('POST', rulesOf('orders', 'title'), { body: { rule_type: 'email' } }))
          .status,
      ).toBe(401);
      const res = await t.request('POST', rulesOf('orders', 'title'), {
        token: outsider.token,
        body: { rule_type: 'email' },
      });
      expect(res.status).toBe(404);
    });
  });

  describe('GET …/rules, GET/PATCH/DELETE /rules/{id}', () => {
    let ruleId: string;
    beforeAll(async () => {
      await addField(t, admin, pid, 'orders', { name: 'code', field_type: 'string' });
      ruleId = (
        await addRule('orders', 'code', {
          rule_type: 'max_length',
          config: { max: 5 },
          priority: 3,
        })
      ).body.id;
      await addRule('orders', 'code', { rule_type: 'not_empty', priority: 1 });
    });

    it('lists a field’s active rules by priority', async () => {
      const res = await t.request('GET', rulesOf('orders', 'code'), { token: admin.token });
      expect(res.status).toBe(200);
      expect(res.body.map((r: { rule_type: string }) => r.rule_type)).toEqual([
        'not_empty',
        'max_length',
      ]);
      expect(
        (await t.request('GET', rulesOf('orders', 'nope'), { token: admin.token })).status,
      ).toBe(404);
      expect((await t.request('GET', rulesOf('orders', 'code'))).status).toBe(401);
      expect(
        (await t.request('GET', rulesOf('orders', 'code'), { token: outsider.token })).status,
      ).toBe(404);
    });

    it('gets one rule; unknown or malformed ids are 404', async () => {
      const res = await t.request('GET', `${base()}/rules/${ruleId}`, { token: admin.token });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: ruleId, rule_type: 'max_length' });
      for (const id of ['00000000-0000-0000-0000-000000000000', 'not-a-uuid']) {
        expect(
          (await t.request('GET', `${base()}/rules/${id}`, { token: admin.token })).status,
        ).toBe(404);
      }
    });

    it('updates config, message and priority; rechecks config', async () => {
      const res = await t.request('PATCH', `${base()}/rules/${ruleId}`, {
        token: admin.token,
        body: { config: { max: 8 }, error_message: 'Code too long', priority: 0 },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        config: { max: 8 },
        error_message: 'Code too long',
        priority: 0,
      });
      const bad = await t.request('PATCH', `${base()}/rules/${ruleId}`, {
        token: admin.token,
        body: { config: { max: -1 } },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].field).toBe('config.max');
      const unknown = await t.request('PATCH', `${base()}/rules/${ruleId}`, {
        token: admin.token,
        body: { rule_type: 'email' },
      });
      expect(unknown.status).toBe(400);
    });

    it('disables and re-enables a rule; disabled rules stop applying', async () => {
      expect((await validate('orders', { data: { code: '123456789' } })).body.valid).toBe(false);
      const off = await t.request('PATCH', `${base()}/rules/${ruleId}`, {
        token: admin.token,
        body: { is_active: false },
      });
      expect(off.body.is_active).toBe(false);
      expect((await validate('orders', { data: { code: '123456789' } })).body.valid).toBe(true);
      const listed = await t.request('GET', rulesOf('orders', 'code'), { token: admin.token });
      expect(listed.body.map((r: { id: string }) => r.id)).not.toContain(ruleId);
      const all = await t.request('GET', `${rulesOf('orders', 'code')}?include_inactive=true`, {
        token: admin.token,
      });
      expect(all.body.map((r: { id: string }) => r.id)).toContain(ruleId);
      await t.request('PATCH', `${base()}/rules/${ruleId}`, {
        token: admin.token,
        body: { is_active: true },
      });
      expect((await validate('orders', { data: { code: '123456789' } })).body.valid).toBe(false);
    });

    it('rules of another project are 404 to its non-members', async () => {
      const other = await createProject(t, outsider, 'Other');
      expect(
        (
          await t.request('GET', `/api/projects/${other.id}/validations/rules/${ruleId}`, {
            token: outsider.token,
          })
        ).status,
      ).toBe(404);
      expect(
        (
          await t.request('PATCH', `${base()}/rules/${ruleId}`, {
            token: outsider.token,
            body: { priority: 1 },
          })
        ).status,
      ).toBe(404);
      expect(
        (await t.request('DELETE', `${base()}/rules/${ruleId}`, { token: outsider.token })).status,
      ).toBe(404);
      expect((await t.request('DELETE', `${base()}/rules/${ruleId}`)).status).toBe(401);
    });

    it('deletes a rule (204), then 404', async () => {
      const res = await t.request('DELETE', `${base()}/rules/${ruleId}`, { token: admin.token });
      expect(res.status).toBe(204);
      expect((await validate('orders', { data: { code: '123456789' } })).body.valid).toBe(true);
      expect(
        (await t.request('DELETE', `${base()}/rules/${ruleId}`, { token: admin.token })).status,
      ).toBe(404);
    });

    it('deleting the field removes its rules', async () => {
      await addField(t, admin, pid, 'orders', { name: 'temp', field_type: 'string' });
      const id = (await addRule('orders', 'temp', { rule_type: 'not_empty' })).body.id;
      const del = await t.request(
        'DELETE',
        `/api/projects/${pid}/schema/collections/orders/fields/temp`,
        {
          token: admin.token,
        },
      );
      expect(del.status).toBe(204);
      expect((await t.request('GET', `${base()}/rules/${id}`, { token: admin.token })).status).toBe(
        404,
      );
      expect((await validate('orders', { data: { temp: '' } })).body.valid).toBe(true);
    });
  });

  describe('POST …/validate', () => {
    beforeAll(async () => {
      await createCollection(t, admin, pid, 'shipments');
      for (const [name, field_type] of [
        ['email', 'string'],
        ['weight', 'float'],
        ['status', 'string'],
        ['tracking', 'string'],
      ]) {
        await addField(t, admin, pid, 'shipments', { name, field_type });
      }
      await addRule('shipments', 'email', { rule_type: 'email', priority: 1 });
      await addRule('shipments', 'weight', { rule_type: 'range', config: { min: 0, max: 100 } });
      await addRule('shipments', 'status', {
        rule_type: 'enum',
        config: { values: ['new', 'shipped'] },
        error_message: 'Pick a status',
      });
      await addRule('shipments', 'tracking', {
        rule_type: 'required_if',
        config: { field: 'status', equals: 'shipped' },
      });
      await addRule('shipments', 'tracking', {
        rule_type: 'regex',
        config: { pattern: '^[A-Z]{2}\\d{6}$' },
      });
    });

    it('200 valid for a good payload', async () => {
      const res = await validate('shipments', {
        data: { email: 'a@b.io', weight: 12.5, status: 'shipped', tracking: 'AB123456' },
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ valid: true, is_valid: true, errors: [] });
    });

    it('200 with every failure, in priority order, custom messages kept', async () => {
      const res = await validate('shipments', {
        data: { email: 'nope', weight: 101, status: 'lost' },
      });
      expect(res.status).toBe(200);
      expect(res.body.valid).toBe(false);
      expect(res.body.errors).toEqual([
        { field: 'weight', rule: 'range', message: 'Must be between 0 and 100' },
        { field: 'status', rule: 'enum', message: 'Pick a status' },
        { field: 'email', rule: 'email', message: 'Invalid email format' },
      ]);
    });

    it('required_if: on create, and on update against the stored record', async () => {
      const create = await validate('shipments', { data: { status: 'shipped' } });
      expect(create.body.errors).toEqual([
        { field: 'tracking', rule: 'required_if', message: 'Required when status is shipped' },
      ]);
      const update = await validate('shipments', {
        data: { status: 'shipped' },
        mode: 'update',
        existing: { tracking: 'ZZ000001' },
      });
      expect(update.body.valid).toBe(true);
    });

    it('stays fast on a hostile value for a regex rule', async () => {
      const started = Date.now();
      const res = await validate('shipments', { data: { tracking: `${'A'.repeat(9999)}!` } });
      expect(res.status).toBe(200);
      expect(res.body.valid).toBe(false);
      expect(Date.now() - started).toBeLessThan(3000);
    });

    it('400 without data, 404 for an unknown collection, 401/404 for strangers', async () => {
      expect((await validate('shipments', {})).status).toBe(400);
      expect((await validate('shipments', { data: [] })).status).toBe(400);
      expect((await validate('shipments', { data: {}, mode: 'upsert' })).status).toBe(400);
      expect((await validate('nope', { data: {} })).status).toBe(404);
      const path = `${base()}/collections/shipments/validate`;
      expect((await t.request('POST', path, { body: { data: {} } })).status).toBe(401);
      expect(
        (await t.request('POST', path, { token: outsider.token, body: { data: {} } })).status,
      ).toBe(404);
    });
  });
});
