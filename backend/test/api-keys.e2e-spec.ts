import { createTestApp, type TestApp } from './setup/test-app';
import {
  createAdmin,
  createApiKey,
  createProject,
  type TestAdmin,
} from './factories/admin.factory';

describe('API keys', () => {
  let t: TestApp;
  let owner: TestAdmin;
  let projectId: string;
  beforeAll(async () => {
    t = await createTestApp();
    owner = await createAdmin(t);
    projectId = (await createProject(t, owner)).id;
  });
  afterAll(() => t.close());

  it('creates a key shown once and stores only its hash', async () => {
    const res = await t.request('POST', `/api/projects/${projectId}/api-keys`, {
      token: owner.token,
      body: { name: 'Mobile' },
    });
    expect(res.status).toBe(201);
    expect(res.body.api_key).toMatch(/^bfk_[A-Za-z0-9_-]{40,}$/);
    expect(res.body.api_key.startsWith(res.body.prefix)).toBe(true);
    expect(res.body).toMatchObject({
      name: 'Mobile',
      revoked: false,
      expires_at: null,
      last_used_at: null,
    });
    const list = await t.request('GET', `/api/projects/${projectId}/api-keys`, {
      token: owner.token,
    });
    expect(list.status).toBe(200);
    expect(list.text).not.toContain(res.body.api_key);
    expect(list.body[0]).not.toHaveProperty('api_key');
    expect(list.body[0]).not.toHaveProperty('key_hash');
    const rows = await t.query(`SELECT key_hash FROM backendify.api_keys WHERE id = $1`, [
      res.body.id,
    ]);
    expect(rows[0].key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0].key_hash).not.toContain(res.body.api_key);
  });

  it('accepts an expiry in the future and rejects one in the past or malformed', async () => {
    const future = new Date(Date.now() + 86400_000).toISOString();
    const ok = await t.request('POST', `/api/projects/${projectId}/api-keys`, {
      token: owner.token,
      body: { name: 'Temp', expires_at: future },
    });
    expect(ok.status).toBe(201);
    expect(ok.body.expires_at).toBe(future);
    for (const expires_at of ['2001-01-01T00:00:00Z', 'tomorrow', 5]) {
      const bad = await t.request('POST', `/api/projects/${projectId}/api-keys`, {
        token: owner.token,
        body: { name: 'Bad', expires_at },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].field).toBe('expires_at');
    }
  });

  it.each([[{}], [{ name: '' }], [{ name: 'x', scope: 'all' }]])(
    'rejects body %j',
    async (body) => {
      const res = await t.request('POST', `/api/projects/${projectId}/api-keys`, {
        token: owner.token,
        body,
      });
      expect(res.status).toBe(400);
    },
  );

  it('revokes and deletes keys; unknown ids are 404', async () => {
    const key = await createApiKey(t, owner, projectId, 'to-revoke');
    expect(
      (
        await t.request('POST', `/api/projects/${projectId}/api-keys/${key.id}/revoke`, {
          token: owner.token,
        })
      ).status,
    ).toBe(204);
    const list = await t.request('GET', `/api/projects/${projectId}/api-keys`, {
      token: owner.token,
    });
    expect(list.body.find((k: { id: string }) => k.id === key.id).revoked).toBe(true);
    expect(
      (
        await t.request('DELETE', `/api/projects/${projectId}/api-keys/${key.id}`, {
          token: owner.token,
        })
      ).status,
    ).toBe(204);
    expect(
      (
        await t.request('DELETE', `/api/projects/${projectId}/api-keys/${key.id}`, {
          token: owner.token,
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await t.request(
          'POST',
          `/api/projects/${projectId}/api-keys/00000000-0000-4000-8000-000000000000/revoke`,
          { token: owner.token },
        )
      ).status,
    ).toBe(404);
  });

  it('keys of another project cannot be revoked through this one', async () => {
    const other = await createProject(t, owner, 'Other');
    const key = await createApiKey(t, owner, other.id);
    expect(
      (
        await t.request('POST', `/api/projects/${projectId}/api-keys/${key.id}/revoke`, {
          token: owner.token,
        })
      ).status,
    ).toBe(404);
  });

  it('an API key does not authenticate admin routes', async () => {
    const key = await createApiKey(t, owner, projectId);
    expect(
      (await t.request('GET', `/api/projects/${projectId}/api-keys`, { apiKey: key.api_key }))
        .status,
    ).toBe(401);
    expect(
      (await t.request('GET', `/api/projects/${projectId}`, { apiKey: key.api_key })).status,
    ).toBe(401);
    expect((await t.request('GET', `/api/me`, { apiKey: key.api_key })).status).toBe(401);
  });

  it('developers may not manage keys; non-members get 404', async () => {
    const dev = await createAdmin(t);
    await t.request('POST', `/api/projects/${projectId}/members`, {
      token: owner.token,
      body: { email: dev.email, role: 'developer' },
    });
    expect(
      (await t.request('GET', `/api/projects/${projectId}/api-keys`, { token: dev.token })).status,
    ).toBe(403);
    const stranger = await createAdmin(t);
    expect(
      (await t.request('GET', `/api/projects/${projectId}/api-keys`, { token: stranger.token }))
        .status,
    ).toBe(404);
  });
});
