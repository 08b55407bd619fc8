import { createTestApp, type TestApp } from './setup/test-app';
import { createAdmin, createProject, type TestAdmin } from './factories/admin.factory';

describe('dev mailbox (no SMTP_URL)', () => {
  let t: TestApp;
  let admin: TestAdmin;
  let stranger: TestAdmin;
  let pid: string;
  const mailbox = () => `/api/projects/${pid}/mailbox`;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createAdmin(t);
    stranger = await createAdmin(t);
    pid = (await createProject(t, admin, `<script>alert("x")</script> Shop`)).id;
    await t.request('PUT', `/api/projects/${pid}/settings/auth`, {
      token: admin.token,
      body: {
        enable_otp: true,
        enable_magic_link: true,
        allowed_redirect_uris: ['https://shop.example.com/login'],
      },
    });
  });
  afterAll(() => t.close());

  it('keeps auth mail in the project mailbox, newest first, with escaped HTML', async () => {
    const reg = await t.request('POST', `/api/projects/${pid}/auth/register`, {
      body: { email: 'eve@example.com', password: 'long enough pw' },
    });
    expect(reg.status).toBe(201);
    await t.request('POST', `/api/projects/${pid}/auth/password/reset/send`, {
      body: { email: 'eve@example.com' },
    });
    await t.request('POST', `/api/projects/${pid}/auth/otp/send`, {
      body: { email: 'eve@example.com', redirect_uri: 'https://shop.example.com/login' },
    });
    // Send routes answer first and mail afterwards (issue 9.14), so wait for both messages.
    let res = await t.request('GET', mailbox(), { token: admin.token });
    for (let i = 0; i < 200 && res.body.messages.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 25));
      res = await t.request('GET', mailbox(), { token: admin.token });
    }
    expect(res.status).toBe(200);
    expect(res.body.messages.map((m: { kind: string }) => m.kind)).toEqual([
      'magic_link',
      'reset_password',
    ]);
    const [otp, reset] = res.body.messages;
    expect(otp).toMatchObject({ to: 'eve@example.com' });
    expect(Object.keys(otp).sort()).toEqual([
      'created_at',
      'html',
      'id',
      'kind',
      'subject',
      'text',
      'to',
    ]);
    expect(otp.text).toMatch(/code: \d{6}/);
    expect(otp.text).toContain('https://shop.example.com/login?token=');
    expect(otp.html).not.toContain('<script>');
    expect(otp.html).toContain('&lt;script&gt;');
    expect(reset.text).toMatch(/token=[A-Za-z0-9_-]+/);
    const code = /code: (\d{6})/.exec(otp.text)![1];
    const ok = await t.request('POST', `/api/projects/${pid}/auth/otp/verify`, {
      body: { email: 'eve@example.com', code },
    });
    expect(ok.status).toBe(200);
  });

  it('refuses a mailed link to a redirect_uri that is not allowed', async () => {
    const res = await t.request('POST', `/api/projects/${pid}/auth/otp/send`, {
      body: { email: 'eve@example.com', redirect_uri: 'https://evil.example.com/steal' },
    });
    expect(res.status).toBe(400);
  });

  it('is admin-only and can be emptied', async () => {
    expect((await t.request('GET', mailbox())).status).toBe(401);
    expect((await t.request('GET', mailbox(), { token: stranger.token })).status).toBe(404);
    expect((await t.request('DELETE', mailbox(), { token: stranger.token })).status).toBe(404);
    expect((await t.request('DELETE', mailbox(), { token: admin.token })).status).toBe(204);
    expect((await t.request('GET', mailbox(), { token: admin.token })).body.messages).toEqual([]);
  });
});
