import { createApp } from '../src/bootstrap';
import { createTestApp, type TestApp } from './setup/test-app';
import { createAdmin, createProject, type TestAdmin } from './factories/admin.factory';

describe('projects and members', () => {
  let t: TestApp;
  let owner: TestAdmin;
  let stranger: TestAdmin;
  beforeAll(async () => {
    t = await createTestApp();
    owner = await createAdmin(t);
    stranger = await createAdmin(t);
  });
  afterAll(() => t.close());

  it('creates a project with its schema and _users table in Postgres', async () => {
    const p = await createProject(t, owner, 'Shop');
    expect(p).toMatchObject({ name: 'Shop', role: 'owner' });
    const schema = `p_${p.id.replace(/-/g, '_')}`;
    const cols = await t.query(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = '_users' ORDER BY ordinal_position`,
      [schema],
    );
    expect(cols.map((c) => c.column_name)).toEqual(
      expect.arrayContaining([
        'id',
        'email',
        'password_hash',
        'is_email_verified',
        'is_disabled',
        'created_at',
      ]),
    );
    expect(cols.find((c) => c.column_name === 'id')?.data_type).toBe('uuid');
    const ops = await t.query(
      `SELECT op_type, status FROM backendify.schema_ops WHERE project_id = $1`,
      [p.id],
    );
    expect(ops.map((o) => o.op_type)).toEqual(expect.arrayContaining(['create_schema']));
  });

  it('lists only projects the caller is a member of', async () => {
    const mine = await createProject(t, owner, 'Mine');
    const list = await t.request('GET', '/api/projects', { token: owner.token });
    expect(list.status).toBe(200);
    expect(list.body.map((p: { id: string }) => p.id)).toContain(mine.id);
    const theirs = await t.request('GET', '/api/projects', { token: stranger.token });
    expect(theirs.body.map((p: { id: string }) => p.id)).not.toContain(mine.id);
  });

  it('answers 404 to non-members exactly as for an unknown project', async () => {
    const p = await createProject(t, owner);
    const asStranger = await t.request('GET', `/api/projects/${p.id}`, { token: stranger.token });
    const unknown = await t.request('GET', `/api/projects/00000000-0000-4000-8000-000000000000`, {
      token: stranger.token,
    });
    const garbage = await t.request('GET', `/api/projects/not-a-uuid`, { token: stranger.token });
    for (const res of [asStranger, unknown, garbage]) {
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: 'NOT_FOUND', detail: 'Project not found' });
    }
    for (const [method, path] of [
      ['PATCH', ''],
      ['DELETE', ''],
      ['GET', '/members'],
      ['POST', '/members'],
      ['GET', '/api-keys'],
      ['POST', '/api-keys'],
    ]) {
      const body = method === 'GET' ? undefined : { name: 'x' };
      const res = await t.request(method, `/api/projects/${p.id}${path}`, {
        token: stranger.token,
        body,
      });
      expect(res.status).toBe(404);
    }
  });

  it('requires authentication', async () => {
    expect((await t.request('GET', '/api/projects')).status).toBe(401);
    expect((await t.request('POST', '/api/projects', { body: { name: 'x' } })).status).toBe(401);
  });

  it.each([
    [{}],
    [{ name: '' }],
    [{ name: '   ' }],
    [{ name: 'x'.repeat(101) }],
    [{ name: 'ok', extra: 1 }],
    [{ name: 5 }],
  ])('rejects bad project body %j with 400', async (body) => {
    const res = await t.request('POST', '/api/projects', { token: owner.token, body });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it('renames a project', async () => {
    const p = await createProject(t, owner, 'Old');
    const res = await t.request('PATCH', `/api/projects/${p.id}`, {
      token: owner.token,
      body: { name: 'New' },
    });
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('New');
    expect(
      (
        await t.request('PATCH', `/api/projects/${p.id}`, {
          token: owner.token,
          body: { name: '' },
        })
      ).status,
    ).toBe(400);
  });

  it('manages members with roles; only owners may', async () => {
    const p = await createProject(t, owner);
    const dev = await createAdmin(t);
    const add = await t.request('POST', `/api/projects/${p.id}/members`, {
      token: owner.token,
      body: { email: dev.email.toUpperCase(), role: 'developer' },
    });
    expect(add.status).toBe(201);
    expect(add.body).toMatchObject({ user_id: dev.id, email: dev.email, role: 'developer' });
    const dup = await t.request('POST', `/api/projects/${p.id}/members`, {
      token: owner.token,
      body: { email: dev.email, role: 'viewer' },
    });
    expect(dup.status).toBe(409);
    // An address without a verified console account is invited, not added (DESIGN §8).
    const nobody = await t.request('POST', `/api/projects/${p.id}/members`, {
      token: owner.token,
      body: { email: 'ghost@example.com', role: 'viewer' },
    });
    expect(nobody.status).toBe(202);
    expect(nobody.body).toMatchObject({ invited: true, email: 'ghost@example.com' });
    const badRole = await t.request('POST', `/api/projects/${p.id}/members`, {
      token: owner.token,
      body: { email: dev.email, role: 'god' },
    });
    expect(badRole.status).toBe(400);
    // The developer now sees the project but cannot manage members or delete it.
    expect((await t.request('GET', `/api/projects/${p.id}`, { token: dev.token })).body.role).toBe(
      'developer',
    );
    const forbidden = await t.request('POST', `/api/projects/${p.id}/members`, {
      token: dev.token,
      body: { email: stranger.email, role: 'viewer' },
    });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.code).toBe('FORBIDDEN');
    expect((await t.request('DELETE', `/api/projects/${p.id}`, { token: dev.token })).status).toBe(
      403,
    );
    const members = await t.request('GET', `/api/projects/${p.id}/members`, { token: dev.token });
    expect(members.body).toHaveLength(2);
    const promote = await t.request('PATCH', `/api/projects/${p.id}/members/${dev.id}`, {
      token: owner.token,
      body: { role: 'admin' },
    });
    expect(promote.status).toBe(200);
    expect(promote.body.role).toBe('admin');
    const lastOwner = await t.request('PATCH', `/api/projects/${p.id}/members/${owner.id}`, {
      token: owner.token,
      body: { role: 'viewer' },
    });
    expect(lastOwner.status).toBe(409);
    expect(
      (
        await t.request('DELETE', `/api/projects/${p.id}/members/${owner.id}`, {
          token: owner.token,
        })
      ).status,
    ).toBe(409);
    expect(
      (await t.request('DELETE', `/api/projects/${p.id}/members/${dev.id}`, { token: owner.token }))
        .status,
    ).toBe(204);
    expect((await t.request('GET', `/api/projects/${p.id}`, { token: dev.token })).status).toBe(
      404,
    );
    expect(
      (
        await t.request(
          'DELETE',
          `/api/projects/${p.id}/members/00000000-0000-4000-8000-000000000000`,
          { token: owner.token },
        )
      ).status,
    ).toBe(404);
  });

  it('a viewer may read but not write', async () => {
    const p = await createProject(t, owner);
    const viewer = await createAdmin(t);
    await t.request('POST', `/api/projects/${p.id}/members`, {
      token: owner.token,
      body: { email: viewer.email, role: 'viewer' },
    });
    expect((await t.request('GET', `/api/projects/${p.id}`, { token: viewer.token })).status).toBe(
      200,
    );
    expect(
      (
        await t.request('PATCH', `/api/projects/${p.id}`, {
          token: viewer.token,
          body: { name: 'x' },
        })
      ).status,
    ).toBe(403);
  });

  it('deletes a project with its schema (owner only)', async () => {
    const p = await createProject(t, owner);
    const schema = `p_${p.id.replace(/-/g, '_')}`;
    expect(
      (await t.request('DELETE', `/api/projects/${p.id}`, { token: owner.token })).status,
    ).toBe(204);
    expect(
      await t.query(`SELECT 1 FROM information_schema.schemata WHERE schema_name = $1`, [schema]),
    ).toHaveLength(0);
    expect((await t.request('GET', `/api/projects/${p.id}`, { token: owner.token })).status).toBe(
      404,
    );
    expect(
      await t.query(`SELECT 1 FROM backendify.memberships WHERE project_id = $1`, [p.id]),
    ).toHaveLength(0);
  });

  it('keeps data across an app restart on the same database', async () => {
    const p = await createProject(t, owner, 'Durable');
    const second = await createTestAppOn(t);
    try {
      const res = await second.request('GET', `/api/projects/${p.id}`, { token: owner.token });
      expect(res.status).toBe(200);
      expect(res.body.name).toBe('Durable');
    } finally {
      await second.app.close();
    }
  });
});

async function createTestAppOn(t: TestApp) {
  const app = await createApp(t.config);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    app,
    request: async (method: string, path: string, opts: { token?: string } = {}) => {
      const res = await fetch(`http://127.0.0.1:${port}${path}`, {
        method,
        headers: opts.token ? { authorization: `Bearer ${opts.token}` } : {},
      });
      return { status: res.status, body: (await res.json()) as { name: string } };
    },
  };
}
