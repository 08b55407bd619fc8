import { randomUUID } from 'node:crypto';
import { createTestApp, type TestApp } from './setup/test-app';
import { createAdmin, createProject, type TestAdmin } from './factories/admin.factory';
import { addField, createCollection, schemaOf } from './factories/schema.factory';
import { CatalogService } from '../src/modules/catalog/catalog.service';
import { PolicyDecisionsService } from '../src/modules/policies/policy-decisions.service';
import { CacheSyncService } from '../src/modules/cache-sync/cache-sync.service';
import type { AccessContext, DataPrincipal } from '../src/modules/access/access-context';

describe('policies', () => {
  let t: TestApp;
  let admin: TestAdmin;
  let outsider: TestAdmin;
  let pid: string;
  let userId: string;
  const base = (c = 'posts') => `/api/projects/${pid}/schema/collections/${c}/policies`;
  const create = (body: Record<string, unknown>, c = 'posts') =>
    t.request('POST', base(c), { token: admin.token, body });
  const explain = (qs: string) =>
    t.request('GET', `${base()}/explain?${qs}`, { token: admin.token });

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createAdmin(t);
    outsider = await createAdmin(t);
    pid = (await createProject(t, admin)).id;
    await createCollection(t, admin, pid, 'posts');
    await createCollection(t, admin, pid, 'notes');
    await addField(t, admin, pid, 'posts', { name: 'title', field_type: 'string' });
    await addField(t, admin, pid, 'posts', { name: 'qty', field_type: 'int' });
    await addField(t, admin, pid, 'posts', { name: 'published', field_type: 'bool' });
    await addField(t, admin, pid, 'posts', { name: 'tier', field_type: 'string' });
    await addField(t, admin, pid, 'posts', { name: 'due', field_type: 'datetime' });
    await addField(t, admin, pid, 'posts', {
      name: 'internal',
      field_type: 'string',
      is_hidden: true,
    });
    userId = randomUUID();
    await t.query(
      `INSERT INTO ${schemaOf(pid)}._users (id, email, is_email_verified) VALUES ($1, $2, true)`,
      [userId, 'u1@example.com'],
    );
  });
  afterAll(() => t.close());

  describe('auth', () => {
    it('401 without a token, 404 for non-members and unknown collections', async () => {
      expect((await t.request('GET', base())).status).toBe(401);
      expect((await t.request('POST', base(), { body: {} })).status).toBe(401);
      expect((await t.request('GET', base(), { token: outsider.token })).status).toBe(404);
      expect(
        (
          await t.request('POST', base(), {
            token: outsider.token,
            body: { name: 'x', action: 'read' },
          })
        ).status,
      ).toBe(404);
      expect((await t.request('GET', base('nope'), { token: admin.token })).status).toBe(404);
      expect((await create({ name: 'x', action: 'read' }, 'nope')).status).toBe(404);
      expect((await explain('action=list')).status).toBe(200);
      expect(
        (await t.request('GET', `${base()}/explain?action=list`, { token: outsider.token })).status,
      ).toBe(404);
    });
  });

  describe('POST', () => {
    it('creates with defaults and returns the original shape plus condition and field lists', async () => {
      const res = await create({ name: 'public read', action: 'read' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        name: 'public read',
        action: 'read',
        effect: 'allow',
        condition_json: null,
        condition: null,
        is_active: true,
        priority: 0,
        allowed_principals: 'admin_user,api_key',
        require_email_verified: false,
        allowed_roles: null,
        read_fields: null,
        write_fields: null,
      });
      for (const k of ['id', 'collection_id', 'created_at', 'updated_at'])
        expect(res.body[k]).toBeTruthy();
    });

    it('takes condition_json text and returns both forms', async () => {
      const res = await create({
        name: 'owner',
        action: 'update',
        condition_json: '{"created_by_app_user_id":"$current_user_id"}',
        allowed_principals: 'app_user, api_key',
        allowed_roles: 'editor,admin',
      });
      expect(res.status).toBe(201);
      expect(res.body.condition).toEqual({ created_by_app_user_id: '$current_user_id' });
      expect(JSON.parse(res.body.condition_json)).toEqual(res.body.condition);
      expect(res.body.allowed_principals).toBe('app_user,api_key');
      expect(res.body.allowed_roles).toBe('editor,admin');
    });

    it('takes a condition object and arrays for principals and roles', async () => {
      const res = await create({
        name: 'console form',
        action: 'list',
        effect: 'deny',
        priority: 5,
        condition: { qty: { $gt: 3, $lte: 10 }, $or: [{ published: true }, { title: null }] },
        allowed_principals: ['app_user', 'anonymous'],
        allowed_roles: ['viewer'],
        read_fields: ['title', 'qty', 'created_at'],
        write_fields: [],
      });
      expect(res.status).toBe(201);
      expect(res.body.allowed_principals).toBe('app_user,anonymous');
      expect(res.body.allowed_roles).toBe('viewer');
      expect(res.body.read_fields).toEqual(['title', 'qty', 'created_at']);
      expect(res.body.write_fields).toEqual([]);
      expect(JSON.parse(res.body.condition_json)).toEqual(res.body.condition);
    });

    it.each([
      ['original owner', { type: 'owner' }],
      [
        'original app_user_owner with field',
        { type: 'app_user_owner', field: 'created_by_app_user_id' },
      ],
      ['original field_equals', { type: 'field_equals', field: 'title', value: 'x' }],
      [
        'original field_equals principal ref',
        { type: 'field_equals', field: 'tier', value: 'principal.email' },
      ],
      [
        'original and/or/not',
        {
          type: 'and',
          conditions: [
            { type: 'authenticated' },
            { type: 'not', condition: { type: 'or', conditions: [{ type: 'owner' }] } },
          ],
        },
      ],
      ['system column', { created_at: { $lt: '$now' } }],
      ['roles variable', { tier: { $in: '$current_user_roles' } }],
      [
        'every op',
        {
          title: {
            $eq: 'a',
            $neq: 'b',
            $gt: 'a',
            $gte: 'a',
            $lt: 'z',
            $lte: 'z',
            $in: ['a'],
            $nin: ['b'],
            $contains: 'x',
            $startswith: 'x',
            $endswith: 'x',
            $isnull: false,
          },
        },
      ],
      ['$not', { $not: { published: false } }],
      ['datetime $now', { due: { $gte: '$now' } }],
      ['email variable', { title: '$current_user_email' }],
    ])('accepts %s', async (_label, condition) => {
      const res = await create({ name: 'ok', action: 'read', condition });
      expect(res.status).toBe(201);
      expect(res.body.condition).toEqual(condition);
    });

    it.each([
      [
        "the docs' owner_field form",
        '{"owner_field":"created_by_app_user_id"}',
        'condition.owner_field',
      ],
      ['a JSON array', '[]', 'condition'],
      ['a JSON string', '"x"', 'condition'],
      ['invalid JSON', '{nope', 'condition_json'],
      ['an unknown type', '{"type":"admin_only"}', 'condition.type'],
      [
        'an unknown nested type',
        '{"type":"and","conditions":[{"type":"authenticated"},{"type":"weird"}]}',
        'condition.conditions[1].type',
      ],
      ['an extra key on a typed condition', '{"type":"owner","owner_field":"x"}', 'condition'],
      ['an empty object', '{}', 'condition'],
      ['an unknown field', '{"nope":1}', 'condition.nope'],
      ['an unknown operator', '{"title":{"$regex":"a"}}', 'condition.title.$regex'],
      ['an unknown top-level operator', '{"$where":"1"}', 'condition.$where'],
      ['a wrong value type', '{"qty":"abc"}', 'condition.qty'],
      ['an operator the type lacks', '{"published":{"$gt":true}}', 'condition.published.$gt'],
      ['a user id on an int', '{"qty":"$current_user_id"}', 'condition.qty'],
      ['an unknown variable', '{"title":"$current_tenant"}', 'condition.title'],
      ['$in without a list', '{"qty":{"$in":5}}', 'condition.qty.$in'],
      ['roles with $eq', '{"tier":"$current_user_roles"}', 'condition.tier'],
      ['an empty $and', '{"$and":[]}', 'condition.$and'],
      ['a nested object value', '{"title":{"a":1}}', 'condition.title.a'],
      ['$isnull with text', '{"title":{"$isnull":"yes"}}', 'condition.title.$isnull'],
      ['a hidden field (§9.5)', '{"internal":"x"}', 'condition.internal'],
      [
        'a hidden field by type',
        '{"type":"field_equals","field":"internal","value":"x"}',
        'condition.field',
      ],
    ])('rejects %s with 400 and errors', async (_label, text, field) => {
      const res = await create({ name: 'bad', action: 'read', condition_json: text });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('rejects conditions nested too deep', async () => {
      let c: Record<string, unknown> = { title: 'x' };
      for (let i = 0; i < 12; i += 1) c = { $not: c };
      expect((await create({ name: 'deep', action: 'read', condition: c })).status).toBe(400);
    });

    it('rejects condition and condition_json that disagree', async () => {
      const res = await create({
        name: 'x',
        action: 'read',
        condition: { title: 'a' },
        condition_json: '{"title":"b"}',
      });
      expect(res.status).toBe(400);
      const same = await create({
        name: 'x',
        action: 'read',
        condition: { title: 'a' },
        condition_json: '{"title":"a"}',
      });
      expect(same.status).toBe(201);
    });

    it.each([
      [{ name: 'x', action: 'write' }, 'Invalid action. Must be one of'],
      [{ name: 'x', action: 'read', effect: 'maybe' }, 'Invalid effect. Must be one of'],
      [
        { name: 'x', action: 'read', allowed_principals: 'app_user,root' },
        "Invalid principal 'root'",
      ],
      [{ name: 'x', action: 'read', allowed_principals: [1] }, 'allowed_principals'],
      [{ name: 'x', action: 'read', allowed_roles: 'a b' }, "Invalid role name 'a b'"],
      [{ name: 'x', action: 'read', read_fields: ['nope'] }, "Unknown field 'nope'"],
      [{ name: 'x', action: 'read', read_fields: ['internal'] }, "Field 'internal' is hidden"],
      [{ name: 'x', action: 'create', write_fields: ['internal'] }, "Field 'internal' is hidden"],
      [{ name: '', action: 'read' }, 'name'],
      [{ action: 'read' }, 'name'],
      [{ name: 'x', action: 'read', bogus: 1 }, 'Unknown field: bogus'],
      [{ name: 'x', action: 'read', priority: 'high' }, 'priority'],
    ])('rejects %j', async (body, detail) => {
      const res = await create(body);
      expect(res.status).toBe(400);
      expect(res.body.detail).toContain(detail);
    });
  });

  describe('GET / PATCH / DELETE', () => {
    let id: string;
    beforeAll(async () => {
      await t.request('POST', base('notes'), {
        token: admin.token,
        body: { name: 'low', action: 'read', priority: 1 },
      });
      id = (
        await t.request('POST', base('notes'), {
          token: admin.token,
          body: { name: 'high', action: 'read', priority: 9 },
        })
      ).body.id;
    });

    it('lists active policies by priority, highest first', async () => {
      const res = await t.request('GET', base('notes'), { token: admin.token });
      expect(res.status).toBe(200);
      expect(res.body.map((p: { name: string }) => p.name)).toEqual(['high', 'low']);
    });

    it('gets one; unknown and non-uuid ids are 404', async () => {
      expect(
        (await t.request('GET', `${base('notes')}/${id}`, { token: admin.token })).body.name,
      ).toBe('high');
      const missing = await t.request('GET', `${base('notes')}/${randomUUID()}`, {
        token: admin.token,
      });
      expect(missing.status).toBe(404);
      expect(missing.body.detail).toBe('Policy not found');
      expect((await t.request('GET', `${base('notes')}/abc`, { token: admin.token })).status).toBe(
        404,
      );
      // A policy of another collection is not reachable through this one.
      expect(
        (await t.request('GET', `${base('posts')}/${id}`, { token: admin.token })).status,
      ).toBe(404);
    });

    it('patches fields, toggles is_active, and hides inactive ones from the list', async () => {
      const res = await t.request('PATCH', `${base('notes')}/${id}`, {
        token: admin.token,
        body: {
          effect: 'deny',
          priority: 3,
          is_active: false,
          allowed_principals: ['app_user'],
          condition: { type: 'authenticated' },
          read_fields: ['id'],
        },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        effect: 'deny',
        priority: 3,
        is_active: false,
        allowed_principals: 'app_user',
        condition_json: '{"type":"authenticated"}',
        read_fields: ['id'],
        action: 'read',
      });
      const list = await t.request('GET', base('notes'), { token: admin.token });
      expect(list.body.map((p: { name: string }) => p.name)).toEqual(['low']);
      const all = await t.request('GET', `${base('notes')}?include_inactive=true`, {
        token: admin.token,
      });
      expect(all.body.map((p: { name: string }) => p.name)).toEqual(['high', 'low']);
      expect(
        (await t.request('GET', `${base('notes')}/${id}`, { token: admin.token })).body.is_active,
      ).toBe(false);
      const cleared = await t.request('PATCH', `${base('notes')}/${id}`, {
        token: admin.token,
        body: { condition_json: null, is_active: true },
      });
      expect(cleared.body).toMatchObject({
        condition: null,
        condition_json: null,
        is_active: true,
      });
    });

    it('validates patches the same way; action cannot change', async () => {
      const patch = (body: Record<string, unknown>) =>
        t.request('PATCH', `${base('notes')}/${id}`, { token: admin.token, body });
      expect((await patch({ action: 'list' })).status).toBe(400);
      expect((await patch({ condition_json: '{"owner_field":"x"}' })).status).toBe(400);
      expect((await patch({ effect: 'nope' })).status).toBe(400);
      expect((await patch({ allowed_principals: 'god' })).status).toBe(400);
      expect(
        (
          await t.request('PATCH', `${base('notes')}/${randomUUID()}`, {
            token: admin.token,
            body: { priority: 1 },
          })
        ).status,
      ).toBe(404);
      expect(
        (
          await t.request('PATCH', `${base('notes')}/${id}`, {
            token: outsider.token,
            body: { priority: 1 },
          })
        ).status,
      ).toBe(404);
    });

    it('deletes (204), then 404', async () => {
      expect((await t.request('DELETE', `${base('notes')}/${id}`)).status).toBe(401);
      expect(
        (await t.request('DELETE', `${base('notes')}/${id}`, { token: outsider.token })).status,
      ).toBe(404);
      expect(
        (await t.request('DELETE', `${base('notes')}/${id}`, { token: admin.token })).status,
      ).toBe(204);
      expect(
        (await t.request('DELETE', `${base('notes')}/${id}`, { token: admin.token })).status,
      ).toBe(404);
    });
  });

  describe('explain', () => {
    let ownerId: string;
    beforeAll(async () => {
      await t.query(`DELETE FROM backendify.policies`);
      await create({
        name: 'block drafts',
        action: 'list',
        effect: 'deny',
        priority: 10,
        allowed_principals: 'app_user,anonymous',
        condition: { published: false },
      });
      await create({
        name: 'editors',
        action: 'list',
        priority: 5,
        allowed_principals: 'app_user',
        allowed_roles: 'editor',
      });
      ownerId = (
        await create({
          name: 'own rows',
          action: 'list',
          priority: 1,
          allowed_principals: 'app_user',
          condition: { type: 'owner' },
        })
      ).body.id;
      await create({ name: 'keys', action: 'list', allowed_principals: 'api_key' });
    });

    it('explains an app user: skipped role gate, owner row filter', async () => {
      const res = await explain(`action=list&as=app_user:${userId}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        action: 'list',
        decision: 'row_filter',
        status: 200,
        decided_by: null,
        principal: { kind: 'app_user', id: userId, roles: [], email_verified: true },
      });
      expect(
        res.body.steps.map((s: { name: string; result: string }) => [s.name, s.result]),
      ).toEqual([
        ['block drafts', 'matches_some_rows'],
        ['editors', 'skipped'],
        ['own rows', 'matches_some_rows'],
        ['keys', 'skipped'],
      ]);
      expect(res.body.steps[1].reason).toContain('editor');
      expect(res.body.steps[3].reason).toContain('allowed_principals');
      expect(res.body.row_filter).toBe(
        `(NOT ((published IS NOT NULL AND published = false)) AND created_by_app_user_id IS NOT NULL AND created_by_app_user_id = '${userId}')`,
      );
      expect(
        res.body.steps.find((s: { policy_id: string }) => s.policy_id === ownerId),
      ).toBeTruthy();
    });

    it('explains anonymous and API keys', async () => {
      const anon = await explain('action=list&as=anonymous');
      expect(anon.body).toMatchObject({ decision: 'row_filter', row_filter: 'FALSE' });
      const key = await explain('action=list&as=api_key');
      expect(key.body).toMatchObject({
        decision: 'allow_all',
        decided_by: { name: 'keys', effect: 'allow' },
      });
      const read = await explain('action=read&as=anonymous');
      expect(read.body).toMatchObject({ decision: 'deny', status: 401 });
      const keyRead = await explain('action=read&as=api_key');
      expect(keyRead.body).toMatchObject({ decision: 'deny', status: 403 });
      const adm = await explain('action=delete&as=admin');
      expect(adm.body).toMatchObject({ decision: 'allow_all' });
    });

    it('rejects bad queries', async () => {
      expect((await explain('as=anonymous')).status).toBe(400);
      expect((await explain('action=write')).status).toBe(400);
      expect((await explain('action=list&as=root')).status).toBe(400);
      expect((await explain(`action=list&as=app_user:${randomUUID()}`)).status).toBe(404);
      expect((await explain('action=list&as=app_user:not-a-uuid')).status).toBe(404);
    });
  });

  describe('PoliciesService (as the data layer calls it)', () => {
    const ctx = (principal: DataPrincipal): AccessContext => ({
      projectId: pid,
      principal,
      ip: null,
      userAgent: null,
    });
    const appUser = (roles: string[] = []): DataPrincipal => ({
      kind: 'app_user',
      userId,
      emailVerified: true,
      roles,
    });

    it('applies policy changes at once (cache invalidated)', async () => {
      const svc = t.app.get(PolicyDecisionsService);
      const catalog = t.app.get(CatalogService);
      const meta = async () => (await catalog.collectionByName(pid, 'notes')).meta;
      await t.query(
        `DELETE FROM backendify.policies WHERE collection_id = (SELECT id FROM backendify.collections WHERE project_id = $1 AND name = 'notes')`,
        [pid],
      );
      t.app.get(CacheSyncService).dropLocal('policies', pid);
      await expect(svc.decide(ctx(appUser()), await meta(), 'list')).rejects.toMatchObject({
        status: 403,
        detail: 'Permission denied for action: list. No policy allows app_user list on notes',
      });
      await expect(
        svc.decide(ctx({ kind: 'anonymous' }), await meta(), 'list'),
      ).rejects.toMatchObject({
        status: 401,
        detail: 'Authentication required. No policy allows anonymous list on notes',
      });
      expect(
        (
          await svc.decide(
            ctx({ kind: 'api_key', keyId: 'k', keyKind: 'public' }),
            await meta(),
            'list',
          )
        ).rowFilter,
      ).toBeNull();
      const created = await t.request('POST', base('notes'), {
        token: admin.token,
        body: {
          name: 'mine',
          action: 'list',
          allowed_principals: 'app_user',
          condition: { type: 'owner' },
        },
      });
      expect((await svc.decide(ctx(appUser()), await meta(), 'list')).rowFilter).toEqual({
        kind: 'and',
        children: [
          { kind: 'cond', field: 'created_by_app_user_id', op: 'isnull', value: false },
          { kind: 'cond', field: 'created_by_app_user_id', op: 'eq', value: userId },
        ],
      });
      // API keys lose actions without an explicit policy once any policy exists.
      await expect(
        svc.decide(ctx({ kind: 'api_key', keyId: 'k', keyKind: 'public' }), await meta(), 'list'),
      ).rejects.toMatchObject({ status: 403 });
      await t.request('PATCH', `${base('notes')}/${created.body.id}`, {
        token: admin.token,
        body: { condition: null, read_fields: ['id'] },
      });
      expect(await svc.decide(ctx(appUser()), await meta(), 'list')).toEqual({
        rowFilter: null,
        // App users keep seeing who wrote a row whatever the list says (only anonymous callers lose it).
        readableFields: new Set(['id', 'created_by_user_id', 'created_by_app_user_id']),
        writableFields: null,
      });
      expect(
        await svc.decide(
          ctx({ kind: 'admin', userId: admin.id, role: 'owner' }),
          await meta(),
          'list',
        ),
      ).toEqual({ rowFilter: null, readableFields: null, writableFields: null });
    });

    it('allows evaluates one row in memory; role gates use app-user roles', async () => {
      const svc = t.app.get(PolicyDecisionsService);
      const meta = (await t.app.get(CatalogService).collectionByName(pid, 'posts')).meta;
      await t.request('POST', base(), {
        token: admin.token,
        body: {
          name: 'writers create own',
          action: 'create',
          allowed_principals: 'app_user',
          allowed_roles: 'writer',
          condition: { created_by_app_user_id: '$current_user_id', title: { $startswith: 'ok' } },
        },
      });
      const row = { title: 'ok post', created_by_app_user_id: userId };
      expect(await svc.allows(ctx(appUser(['writer'])), meta, 'create', row)).toBe(true);
      expect(await svc.allows(ctx(appUser([])), meta, 'create', row)).toBe(false);
      expect(
        await svc.allows(
          ctx({ kind: 'admin', userId: admin.id, role: 'owner' }),
          meta,
          'create',
          {},
        ),
      ).toBe(true);
      expect(
        await svc.allows(ctx(appUser(['writer'])), meta, 'create', { ...row, title: 'no' }),
      ).toBe(false);
      expect(await svc.allows(ctx({ kind: 'anonymous' }), meta, 'create', row)).toBe(false);
    });

    it('resolves $current_user_email from _users', async () => {
      const svc = t.app.get(PolicyDecisionsService);
      const meta = (await t.app.get(CatalogService).collectionByName(pid, 'posts')).meta;
      await t.request('POST', base(), {
        token: admin.token,
        body: {
          name: 'by email',
          action: 'read',
          priority: 50,
          allowed_principals: 'app_user',
          condition: { tier: '$current_user_email' },
        },
      });
      const f = (await svc.decide(ctx(appUser()), meta, 'read')).rowFilter;
      expect(JSON.stringify(f)).toContain('u1@example.com');
    });
  });

  describe('in plain words (14.7)', () => {
    const data = (c: string) => `/api/projects/${pid}/data/${c}`;
    let seq = 0;
    const register = async () => {
      seq += 1;
      const reg = await t.request('POST', `/api/projects/${pid}/auth/register`, {
        body: { email: `plain${seq}-${Date.now()}@example.com`, password: 'plain words password' },
      });
      if (reg.status !== 201) throw new Error(`register: ${reg.status} ${reg.text}`);
      const token = reg.body.access_token as string;
      const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as {
        sub: string;
      };
      return { token, id: claims.sub };
    };

    beforeAll(async () => {
      await createCollection(t, admin, pid, 'articles');
      await addField(t, admin, pid, 'articles', { name: 'title', field_type: 'string' });
    });

    it('a denial names the missing policy; code and status stay as they were', async () => {
      const anon = await t.request('GET', data('articles'));
      expect(anon.status).toBe(401);
      expect(anon.body).toMatchObject({
        code: 'UNAUTHENTICATED',
        detail: 'Authentication required. No policy allows anonymous list on articles',
      });
      const u = await register();
      const write = await t.request('POST', data('articles'), {
        token: u.token,
        body: { title: 'x' },
      });
      expect(write.status).toBe(403);
      expect(write.body).toMatchObject({
        code: 'FORBIDDEN',
        detail:
          'Permission denied for action: create. No policy allows app_user create on articles',
      });
      // A list policy for anonymous callers does not open reads of one row to app users.
      expect(
        (
          await create(
            { name: 'anon list', action: 'list', allowed_principals: 'anonymous' },
            'articles',
          )
        ).status,
      ).toBe(201);
      const read = await t.request('GET', `${data('articles')}/1`, { token: u.token });
      expect(read.status).toBe(403);
      expect(read.body.detail).toBe(
        'Permission denied for action: read. No policy allows app_user read on articles',
      );
      const ex = await t.request(
        'GET',
        `${base('articles')}/explain?action=read&as=app_user:${u.id}`,
        { token: admin.token },
      );
      expect(ex.body.detail).toContain('No policy allows app_user read on articles');
    });

    it('anonymous callers do not see who wrote a row unless read_fields names it', async () => {
      const u = await register();
      await create(
        { name: 'users write', action: 'create', allowed_principals: 'app_user' },
        'articles',
      );
      await create(
        { name: 'users list', action: 'list', allowed_principals: 'app_user' },
        'articles',
      );
      const made = await t.request('POST', data('articles'), {
        token: u.token,
        body: { title: 'hello' },
      });
      expect(made.status).toBe(201);
      expect(made.body.created_by_app_user_id).toBe(u.id);

      const anon = await t.request('GET', data('articles'));
      expect(anon.status).toBe(200);
      expect(anon.body.records[0]).toMatchObject({ title: 'hello' });
      expect(anon.body.records[0]).toHaveProperty('id');
      expect(anon.body.records[0]).toHaveProperty('created_at');
      expect(anon.body.records[0]).not.toHaveProperty('created_by_app_user_id');
      expect(anon.body.records[0]).not.toHaveProperty('created_by_user_id');
      // Nor can they filter on it (no oracle), while app users still see and filter it.
      const probe = await t.request('GET', `${data('articles')}?created_by_app_user_id=${u.id}`);
      expect(probe.status).toBe(400);
      const mine = await t.request('GET', `${data('articles')}?created_by_app_user_id=${u.id}`, {
        token: u.token,
      });
      expect(mine.status).toBe(200);
      expect(mine.body.records[0].created_by_app_user_id).toBe(u.id);

      const list = await t.request('GET', base('articles'), { token: admin.token });
      const anonList = (list.body as { id: string; name: string }[]).find(
        (p) => p.name === 'anon list',
      )!;
      const chosen = await t.request('PATCH', `${base('articles')}/${anonList.id}`, {
        token: admin.token,
        body: { read_fields: ['title', 'created_by_app_user_id'] },
      });
      expect(chosen.status).toBe(200);
      expect(chosen.body.read_fields).toEqual(['title', 'created_by_app_user_id']);
      const named = await t.request('GET', data('articles'));
      expect(named.body.records[0].created_by_app_user_id).toBe(u.id);
      expect(named.body.records[0]).not.toHaveProperty('created_by_user_id');
    });

    it("GET /policies lists every collection's policies, by role if asked", async () => {
      await create(
        {
          name: 'editors update',
          action: 'update',
          allowed_principals: 'app_user',
          allowed_roles: 'copyeditor,chief',
        },
        'articles',
      );
      await create(
        { name: 'editors notes', action: 'list', allowed_roles: ['copyeditor'] },
        'notes',
      );
      await create({ name: 'anyone reads', action: 'read', allowed_principals: 'anonymous' });
      const all = await t.request('GET', `/api/projects/${pid}/policies`, { token: admin.token });
      expect(all.status).toBe(200);
      const names = (all.body as { name: string; collection: string }[]).map(
        (p) => `${p.collection}/${p.name}`,
      );
      expect(names).toEqual(
        expect.arrayContaining([
          'articles/editors update',
          'notes/editors notes',
          'posts/anyone reads',
        ]),
      );
      const editor = await t.request('GET', `/api/projects/${pid}/policies?role=copyeditor`, {
        token: admin.token,
      });
      expect(editor.status).toBe(200);
      expect(
        (editor.body as { name: string; collection: string }[])
          .map((p) => `${p.collection}/${p.name}`)
          .sort(),
      ).toEqual(['articles/editors update', 'notes/editors notes']);
      expect(editor.body[0]).toMatchObject({
        allowed_roles: expect.stringContaining('copyeditor'),
      });
      const chief = await t.request('GET', `/api/projects/${pid}/policies?role=chief`, {
        token: admin.token,
      });
      expect((chief.body as { name: string }[]).map((p) => p.name)).toEqual(['editors update']);
      const bad = await t.request('GET', `/api/projects/${pid}/policies?role=a,b`, {
        token: admin.token,
      });
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
      expect(
        (await t.request('GET', `/api/projects/${pid}/policies`, { token: outsider.token })).status,
      ).toBe(404);
      expect((await t.request('GET', `/api/projects/${pid}/policies`)).status).toBe(401);
    });
  });
});
