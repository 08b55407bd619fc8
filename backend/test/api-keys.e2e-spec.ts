import { createTestApp, type TestApp } from './setup/test-app';
import { addField, createCollection } from './factories/schema.factory';
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

/**
 * Key kinds (DESIGN §5, issue 14.1): a `service` key (the default) is a server's key and passes
 * row policies and readable-field lists; a `public` key is the principal `api_key` under them.
 */
describe('API key kinds', () => {
  let t: TestApp;
  let owner: TestAdmin;
  let pid: string;
  let service: { api_key: string; kind: string };
  let pub: { api_key: string; kind: string };
  const data = (c: string, rest = '') => `/api/projects/${pid}/data/${c}${rest}`;
  const policy = async (body: Record<string, unknown>) => {
    const res = await t.request('POST', `/api/projects/${pid}/schema/collections/notes/policies`, {
      token: owner.token,
      body: { name: `${body.action as string} ${String(body.allowed_principals)}`, ...body },
    });
    expect(res.status).toBe(201);
  };

  beforeAll(async () => {
    t = await createTestApp();
    owner = await createAdmin(t);
    pid = (await createProject(t, owner)).id;
    await createCollection(t, owner, pid, 'notes');
    await addField(t, owner, pid, 'notes', { name: 'title', field_type: 'string' });
    await addField(t, owner, pid, 'notes', { name: 'secret', field_type: 'string' });
    await addField(t, owner, pid, 'notes', { name: 'shared', field_type: 'bool' });
    for (const [title, pub] of [
      ['open', true],
      ['closed', false],
    ] as const)
      await t.request('POST', data('notes'), {
        token: owner.token,
        body: { title, secret: `${title}-secret`, shared: pub },
      });
    const created = await t.request('POST', `/api/projects/${pid}/api-keys`, {
      token: owner.token,
      body: { name: 'Server' },
    });
    expect(created.status).toBe(201);
    service = created.body;
    pub = await createApiKey(t, owner, pid, 'Browser app', 'public');
  });
  afterAll(() => t.close());

  it('a key is a service key unless asked; the kind is listed and validated', async () => {
    expect(service.kind).toBe('service');
    expect(pub.kind).toBe('public');
    const list = await t.request('GET', `/api/projects/${pid}/api-keys`, { token: owner.token });
    expect(list.body.map((k: { name: string; kind: string }) => [k.name, k.kind]).sort()).toEqual([
      ['Browser app', 'public'],
      ['Server', 'service'],
    ]);
    const bad = await t.request('POST', `/api/projects/${pid}/api-keys`, {
      token: owner.token,
      body: { name: 'x', kind: 'admin' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(bad.body.errors[0]).toMatchObject({ field: 'kind' });
  });

  it('without policies both kinds read and write', async () => {
    for (const key of [service, pub]) {
      const list = await t.request('GET', data('notes'), { apiKey: key.api_key });
      expect(list.status).toBe(200);
      expect(list.body.total).toBe(2);
    }
  });

  it('a first policy that names only app users locks public keys out, not service keys', async () => {
    await policy({ action: 'list', allowed_principals: 'app_user' });
    await policy({ action: 'read', allowed_principals: 'app_user' });
    await policy({ action: 'create', allowed_principals: 'app_user' });
    const asPublic = await t.request('GET', data('notes'), { apiKey: pub.api_key });
    expect(asPublic.status).toBe(403);
    const asService = await t.request('GET', data('notes'), { apiKey: service.api_key });
    expect(asService.status).toBe(200);
    expect(asService.body.total).toBe(2);
    const write = await t.request('POST', data('notes'), {
      apiKey: service.api_key,
      body: { title: 'by server', secret: 's', shared: false },
    });
    expect(write.status).toBe(201);
    expect(
      (
        await t.request('POST', data('notes'), {
          apiKey: pub.api_key,
          body: { title: 'by app', shared: true },
        })
      ).status,
    ).toBe(403);
  });

  it('a public key gets what its policies allow (rows and fields); a service key gets everything', async () => {
    const condition = { shared: true };
    for (const action of ['list', 'read'])
      await policy({
        action,
        allowed_principals: 'api_key',
        condition,
        read_fields: ['title', 'shared'],
      });
    const asPublic = await t.request('GET', data('notes', '?sort=id'), { apiKey: pub.api_key });
    expect(asPublic.status).toBe(200);
    expect(asPublic.body.records.map((r: { title: string }) => r.title)).toEqual(['open']);
    expect(asPublic.body.records[0]).not.toHaveProperty('secret');
    const asService = await t.request('GET', data('notes', '?sort=id'), {
      apiKey: service.api_key,
    });
    expect(asService.body.records.map((r: { title: string }) => r.title)).toEqual([
      'open',
      'closed',
      'by server',
    ]);
    expect(asService.body.records[1].secret).toBe('closed-secret');
    // Filtering on a field outside the public key's read_fields is refused; the service key may.
    expect(
      (await t.request('GET', data('notes', '?secret=x'), { apiKey: pub.api_key })).status,
    ).toBe(400);
    expect(
      (await t.request('GET', data('notes', '?secret=closed-secret'), { apiKey: service.api_key }))
        .body.total,
    ).toBe(1);
  });

  it('explain tells the two apart', async () => {
    const explain = (as: string) =>
      t.request(
        'GET',
        `/api/projects/${pid}/schema/collections/notes/policies/explain?action=list&as=${as}`,
        { token: owner.token },
      );
    const pubRes = await explain('api_key');
    expect(pubRes.status).toBe(200);
    expect(pubRes.body.decision).toBe('row_filter');
    expect(pubRes.body.principal).toEqual({ kind: 'api_key', key_kind: 'public' });
    const svc = await explain('service_key');
    expect(svc.status).toBe(200);
    expect(svc.body.principal).toEqual({ kind: 'api_key', key_kind: 'service' });
    expect(svc.body.decision).toBe('allow_all');
  });

  it('keys still never change the schema', async () => {
    const res = await t.request('POST', `/api/projects/${pid}/schema/collections`, {
      apiKey: service.api_key,
      body: { name: 'nope' },
    });
    expect(res.status).toBe(401);
  });
});
