import type { Pool } from 'pg';
import { Client } from 'pg';
import { createTestApp, type TestApp } from './setup/test-app';
import { createAdmin, createProject, type TestAdmin } from './factories/admin.factory';
import { addField, createCollection, schemaOf } from './factories/schema.factory';
import { PG_DATA_POOL } from '../src/database/database.module';

describe('project ids are canonical: one project, one cache (DESIGN §5)', () => {
  let t: TestApp;
  let owner: TestAdmin;
  let pid: string;
  let upper: string;
  beforeAll(async () => {
    t = await createTestApp();
    owner = await createAdmin(t);
    pid = (await createProject(t, owner)).id;
    upper = pid.toUpperCase();
    await createCollection(t, owner, pid, 'notes');
    await addField(t, owner, pid, 'notes', { name: 'title', field_type: 'string' });
    await addField(t, owner, pid, 'notes', { name: 'secret', field_type: 'string' });
    const row = await t.request('POST', `/api/projects/${pid}/data/notes`, {
      token: owner.token,
      body: { title: 't', secret: 's3cr3t' },
    });
    expect(row.status).toBe(201);
  });
  afterAll(() => t.close());

  it('a field hidden through an upper-case URL is hidden on the lower-case one', async () => {
    const before = await t.request('GET', `/api/projects/${pid}/data/notes`, {
      token: owner.token,
    });
    expect(before.body.records[0].secret).toBe('s3cr3t');
    const hide = await t.request(
      'PATCH',
      `/api/projects/${upper}/schema/collections/notes/fields/secret`,
      {
        token: owner.token,
        body: { is_hidden: true },
      },
    );
    expect(hide.status).toBe(200);
    for (const id of [pid, upper]) {
      const after = await t.request('GET', `/api/projects/${id}/data/notes`, {
        token: owner.token,
      });
      expect(after.status).toBe(200);
      expect(after.body.records[0]).not.toHaveProperty('secret');
      expect(after.text).not.toContain('s3cr3t');
    }
  });

  it('a policy added through an upper-case URL is enforced on the lower-case one', async () => {
    const reg = await t.request('POST', `/api/projects/${pid}/auth/register`, {
      body: { email: 'reader@example.com', password: 'app user password' },
    });
    expect(reg.status).toBe(201);
    const token = reg.body.access_token as string;
    // No policy yet: app users are refused (and the lower-case cache entry is warm).
    expect((await t.request('GET', `/api/projects/${pid}/data/notes`, { token })).status).toBe(403);
    const policy = await t.request(
      'POST',
      `/api/projects/${upper}/schema/collections/notes/policies`,
      {
        token: owner.token,
        body: { name: 'read all', action: 'list', effect: 'allow', allowed_principals: 'app_user' },
      },
    );
    expect(policy.status).toBe(201);
    const list = await t.request('GET', `/api/projects/${pid}/data/notes`, { token });
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(1);
  });

  it('a validation rule added through an upper-case URL is enforced on the lower-case one', async () => {
    const warm = await t.request('POST', `/api/projects/${pid}/data/notes`, {
      token: owner.token,
      body: { title: 'long enough' },
    });
    expect(warm.status).toBe(201);
    const rule = await t.request(
      'POST',
      `/api/projects/${upper}/validations/collections/notes/fields/title/rules`,
      { token: owner.token, body: { rule_type: 'max_length', config: { max: 3 } } },
    );
    expect(rule.status).toBe(201);
    const res = await t.request('POST', `/api/projects/${pid}/data/notes`, {
      token: owner.token,
      body: { title: 'long enough' },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it('every spelling of the id answers the canonical id', async () => {
    const res = await t.request('GET', `/api/projects/${upper}`, { token: owner.token });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(pid);
  });
});

describe('member admins are rate-limited on data routes too', () => {
  let t: TestApp;
  let owner: TestAdmin;
  let pid: string;
  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT: 'on' });
    owner = await createAdmin(t);
    pid = (await createProject(t, owner)).id;
    await createCollection(t, owner, pid, 'things');
  });
  afterAll(() => t.close());

  it('has a generous default and a per-project setting', async () => {
    const first = await t.request('GET', `/api/projects/${pid}/data/things`, {
      token: owner.token,
    });
    expect(first.status).toBe(200);
    expect(Number(first.headers.get('x-ratelimit-limit'))).toBeGreaterThanOrEqual(1000);
    const set = await t.request('PATCH', `/api/projects/${pid}`, {
      token: owner.token,
      body: { rate_limits: { admin: 3 } },
    });
    expect(set.status).toBe(200);
    expect(set.body.rate_limits.admin).toBe(3);
    // The first request above counts in the same window.
    const codes: number[] = [];
    for (let i = 0; i < 3; i++)
      codes.push(
        (await t.request('GET', `/api/projects/${pid}/data/things`, { token: owner.token })).status,
      );
    expect(codes).toEqual([200, 200, 429]);
    // Admin routes are not data routes: the owner can still lift the limit.
    const lift = await t.request('PATCH', `/api/projects/${pid}`, {
      token: owner.token,
      body: { rate_limits: { admin: null } },
    });
    expect(lift.status).toBe(200);
  });
});

describe('data statements run under statement_timeout (DESIGN §8 Limits)', () => {
  let t: TestApp;
  let owner: TestAdmin;
  let pid: string;
  beforeAll(async () => {
    t = await createTestApp({ DATA_STATEMENT_TIMEOUT_MS: '300' });
    owner = await createAdmin(t);
    pid = (await createProject(t, owner)).id;
    await createCollection(t, owner, pid, 'slow');
    await addField(t, owner, pid, 'slow', { name: 'title', field_type: 'string' });
  });
  afterAll(() => t.close());

  it('defaults to 10 s', async () => {
    const d = await createTestApp();
    try {
      const pool = d.app.get<Pool>(PG_DATA_POOL);
      const { rows } = await pool.query(`SHOW statement_timeout`);
      expect(rows[0].statement_timeout).toBe('10s');
    } finally {
      await d.close();
    }
  });

  it('cuts a slow statement on a connection of the data pool', async () => {
    const pool = t.app.get<Pool>(PG_DATA_POOL);
    await expect(pool.query('SELECT pg_sleep(5)')).rejects.toMatchObject({ code: '57014' });
  });

  it('answers a 503 problem without SQL when a data statement is cut', async () => {
    // Another session holds the table; statement_timeout counts the wait for its lock.
    const blocker = new Client({ connectionString: t.databaseUrl });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query(`LOCK TABLE ${schemaOf(pid)}.slow IN ACCESS EXCLUSIVE MODE`);
      const started = Date.now();
      const res = await Promise.race([
        t.request('GET', `/api/projects/${pid}/data/slow`, { token: owner.token }),
        new Promise<null>((r) => setTimeout(() => r(null), 8000)),
      ]);
      expect(res).not.toBeNull();
      expect(Date.now() - started).toBeLessThan(8000);
      expect(res!.status).toBe(503);
      expect(res!.headers.get('content-type')).toContain('application/problem+json');
      expect(res!.body.code).toBe('TIMEOUT');
      expect(res!.text).not.toMatch(/select|statement|slow|p_[0-9a-f]/i);
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
    // The pool is healthy afterwards.
    const ok = await t.request('GET', `/api/projects/${pid}/data/slow`, { token: owner.token });
    expect(ok.status).toBe(200);
  });
});
