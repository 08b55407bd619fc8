import { randomUUID } from 'node:crypto';
import { createTestApp, type TestApp } from './setup/test-app';
import { createAdmin, createProject, type TestAdmin } from './factories/admin.factory';
import { schemaOf } from './factories/schema.factory';
import { RbacService } from '../src/modules/rbac/rbac.service';

describe('rbac', () => {
  let t: TestApp;
  let admin: TestAdmin;
  let outsider: TestAdmin;
  let pid: string;
  let otherPid: string;
  let userId: string;
  const base = () => `/api/projects/${pid}/rbac`;
  const req = (method: string, path: string, body?: unknown) =>
    t.request(method, `${base()}${path}`, { token: admin.token, body });
  const newUser = async (projectId = pid) => {
    const id = randomUUID();
    await t.query(`INSERT INTO ${schemaOf(projectId)}._users (id, email) VALUES ($1, $2)`, [
      id,
      `${id}@example.com`,
    ]);
    return id;
  };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createAdmin(t);
    outsider = await createAdmin(t);
    pid = (await createProject(t, admin)).id;
    otherPid = (await createProject(t, admin, 'other')).id;
    userId = await newUser();
  });
  afterAll(() => t.close());

  it('needs an admin token (401) and membership (404) on every route', async () => {
    const rid = randomUUID();
    const routes: [string, string][] = [
      ['GET', '/roles'],
      ['POST', '/roles'],
      ['GET', `/roles/${rid}`],
      ['PATCH', `/roles/${rid}`],
      ['DELETE', `/roles/${rid}`],
      ['POST', '/initialize'],
      ['GET', `/users/${userId}/roles`],
      ['POST', `/users/${userId}/roles`],
      ['DELETE', `/users/${userId}/roles/${rid}`],
    ];
    for (const [method, path] of routes) {
      const body = method === 'GET' ? undefined : {};
      expect((await t.request(method, `${base()}${path}`, { body })).status).toBe(401);
      expect(
        (await t.request(method, `${base()}${path}`, { token: outsider.token, body })).status,
      ).toBe(404);
    }
    // Unknown project ids look the same as foreign ones.
    expect(
      (await t.request('GET', `/api/projects/${randomUUID()}/rbac/roles`, { token: admin.token }))
        .status,
    ).toBe(404);
  });

  describe('roles', () => {
    let editorId: string;

    it('creates a role (201) with the original shape', async () => {
      const res = await req('POST', '/roles', {
        name: 'editor',
        display_name: 'Editor',
        description: 'Edits posts',
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        project_id: pid,
        name: 'editor',
        display_name: 'Editor',
        description: 'Edits posts',
        is_default: false,
        is_system: false,
      });
      for (const k of ['id', 'created_at', 'updated_at']) expect(res.body[k]).toBeTruthy();
      editorId = res.body.id;
    });

    it('409 for a duplicate name in the same project; fine in another project', async () => {
      const dup = await req('POST', '/roles', { name: 'editor', display_name: 'Again' });
      expect(dup.status).toBe(409);
      expect(dup.body.detail).toBe("Role 'editor' already exists in this project");
      const other = await t.request('POST', `/api/projects/${otherPid}/rbac/roles`, {
        token: admin.token,
        body: { name: 'editor' },
      });
      expect(other.status).toBe(201);
      expect(other.body.display_name).toBe('editor');
    });

    it.each([
      [{ name: 'has space' }],
      [{ name: 'a,b' }],
      [{ name: '' }],
      [{ name: 'x'.repeat(64) }],
      [{ display_name: 'no name' }],
      [{ name: 'ok', bogus: true }],
      [{ name: 'ok', is_default: 'yes' }],
    ])('400 for %j', async (body) => {
      const res = await req('POST', '/roles', body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    });

    it('keeps a single default role', async () => {
      const a = await req('POST', '/roles', { name: 'reader', is_default: true });
      expect(a.body.is_default).toBe(true);
      const b = await req('POST', '/roles', { name: 'writer', is_default: true });
      expect(b.body.is_default).toBe(true);
      expect((await req('GET', `/roles/${a.body.id}`)).body.is_default).toBe(false);
      const p = await req('PATCH', `/roles/${a.body.id}`, { is_default: true });
      expect(p.status).toBe(200);
      expect(p.body.is_default).toBe(true);
      const defaults = (await req('GET', '/roles')).body.filter(
        (r: { is_default: boolean }) => r.is_default,
      );
      expect(defaults.map((r: { name: string }) => r.name)).toEqual(['reader']);
    });

    it('gets, patches and 404s', async () => {
      expect((await req('GET', `/roles/${editorId}`)).body.name).toBe('editor');
      const missing = await req('GET', `/roles/${randomUUID()}`);
      expect(missing.status).toBe(404);
      expect(missing.body.detail).toBe('Role not found');
      expect((await req('GET', '/roles/not-a-uuid')).status).toBe(404);
      const p = await req('PATCH', `/roles/${editorId}`, {
        display_name: 'Editors',
        description: null,
      });
      expect(p.status).toBe(200);
      expect(p.body).toMatchObject({ name: 'editor', display_name: 'Editors', description: null });
      expect((await req('PATCH', `/roles/${editorId}`, { name: 'renamed' })).status).toBe(400);
      expect((await req('PATCH', `/roles/${randomUUID()}`, { display_name: 'x' })).status).toBe(
        404,
      );
      // A role of another project is not reachable here.
      const foreign = (
        await t.request('GET', `/api/projects/${otherPid}/rbac/roles`, { token: admin.token })
      ).body[0];
      expect((await req('GET', `/roles/${foreign.id}`)).status).toBe(404);
    });

    it('initialize creates the system roles once and never a second default', async () => {
      const first = await req('POST', '/initialize');
      expect(first.status).toBe(201);
      expect(first.body).toEqual({ roles_created: 3 });
      expect((await req('POST', '/initialize')).body).toEqual({ roles_created: 0 });
      const roles = (await req('GET', '/roles')).body as {
        name: string;
        is_system: boolean;
        is_default: boolean;
      }[];
      expect(roles.slice(0, 3).map((r) => [r.name, r.is_system])).toEqual([
        ['admin', true],
        ['member', true],
        ['viewer', true],
      ]);
      expect(roles.filter((r) => r.is_default).map((r) => r.name)).toEqual(['reader']);
      // Ordered by is_system desc, then name.
      expect(roles.slice(3).map((r) => r.name)).toEqual(['editor', 'reader', 'writer']);
      const fresh = await t.request('POST', `/api/projects/${otherPid}/rbac/initialize`, {
        token: admin.token,
      });
      expect(fresh.body.roles_created).toBe(3);
      const otherRoles = (
        await t.request('GET', `/api/projects/${otherPid}/rbac/roles`, { token: admin.token })
      ).body as { name: string; is_default: boolean }[];
      expect(otherRoles.filter((r) => r.is_default).map((r) => r.name)).toEqual(['member']);
    });

    it('system roles cannot be modified or deleted (403)', async () => {
      const roles = (await req('GET', '/roles')).body as { id: string; name: string }[];
      const member = roles.find((r) => r.name === 'member') as { id: string };
      const p = await req('PATCH', `/roles/${member.id}`, { display_name: 'x' });
      expect(p.status).toBe(403);
      expect(p.body.detail).toBe('Cannot modify system roles');
      const d = await req('DELETE', `/roles/${member.id}`);
      expect(d.status).toBe(403);
      expect(d.body.detail).toBe('Cannot delete system roles');
    });
  });

  describe('assignments', () => {
    let roles: Record<string, string>;
    beforeAll(async () => {
      const list = (await req('GET', '/roles')).body as { id: string; name: string }[];
      roles = Object.fromEntries(list.map((r) => [r.name, r.id]));
    });

    it('lists (empty), assigns (201, skipping duplicates) and lists again', async () => {
      const empty = await req('GET', `/users/${userId}/roles`);
      expect(empty.status).toBe(200);
      expect(empty.body).toEqual({ app_user_id: userId, roles: [] });
      const res = await req('POST', `/users/${userId}/roles`, {
        role_ids: [roles.editor, roles.viewer, roles.editor],
      });
      expect(res.status).toBe(201);
      expect(res.body.roles.map((r: { name: string }) => r.name)).toEqual(['editor', 'viewer']);
      const again = await req('POST', `/users/${userId}/roles`, { role_ids: [roles.editor] });
      expect(again.status).toBe(201);
      expect(again.body.roles).toHaveLength(2);
      const rows = await t.query(
        `SELECT assigned_by FROM backendify.app_user_roles WHERE app_user_id = $1`,
        [userId],
      );
      expect(rows.every((r: { assigned_by: string }) => r.assigned_by === admin.id)).toBe(true);
    });

    it('404 for unknown users; an unknown role assigns nothing', async () => {
      const ghost = randomUUID();
      const get = await req('GET', `/users/${ghost}/roles`);
      expect(get.status).toBe(404);
      expect(get.body.detail).toBe('App user not found');
      expect((await req('GET', '/users/nope/roles')).status).toBe(404);
      expect(
        (await req('POST', `/users/${ghost}/roles`, { role_ids: [roles.editor] })).status,
      ).toBe(404);
      // A user of another project is unknown here.
      const foreignUser = await newUser(otherPid);
      expect((await req('GET', `/users/${foreignUser}/roles`)).status).toBe(404);

      const fresh = await newUser();
      const bad = await req('POST', `/users/${fresh}/roles`, {
        role_ids: [roles.writer, randomUUID()],
      });
      expect(bad.status).toBe(404);
      expect(bad.body.detail).toBe('Role not found');
      expect((await req('GET', `/users/${fresh}/roles`)).body.roles).toEqual([]);
      expect((await req('POST', `/users/${fresh}/roles`, { role_ids: ['x'] })).status).toBe(404);
      expect((await req('POST', `/users/${fresh}/roles`, { role_ids: [] })).status).toBe(400);
      expect((await req('POST', `/users/${fresh}/roles`, {})).status).toBe(400);
    });

    it('unassigns (204), then 404 "User does not have this role"', async () => {
      expect((await req('DELETE', `/users/${userId}/roles/${roles.viewer}`)).status).toBe(204);
      const again = await req('DELETE', `/users/${userId}/roles/${roles.viewer}`);
      expect(again.status).toBe(404);
      expect(again.body.detail).toBe('User does not have this role');
      expect((await req('DELETE', `/users/${userId}/roles/${randomUUID()}`)).body.detail).toBe(
        'Role not found',
      );
      expect(
        (await req('DELETE', `/users/${randomUUID()}/roles/${roles.editor}`)).body.detail,
      ).toBe('App user not found');
    });

    it('rolesOf reflects changes at once; deleting a role cascades its assignments', async () => {
      const rbac = t.app.get(RbacService);
      expect(await rbac.rolesOf(pid, userId)).toEqual(['editor']);
      await req('POST', `/users/${userId}/roles`, { role_ids: [roles.writer] });
      expect(await rbac.rolesOf(pid, userId)).toEqual(['editor', 'writer']);
      expect((await req('DELETE', `/roles/${roles.writer}`)).status).toBe(204);
      expect((await req('DELETE', `/roles/${roles.writer}`)).status).toBe(404);
      expect(await rbac.rolesOf(pid, userId)).toEqual(['editor']);
      expect(await rbac.rolesOf(otherPid, userId)).toEqual([]);
      expect(await rbac.rolesOf(pid, 'not-a-uuid')).toEqual([]);
    });

    it('assignDefaultRole gives the default role once', async () => {
      const rbac = t.app.get(RbacService);
      const fresh = await newUser();
      expect(await rbac.assignDefaultRole(pid, fresh)).toBe('reader');
      expect(await rbac.assignDefaultRole(pid, fresh)).toBe('reader');
      expect(await rbac.rolesOf(pid, fresh)).toEqual(['reader']);
      const noDefault = (await createProject(t, admin, 'none')).id;
      const u = await newUser(noDefault);
      expect(await rbac.assignDefaultRole(noDefault, u)).toBeNull();
      expect(await rbac.rolesOf(noDefault, u)).toEqual([]);
    });
  });

  it('roles carry user_count: how many app users hold them (14.7)', async () => {
    const made = await req('POST', '/roles', { name: 'counted', description: 'Counted role' });
    expect(made.status).toBe(201);
    expect(made.body.user_count).toBe(0);
    const count = async () => {
      const list = await req('GET', '/roles');
      const row = (list.body as { name: string; user_count: number }[]).find(
        (r) => r.name === 'counted',
      );
      const one = await req('GET', `/roles/${made.body.id}`);
      expect(one.body.user_count).toBe(row?.user_count);
      return row?.user_count;
    };
    const [a, b] = [await newUser(), await newUser()];
    for (const u of [a, b])
      expect((await req('POST', `/users/${u}/roles`, { role_ids: [made.body.id] })).status).toBe(
        201,
      );
    expect(await count()).toBe(2);
    const held = await req('GET', `/users/${a}/roles`);
    expect(held.body.roles[0]).toMatchObject({ name: 'counted', user_count: 2 });
    expect((await req('DELETE', `/users/${b}/roles/${made.body.id}`)).status).toBe(204);
    expect(await count()).toBe(1);
    const patched = await req('PATCH', `/roles/${made.body.id}`, { description: 'Still counted' });
    expect(patched.body).toMatchObject({ description: 'Still counted', user_count: 1 });
  });
});
