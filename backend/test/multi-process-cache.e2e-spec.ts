import {
  createAdmin,
  createApiKey,
  createProject,
  type TestAdmin,
} from './factories/admin.factory';
import { addField, createCollection } from './factories/schema.factory';
import {
  createProcessDatabase,
  startServerProcess,
  type ServerProcess,
} from './setup/server-process';

/**
 * Issue 10.4 (DESIGN §4): two API processes on one database behave as one. A change made through
 * A reaches B's caches within about a second: by the NOTIFY hint, and by the 1 s poll when the
 * hint is lost. Every wait polls B with a deadline; the deadline is the assertion.
 */
jest.setTimeout(180_000);

/** Within about a second of a change (1 s poll period plus a request's round trip). */
const CONVERGE_MS = 1500;

/** Asks `probe` until it says yes; returns how long that took, or fails past `ms`. */
async function within(what: string, ms: number, probe: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await probe()) return Date.now() - started;
    if (Date.now() - started > ms) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('caches across two server processes on one database', () => {
  let db: Awaited<ReturnType<typeof createProcessDatabase>>;
  let a: ServerProcess;
  let b: ServerProcess;
  let admin: TestAdmin;
  let pid: string;
  const data = (path = '') => `/api/projects/${pid}/data/items${path}`;

  beforeAll(async () => {
    db = await createProcessDatabase();
    [a, b] = await Promise.all([startServerProcess(db.url), startServerProcess(db.url)]);
    admin = await createAdmin(a);
    pid = (await createProject(a, admin)).id;
    await createCollection(a, admin, pid, 'items');
    await addField(a, admin, pid, 'items', { name: 'title', field_type: 'string' });
  });

  afterAll(async () => {
    await Promise.all([a?.kill('SIGKILL'), b?.kill('SIGKILL')]);
    await db?.drop();
  });

  it('a key revoked through A is refused by B within a second', async () => {
    const key = await createApiKey(a, admin, pid);
    // B knows the key (and caches it) before the revocation.
    expect((await b.request('GET', data(), { apiKey: key.api_key })).status).toBe(200);
    expect((await b.request('GET', data(), { apiKey: key.api_key })).status).toBe(200);
    const revoked = await a.request('POST', `/api/projects/${pid}/api-keys/${key.id}/revoke`, {
      token: admin.token,
    });
    expect(revoked.status).toBeLessThan(300);
    await within('B refuses the revoked key', CONVERGE_MS, async () => {
      const s = (await b.request('GET', data(), { apiKey: key.api_key })).status;
      expect([200, 401, 403]).toContain(s);
      return s === 401 || s === 403;
    });
    expect((await a.request('GET', data(), { apiKey: key.api_key })).status).toBe(401);
  });

  it('a key deleted through A is refused by B within a second', async () => {
    const key = await createApiKey(a, admin, pid);
    expect((await b.request('GET', data(), { apiKey: key.api_key })).status).toBe(200);
    const deleted = await a.request('DELETE', `/api/projects/${pid}/api-keys/${key.id}`, {
      token: admin.token,
    });
    expect(deleted.status).toBeLessThan(300);
    await within('B refuses the deleted key', CONVERGE_MS, async () => {
      const s = (await b.request('GET', data(), { apiKey: key.api_key })).status;
      return s === 401 || s === 403;
    });
  });

  it('a field added through A is writable through B within a second', async () => {
    const key = (await createApiKey(a, admin, pid)).api_key;
    // B's catalog is loaded and does not know `color` yet.
    const before = await b.request('POST', data(), {
      apiKey: key,
      body: { title: 't', color: 'red' },
    });
    expect(before.status).toBe(400);
    await addField(a, admin, pid, 'items', { name: 'color', field_type: 'string' });
    await within('B writes the new field', CONVERGE_MS, async () => {
      const res = await b.request('POST', data(), {
        apiKey: key,
        body: { title: 't', color: 'red' },
      });
      if (res.status === 201) expect(res.body.color).toBe('red');
      else expect(res.status).toBe(400);
      return res.status === 201;
    });
  });

  it('a policy created, then deactivated, through A is applied by B within a second', async () => {
    const key = (await createApiKey(a, admin, pid)).api_key;
    expect((await b.request('GET', data(), { apiKey: key })).status).toBe(200);
    const policy = await a.request(
      'POST',
      `/api/projects/${pid}/schema/collections/items/policies`,
      {
        token: admin.token,
        body: { name: 'no keys', action: 'list', effect: 'deny', allowed_principals: 'api_key' },
      },
    );
    expect(policy.status).toBe(201);
    await within('B denies the list', CONVERGE_MS, async () => {
      const s = (await b.request('GET', data(), { apiKey: key })).status;
      return s === 403;
    });
    const off = await a.request(
      'PATCH',
      `/api/projects/${pid}/schema/collections/items/policies/${policy.body.id}`,
      { token: admin.token, body: { is_active: false } },
    );
    expect(off.status).toBe(200);
    await within('B lists again', CONVERGE_MS, async () => {
      const s = (await b.request('GET', data(), { apiKey: key })).status;
      return s === 200;
    });
  });

  it('a validation rule added through A is enforced by B within a second', async () => {
    const key = (await createApiKey(a, admin, pid)).api_key;
    expect((await b.request('POST', data(), { apiKey: key, body: { title: 'x' } })).status).toBe(
      201,
    );
    const rule = await a.request(
      'POST',
      `/api/projects/${pid}/validations/collections/items/fields/title/rules`,
      { token: admin.token, body: { rule_type: 'min_length', config: { min: 3 } } },
    );
    expect(rule.status).toBe(201);
    await within('B refuses a short title', CONVERGE_MS, async () => {
      const res = await b.request('POST', data(), { apiKey: key, body: { title: 'x' } });
      return res.status === 400 && res.body.errors?.[0]?.rule === 'min_length';
    });
  });

  it('allowed_origins set through A is what B answers CORS with within a second', async () => {
    const key = (await createApiKey(a, admin, pid)).api_key;
    const origin = 'https://evil.example.net';
    const allowOrigin = async () =>
      (await b.request('GET', data(), { apiKey: key, headers: { origin } })).headers.get(
        'access-control-allow-origin',
      );
    expect(await allowOrigin()).toBe('*');
    const set = await a.request('PATCH', `/api/projects/${pid}`, {
      token: admin.token,
      body: { allowed_origins: ['https://app.example.com'] },
    });
    expect(set.status).toBe(200);
    await within('B stops answering the foreign origin', CONVERGE_MS, async () => {
      return (await allowOrigin()) === null;
    });
  });

  it('a role assigned, then taken away, through A gates the app user on B within a second', async () => {
    const role = await a.request('POST', `/api/projects/${pid}/rbac/roles`, {
      token: admin.token,
      body: { name: 'editor' },
    });
    expect(role.status).toBe(201);
    await createCollection(a, admin, pid, 'notes');
    const policy = await a.request(
      'POST',
      `/api/projects/${pid}/schema/collections/notes/policies`,
      {
        token: admin.token,
        body: {
          name: 'editors',
          action: 'list',
          allowed_principals: 'app_user',
          allowed_roles: 'editor',
        },
      },
    );
    expect(policy.status).toBe(201);
    const signup = await a.request('POST', `/api/projects/${pid}/auth/register`, {
      body: { email: `editor-${Date.now()}@example.com`, password: 'correct horse battery' },
    });
    expect(signup.status).toBe(201);
    const token = signup.body.access_token as string;
    const me = await a.request('GET', `/api/projects/${pid}/auth/me`, { token });
    const notes = `/api/projects/${pid}/data/notes`;
    // B has looked up (and cached) the user's roles: none.
    await within('B knows the policy', CONVERGE_MS, async () => {
      return (await b.request('GET', notes, { token })).status === 403;
    });
    expect((await b.request('GET', notes, { token })).status).toBe(403);

    const assigned = await a.request(
      'POST',
      `/api/projects/${pid}/rbac/users/${me.body.id}/roles`,
      {
        token: admin.token,
        body: { role_ids: [role.body.id] },
      },
    );
    expect(assigned.status).toBeLessThan(300);
    await within('B lets the editor list', CONVERGE_MS, async () => {
      return (await b.request('GET', notes, { token })).status === 200;
    });

    const removed = await a.request(
      'DELETE',
      `/api/projects/${pid}/rbac/users/${me.body.id}/roles/${role.body.id}`,
      { token: admin.token },
    );
    expect(removed.status).toBeLessThan(300);
    await within('B refuses the former editor', CONVERGE_MS, async () => {
      return (await b.request('GET', notes, { token })).status === 403;
    });
  });

  it('without a NOTIFY (a lost hint), B still converges through its 1 s poll', async () => {
    const key = await createApiKey(a, admin, pid);
    expect((await b.request('GET', data(), { apiKey: key.api_key })).status).toBe(200);
    // A revocation written straight into the database with a bump but no pg_notify.
    await db.query(`UPDATE backendify.api_keys SET revoked = true WHERE id = $1`, [key.id]);
    await db.query(
      `UPDATE backendify.cache_versions SET version = version + 1, xact_id = pg_current_xact_id()
       WHERE scope = 'api_keys' AND project_id = $1`,
      [pid],
    );
    await within('B refuses the key', CONVERGE_MS, async () => {
      const s = (await b.request('GET', data(), { apiKey: key.api_key })).status;
      return s === 401 || s === 403;
    });
  });
});
