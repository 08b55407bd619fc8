import { randomBytes } from 'node:crypto';
import { createTestApp, type HttpResult, type TestApp } from './setup/test-app';
import { createAdmin, createProject, type TestAdmin } from './factories/admin.factory';
import { addField, createCollection } from './factories/schema.factory';

/**
 * DESIGN §5 member roles on every route: viewer reads only; developer also writes data, schema,
 * policies and validations; admin also manages app users, API keys and settings; owner also
 * manages members and deletes the project.
 */
const ROLES = ['viewer', 'developer', 'admin', 'owner'] as const;
type Role = (typeof ROLES)[number];
const RANK: Record<Role, number> = { viewer: 1, developer: 2, admin: 3, owner: 4 };
const uniq = () => randomBytes(3).toString('hex');

describe('member roles on every route', () => {
  let t: TestApp;
  let owner: TestAdmin;
  let pid: string;
  const members = {} as Record<Role, TestAdmin>;
  let appUserId: string;

  const addMember = async (projectId: string, who: TestAdmin, role: Role) => {
    // Straight into the table: this spec is about what a role may do, not how one joins.
    await t.query(
      `INSERT INTO backendify.memberships (user_id, project_id, role) VALUES ($1, $2, $3)`,
      [who.id, projectId, role],
    );
  };
  const as = (role: Role) => members[role].token;
  const data = (c: string, rest = '') => `/api/projects/${pid}/data/${c}${rest}`;
  const seed = async (title = 'seed'): Promise<string> => {
    const res = await t.request('POST', data('items'), { token: owner.token, body: { title } });
    expect(res.status).toBe(201);
    return String(res.body.id);
  };
  const titleOf = async (id: string) =>
    (await t.request('GET', data('items', `/${id}`), { token: owner.token })).body?.title;

  beforeAll(async () => {
    t = await createTestApp();
    owner = await createAdmin(t);
    pid = (await createProject(t, owner)).id;
    members.owner = owner;
    for (const role of ['viewer', 'developer', 'admin'] as const) {
      members[role] = await createAdmin(t);
      await addMember(pid, members[role], role);
    }
    await createCollection(t, owner, pid, 'items');
    await addField(t, owner, pid, 'items', { name: 'title', field_type: 'string' });
    await addField(t, owner, pid, '_users', { name: 'nickname', field_type: 'string' });
    const user = await t.request('POST', `/api/projects/${pid}/settings/auth/users`, {
      token: owner.token,
      body: { email: 'victim@example.com', password: 'victim password 1' },
    });
    expect(user.status).toBe(201);
    appUserId = user.body.id;
  });
  afterAll(() => t.close());

  describe('data routes: every role × every verb', () => {
    interface DataCase {
      verb: string;
      need: Role;
      ok: number;
      run: (token: string) => Promise<{ res: HttpResult; unchanged?: () => Promise<void> }>;
    }
    const cases: DataCase[] = [
      {
        verb: 'list',
        need: 'viewer',
        ok: 200,
        run: async (token) => ({ res: await t.request('GET', data('items'), { token }) }),
      },
      {
        verb: 'get',
        need: 'viewer',
        ok: 200,
        run: async (token) => ({
          res: await t.request('GET', data('items', `/${await seed()}`), { token }),
        }),
      },
      {
        verb: 'export',
        need: 'viewer',
        ok: 200,
        run: async (token) => ({
          res: await t.request('GET', data('items', '/export?format=json'), { token }),
        }),
      },
      {
        verb: 'create',
        need: 'developer',
        ok: 201,
        run: async (token) => {
          const title = `c-${uniq()}`;
          const res = await t.request('POST', data('items'), { token, body: { title } });
          return { res, unchanged: async () => expect(await countOf(title)).toBe(0) };
        },
      },
      {
        verb: 'update',
        need: 'developer',
        ok: 200,
        run: async (token) => {
          const id = await seed('before');
          const res = await t.request('PATCH', data('items', `/${id}`), {
            token,
            body: { title: 'after' },
          });
          return { res, unchanged: async () => expect(await titleOf(id)).toBe('before') };
        },
      },
      {
        verb: 'delete',
        need: 'developer',
        ok: 204,
        run: async (token) => {
          const id = await seed();
          const res = await t.request('DELETE', data('items', `/${id}`), { token });
          return { res, unchanged: async () => expect(await titleOf(id)).toBe('seed') };
        },
      },
      {
        verb: 'bulk',
        need: 'developer',
        ok: 200,
        run: async (token) => {
          const [a, b] = [await seed('before'), await seed()];
          const res = await t.request('POST', data('items', '/bulk'), {
            token,
            body: { update: [{ id: a, title: 'after' }], delete: [b] },
          });
          return {
            res,
            unchanged: async () => {
              expect(await titleOf(a)).toBe('before');
              expect(await titleOf(b)).toBe('seed');
            },
          };
        },
      },
      {
        verb: 'import',
        need: 'developer',
        ok: 200,
        run: async (token) => {
          const title = `i-${uniq()}`;
          const res = await t.request('POST', data('items', '/import'), {
            token,
            body: [{ title }],
          });
          return { res, unchanged: async () => expect(await countOf(title)).toBe(0) };
        },
      },
    ];
    const countOf = async (title: string) =>
      (await t.request('GET', `${data('items')}?title=${title}`, { token: owner.token })).body
        .total;

    const table = ROLES.flatMap((role) => cases.map((c) => [role, c.verb, c] as const));
    it.each(table)('%s: %s', async (role, _verb, c) => {
      const { res, unchanged } = await c.run(as(role));
      if (RANK[role] >= RANK[c.need]) {
        expect(res.status).toBe(c.ok);
      } else {
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('FORBIDDEN');
        expect(res.body.detail).toContain(`${c.need} role`);
        await unchanged?.();
      }
    });
  });

  describe('_users system fields and rows change only through the app-user routes', () => {
    const users = (rest = '') => data('_users', rest);
    const emailOf = async () =>
      (
        await t.request('GET', `/api/projects/${pid}/settings/auth/users/${appUserId}`, {
          token: owner.token,
        })
      ).body.email;

    it.each(ROLES)('%s cannot take over an app user by changing its email', async (role) => {
      const res = await t.request('PATCH', users(`/${appUserId}`), {
        token: as(role),
        body: { email: `attacker-${role}@example.com` },
      });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
      if (RANK[role] >= RANK.developer) {
        expect(res.body.detail).toContain('settings/auth/users');
        expect(res.body.errors[0]).toMatchObject({ field: 'email', rule: 'system_field' });
      }
      expect(await emailOf()).toBe('victim@example.com');
    });

    it.each([
      [{ password_hash: 'x' }],
      [{ is_email_verified: true }],
      [{ is_disabled: true }],
      [{ id: '00000000-0000-4000-8000-000000000000' }],
    ])('no role writes %j through the data API', async (body) => {
      for (const role of ROLES) {
        const res = await t.request('PATCH', users(`/${appUserId}`), { token: as(role), body });
        expect(res.status).toBe(403);
      }
      // In a bulk update `id` names the row, so only the other fields are tried there.
      if ('id' in body) return;
      const bulk = await t.request('POST', users('/bulk'), {
        token: owner.token,
        body: { update: [{ id: appUserId, ...body }] },
      });
      expect(bulk.status).toBe(403);
    });

    it('no role creates, imports or deletes app users through the data API', async () => {
      for (const role of ROLES) {
        const token = as(role);
        const created = await t.request('POST', users(), {
          token,
          body: { email: `new-${role}@example.com` },
        });
        expect(created.status).toBe(403);
        const imported = await t.request('POST', users('/import'), {
          token,
          body: [{ email: `imp-${role}@example.com` }],
        });
        expect(imported.status).toBe(403);
        expect((await t.request('DELETE', users(`/${appUserId}`), { token })).status).toBe(403);
        const bulk = await t.request('POST', users('/bulk'), {
          token,
          body: { delete: [appUserId] },
        });
        expect(bulk.status).toBe(403);
      }
      expect(await emailOf()).toBe('victim@example.com');
      const list = await t.request('GET', users(), { token: owner.token });
      expect(list.body.total).toBe(1);
    });

    it.each(ROLES)('%s writes admin-added _users fields only from developer up', async (role) => {
      const nickname = `n-${role}`;
      const one = await t.request('PATCH', users(`/${appUserId}`), {
        token: as(role),
        body: { nickname },
      });
      const bulk = await t.request('POST', users('/bulk'), {
        token: as(role),
        body: { update: [{ id: appUserId, nickname: `${nickname}-bulk` }] },
      });
      if (RANK[role] >= RANK.developer) {
        expect(one.status).toBe(200);
        expect(one.body.nickname).toBe(nickname);
        expect(bulk.status).toBe(200);
      } else {
        expect(one.status).toBe(403);
        expect(bulk.status).toBe(403);
      }
    });

    it('viewers read _users through the data API', async () => {
      const res = await t.request('GET', users(`/${appUserId}`), { token: as('viewer') });
      expect(res.status).toBe(200);
      expect(res.body.email).toBe('victim@example.com');
      expect(res.text).not.toContain('password_hash');
    });
  });

  describe('every other module: a read and a write per role', () => {
    interface RouteCase {
      name: string;
      need: Role;
      run: (token: string, role: Role) => Promise<HttpResult>;
    }
    const p = (rest: string) => `/api/projects/${pid}${rest}`;
    const collectionId = async (name: string) =>
      (await t.request('GET', p(`/schema/collections/${name}`), { token: owner.token })).body.id;
    const cases: RouteCase[] = [
      { name: 'GET project', need: 'viewer', run: (token) => t.request('GET', p(''), { token }) },
      {
        name: 'PATCH project (settings)',
        need: 'admin',
        run: (token) => t.request('PATCH', p(''), { token, body: { name: 'Renamed' } }),
      },
      {
        name: 'GET members',
        need: 'viewer',
        run: (token) => t.request('GET', p('/members'), { token }),
      },
      {
        name: 'PATCH a member',
        need: 'owner',
        run: (token) =>
          t.request('PATCH', p(`/members/${members.viewer.id}`), {
            token,
            body: { role: 'viewer' },
          }),
      },
      {
        name: 'GET collections',
        need: 'viewer',
        run: (token) => t.request('GET', p('/schema/collections'), { token }),
      },
      {
        name: 'POST collection',
        need: 'developer',
        run: (token, role) =>
          t.request('POST', p('/schema/collections'), {
            token,
            body: { name: `col_${role}`, display_name: role },
          }),
      },
      {
        name: 'GET fields',
        need: 'viewer',
        run: (token) => t.request('GET', p('/schema/collections/items/fields'), { token }),
      },
      {
        name: 'POST field',
        need: 'developer',
        run: (token, role) =>
          t.request('POST', p('/schema/collections/items/fields'), {
            token,
            body: { name: `f_${role}`, display_name: role, field_type: 'int' },
          }),
      },
      {
        name: 'GET relations',
        need: 'viewer',
        run: (token) => t.request('GET', p('/schema/relations'), { token }),
      },
      {
        name: 'POST relation',
        need: 'developer',
        run: async (token, role) =>
          t.request(
            'POST',
            p(`/schema/relations/collections/${await collectionId('items')}/relations`),
            {
              token,
              body: {
                name: `parent_${role}`,
                display_name: role,
                target_collection_id: await collectionId('items'),
                on_delete: 'SET NULL',
              },
            },
          ),
      },
      {
        name: 'GET validation rule types',
        need: 'viewer',
        run: (token) => t.request('GET', p('/validations/rule-types'), { token }),
      },
      {
        name: 'POST validation rule',
        need: 'developer',
        run: (token) =>
          t.request('POST', p('/validations/collections/items/fields/title/rules'), {
            token,
            body: { rule_type: 'max_length', config: { max: 1000 } },
          }),
      },
      {
        name: 'GET policies',
        need: 'viewer',
        run: (token) => t.request('GET', p('/schema/collections/items/policies'), { token }),
      },
      {
        name: 'POST policy',
        need: 'developer',
        run: (token, role) =>
          t.request('POST', p('/schema/collections/items/policies'), {
            token,
            body: {
              name: `p_${role}`,
              action: 'list',
              effect: 'allow',
              allowed_principals: 'app_user',
            },
          }),
      },
      {
        name: 'GET rbac roles',
        need: 'viewer',
        run: (token) => t.request('GET', p('/rbac/roles'), { token }),
      },
      {
        name: 'POST rbac role',
        need: 'developer',
        run: (token, role) =>
          t.request('POST', p('/rbac/roles'), { token, body: { name: `r_${role}` } }),
      },
      {
        name: 'POST rbac role to an app user',
        need: 'admin',
        run: async (token, role) => {
          const r = await t.request('POST', p('/rbac/roles'), {
            token: owner.token,
            body: { name: `grant_${role}` },
          });
          return t.request('POST', p(`/rbac/users/${appUserId}/roles`), {
            token,
            body: { role_ids: [r.body.id] },
          });
        },
      },
      {
        name: 'GET schema evolution aliases',
        need: 'viewer',
        run: (token) => t.request('GET', p('/schema/evolution/aliases'), { token }),
      },
      {
        name: 'POST schema evolution rename',
        need: 'developer',
        run: async (token, role) => {
          const c = await createCollection(t, owner, pid, `evo_${role}`);
          return t.request('POST', p(`/schema/evolution/collections/${c.id}/rename`), {
            token,
            body: { new_name: `evo_${role}_renamed` },
          });
        },
      },
      {
        name: 'GET schema-ops audit',
        need: 'viewer',
        run: (token) => t.request('GET', p('/audit/schema-ops'), { token }),
      },
      {
        name: 'GET auth settings',
        need: 'viewer',
        run: (token) => t.request('GET', p('/settings/auth'), { token }),
      },
      {
        name: 'PUT auth settings',
        need: 'admin',
        run: (token) =>
          t.request('PUT', p('/settings/auth'), { token, body: { enable_otp: true } }),
      },
      {
        name: 'GET app users',
        need: 'viewer',
        run: (token) => t.request('GET', p('/settings/auth/users'), { token }),
      },
      {
        name: 'POST app user',
        need: 'admin',
        run: (token, role) =>
          t.request('POST', p('/settings/auth/users'), {
            token,
            body: { email: `made-by-${role}@example.com`, password: 'a long password' },
          }),
      },
      {
        name: 'PATCH app user',
        need: 'admin',
        run: (token) =>
          t.request('PATCH', p(`/settings/auth/users/${appUserId}`), {
            token,
            body: { is_email_verified: true },
          }),
      },
      {
        name: 'GET app user sessions',
        need: 'admin',
        run: (token) =>
          t.request('GET', p(`/settings/auth/users/${appUserId}/sessions`), { token }),
      },
      {
        name: 'GET API keys',
        need: 'admin',
        run: (token) => t.request('GET', p('/api-keys'), { token }),
      },
      {
        name: 'POST API key',
        need: 'admin',
        run: (token, role) => t.request('POST', p('/api-keys'), { token, body: { name: role } }),
      },
      {
        name: 'GET mailbox',
        need: 'admin',
        run: (token) => t.request('GET', p('/mailbox'), { token }),
      },
      {
        name: 'DELETE project',
        need: 'owner',
        run: async (token, role) => {
          // A project of its own per role, so the owner's delete does not end the others' cases.
          const doomed = (await createProject(t, owner, `doomed ${role}`)).id;
          if (role !== 'owner') await addMember(doomed, members[role], role);
          return t.request('DELETE', `/api/projects/${doomed}`, { token });
        },
      },
    ];

    const table = ROLES.flatMap((role) => cases.map((c) => [role, c.name, c] as const));
    it.each(table)('%s: %s', async (role, _name, c) => {
      const res = await c.run(as(role), role);
      if (RANK[role] >= RANK[c.need]) {
        expect(res.status).toBeGreaterThanOrEqual(200);
        expect(res.status).toBeLessThan(300);
      } else {
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('FORBIDDEN');
      }
    });
  });
});
