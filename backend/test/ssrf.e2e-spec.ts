import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createTestApp, type TestApp } from './setup/test-app';
import { createAdmin, createProject, type TestAdmin } from './factories/admin.factory';

const REDIRECT_URI = 'https://app.example.com/auth/callback';

/** A local sink: counts every TCP connection and answers a valid OIDC discovery document. */
async function startSink(): Promise<{
  server: Server;
  tcp: TcpServer;
  port: number;
  hits: () => number;
}> {
  let hits = 0;
  let port = 0;
  const server = createHttpServer((req, res) => {
    const issuer = `http://${req.headers.host}`;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        userinfo_endpoint: `${issuer}/userinfo`,
      }),
    );
  });
  // Every connection is counted before HTTP (or a TLS hello) is read, so no attempt goes unseen.
  const tcp = createTcpServer((socket) => {
    hits += 1;
    server.emit('connection', socket);
  });
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
  port = (tcp.address() as AddressInfo).port;
  return { server, tcp, port, hits: () => hits };
}

async function configureOidc(t: TestApp, admin: TestAdmin, pid: string, issuer: string) {
  return t.request('PUT', `/api/projects/${pid}/settings/auth`, {
    token: admin.token,
    body: {
      oauth_providers: {
        oidc: { enabled: true, issuer, client_id: 'client', client_secret: 'very-secret' },
      },
      allowed_redirect_uris: [REDIRECT_URI],
    },
  });
}

const start = (t: TestApp, pid: string) =>
  t.request(
    'GET',
    `/api/projects/${pid}/auth/oauth/oidc/url?redirect_uri=${encodeURIComponent(REDIRECT_URI)}`,
  );

/** Issue 9.8: the OIDC issuer cannot make the server call loopback or private addresses. */
describe('SSRF guard on OIDC', () => {
  let sink: Awaited<ReturnType<typeof startSink>>;
  beforeAll(async () => {
    sink = await startSink();
  });
  afterAll(() => new Promise<void>((resolve) => sink.tcp.close(() => resolve())));

  describe('by default', () => {
    let t: TestApp;
    let admin: TestAdmin;
    beforeAll(async () => {
      t = await createTestApp();
      admin = await createAdmin(t);
    });
    afterAll(() => t.close());

    it.each([
      ['an IPv4 loopback literal', (p: number) => `http://127.0.0.1:${p}`],
      ['a name resolving to loopback', (p: number) => `http://localhost:${p}`],
      ['an IPv6 loopback literal', (p: number) => `http://[::1]:${p}`],
      ['an IPv4-mapped IPv6 literal', (p: number) => `https://[::ffff:127.0.0.1]:${p}`],
      ['a decimal IPv4 literal', (p: number) => `https://2130706433:${p}`],
      ['the unspecified address', (p: number) => `https://0.0.0.0:${p}`],
    ])('refuses %s with 400 and no request reaches it', async (_name, issuerOf) => {
      const pid = (await createProject(t, admin)).id;
      const before = sink.hits();
      const saved = await configureOidc(t, admin, pid, issuerOf(sink.port));
      expect(saved.status).toBe(200);
      const res = await start(t, pid);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('BAD_REQUEST');
      expect(res.body.detail).toMatch(/internal address/);
      expect(sink.hits()).toBe(before);
    });
  });

  describe('with WEBHOOK_ALLOW_PRIVATE=true (tests, on-prem)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ WEBHOOK_ALLOW_PRIVATE: 'true' });
    });
    afterAll(() => t.close());

    it('reaches a loopback issuer', async () => {
      const admin = await createAdmin(t);
      const pid = (await createProject(t, admin)).id;
      const issuer = `http://127.0.0.1:${sink.port}`;
      expect((await configureOidc(t, admin, pid, issuer)).status).toBe(200);
      const before = sink.hits();
      const res = await start(t, pid);
      expect(res.status).toBe(200);
      expect(res.body.auth_url).toContain(`${issuer}/authorize?`);
      expect(sink.hits()).toBeGreaterThan(before);
    });
  });
});
