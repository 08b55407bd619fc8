import { createTestApp, type TestApp } from './setup/test-app';
import { createAdmin, createProject, type TestAdmin } from './factories/admin.factory';
import { startSmtpCatcher, type SmtpCatcher } from './setup/smtp-catcher';

// Issue 14.8: from the App Users page an admin mails one user a password reset, a magic sign-in
// link or a verification link; the mails are styled HTML with a text part, linking to the site.

const PASSWORD = 'correct horse battery';
const SITE = 'https://app.example.com/welcome';
const tokenIn = (text: string) => /token=([A-Za-z0-9_-]+)/.exec(text)?.[1] ?? null;

describe('admin mail actions for app users', () => {
  let t: TestApp;
  let smtp: SmtpCatcher;
  let owner: TestAdmin;
  let viewer: TestAdmin;
  let pid: string;
  let n = 0;
  const email = () => `person${++n}-${Date.now()}@example.com`;
  const users = () => `/api/projects/${pid}/settings/auth/users`;
  const auth = () => `/api/projects/${pid}/auth`;
  const send = (id: string, body: unknown, who = owner) =>
    t.request('POST', `${users()}/${id}/send`, { token: who.token, body });
  const settings = (body: Record<string, unknown>) =>
    t.request('PUT', `/api/projects/${pid}/settings/auth`, { token: owner.token, body });
  const createUser = async (extra: Record<string, unknown> = {}) => {
    const e = email();
    const res = await t.request('POST', users(), {
      token: owner.token,
      body: { email: e, password: PASSWORD, ...extra },
    });
    expect(res.status).toBe(201);
    return { id: res.body.id as string, email: e };
  };

  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    t = await createTestApp({ SMTP_URL: smtp.url, MAIL_FROM: 'Backendify <auth@example.com>' });
    owner = await createAdmin(t);
    viewer = await createAdmin(t);
    pid = (await createProject(t, owner, 'Acme <Shop>')).id;
    const added = await t.request('POST', `/api/projects/${pid}/members`, {
      token: owner.token,
      body: { email: viewer.email, role: 'viewer' },
    });
    expect(added.status).toBe(201);
    expect((await settings({ site_url: SITE, enable_magic_link: true })).status).toBe(200);
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('mails a password reset whose link, on the site URL, resets the password', async () => {
    const u = await createUser();
    const before = smtp.messages.length;
    const res = await send(u.id, { kind: 'password_reset' });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      sent: 'password_reset',
      to: u.email,
      message: `Password reset link sent to ${u.email}`,
    });
    const mail = await smtp.waitFor(u.email, before);
    expect(mail.subject).toBe('Acme <Shop>: reset your password');
    expect(mail.text).toContain(`${SITE}?token=`);
    // Styled HTML: a button and the link spelled out, both on the site; the name escaped.
    expect(mail.html).toMatch(
      /<a href="https:\/\/app\.example\.com\/welcome\?token=[^"]+" style="[^"]*background/,
    );
    expect(mail.html).toContain('Reset password</a>');
    expect(mail.html).toContain('<a href="https://app.example.com" ');
    expect(mail.html).toContain('Acme &lt;Shop&gt;');
    expect(mail.html).not.toContain('<Shop>');
    const ok = await t.request('POST', `${auth()}/password/reset/confirm`, {
      body: { token: tokenIn(mail.text), new_password: 'a brand new password' },
    });
    expect(ok.status).toBe(200);
    const login = await t.request('POST', `${auth()}/login`, {
      body: { email: u.email, password: 'a brand new password' },
    });
    expect(login.status).toBe(200);
  });

  it('mails a magic link that signs the user in', async () => {
    const u = await createUser();
    const before = smtp.messages.length;
    const res = await send(u.id, { kind: 'magic_link' });
    expect(res.status).toBe(202);
    expect(res.body.sent).toBe('magic_link');
    const mail = await smtp.waitFor(u.email, before);
    expect(mail.html).toContain('Sign in to Acme &lt;Shop&gt;</a>');
    const signedIn = await t.request('POST', `${auth()}/otp/verify`, {
      body: { token: tokenIn(mail.text) },
    });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.access_token).toEqual(expect.any(String));
  });

  it('mails a verification link that verifies the address; verified users get 400', async () => {
    const u = await createUser();
    const before = smtp.messages.length;
    const res = await send(u.id, { kind: 'verification' });
    expect(res.status).toBe(202);
    const mail = await smtp.waitFor(u.email, before);
    expect(mail.text).toContain(`${SITE}?token=`);
    const confirmed = await t.request('POST', `${auth()}/verify/confirm`, {
      body: { token: tokenIn(mail.text) },
    });
    expect(confirmed.status).toBe(200);
    const again = await send(u.id, { kind: 'verification' });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ code: 'BAD_REQUEST', detail: 'Email already verified' });
  });

  it('refuses disabled users, switched-off methods, unknown kinds, unknown users and viewers', async () => {
    const disabled = await createUser({ is_disabled: true });
    const off = await send(disabled.id, { kind: 'password_reset' });
    expect(off.status).toBe(403);
    expect(off.body.detail).toBe('User account is disabled');

    const u = await createUser();
    await settings({ enable_magic_link: false });
    const noMagic = await send(u.id, { kind: 'magic_link' });
    expect(noMagic.status).toBe(400);
    expect(noMagic.body.detail).toBe('Magic link sign-in is not enabled for this project');
    await settings({ enable_magic_link: true });

    const bad = await send(u.id, { kind: 'sms' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(bad.body.errors).toEqual([
      expect.objectContaining({
        field: 'kind',
        message: expect.stringContaining('password_reset'),
      }),
    ]);
    expect((await send(u.id, {})).status).toBe(400);

    const missing = await send('00000000-0000-4000-8000-000000000000', { kind: 'verification' });
    expect(missing.status).toBe(404);
    expect((await send('not-a-uuid', { kind: 'verification' })).status).toBe(404);

    const before = smtp.messages.length;
    const denied = await send(u.id, { kind: 'password_reset' }, viewer);
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('FORBIDDEN');
    await new Promise((r) => setTimeout(r, 200));
    expect(smtp.messages.slice(before).filter((m) => m.to.includes(u.email))).toEqual([]);
  });
});
