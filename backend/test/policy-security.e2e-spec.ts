import { createTestApp, type TestApp } from './setup/test-app';
import { createAdmin, createProject, type TestAdmin } from './factories/admin.factory';
import { addField, createCollection, schemaOf } from './factories/schema.factory';

/** Issue 9 (9.5, 9.9, 9.11, 9.15) and 8.2: each case failed on the code before the fix. */
describe('policy security fixes', () => {
  let t: TestApp;
  let owner: TestAdmin;
  let pid: string;
  const data = (c: string) => `/api/projects/${pid}/data/${c}`;
  const policies = (c: string) => `/api/projects/${pid}/schema/collections/${c}/policies`;
  const policy = async (c: string, body: Record<string, unknown>) => {
    const res = await t.request('POST', policies(c), { token: owner.token, body });
    if (res.status !== 201) throw new Error(`policy: ${res.status} ${res.text}`);
    return res.body as { id: string };
  };
  let seq = 0;
  const appUser = async (verified: boolean) => {
    seq += 1;
    const email = `sec${seq}-${Date.now()}@example.com`;
    const reg = await t.request('POST', `/api/projects/${pid}/auth/register`, {
      body: { email, password: 'security password' },
    });
    if (reg.status !== 201) throw new Error(`register: ${reg.status} ${reg.text}`);
    await t.query(`UPDATE ${schemaOf(pid)}._users SET is_email_verified = $2 WHERE email = $1`, [
      email,
      verified,
    ]);
    return { token: reg.body.access_token as string, email };
  };

  beforeAll(async () => {
    t = await createTestApp();
    owner = await createAdmin(t);
    pid = (await createProject(t, owner)).id;
  });
  afterAll(() => t.close());

  describe('9.5 hidden and secret fields in policies', () => {
    it.each([
      [
        'a condition on _users.password_hash',
        { condition: { password_hash: { $startswith: '$' } } },
      ],
      [
        'an original-form condition on password_hash',
        { condition: { type: 'field_equals', field: 'password_hash', value: 'x' } },
      ],
      ['read_fields naming password_hash', { read_fields: ['email', 'password_hash'] }],
      ['write_fields naming password_hash', { write_fields: ['password_hash'] }],
    ])('refuses %s at save (400)', async (_label, extra) => {
      const res = await t.request('POST', policies('_users'), {
        token: owner.token,
        body: { name: 'probe', action: 'list', allowed_principals: 'app_user', ...extra },
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.detail).toContain('password_hash');
    });

    it('a stored condition on a hidden field fails closed: it never filters rows', async () => {
      await createCollection(t, owner, pid, 'vault');
      await addField(t, owner, pid, 'vault', { name: 'label', field_type: 'string' });
      await addField(t, owner, pid, 'vault', {
        name: 'pin',
        field_type: 'string',
        is_hidden: true,
      });
      await t.request('POST', data('vault'), {
        token: owner.token,
        body: { label: 'a', pin: '1234' },
      });
      const { id } = await policy('vault', {
        name: 'probe',
        action: 'list',
        allowed_principals: 'anonymous',
      });
      // As a policy saved before the rule existed.
      await t.query(`UPDATE backendify.policies SET condition = $2::jsonb WHERE id = $1`, [
        id,
        JSON.stringify({ pin: { $startswith: '1' } }),
      ]);
      await t.request('PATCH', `${policies('vault')}/${id}`, {
        token: owner.token,
        body: { priority: 1 },
      });
      const patched = await t.request('PATCH', `${policies('vault')}/${id}`, {
        token: owner.token,
        body: { condition: { pin: { $startswith: '1' } } },
      });
      expect(patched.status).toBe(400);
      const list = await t.request('GET', data('vault'));
      expect(list.status).toBe(200);
      expect(list.body.records).toEqual([]);
    });
  });

  describe('9.9 create and update policies are checked on the row as stored', () => {
    beforeAll(async () => {
      await createCollection(t, owner, pid, 'offers');
      await addField(t, owner, pid, 'offers', { name: 'title', field_type: 'string' });
      await addField(t, owner, pid, 'offers', { name: 'is_public', field_type: 'bool' });
      await addField(t, owner, pid, 'offers', {
        name: 'price',
        field_type: 'decimal',
        options: { precision: 10, scale: 2 },
      });
      const cond = { is_public: false, price: { $lt: 10 } };
      for (const action of ['create', 'update'])
        await policy('offers', {
          name: action,
          action,
          allowed_principals: 'anonymous',
          condition: cond,
        });
      await policy('offers', { name: 'list', action: 'list', allowed_principals: 'anonymous' });
    });
    const count = async () =>
      Number(
        (await t.query<{ n: string }>(`SELECT count(*) AS n FROM ${schemaOf(pid)}.offers`))[0].n,
      );

    it('single create: 9.999 is stored as 10.00 and so fails price < 10', async () => {
      const ok = await t.request('POST', data('offers'), {
        body: { title: 'ok', is_public: false, price: 9.99 },
      });
      expect(ok.status).toBe(201);
      const before = await count();
      const res = await t.request('POST', data('offers'), {
        body: { title: 'rounded', is_public: false, price: 9.999 },
      });
      expect(res.status).toBe(401);
      const json = await t.request('POST', data('offers'), {
        body: { title: 'public', is_public: true, price: 1 },
      });
      expect(json.status).toBe(401);
      expect(await count()).toBe(before);
    });

    it.each([['"TRUE"'], ['"1"'], ['TRUE']])(
      'CSV import: is_public %s is stored as true and fails is_public = false',
      async (cell) => {
        const before = await count();
        const res = await t.request('POST', `${data('offers')}/import`, {
          rawBody: `title,is_public,price\nfine,false,1\ncsv,${cell},1\n`,
          headers: { 'content-type': 'text/csv' },
        });
        expect(res.status).toBe(401);
        expect(await count()).toBe(before);
      },
    );

    it('JSON import and bulk create are checked on the stored rows, all or nothing', async () => {
      const before = await count();
      const imported = await t.request('POST', `${data('offers')}/import`, {
        body: [
          { title: 'a', is_public: false, price: 1 },
          { title: 'b', is_public: false, price: 9.996 },
        ],
      });
      expect(imported.status).toBe(401);
      const bulk = await t.request('POST', `${data('offers')}/bulk`, {
        body: {
          create: [
            { title: 'a', is_public: false, price: 1 },
            { title: 'b', is_public: false, price: 9.999 },
          ],
        },
      });
      expect(bulk.status).toBe(401);
      expect(bulk.body.detail).toContain('create[1]');
      expect(await count()).toBe(before);
      const good = await t.request('POST', `${data('offers')}/import`, {
        rawBody: `title,is_public,price\nx,false,2\ny,0,3\n`,
        headers: { 'content-type': 'text/csv' },
      });
      expect(good.status).toBe(200);
      expect(good.body).toEqual({ inserted: 2 });
    });

    it('update: the changed row as stored must still meet the policy; a failure changes nothing', async () => {
      const row = (
        await t.request('POST', data('offers'), {
          body: { title: 'u', is_public: false, price: 5 },
        })
      ).body;
      const res = await t.request('PATCH', `${data('offers')}/${row.id}`, {
        body: { price: 9.999 },
      });
      expect(res.status).toBe(401);
      const bulk = await t.request('POST', `${data('offers')}/bulk`, {
        body: { update: [{ id: row.id, is_public: true }] },
      });
      expect(bulk.status).toBe(401);
      const stored = await t.query(
        `SELECT price, is_public FROM ${schemaOf(pid)}.offers WHERE id = $1`,
        [row.id],
      );
      expect(stored[0]).toEqual({ price: '5.00', is_public: false });
      const ok = await t.request('PATCH', `${data('offers')}/${row.id}`, { body: { price: 9.5 } });
      expect(ok.status).toBe(200);
      expect(ok.body.price).toBe('9.50');
    });
  });

  describe('9.11 $current_user_email is set only for verified app users', () => {
    it('an unverified address matches nothing', async () => {
      await createCollection(t, owner, pid, 'invites');
      await addField(t, owner, pid, 'invites', { name: 'email', field_type: 'string' });
      const verified = await appUser(true);
      const unverified = await appUser(false);
      for (const email of [verified.email, unverified.email])
        await t.request('POST', data('invites'), { token: owner.token, body: { email } });
      await policy('invites', {
        name: 'own invite',
        action: 'list',
        allowed_principals: 'app_user',
        condition: { email: '$current_user_email' },
      });
      const mine = await t.request('GET', data('invites'), { token: verified.token });
      expect(mine.body.records.map((r: { email: string }) => r.email)).toEqual([verified.email]);
      const squatter = await t.request('GET', data('invites'), { token: unverified.token });
      expect(squatter.status).toBe(200);
      expect(squatter.body.records).toEqual([]);
    });
  });

  describe('9.15 collection-name oracle', () => {
    it('a missing collection answers exactly as one no policy admits', async () => {
      await createCollection(t, owner, pid, 'private_stuff');
      const u = await appUser(true);
      // The denial names the collection the caller asked for, and nothing else differs.
      const asked = (body: { detail: string }) => ({
        ...body,
        detail: body.detail.replace('no_such_collection', 'private_stuff'),
      });
      for (const headers of [{}, { token: u.token }]) {
        const existing = await t.request('GET', data('private_stuff'), headers);
        const missing = await t.request('GET', data('no_such_collection'), headers);
        expect([401, 403]).toContain(existing.status);
        expect(missing.status).toBe(existing.status);
        expect(missing.body.detail).toContain('on no_such_collection');
        expect(asked(missing.body)).toEqual(existing.body);
        const postMissing = await t.request('POST', data('no_such_collection'), {
          ...headers,
          body: {},
        });
        const postExisting = await t.request('POST', data('private_stuff'), {
          ...headers,
          body: {},
        });
        expect(postMissing.status).toBe(postExisting.status);
        expect(asked(postMissing.body)).toEqual(postExisting.body);
      }
      // Project members still see the truth.
      expect(
        (await t.request('GET', data('no_such_collection'), { token: owner.token })).status,
      ).toBe(404);
    });
  });

  describe('8.2 behaviour of the original', () => {
    beforeAll(async () => {
      await createCollection(t, owner, pid, 'memos');
      await addField(t, owner, pid, 'memos', { name: 'title', field_type: 'string' });
      await addField(t, owner, pid, 'memos', {
        name: 'secret',
        field_type: 'string',
        is_hidden: true,
      });
    });

    it('hidden fields are writable through the data API and never returned', async () => {
      const created = await t.request('POST', data('memos'), {
        token: owner.token,
        body: { title: 'a', secret: 's1' },
      });
      expect(created.status).toBe(201);
      expect(created.body).not.toHaveProperty('secret');
      const patched = await t.request('PATCH', `${data('memos')}/${created.body.id}`, {
        token: owner.token,
        body: { secret: 's2' },
      });
      expect(patched.status).toBe(200);
      expect(patched.body).not.toHaveProperty('secret');
      const stored = await t.query(`SELECT secret FROM ${schemaOf(pid)}.memos WHERE id = $1`, [
        created.body.id,
      ]);
      expect(stored[0].secret).toBe('s2');
      for (const path of [
        `${data('memos')}/${created.body.id}`,
        `${data('memos')}/export?format=json`,
        `${data('memos')}/export?format=csv`,
        data('memos'),
      ]) {
        const res = await t.request('GET', path, { token: owner.token });
        expect(res.status).toBe(200);
        expect(res.text).not.toContain('s2');
      }
      expect(
        (await t.request('GET', `${data('memos')}?secret=s2`, { token: owner.token })).status,
      ).toBe(400);
      // The password hash is no data field, hidden or not.
      const hash = await t.request('POST', data('_users'), {
        token: owner.token,
        body: { email: 'h@example.com', password_hash: 'x' },
      });
      // Refused before any write: `_users` rows change only through the app-user routes (9.1).
      expect(hash.status).toBe(403);
      expect(
        await t.query(`SELECT 1 FROM ${schemaOf(pid)}._users WHERE email = 'h@example.com'`),
      ).toHaveLength(0);
    });

    it('an unconditional deny that wins for list is 403, not an empty page', async () => {
      const u = await appUser(true);
      await policy('memos', { name: 'all', action: 'list', allowed_principals: 'app_user' });
      expect((await t.request('GET', data('memos'), { token: u.token })).status).toBe(200);
      await policy('memos', {
        name: 'blocked',
        action: 'list',
        effect: 'deny',
        priority: 10,
        allowed_principals: 'app_user',
      });
      const res = await t.request('GET', data('memos'), { token: u.token });
      expect(res.status).toBe(403);
      expect(res.body.detail).toBe(
        'Permission denied for action: list. No policy allows app_user list on memos',
      );
    });
  });
});
