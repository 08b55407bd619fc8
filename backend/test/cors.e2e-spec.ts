import { createTestApp, type TestApp } from './setup/test-app';
import {
  createAdmin,
  createApiKey,
  createProject,
  type TestAdmin,
} from './factories/admin.factory';
import { addField, createCollection } from './factories/schema.factory';

const APP_ORIGIN = 'https://my-app.example.com';
const CONSOLE_ORIGIN = 'https://console.example.com';

/** Issue 8.2: an app on another origin can call its project's public routes; the console's stay closed. */
describe('CORS', () => {
  let t: TestApp;
  let admin: TestAdmin;
  let pid: string;
  let key: string;
  const data = (p = pid) => `/api/projects/${p}/data/posts`;

  const preflight = (path: string, origin: string, method = 'PATCH') =>
    t.request('OPTIONS', path, {
      headers: {
        origin,
        'access-control-request-method': method,
        'access-control-request-headers': 'authorization,x-api-key,content-type',
      },
    });

  beforeAll(async () => {
    t = await createTestApp({ CORS_ORIGINS: CONSOLE_ORIGIN });
    admin = await createAdmin(t);
    pid = (await createProject(t, admin)).id;
    key = (await createApiKey(t, admin, pid)).api_key;
    await createCollection(t, admin, pid, 'posts');
    await addField(t, admin, pid, 'posts', { name: 'title', field_type: 'string' });
  });
  afterAll(() => t.close());

  describe('public app routes answer any origin without credentials by default', () => {
    it.each([
      ['data', () => data()],
      ['auth', () => `/api/projects/${pid}/auth/login`],
      ['files', () => `/api/projects/${pid}/files/upload`],
      ['functions', () => `/api/projects/${pid}/functions/hello`],
    ])('preflight on %s', async (_name, path) => {
      const res = await preflight(path(), APP_ORIGIN);
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
      const methods = res.headers.get('access-control-allow-methods') ?? '';
      for (const m of ['GET', 'POST', 'PATCH', 'DELETE']) expect(methods).toContain(m);
      const allowed = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase();
      for (const h of [
        'authorization',
        'x-api-key',
        'content-type',
        'x-request-id',
        'tus-resumable',
        'upload-offset',
      ])
        expect(allowed).toContain(h);
    });

    it('tus uploads answer CORS too (their handler writes the raw response)', async () => {
      const b64 = (v: string) => Buffer.from(v).toString('base64');
      const bucket = await t.request('POST', `/api/projects/${pid}/files/buckets`, {
        token: admin.token,
        body: { name: 'uploads' },
      });
      expect(bucket.status).toBe(201);
      const created = await t.request('POST', `/api/projects/${pid}/files/tus`, {
        token: admin.token,
        headers: {
          origin: APP_ORIGIN,
          'tus-resumable': '1.0.0',
          'upload-length': '5',
          'upload-metadata': `bucket ${b64('uploads')},filename ${b64('a.txt')}`,
        },
      });
      expect(created.status).toBe(201);
      expect(created.headers.get('access-control-allow-origin')).toBe('*');
      const exposed = (created.headers.get('access-control-expose-headers') ?? '').toLowerCase();
      for (const h of ['location', 'upload-offset', 'backendify-file-id'])
        expect(exposed).toContain(h);
      const refused = await t.request('POST', `/api/projects/${pid}/files/tus`, {
        headers: {
          origin: APP_ORIGIN,
          'tus-resumable': '1.0.0',
          'upload-length': '5',
          'upload-metadata': `bucket ${b64('uploads')}`,
        },
      });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('access-control-allow-origin')).toBe('*');
    });

    it('actual requests carry the CORS headers and expose the paging and limit headers', async () => {
      const created = await t.request('POST', data(), {
        apiKey: key,
        body: { title: 'hello' },
        headers: { origin: APP_ORIGIN },
      });
      expect(created.status).toBe(201);
      expect(created.headers.get('access-control-allow-origin')).toBe('*');
      const list = await t.request('GET', data(), { apiKey: key, headers: { origin: 'null' } });
      expect(list.status).toBe(200);
      expect(list.headers.get('access-control-allow-origin')).toBe('*');
      const exposed = (list.headers.get('access-control-expose-headers') ?? '').toLowerCase();
      for (const h of [
        'x-total-count',
        'x-ratelimit-remaining',
        'retry-after',
        'x-request-id',
        'location',
        'etag',
      ])
        expect(exposed).toContain(h);
      expect(list.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    });

    it('a project id in another spelling is the same project', async () => {
      const res = await preflight(data(pid.toUpperCase()), APP_ORIGIN);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
    });
  });

  describe('allowed_origins restricts a project', () => {
    it('is validated, stored, returned by GET and cleared by null or []', async () => {
      for (const bad of [
        ['https://a.example.com/path'],
        ['not an origin'],
        'https://a.example.com',
        [5],
      ]) {
        const res = await t.request('PATCH', `/api/projects/${pid}`, {
          token: admin.token,
          body: { allowed_origins: bad },
        });
        expect(res.status).toBe(400);
        expect(res.body.errors[0].field).toBe('allowed_origins');
      }
      const fresh = await t.request('GET', `/api/projects/${pid}`, { token: admin.token });
      expect(fresh.body.allowed_origins).toBeNull();
      const set = await t.request('PATCH', `/api/projects/${pid}`, {
        token: admin.token,
        body: { allowed_origins: [APP_ORIGIN, 'http://localhost:5173'] },
      });
      expect(set.status).toBe(200);
      expect(set.body.allowed_origins).toEqual([APP_ORIGIN, 'http://localhost:5173']);
      const got = await t.request('GET', `/api/projects/${pid}`, { token: admin.token });
      expect(got.body.allowed_origins).toEqual([APP_ORIGIN, 'http://localhost:5173']);
    });

    it('is documented in OpenAPI', async () => {
      const doc = await t.request('GET', '/docs/openapi.json');
      expect(doc.body.components.schemas.UpdateProjectDto.properties.allowed_origins).toMatchObject(
        {
          type: 'array',
        },
      );
      expect(doc.body.components.schemas.ProjectResponseDto.properties).toHaveProperty(
        'allowed_origins',
      );
    });

    it('a listed origin is answered with itself, another origin gets no CORS headers', async () => {
      const ok = await preflight(data(), APP_ORIGIN);
      expect(ok.status).toBe(204);
      expect(ok.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
      expect(ok.headers.get('vary')).toContain('Origin');
      expect(ok.headers.get('access-control-allow-credentials')).toBeNull();
      const actual = await t.request('GET', data(), {
        apiKey: key,
        headers: { origin: APP_ORIGIN },
      });
      expect(actual.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);

      const foreign = await preflight(data(), 'https://evil.example.net');
      expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
      const foreignGet = await t.request('GET', data(), {
        apiKey: key,
        headers: { origin: 'https://evil.example.net' },
      });
      expect(foreignGet.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('other projects stay open; [] opens the project again', async () => {
      const other = (await createProject(t, admin, 'Other')).id;
      const res = await preflight(data(other), 'https://evil.example.net');
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      const cleared = await t.request('PATCH', `/api/projects/${pid}`, {
        token: admin.token,
        body: { allowed_origins: [] },
      });
      expect(cleared.body.allowed_origins).toBeNull();
      const open = await preflight(data(), 'https://evil.example.net');
      expect(open.headers.get('access-control-allow-origin')).toBe('*');
    });
  });

  describe('admin routes keep CORS_ORIGINS with credentials', () => {
    it.each([
      ['/api/projects'],
      [`/api/projects/PID/schema/collections`],
      [`/api/projects/PID/settings/auth`],
      [`/api/projects/PID/api-keys`],
      ['/api/auth/login'],
    ])('%s refuses a foreign origin and answers the console', async (raw) => {
      const path = raw.replace('PID', pid);
      const foreign = await preflight(path, APP_ORIGIN, 'POST');
      expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
      const foreignGet = await t.request('GET', path, {
        token: admin.token,
        headers: { origin: APP_ORIGIN },
      });
      expect(foreignGet.headers.get('access-control-allow-origin')).toBeNull();
      const console = await preflight(path, CONSOLE_ORIGIN, 'POST');
      expect(console.status).toBe(204);
      expect(console.headers.get('access-control-allow-origin')).toBe(CONSOLE_ORIGIN);
      expect(console.headers.get('access-control-allow-credentials')).toBe('true');
    });
  });
});
