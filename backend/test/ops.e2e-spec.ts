import { createTestApp, type TestApp } from './setup/test-app';

describe('ops and cross-cutting behaviour', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('serves /health and /ready', async () => {
    expect(await t.request('GET', '/health')).toMatchObject({ status: 200, body: { ok: true } });
    expect(await t.request('GET', '/ready')).toMatchObject({
      status: 200,
      body: { ok: true, database: true, migrations: true },
    });
  });

  it('exposes Prometheus metrics by route and status', async () => {
    await t.request('GET', '/api/me');
    const res = await t.request('GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toContain('http_requests_total');
    expect(res.text).toMatch(
      /http_request_duration_seconds_bucket\{[^}]*route="\/api\/me"[^}]*status="401"/,
    );
    expect(res.text).toContain('process_resident_memory_bytes');
  });

  it('serves OpenAPI with every route', async () => {
    const res = await t.request('GET', '/docs/openapi.json');
    expect(res.status).toBe(200);
    const paths = Object.keys(res.body.paths);
    for (const p of [
      '/api/auth/register',
      '/api/auth/login',
      '/api/auth/refresh',
      '/api/auth/logout',
      '/api/me',
      '/api/projects',
      '/api/projects/{projectId}',
      '/api/projects/{projectId}/members',
      '/api/projects/{projectId}/members/{userId}',
      '/api/projects/{projectId}/api-keys',
      '/api/projects/{projectId}/api-keys/{keyId}/revoke',
      '/health',
      '/ready',
    ]) {
      expect(paths).toContain(p);
    }
    expect((await t.request('GET', '/docs')).status).toBe(200);
  });

  it('sets security headers and a request id', async () => {
    const res = await t.request('GET', '/api/me');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBeTruthy();
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-request-id')).toMatch(/[0-9a-f-]{36}/);
    const echoed = await t.request('GET', '/health', { headers: { 'x-request-id': 'abc-123' } });
    expect(echoed.headers.get('x-request-id')).toBe('abc-123');
  });

  it('answers CORS only for configured origins', async () => {
    const allowed = await t.request('OPTIONS', '/api/projects', {
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'GET' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const denied = await t.request('OPTIONS', '/api/projects', {
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers unknown API routes with problem+json 404', async () => {
    const res = await t.request('GET', '/api/nope');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.code).toBe('NOT_FOUND');
  });

  it('answers an unsupported content type with 415 and oversized bodies with 413', async () => {
    const res = await t.request('POST', '/api/auth/login', {
      rawBody: 'x',
      headers: { 'content-type': 'application/xml' },
    });
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const big = await t.request('POST', '/api/auth/login', {
      rawBody: JSON.stringify({ email: 'a@b.co', password: 'x'.repeat(11 * 1024 * 1024) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('PAYLOAD_TOO_LARGE');
  });
});
