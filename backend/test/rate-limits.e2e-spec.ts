import { createConnection } from 'node:net';
import { createApp } from '../src/bootstrap';
import { createTestApp, type TestApp } from './setup/test-app';
import { createAdmin, createApiKey, createProject } from './factories/admin.factory';
import { createCollection } from './factories/schema.factory';

// Redis is a required test dependency (.ci/run starts one): unreachable fails, never skips.
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

function requireRedis(): Promise<void> {
  const u = new URL(REDIS_URL);
  const missing = (why: string) =>
    new Error(`Redis is required at ${REDIS_URL} (${why}): start redis-server or set REDIS_URL`);
  return new Promise((resolve, reject) => {
    const s = createConnection({ host: u.hostname, port: Number(u.port || 6379) });
    s.setTimeout(2000);
    s.once('connect', () => (s.destroy(), resolve()));
    s.once('error', (err) => reject(missing(err.message)));
    s.once('timeout', () => (s.destroy(), reject(missing('timeout'))));
  });
}

describe('data-route rate limits', () => {
  let t: TestApp;
  let pid: string;
  let key: string;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT: 'on' });
    const admin = await createAdmin(t);
    token = admin.token;
    pid = (await createProject(t, admin)).id;
    key = (await createApiKey(t, admin, pid)).api_key;
    await createCollection(t, admin, pid, 'things');
  });
  afterAll(() => t.close());

  it('limits per API key with 429, Retry-After and X-RateLimit-* headers; admins are not limited', async () => {
    const set = await t.request('PATCH', `/api/projects/${pid}`, {
      token,
      body: { rate_limits: { api_key: 3 } },
    });
    expect(set.status).toBe(200);
    expect(set.body.rate_limits).toMatchObject({ api_key: 3, app_user: 1200, anonymous: 300 });
    const statuses: number[] = [];
    let last = await t.request('GET', `/api/projects/${pid}/data/things`, { apiKey: key });
    statuses.push(last.status);
    expect(last.headers.get('x-ratelimit-limit')).toBe('3');
    expect(last.headers.get('x-ratelimit-remaining')).toBe('2');
    for (let i = 0; i < 3; i++) {
      last = await t.request('GET', `/api/projects/${pid}/data/things`, { apiKey: key });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(last.body.code).toBe('RATE_LIMITED');
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
    for (let i = 0; i < 5; i++) {
      expect((await t.request('GET', `/api/projects/${pid}/data/things`, { token })).status).toBe(
        200,
      );
    }
    expect(
      (
        await t.request('PATCH', `/api/projects/${pid}`, {
          token,
          body: { rate_limits: { api_key: -1 } },
        })
      ).status,
    ).toBe(400);
  });

  it('limits anonymous callers per IP', async () => {
    await t.request('PATCH', `/api/projects/${pid}`, {
      token,
      body: { rate_limits: { anonymous: 2 } },
    });
    const codes = [];
    for (let i = 0; i < 3; i++)
      codes.push((await t.request('GET', `/api/projects/${pid}/data/things`)).status);
    // Anonymous callers are refused by policy (401) until the limit turns them away first (429).
    expect(codes).toEqual([401, 401, 429]);
  });

  it('shares counts between processes through Redis when REDIS_URL is set', async () => {
    await requireRedis();
    const one = await createTestApp({ RATE_LIMIT: 'on', REDIS_URL });
    try {
      const admin = await createAdmin(one);
      const project = await createProject(one, admin);
      const k = (await createApiKey(one, admin, project.id)).api_key;
      await createCollection(one, admin, project.id, 'shared');
      await one.request('PATCH', `/api/projects/${project.id}`, {
        token: admin.token,
        body: { rate_limits: { api_key: 4 } },
      });
      const two = await createApp(one.config);
      await two.listen({ port: 0, host: '127.0.0.1' });
      const address = two.getHttpServer().address();
      const port = typeof address === 'object' && address ? address.port : 0;
      try {
        const codes: number[] = [];
        for (let i = 0; i < 3; i++)
          codes.push(
            (await one.request('GET', `/api/projects/${project.id}/data/shared`, { apiKey: k }))
              .status,
          );
        for (let i = 0; i < 2; i++) {
          const res = await fetch(
            `http://127.0.0.1:${port}/api/projects/${project.id}/data/shared`,
            { headers: { 'x-api-key': k } },
          );
          codes.push(res.status);
        }
        expect(codes).toEqual([200, 200, 200, 200, 429]);
      } finally {
        await two.close();
      }
    } finally {
      await one.close();
    }
  });
});
