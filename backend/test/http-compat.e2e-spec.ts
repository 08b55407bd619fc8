import { createTestApp, type TestApp } from './setup/test-app';
import {
  createAdmin,
  createApiKey,
  createProject,
  type TestAdmin,
} from './factories/admin.factory';
import { addField, createCollection } from './factories/schema.factory';

/** Clients of the original keep working (issue 8.2) and odd requests get 4xx, not 500 (issue 9). */
describe('HTTP compatibility', () => {
  let t: TestApp;
  let admin: TestAdmin;
  let pid: string;
  let key: string;
  const data = (path = '') => `/api/projects/${pid}/data/notes${path}`;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createAdmin(t);
    pid = (await createProject(t, admin)).id;
    key = (await createApiKey(t, admin, pid)).api_key;
    await createCollection(t, admin, pid, 'notes');
    await addField(t, admin, pid, 'notes', { name: 'title', field_type: 'string' });
  });
  afterAll(() => t.close());

  describe('an empty body with Content-Type: application/json is no body', () => {
    it('DELETE of a record', async () => {
      const created = await t.request('POST', data(), { apiKey: key, body: { title: 'x' } });
      const res = await fetch(`${t.baseUrl}${data(`/${created.body.id}`)}`, {
        method: 'DELETE',
        headers: { 'content-type': 'application/json', 'x-api-key': key, 'content-length': '0' },
        body: '',
      });
      expect(res.status).toBe(204);
      expect((await t.request('GET', data(`/${created.body.id}`), { apiKey: key })).status).toBe(
        404,
      );
    });

    it('a POST without payload (app user logout of all sessions)', async () => {
      await t.request('PUT', `/api/projects/${pid}/settings/auth`, {
        token: admin.token,
        body: { enable_email_password: true, allow_public_signup: true },
      });
      const signup = await t.request('POST', `/api/projects/${pid}/auth/register`, {
        body: { email: 'empty-body@example.com', password: 'long enough password' },
      });
      expect(signup.status).toBe(201);
      const res = await t.request('POST', `/api/projects/${pid}/auth/logout/all`, {
        token: signup.body.access_token,
        rawBody: '',
        headers: { 'content-type': 'application/json; charset=utf-8' },
      });
      expect(res.status).toBe(204);
    });

    it('a whitespace-only body is no body too; a body that is not JSON is still 400', async () => {
      const blank = await t.request('POST', data(), {
        apiKey: key,
        rawBody: '  \n',
        headers: { 'content-type': 'application/json' },
      });
      expect(blank.status).toBe(400);
      expect(blank.body.code).not.toBe('INTERNAL');
      expect(blank.body.detail).not.toMatch(/Body cannot be empty/);
      const broken = await t.request('POST', data(), {
        apiKey: key,
        rawBody: '{"title":',
        headers: { 'content-type': 'application/json' },
      });
      expect(broken.status).toBe(400);
      expect(broken.body).toMatchObject({
        code: 'BAD_REQUEST',
        detail: 'The request body is not valid JSON',
      });
    });
  });

  describe('bodies of an undeclared type are 415 UNSUPPORTED_MEDIA_TYPE', () => {
    it.each([
      ['text/plain', 'title=x'],
      ['text/csv', 'title\nx\n'],
      ['application/x-www-form-urlencoded', 'title=x'],
      ['application/xml', '<title>x</title>'],
    ])('%s on a JSON route', async (type, body) => {
      const res = await t.request('POST', data(), {
        apiKey: key,
        rawBody: body,
        headers: { 'content-type': type },
      });
      expect(res.status).toBe(415);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });

    it('multipart/form-data on a JSON route', async () => {
      const form = new FormData();
      form.append('title', 'x');
      const res = await fetch(`${t.baseUrl}${data()}`, {
        method: 'POST',
        headers: { 'x-api-key': key },
        body: form,
      });
      expect(res.status).toBe(415);
      expect(((await res.json()) as { code: string }).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });

    it('the import route still takes text/csv, multipart and JSON; +json types are JSON', async () => {
      const csv = await t.request('POST', data('/import'), {
        apiKey: key,
        rawBody: 'title\nfrom csv\n',
        headers: { 'content-type': 'text/csv; charset=utf-8' },
      });
      expect(csv.body).toEqual({ inserted: 1 });
      const plain = await t.request('POST', data('/import'), {
        apiKey: key,
        rawBody: 'title\nfrom csv\n',
        headers: { 'content-type': 'text/plain' },
      });
      expect(plain.status).toBe(415);
      const merge = await t.request('POST', data(), {
        apiKey: key,
        rawBody: JSON.stringify({ title: 'merge' }),
        headers: { 'content-type': 'application/merge-patch+json' },
      });
      expect(merge.status).toBe(201);
    });
  });

  describe('JSON nesting depth (issue 9.16)', () => {
    const nested = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

    it('a deeply nested key on the unauthenticated login is 400, not 500', async () => {
      for (const depth of [65, 10_000, 200_000]) {
        const res = await t.request('POST', '/api/auth/login', {
          rawBody: `{"email":${nested(depth)},"password":"whatever"}`,
          headers: { 'content-type': 'application/json' },
        });
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ code: 'BAD_REQUEST' });
        expect(res.body.detail).toMatch(/nested deeper than 64/);
      }
    });

    it('arrays count as levels; brackets inside strings do not', async () => {
      const arrays = await t.request('POST', data('/bulk'), {
        apiKey: key,
        rawBody: '['.repeat(100) + ']'.repeat(100),
        headers: { 'content-type': 'application/json' },
      });
      expect(arrays.status).toBe(400);
      expect(arrays.body.detail).toMatch(/nested deeper than 64/);
      const text = await t.request('POST', data(), {
        apiKey: key,
        body: { title: '{'.repeat(500) + '"\\' },
      });
      expect(text.status).toBe(201);
      expect(text.body.title).toBe('{'.repeat(500) + '"\\');
    });

    it('64 levels pass the parser and meet ordinary validation', async () => {
      const res = await t.request('POST', data(), {
        apiKey: key,
        rawBody: `{"title":"ok","extra":${nested(63)}}`,
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(400);
      expect(res.body.detail).not.toMatch(/nested/);
    });

    it('__proto__ keys are refused as before', async () => {
      const res = await t.request('POST', data(), {
        apiKey: key,
        rawBody: '{"title":"x","__proto__":{"polluted":true}}',
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(400);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });

  describe('request ids (issue 9.18)', () => {
    it('echoes a well-formed X-Request-Id', async () => {
      const res = await t.request('GET', '/health', { headers: { 'x-request-id': 'req-1.a:b_C' } });
      expect(res.headers.get('x-request-id')).toBe('req-1.a:b_C');
    });

    it.each(['<script>alert(1)</script>', 'a'.repeat(129), 'two words', 'a"b', 'x/y\\z'])(
      'replaces %j with a fresh id',
      async (sent) => {
        const res = await t.request('GET', '/health', { headers: { 'x-request-id': sent } });
        const id = res.headers.get('x-request-id');
        expect(id).not.toBe(sent);
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      },
    );
  });

  describe('API keys', () => {
    it('prefix is the first 8 characters of the key, as in the original', async () => {
      const created = await createApiKey(t, admin, pid, 'prefix check');
      expect(created.prefix).toHaveLength(8);
      expect(created.prefix).toBe(created.api_key.slice(0, 8));
      const list = await t.request('GET', `/api/projects/${pid}/api-keys`, { token: admin.token });
      expect(list.body.find((k: { id: string }) => k.id === created.id).prefix).toBe(
        created.prefix,
      );
    });
  });

  describe('fields', () => {
    it('a new field named like a _users system field is 400 "is a system field"', async () => {
      for (const name of ['email', 'is_email_verified', 'password_hash']) {
        const res = await t.request(
          'POST',
          `/api/projects/${pid}/schema/collections/_users/fields`,
          {
            token: admin.token,
            body: { name, display_name: name, field_type: 'string' },
          },
        );
        expect(res.status).toBe(400);
        expect(res.body.detail).toBe(`Field '${name}' is a system field and cannot be modified.`);
      }
      const ordinary = await t.request(
        'POST',
        `/api/projects/${pid}/schema/collections/notes/fields`,
        {
          token: admin.token,
          body: { name: 'title', display_name: 'Title', field_type: 'string' },
        },
      );
      expect(ordinary.status).toBe(409);
    });
  });

  describe('TRUST_PROXY (issue 9.18)', () => {
    const ipOfLogin = async (app: TestApp, headers: Record<string, string>) => {
      const who = await createAdmin(app);
      const res = await app.request('POST', '/api/auth/login', {
        body: { email: who.email, password: who.password },
        headers,
      });
      expect(res.status).toBe(200);
      const rows = await app.query(
        `SELECT ip_address FROM backendify.admin_refresh_tokens WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1`,
        [who.id],
      );
      return rows[0].ip_address as string;
    };

    it('is off by default: X-Forwarded-For from a client is ignored', async () => {
      expect(await ipOfLogin(t, { 'x-forwarded-for': '198.51.100.23' })).toBe('127.0.0.1');
    });

    it.each([['true'], ['1'], ['127.0.0.1/32,10.0.0.1']])(
      'TRUST_PROXY=%s takes the client address from the proxy',
      async (value) => {
        const behind = await createTestApp({ TRUST_PROXY: value });
        try {
          expect(await ipOfLogin(behind, { 'x-forwarded-for': '198.51.100.23' })).toBe(
            '198.51.100.23',
          );
        } finally {
          await behind.close();
        }
      },
    );
  });
});
