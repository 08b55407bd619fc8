import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createTestApp,
  type HttpResult,
  type RequestOptions,
  type TestApp,
} from './setup/test-app';
import { createAdmin, createProject, type TestAdmin } from './factories/admin.factory';
import { startSmtpCatcher, type SmtpCatcher } from './setup/smtp-catcher';

const PASSWORD = 'correct horse battery';
const tokenIn = (text: string) => /token=([A-Za-z0-9_-]+)/.exec(text)?.[1] ?? null;
const codeIn = (text: string) => /code: (\d{6})/.exec(text)?.[1] ?? null;

describe('app-user auth', () => {
  let t: TestApp;
  let smtp: SmtpCatcher;
  let admin: TestAdmin;
  let pid: string;
  let otherPid: string;
  const responses: string[] = [];
  const secrets: string[] = [];
  let n = 0;
  const email = () => `user${++n}-${Date.now()}@example.com`;

  const req = async (method: string, path: string, opts?: RequestOptions): Promise<HttpResult> => {
    const res = await t.request(method, path, opts);
    responses.push(res.text + JSON.stringify(Object.fromEntries(res.headers.entries())));
    return res;
  };
  const auth = (p = pid) => `/api/projects/${p}/auth`;
  const settings = (body: Record<string, unknown>, p = pid) =>
    req('PUT', `/api/projects/${p}/settings/auth`, { token: admin.token, body });
  /** Waits for the next mail to `to` after the current count. */
  const nextMail = async (to: string, fn: () => Promise<unknown>) => {
    const before = smtp.messages.length;
    await fn();
    const m = await smtp.waitFor(to, before);
    // The text part, decoded by a MIME parser: every auth mail states its token or code there.
    const tok = tokenIn(m.text);
    const code = codeIn(m.text);
    if (tok) secrets.push(tok);
    if (code) secrets.push(code);
    return { mail: m, token: tok, code };
  };
  const register = async (e = email(), p = pid) => {
    const res = await req('POST', `${auth(p)}/register`, {
      body: { email: e, password: PASSWORD },
    });
    expect(res.status).toBe(201);
    return { email: e, ...res.body } as {
      email: string;
      access_token: string;
      refresh_token: string;
    };
  };
  const login = (e: string, password = PASSWORD, p = pid) =>
    req('POST', `${auth(p)}/login`, { body: { email: e, password } });

  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    t = await createTestApp({
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Backendify <auth@example.com>',
      // The test OIDC provider listens on 127.0.0.1, which the SSRF guard refuses by default.
      WEBHOOK_ALLOW_PRIVATE: 'true',
    });
    admin = await createAdmin(t);
    pid = (await createProject(t, admin, 'Acme <App>')).id;
    otherPid = (await createProject(t, admin, 'Other')).id;
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  describe('register, login, me', () => {
    it('lists providers with the original defaults, and 404s unknown projects', async () => {
      const res = await req('GET', `${auth()}/providers`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        email_password: true,
        magic_link: false,
        otp: false,
        oauth_google: false,
        oauth_github: false,
        session_mode: 'header',
        allow_public_signup: true,
      });
      const missing = await req('GET', `${auth('00000000-0000-4000-8000-000000000000')}/providers`);
      expect(missing.status).toBe(404);
    });

    it('documents itself at /meta with absolute URLs and working examples', async () => {
      const res = await req('GET', `${auth()}/meta`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ project_id: pid, providers: { email_password: true } });
      const names = res.body.endpoints.map((e: { name: string }) => e.name);
      expect(names).toEqual([
        'Get Providers',
        'Register',
        'Login',
        'Refresh Tokens',
        'Logout',
        'Get Current User',
        'Change Password',
        'Logout All Sessions',
      ]);
      expect(res.body.endpoints[0].url).toBe(`${t.baseUrl}/api/projects/${pid}/auth/providers`);
      expect(res.body.examples.curl.login).toContain('/login');
      expect(
        (await req('GET', `${auth('00000000-0000-4000-8000-000000000000')}/meta`)).status,
      ).toBe(404);
    });

    it('registers (lower-cased email), returns a token pair, and /me answers', async () => {
      const e = `Mixed.${Date.now()}@Example.com`;
      const res = await req('POST', `${auth()}/register`, {
        body: { email: e, password: PASSWORD },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ token_type: 'bearer', expires_in: 900 });
      const me = await req('GET', `${auth()}/me`, { token: res.body.access_token });
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ email: e.toLowerCase(), is_email_verified: false });
      expect(me.text).not.toContain('password');
      const dup = await req('POST', `${auth()}/register`, {
        body: { email: e.toUpperCase(), password: PASSWORD },
      });
      expect(dup.status).toBe(409);
      expect(dup.body.detail).toBe('User with this email already exists');
    });

    it('rejects short passwords and bad emails with 400; extra keys, system fields included, are ignored', async () => {
      expect(
        (await req('POST', `${auth()}/register`, { body: { email: email(), password: 'short' } }))
          .status,
      ).toBe(400);
      expect(
        (await req('POST', `${auth()}/register`, { body: { email: 'nope', password: PASSWORD } }))
          .status,
      ).toBe(400);
      // The original ignored extra keys (issue 8.2); a system field is never set this way.
      const extra = await req('POST', `${auth()}/register`, {
        body: { email: email(), password: PASSWORD, is_email_verified: true, password_hash: 'x' },
      });
      expect(extra.status).toBe(201);
      const me = await req('GET', `${auth()}/me`, { token: extra.body.access_token });
      expect(me.body.is_email_verified).toBe(false);
    });

    it('logs in; wrong password and unknown email are the same 401', async () => {
      const u = await register();
      expect((await login(u.email)).status).toBe(200);
      const wrong = await login(u.email, 'wrong password!');
      const unknown = await login(email());
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.body.detail).toBe(unknown.body.detail);
    });

    it('refuses /me without a token, with an admin token, and with garbage', async () => {
      expect((await req('GET', `${auth()}/me`)).status).toBe(401);
      expect((await req('GET', `${auth()}/me`, { token: admin.token })).status).toBe(401);
      expect((await req('GET', `${auth()}/me`, { token: 'a.b.c' })).status).toBe(401);
    });

    it('refuses a token of project A on project B, and app tokens on admin routes', async () => {
      const u = await register();
      const other = await req('GET', `${auth(otherPid)}/me`, { token: u.access_token });
      expect(other.status).toBe(401);
      expect((await req('GET', '/api/me', { token: u.access_token })).status).toBe(401);
      expect(
        (await req('GET', `/api/projects/${pid}/settings/auth`, { token: u.access_token })).status,
      ).toBe(401);
      const refreshB = await req('POST', `${auth(otherPid)}/refresh`, {
        body: { refresh_token: u.refresh_token },
      });
      expect(refreshB.status).toBe(401);
    });

    it('honours the public-signup and email/password switches', async () => {
      await settings({ allow_public_signup: false });
      const closed = await req('POST', `${auth()}/register`, {
        body: { email: email(), password: PASSWORD },
      });
      expect(closed.status).toBe(403);
      await settings({ allow_public_signup: true, enable_email_password: false });
      const off = await req('POST', `${auth()}/register`, {
        body: { email: email(), password: PASSWORD },
      });
      expect(off.status).toBe(400);
      await settings({ enable_email_password: true });
    });
  });

  describe('refresh tokens and sessions', () => {
    it('rotates; a rotated token reused after the grace window revokes the whole family', async () => {
      const u = await register();
      const r1 = await req('POST', `${auth()}/refresh`, {
        body: { refresh_token: u.refresh_token },
      });
      expect(r1.status).toBe(200);
      expect(r1.body.refresh_token).not.toBe(u.refresh_token);
      await t.query(
        `UPDATE backendify.app_refresh_tokens SET rotated_at = now() - interval '1 minute' WHERE rotated_at IS NOT NULL`,
      );
      const reuse = await req('POST', `${auth()}/refresh`, {
        body: { refresh_token: u.refresh_token },
      });
      expect(reuse.status).toBe(401);
      const successor = await req('POST', `${auth()}/refresh`, {
        body: { refresh_token: r1.body.refresh_token },
      });
      expect(successor.status).toBe(401);
      expect((await req('GET', `${auth()}/me`, { token: r1.body.access_token })).status).toBe(401);
    });

    it('gives concurrent refreshes inside the grace window the same successor', async () => {
      const u = await register();
      const [a, b] = await Promise.all([
        req('POST', `${auth()}/refresh`, { body: { refresh_token: u.refresh_token } }),
        req('POST', `${auth()}/refresh`, { body: { refresh_token: u.refresh_token } }),
      ]);
      expect(a.status).toBe(200);
      expect(b.status).toBe(200);
      expect(a.body.refresh_token).toBe(b.body.refresh_token);
      const next = await req('POST', `${auth()}/refresh`, {
        body: { refresh_token: a.body.refresh_token },
      });
      expect(next.status).toBe(200);
    });

    it('rejects an expired refresh token', async () => {
      const u = await register();
      await t.query(
        `UPDATE backendify.app_refresh_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = $1`,
        [createHash('sha256').update(u.refresh_token).digest('hex')],
      );
      const res = await req('POST', `${auth()}/refresh`, {
        body: { refresh_token: u.refresh_token },
      });
      expect(res.status).toBe(401);
      expect(res.body.detail).toBe('Refresh token expired');
    });

    it('logout ends the session; logout/all ends every session', async () => {
      const u = await register();
      expect(
        (await req('POST', `${auth()}/logout`, { body: { refresh_token: u.refresh_token } }))
          .status,
      ).toBe(204);
      expect(
        (await req('POST', `${auth()}/refresh`, { body: { refresh_token: u.refresh_token } }))
          .status,
      ).toBe(401);
      expect((await req('GET', `${auth()}/me`, { token: u.access_token })).status).toBe(401);
      const a = (await login(u.email)).body;
      const b = (await login(u.email)).body;
      expect((await req('POST', `${auth()}/logout/all`, { token: a.access_token })).status).toBe(
        204,
      );
      expect((await req('GET', `${auth()}/me`, { token: b.access_token })).status).toBe(401);
      expect(
        (await req('POST', `${auth()}/refresh`, { body: { refresh_token: b.refresh_token } }))
          .status,
      ).toBe(401);
    });

    it('lists sessions and revokes one', async () => {
      const u = await register();
      const second = (await login(u.email)).body;
      const list = await req('GET', `${auth()}/sessions`, { token: u.access_token });
      expect(list.status).toBe(200);
      expect(list.body.sessions).toHaveLength(2);
      expect(list.body.sessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
      const other = list.body.sessions.find((s: { current: boolean }) => !s.current);
      expect(
        (await req('DELETE', `${auth()}/sessions/${other.id}`, { token: u.access_token })).status,
      ).toBe(204);
      expect((await req('GET', `${auth()}/me`, { token: second.access_token })).status).toBe(401);
      expect((await req('GET', `${auth()}/me`, { token: u.access_token })).status).toBe(200);
      expect(
        (await req('DELETE', `${auth()}/sessions/${other.id}`, { token: u.access_token })).status,
      ).toBe(404);
    });

    it('password change needs the current password and revokes the other sessions', async () => {
      const u = await register();
      const other = (await login(u.email)).body;
      const bad = await req('POST', `${auth()}/password/change`, {
        token: u.access_token,
        body: { current_password: 'not it at all', new_password: 'brand new password' },
      });
      expect(bad.status).toBe(401);
      const short = await req('POST', `${auth()}/password/change`, {
        token: u.access_token,
        body: { current_password: PASSWORD, new_password: 'short' },
      });
      expect(short.status).toBe(400);
      const ok = await req('POST', `${auth()}/password/change`, {
        token: u.access_token,
        body: { current_password: PASSWORD, new_password: 'brand new password' },
      });
      expect(ok.status).toBe(204);
      expect((await req('GET', `${auth()}/me`, { token: u.access_token })).status).toBe(200);
      expect((await req('GET', `${auth()}/me`, { token: other.access_token })).status).toBe(401);
      expect(
        (await req('POST', `${auth()}/refresh`, { body: { refresh_token: other.refresh_token } }))
          .status,
      ).toBe(401);
      expect((await login(u.email)).status).toBe(401);
      expect((await login(u.email, 'brand new password')).status).toBe(200);
    });

    it('refuses disabled users at login, refresh and /me', async () => {
      const u = await register();
      const users = await req(
        'GET',
        `/api/projects/${pid}/settings/auth/users?search=${encodeURIComponent(u.email)}`,
        {
          token: admin.token,
        },
      );
      const id = users.body[0].id;
      const patch = await req('PATCH', `/api/projects/${pid}/settings/auth/users/${id}`, {
        token: admin.token,
        body: { is_disabled: true },
      });
      expect(patch.body.is_disabled).toBe(true);
      expect((await req('GET', `${auth()}/me`, { token: u.access_token })).status).toBe(401);
      expect(
        (await req('POST', `${auth()}/refresh`, { body: { refresh_token: u.refresh_token } }))
          .status,
      ).toBe(401);
      const l = await login(u.email);
      expect(l.status).toBe(403);
      expect(l.body.detail).toBe('User account is disabled');
    });
  });

  describe('lockout', () => {
    it('locks an email after 5 failures for 15 minutes with 429 LOCKED_OUT and Retry-After', async () => {
      const u = await register();
      for (let i = 0; i < 5; i++)
        expect((await login(u.email, 'wrong password!')).status).toBe(401);
      const locked = await login(u.email);
      expect(locked.status).toBe(429);
      expect(locked.body.code).toBe('LOCKED_OUT');
      const retry = Number(locked.headers.get('retry-after'));
      expect(retry).toBeGreaterThan(14 * 60);
      expect(retry).toBeLessThanOrEqual(15 * 60);
      const other = await register();
      expect((await login(other.email)).status).toBe(200);
      await t.query(
        `UPDATE backendify.app_login_attempts SET created_at = created_at - interval '16 minutes' WHERE email = $1`,
        [u.email],
      );
      expect((await login(u.email)).status).toBe(200);
    });
  });

  describe('email verification', () => {
    afterAll(() => settings({ require_email_verification: false }));

    it('with verification required: no tokens at signup, login 403 until the mailed token is confirmed', async () => {
      await settings({ require_email_verification: true });
      const e = email();
      const { mail, token } = await nextMail(e, async () => {
        const res = await req('POST', `${auth()}/register`, {
          body: { email: e, password: PASSWORD },
        });
        expect(res.status).toBe(201);
        expect(res.body).toMatchObject({
          verification_required: true,
          user: { email: e, is_email_verified: false },
        });
        expect(res.body.access_token).toBeUndefined();
      });
      expect(mail.subject).toContain('confirm your email');
      expect(mail.html).toContain('Acme &lt;App&gt;');
      expect(token).toBeTruthy();
      const l = await login(e);
      expect(l.status).toBe(403);
      expect(l.body.detail).toBe('Email verification required');
      const ok = await req('POST', `${auth()}/verify/confirm`, { body: { token } });
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({ message: 'Email verified successfully', email: e });
      const again = await req('POST', `${auth()}/verify/confirm`, { body: { token } });
      expect(again.status).toBe(400);
      expect((await login(e)).status).toBe(200);
      await settings({ require_email_verification: false });
    });

    it('verify/send with a token mails a new token (query form of confirm works); expired tokens fail', async () => {
      const u = await register();
      const first = await nextMail(u.email, async () => {
        const res = await req('POST', `${auth()}/verify/send`, { token: u.access_token });
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ message: 'Verification email sent' });
      });
      await t.query(
        `UPDATE backendify.app_email_tokens SET expires_at = now() - interval '1 second' WHERE purpose = 'verify_email' AND used_at IS NULL`,
      );
      const expired = await req('POST', `${auth()}/verify/confirm`, {
        body: { token: first.token },
      });
      expect(expired.status).toBe(400);
      expect(expired.body.detail).toBe('Verification token has expired');
      const second = await nextMail(u.email, () =>
        req('POST', `${auth()}/verify/send`, { body: { email: u.email } }),
      );
      const ok = await req('POST', `${auth()}/verify/confirm?token=${second.token}`);
      expect(ok.status).toBe(200);
      const already = await req('POST', `${auth()}/verify/send`, { token: u.access_token });
      expect(already.status).toBe(400);
      expect(
        (await req('POST', `${auth()}/verify/confirm`, { body: { token: 'forged' } })).status,
      ).toBe(400);
    });
  });

  describe('password reset', () => {
    it('mails a single-use token; confirm sets the password, verifies the email and ends every session', async () => {
      const u = await register();
      const unknown = await req('POST', `${auth()}/password/reset/send`, {
        body: { email: email() },
      });
      const { token } = await nextMail(u.email, async () => {
        const res = await req('POST', `${auth()}/password/reset/send`, {
          body: { email: u.email },
        });
        expect(res.status).toBe(200);
        expect(res.body).toEqual(unknown.body);
      });
      const short = await req('POST', `${auth()}/password/reset/confirm`, {
        body: { token, new_password: 'short' },
      });
      expect(short.status).toBe(400);
      const ok = await req('POST', `${auth()}/password/reset/confirm`, {
        body: { token, new_password: 'a fresh password' },
      });
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({ message: 'Password reset successfully' });
      expect(
        (await req('POST', `${auth()}/refresh`, { body: { refresh_token: u.refresh_token } }))
          .status,
      ).toBe(401);
      expect((await req('GET', `${auth()}/me`, { token: u.access_token })).status).toBe(401);
      const reuse = await req('POST', `${auth()}/password/reset/confirm`, {
        body: { token, new_password: 'another password' },
      });
      expect(reuse.status).toBe(400);
      const l = await login(u.email, 'a fresh password');
      expect(l.status).toBe(200);
      expect(
        (await req('GET', `${auth()}/me`, { token: l.body.access_token })).body.is_email_verified,
      ).toBe(true);
    });

    it('accepts the original query-string form and refuses expired tokens', async () => {
      const u = await register();
      const first = await nextMail(u.email, () =>
        req('POST', `${auth()}/password/reset/send?email=${encodeURIComponent(u.email)}`),
      );
      await t.query(
        `UPDATE backendify.app_email_tokens SET expires_at = now() - interval '1 second' WHERE purpose = 'reset_password' AND used_at IS NULL`,
      );
      const expired = await req('POST', `${auth()}/password/reset/confirm`, {
        body: { token: first.token, new_password: 'a fresh password' },
      });
      expect(expired.status).toBe(400);
      expect(expired.body.detail).toBe('Reset token has expired');
      const second = await nextMail(u.email, () =>
        req('POST', `${auth()}/password/reset/send`, { body: { email: u.email } }),
      );
      const ok = await req(
        'POST',
        `${auth()}/password/reset/confirm?token=${second.token}&new_password=${encodeURIComponent('query password')}`,
      );
      expect(ok.status).toBe(200);
      expect((await login(u.email, 'query password')).status).toBe(200);
    });
  });

  describe('OTP and magic link', () => {
    beforeAll(() => settings({ enable_otp: true, enable_magic_link: true }));
    afterAll(() =>
      settings({ enable_otp: false, enable_magic_link: false, allow_public_signup: true }),
    );

    it('is refused while both are off', async () => {
      await settings({ enable_otp: false, enable_magic_link: false });
      expect((await req('POST', `${auth()}/otp/send`, { body: { email: email() } })).status).toBe(
        400,
      );
      await settings({ enable_otp: true, enable_magic_link: true });
    });

    it('mails a code and a magic link; the code signs in and verifies the email', async () => {
      const u = await register();
      const { code, token, mail } = await nextMail(u.email, async () => {
        const res = await req('POST', `${auth()}/otp/send`, { body: { email: u.email } });
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ message: 'If the email exists, an OTP code has been sent' });
      });
      expect(code).toMatch(/^\d{6}$/);
      expect(token).toBeTruthy();
      expect(mail.subject).toContain('sign-in code');
      const res = await req('POST', `${auth()}/otp/verify`, { body: { email: u.email, code } });
      expect(res.status).toBe(200);
      expect(
        (await req('GET', `${auth()}/me`, { token: res.body.access_token })).body.is_email_verified,
      ).toBe(true);
      expect(
        (await req('POST', `${auth()}/otp/verify`, { body: { email: u.email, code } })).status,
      ).toBe(400);
      expect((await req('POST', `${auth()}/otp/verify`, { body: { token } })).status).toBe(400);
    });

    it('the magic-link token signs in once', async () => {
      const u = await register();
      const { token } = await nextMail(u.email, () =>
        req('POST', `${auth()}/otp/send?email=${encodeURIComponent(u.email)}`),
      );
      const res = await req('POST', `${auth()}/otp/verify`, { body: { token } });
      expect(res.status).toBe(200);
      expect((await req('GET', `${auth()}/me`, { token: res.body.access_token })).body.email).toBe(
        u.email,
      );
      expect((await req('POST', `${auth()}/otp/verify`, { body: { token } })).status).toBe(400);
    });

    it('allows 5 attempts, then the code is gone; expired codes fail', async () => {
      const u = await register();
      const { code } = await nextMail(u.email, () =>
        req('POST', `${auth()}/otp/send`, { body: { email: u.email } }),
      );
      const wrong = code === '000000' ? '111111' : '000000';
      for (let i = 0; i < 4; i++) {
        const r = await req('POST', `${auth()}/otp/verify`, {
          body: { email: u.email, code: wrong },
        });
        expect(r.body.detail).toBe('Invalid OTP code');
      }
      const fifth = await req('POST', `${auth()}/otp/verify`, {
        body: { email: u.email, code: wrong },
      });
      expect(fifth.body.detail).toBe('Too many attempts. Please request a new code.');
      expect(
        (await req('POST', `${auth()}/otp/verify`, { body: { email: u.email, code } })).status,
      ).toBe(400);
      const again = await nextMail(u.email, () =>
        req('POST', `${auth()}/otp/send`, { body: { email: u.email } }),
      );
      await t.query(`UPDATE backendify.app_otp_codes SET expires_at = now() - interval '1 second'`);
      const expired = await req('POST', `${auth()}/otp/verify`, {
        body: { email: u.email, code: again.code },
      });
      expect(expired.body.detail).toBe('OTP code has expired');
      expect((await req('POST', `${auth()}/otp/verify`, { body: { code: '123456' } })).status).toBe(
        400,
      );
    });

    it('creates no user for an unknown email at send time, only on verification, and none when signup is closed', async () => {
      const e = email();
      const { code } = await nextMail(e, () =>
        req('POST', `${auth()}/otp/send`, { body: { email: e } }),
      );
      const before = await req(
        'GET',
        `/api/projects/${pid}/settings/auth/users?search=${encodeURIComponent(e)}`,
        { token: admin.token },
      );
      expect(before.body).toEqual([]);
      const res = await req('POST', `${auth()}/otp/verify`, { body: { email: e, code } });
      expect(res.status).toBe(200);
      const after = await req(
        'GET',
        `/api/projects/${pid}/settings/auth/users?search=${encodeURIComponent(e)}`,
        { token: admin.token },
      );
      expect(after.body[0]).toMatchObject({ email: e, is_email_verified: true });

      await settings({ allow_public_signup: false });
      const closed = email();
      const count = smtp.messages.length;
      const sent = await req('POST', `${auth()}/otp/send`, { body: { email: closed } });
      expect(sent.status).toBe(200);
      // A later code to the existing user does arrive; by then nothing went to the closed address.
      const later = await nextMail(e, () =>
        req('POST', `${auth()}/otp/send`, { body: { email: e } }),
      );
      expect(later.code).toMatch(/^\d{6}$/);
      expect(smtp.messages.slice(count).some((m) => m.to.includes(closed))).toBe(false);
      // Mail is written to the outbox in the request's transaction: none exists for the closed address.
      const outbox = await t.query<{ to_address: string }>(
        `SELECT to_address FROM backendify.mail_outbox WHERE to_address IN ($1, $2)`,
        [closed, e],
      );
      expect(outbox.map((r) => r.to_address)).not.toContain(closed);
      expect(outbox.map((r) => r.to_address)).toContain(e);
      const none = await req(
        'GET',
        `/api/projects/${pid}/settings/auth/users?search=${encodeURIComponent(closed)}`,
        { token: admin.token },
      );
      expect(none.body).toEqual([]);
    });
  });

  describe('OAuth', () => {
    let provider: Server;
    let issuer: string;
    const codes = new Map<string, { challenge: string; redirectUri: string }>();
    let identity: Record<string, unknown> = {};
    const redirectUri = 'https://app.example.com/auth/callback';

    const readBody = (r: IncomingMessage) =>
      new Promise<string>((resolve) => {
        let s = '';
        r.on('data', (c) => (s += c));
        r.on('end', () => resolve(s));
      });

    beforeAll(async () => {
      provider = createServer(async (r, res) => {
        const url = new URL(r.url ?? '/', issuer);
        const json = (status: number, body: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        };
        if (url.pathname === '/.well-known/openid-configuration')
          return json(200, {
            issuer,
            authorization_endpoint: `${issuer}/authorize`,
            token_endpoint: `${issuer}/token`,
            userinfo_endpoint: `${issuer}/userinfo`,
          });
        if (url.pathname === '/token' && r.method === 'POST') {
          const form = new URLSearchParams(await readBody(r));
          const entry = codes.get(form.get('code') ?? '');
          const verifier = form.get('code_verifier') ?? '';
          const challenge = createHash('sha256').update(verifier).digest('base64url');
          if (
            !entry ||
            entry.challenge !== challenge ||
            entry.redirectUri !== form.get('redirect_uri') ||
            form.get('client_secret') !== 'oidc-secret-value'
          )
            return json(400, { error: 'invalid_grant' });
          codes.delete(form.get('code') ?? '');
          return json(200, { access_token: 'provider-access', token_type: 'Bearer' });
        }
        if (url.pathname === '/userinfo') {
          if (r.headers.authorization !== 'Bearer provider-access') return json(401, {});
          return json(200, identity);
        }
        json(404, {});
      });
      await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
      issuer = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => provider.close(() => resolve())));

    /** Walks start → (the provider "authorizes") → returns the code and state the app would get. */
    const authorize = async () => {
      const start = await fetch(
        `${t.baseUrl}${auth()}/oauth/oidc/start?redirect_uri=${encodeURIComponent(redirectUri)}`,
        { redirect: 'manual' },
      );
      responses.push(await start.text());
      expect(start.status).toBe(302);
      const location = new URL(start.headers.get('location')!);
      expect(location.origin + location.pathname).toBe(`${issuer}/authorize`);
      expect(location.searchParams.get('code_challenge_method')).toBe('S256');
      const code = `code-${Math.random().toString(36).slice(2)}`;
      codes.set(code, {
        challenge: location.searchParams.get('code_challenge')!,
        redirectUri: location.searchParams.get('redirect_uri')!,
      });
      return { code, state: location.searchParams.get('state')! };
    };

    it('refuses the legacy callback that trusted client-supplied identities', async () => {
      const u = await register();
      const res = await req(
        'POST',
        `${auth()}/oauth/callback?provider=x&provider_user_id=y&email=${encodeURIComponent(u.email)}`,
      );
      expect(res.status).toBe(410);
      expect(res.text).not.toContain('access_token');
    });

    it('start needs a known, enabled provider and an allowed redirect_uri', async () => {
      const unknown = await req(
        'GET',
        `${auth()}/oauth/facebook/start?redirect_uri=${encodeURIComponent(redirectUri)}`,
      );
      expect(unknown.status).toBe(400);
      const disabled = await req(
        'GET',
        `${auth()}/oauth/oidc/start?redirect_uri=${encodeURIComponent(redirectUri)}`,
      );
      expect(disabled.status).toBe(400);
      const cfg = await settings({
        oauth_providers: {
          oidc: {
            enabled: true,
            issuer,
            client_id: 'oidc-client',
            client_secret: 'oidc-secret-value',
          },
        },
        allowed_redirect_uris: [redirectUri],
      });
      expect(cfg.status).toBe(200);
      const bad = await req(
        'GET',
        `${auth()}/oauth/oidc/start?redirect_uri=${encodeURIComponent('https://evil.example.com/cb')}`,
      );
      expect(bad.status).toBe(400);
      const json = await req(
        'GET',
        `${auth()}/oauth/oidc/url?redirect_uri=${encodeURIComponent(redirectUri)}`,
      );
      expect(json.status).toBe(200);
      expect(json.body.auth_url).toContain(`${issuer}/authorize?`);
    });

    it('refuses forged or unknown state', async () => {
      const forged = await req('GET', `${auth()}/oauth/oidc/callback?code=abc&state=forged`);
      expect(forged.status).toBe(400);
      expect(forged.body.detail).toBe('Invalid or expired OAuth state');
    });

    it('refuses an identity whose email the provider has not verified (no takeover, no user)', async () => {
      const victim = await register();
      identity = { sub: 'attacker-1', email: victim.email, email_verified: false };
      const { code, state } = await authorize();
      const res = await req('GET', `${auth()}/oauth/oidc/callback?code=${code}&state=${state}`);
      expect(res.status).toBe(403);
      const rows = await t.query(
        `SELECT 1 FROM backendify.app_identities WHERE provider_user_id = 'attacker-1'`,
      );
      expect(rows).toHaveLength(0);
    });

    it('exchanges the code server-side, links a verified email to its user, and the state is single-use', async () => {
      const u = await register();
      const me0 = await req('GET', `${auth()}/me`, { token: u.access_token });
      identity = { sub: 'oidc-user-1', email: u.email.toUpperCase(), email_verified: true };
      const { code, state } = await authorize();
      const res = await req('GET', `${auth()}/oauth/oidc/callback?code=${code}&state=${state}`);
      expect(res.status).toBe(200);
      const me = await req('GET', `${auth()}/me`, { token: res.body.access_token });
      expect(me.body.id).toBe(me0.body.id);
      const replay = await req('GET', `${auth()}/oauth/oidc/callback?code=${code}&state=${state}`);
      expect(replay.status).toBe(400);
      identity = { sub: 'oidc-user-1', email: 'changed@example.com', email_verified: true };
      const second = await authorize();
      const again = await req(
        'GET',
        `${auth()}/oauth/oidc/callback?code=${second.code}&state=${second.state}`,
      );
      expect((await req('GET', `${auth()}/me`, { token: again.body.access_token })).body.id).toBe(
        me0.body.id,
      );
    });

    it('creates a verified passwordless user for a new verified identity; a wrong code is refused', async () => {
      const e = email();
      identity = { sub: 'oidc-new', email: e, email_verified: true };
      const bad = await authorize();
      const wrong = await req(
        'GET',
        `${auth()}/oauth/oidc/callback?code=not-issued&state=${bad.state}`,
      );
      expect(wrong.status).toBe(400);
      const { code, state } = await authorize();
      const res = await req('GET', `${auth()}/oauth/oidc/callback?code=${code}&state=${state}`);
      expect(res.status).toBe(200);
      const me = await req('GET', `${auth()}/me`, { token: res.body.access_token });
      expect(me.body).toMatchObject({ email: e, is_email_verified: true });
      expect((await login(e)).status).toBe(401);
    });
  });

  it('never returned a mailed token or code in any response body or header', () => {
    expect(secrets.length).toBeGreaterThan(10);
    const all = responses.join('\n');
    for (const s of secrets) expect(all.includes(s)).toBe(false);
  });
});

describe('app-user auth rate limits (RATE_LIMIT=on)', () => {
  let t: TestApp;
  let pid: string;
  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT: 'on' });
    const admin = await createAdmin(t);
    pid = (await createProject(t, admin)).id;
  });
  afterAll(() => t.close());

  it('register allows 3 per minute per IP, then 429 with Retry-After', async () => {
    const statuses: number[] = [];
    let last: HttpResult | null = null;
    for (let i = 0; i < 4; i++) {
      last = await t.request('POST', `/api/projects/${pid}/auth/register`, {
        body: { email: `rl${i}@example.com`, password: PASSWORD },
      });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
    expect(last!.body.code).toBe('RATE_LIMITED');
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('password/reset/send allows 3 per 5 minutes per email', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push(
        (
          await t.request('POST', `/api/projects/${pid}/auth/password/reset/send`, {
            body: { email: 'x@example.com' },
          })
        ).status,
      );
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
