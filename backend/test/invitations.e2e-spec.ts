import { createTestApp, type TestApp } from './setup/test-app';
import { createAdmin, createProject, type TestAdmin } from './factories/admin.factory';
import { platformMails, waitForPlatformMail } from './setup/platform-mailbox';

const PASSWORD = 'correct horse battery';

/** Issue 9.3 / 9.17: console addresses are proven, and nobody joins a project by squatting one. */
describe('admin e-mail verification and project invitations', () => {
  let t: TestApp;
  let owner: TestAdmin;
  let pid: string;
  let n = 0;
  const addr = (p = 'user') => `${p}${++n}-${Date.now()}@example.com`;
  const members = (p = pid) => `/api/projects/${p}/members`;
  const invitations = (p = pid) => `/api/projects/${p}/invitations`;

  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_URL: 'https://console.example.com' });
    owner = await createAdmin(t);
    pid = (await createProject(t, owner, 'Acme <b>"Bank"</b>')).id;
  });
  afterAll(() => t.close());

  describe('verification of console accounts', () => {
    it('register mails a verification link (token=) at PUBLIC_URL; verify-email proves the address', async () => {
      const email = addr('new');
      const before = platformMails(t);
      const reg = await t.request('POST', '/api/auth/register', {
        body: { email, password: PASSWORD },
      });
      expect(reg.status).toBe(201);
      const token = reg.body.access_token;
      const me = await t.request('GET', '/api/auth/me', { token });
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ email, is_email_verified: false });
      const mail = await waitForPlatformMail(t, email, 'admin_verify_email', before);
      expect(mail.text).toContain(`https://console.example.com/verify-email?token=${mail.token}`);
      // Tokens are stored hashed.
      const stored = await t.query(`SELECT token_hash FROM backendify.admin_email_tokens`);
      expect(stored.map((r) => r.token_hash)).not.toContain(mail.token);

      const ok = await t.request('POST', '/api/auth/verify-email', {
        token,
        body: { token: mail.token },
      });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ email, is_email_verified: true });
      expect((await t.request('GET', '/api/auth/me', { token })).body.is_email_verified).toBe(true);
      expect((await t.request('GET', '/api/me', { token })).body.is_email_verified).toBe(true);
      // Single use.
      const again = await t.request('POST', '/api/auth/verify-email', {
        token,
        body: { token: mail.token },
      });
      expect(again.status).toBe(400);
      expect(again.body.code).toBe('BAD_REQUEST');
    });

    it('the link works only for the signed-in account it was mailed to, and expires', async () => {
      const email = addr('other');
      const before = platformMails(t);
      const reg = await t.request('POST', '/api/auth/register', {
        body: { email, password: PASSWORD },
      });
      const mail = await waitForPlatformMail(t, email, 'admin_verify_email', before);
      expect(
        (await t.request('POST', '/api/auth/verify-email', { body: { token: mail.token } })).status,
      ).toBe(401);
      const stranger = await createAdmin(t, undefined, { verified: false });
      const wrong = await t.request('POST', '/api/auth/verify-email', {
        token: stranger.token,
        body: { token: mail.token },
      });
      expect(wrong.status).toBe(400);
      expect(
        (await t.request('GET', '/api/auth/me', { token: stranger.token })).body,
      ).toMatchObject({ is_email_verified: false });
      await t.query(
        `UPDATE backendify.admin_email_tokens SET expires_at = now() - interval '1 second'
         WHERE user_id = (SELECT id FROM backendify.users WHERE email = $1)`,
        [email],
      );
      const expired = await t.request('POST', '/api/auth/verify-email', {
        token: reg.body.access_token,
        body: { token: mail.token },
      });
      expect(expired.status).toBe(400);
      expect(expired.body.detail).toMatch(/expired/);
    });

    it('resend mails a fresh link (the old one stops working); verified accounts get 400', async () => {
      const email = addr('resend');
      const before = platformMails(t);
      const reg = await t.request('POST', '/api/auth/register', {
        body: { email, password: PASSWORD },
      });
      const first = await waitForPlatformMail(t, email, 'admin_verify_email', before);
      const seen = platformMails(t);
      expect((await t.request('POST', '/api/auth/verify-email/resend')).status).toBe(401);
      const resend = await t.request('POST', '/api/auth/verify-email/resend', {
        token: reg.body.access_token,
      });
      expect(resend.status).toBe(200);
      const second = await waitForPlatformMail(t, email, 'admin_verify_email', seen);
      expect(second.token).not.toBe(first.token);
      const stale = await t.request('POST', '/api/auth/verify-email', {
        token: reg.body.access_token,
        body: { token: first.token },
      });
      expect(stale.status).toBe(400);
      const ok = await t.request('POST', '/api/auth/verify-email', {
        token: reg.body.access_token,
        body: { token: second.token },
      });
      expect(ok.status).toBe(200);
      const done = await t.request('POST', '/api/auth/verify-email/resend', {
        token: reg.body.access_token,
      });
      expect(done.status).toBe(400);
    });
  });

  describe('members and invitations', () => {
    it('adds a verified admin at once (201 member row)', async () => {
      const mate = await createAdmin(t);
      const res = await t.request('POST', members(), {
        token: owner.token,
        body: { email: mate.email, role: 'developer' },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ user_id: mate.id, email: mate.email, role: 'developer' });
    });

    it('a squatter who registered the address first never becomes a member; the mailbox owner does', async () => {
      const victim = addr('victim');
      const squatter = await createAdmin(t, victim, { verified: false });
      const before = platformMails(t);
      const res = await t.request('POST', members(), {
        token: owner.token,
        body: { email: victim, role: 'admin' },
      });
      expect(res.status).toBe(202);
      expect(res.body).toEqual({
        invited: true,
        email: victim,
        role: 'admin',
        expires_at: expect.any(String),
      });
      const days = (Date.parse(res.body.expires_at) - Date.now()) / 86400_000;
      expect(days).toBeGreaterThan(6.9);
      expect(days).toBeLessThanOrEqual(7);
      // The squatter is not a member and cannot see the project.
      expect(
        (await t.request('GET', `/api/projects/${pid}`, { token: squatter.token })).status,
      ).toBe(404);
      const list = await t.request('GET', members(), { token: owner.token });
      expect(list.body.map((m: { email: string }) => m.email)).not.toContain(victim);

      // The invitation goes to the address; its token is stored hashed.
      const mail = await waitForPlatformMail(t, victim, 'project_invitation', before);
      expect(mail.text).toContain(
        `https://console.example.com/accept-invitation?token=${mail.token}`,
      );
      const hashes = await t.query(`SELECT token_hash FROM backendify.project_invitations`);
      expect(hashes.map((r) => r.token_hash)).not.toContain(mail.token);

      // Without the mailed token the squatter gets nothing: a guessed token is 400.
      const guess = await t.request('POST', '/api/auth/invitations/accept', {
        token: squatter.token,
        body: { token: 'x'.repeat(43) },
      });
      expect(guess.status).toBe(400);
      expect(
        (await t.request('GET', `/api/projects/${pid}`, { token: squatter.token })).status,
      ).toBe(404);
    });

    it('the signed-in admin of the invited address accepts (200 {project_id, role}) and is verified', async () => {
      const email = addr('invitee');
      const before = platformMails(t);
      const invite = await t.request('POST', members(), {
        token: owner.token,
        body: { email, role: 'viewer' },
      });
      expect(invite.status).toBe(202);
      const mail = await waitForPlatformMail(t, email, 'project_invitation', before);

      // Someone else signed in cannot use it.
      const other = await createAdmin(t);
      const wrong = await t.request('POST', '/api/auth/invitations/accept', {
        token: other.token,
        body: { token: mail.token },
      });
      expect(wrong.status).toBe(403);
      expect((await t.request('GET', `/api/projects/${pid}`, { token: other.token })).status).toBe(
        404,
      );
      expect(
        (await t.request('POST', '/api/auth/invitations/accept', { body: { token: mail.token } }))
          .status,
      ).toBe(401);

      // The invitee signs up later with that address and accepts.
      const invitee = await createAdmin(t, email, { verified: false });
      const ok = await t.request('POST', '/api/auth/invitations/accept', {
        token: invitee.token,
        body: { token: mail.token },
      });
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({ project_id: pid, role: 'viewer' });
      expect(
        (await t.request('GET', `/api/projects/${pid}`, { token: invitee.token })).body.role,
      ).toBe('viewer');
      expect(
        (await t.request('GET', '/api/auth/me', { token: invitee.token })).body.is_email_verified,
      ).toBe(true);
      // Single use, and no longer pending.
      const again = await t.request('POST', '/api/auth/invitations/accept', {
        token: invitee.token,
        body: { token: mail.token },
      });
      expect(again.status).toBe(400);
      const pending = await t.request('GET', invitations(), { token: owner.token });
      expect(pending.body.map((i: { email: string }) => i.email)).not.toContain(email);
    });

    it('lists pending invitations to members; owners resend (new token, new expiry) and revoke', async () => {
      const email = addr('pending');
      const before = platformMails(t);
      await t.request('POST', members(), {
        token: owner.token,
        body: { email, role: 'developer' },
      });
      const first = await waitForPlatformMail(t, email, 'project_invitation', before);

      const viewer = await createAdmin(t);
      await t.request('POST', members(), {
        token: owner.token,
        body: { email: viewer.email, role: 'viewer' },
      });
      const list = await t.request('GET', invitations(), { token: viewer.token });
      expect(list.status).toBe(200);
      const inv = list.body.find((i: { email: string }) => i.email === email);
      expect(inv).toEqual({
        id: expect.any(String),
        email,
        role: 'developer',
        invited_by: owner.id,
        created_at: expect.any(String),
        expires_at: expect.any(String),
      });
      expect((await t.request('GET', invitations())).status).toBe(401);
      const stranger = await createAdmin(t);
      expect((await t.request('GET', invitations(), { token: stranger.token })).status).toBe(404);

      // Only owners resend or revoke.
      expect(
        (await t.request('POST', `${invitations()}/${inv.id}/resend`, { token: viewer.token }))
          .status,
      ).toBe(403);
      expect(
        (await t.request('DELETE', `${invitations()}/${inv.id}`, { token: viewer.token })).status,
      ).toBe(403);

      await t.query(
        `UPDATE backendify.project_invitations SET expires_at = now() + interval '1 hour' WHERE id = $1`,
        [inv.id],
      );
      const seen = platformMails(t);
      const resend = await t.request('POST', `${invitations()}/${inv.id}/resend`, {
        token: owner.token,
      });
      expect(resend.status).toBe(200);
      expect(Date.parse(resend.body.expires_at) - Date.now()).toBeGreaterThan(6.9 * 86400_000);
      const second = await waitForPlatformMail(t, email, 'project_invitation', seen);
      expect(second.token).not.toBe(first.token);

      const invitee = await createAdmin(t, email, { verified: false });
      const stale = await t.request('POST', '/api/auth/invitations/accept', {
        token: invitee.token,
        body: { token: first.token },
      });
      expect(stale.status).toBe(400);

      expect(
        (await t.request('DELETE', `${invitations()}/${inv.id}`, { token: owner.token })).status,
      ).toBe(204);
      expect(
        (await t.request('DELETE', `${invitations()}/${inv.id}`, { token: owner.token })).status,
      ).toBe(404);
      const revoked = await t.request('POST', '/api/auth/invitations/accept', {
        token: invitee.token,
        body: { token: second.token },
      });
      expect(revoked.status).toBe(400);
      expect(
        (await t.request('GET', `/api/projects/${pid}`, { token: invitee.token })).status,
      ).toBe(404);
    });

    it('expired invitations cannot be accepted', async () => {
      const email = addr('late');
      const before = platformMails(t);
      await t.request('POST', members(), { token: owner.token, body: { email, role: 'viewer' } });
      const mail = await waitForPlatformMail(t, email, 'project_invitation', before);
      await t.query(
        `UPDATE backendify.project_invitations SET expires_at = now() - interval '1 second' WHERE email = $1`,
        [email],
      );
      const invitee = await createAdmin(t, email, { verified: false });
      const res = await t.request('POST', '/api/auth/invitations/accept', {
        token: invitee.token,
        body: { token: mail.token },
      });
      expect(res.status).toBe(400);
      expect(res.body.detail).toMatch(/expired/);
    });
  });

  describe('platform mail is no phishing relay (9.17)', () => {
    it('unverified admins cannot invite or add anyone: 403 EMAIL_NOT_VERIFIED', async () => {
      const fresh = await createAdmin(t, undefined, { verified: false });
      const own = (await createProject(t, fresh, 'Click here to claim your prize')).id;
      const before = platformMails(t);
      for (const email of [addr('target'), owner.email]) {
        const res = await t.request('POST', members(own), {
          token: fresh.token,
          body: { email, role: 'viewer' },
        });
        expect(res.status).toBe(403);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(res.body.code).toBe('EMAIL_NOT_VERIFIED');
        expect(res.body.detail).toMatch(/[Vv]erify your e-mail/);
      }
      // Nothing was mailed to the targets (only this account's own verification mail exists).
      expect(platformMails(t).filter((m) => !before.some((b) => b.file === m.file))).toEqual([]);
    });

    it('project names are HTML-escaped and links point only at PUBLIC_URL', async () => {
      const email = addr('escape');
      const before = platformMails(t);
      await t.request('POST', members(), { token: owner.token, body: { email, role: 'viewer' } });
      await waitForPlatformMail(t, email, 'project_invitation', before);
      const [row] = await t.query(
        `SELECT html_body, text_body FROM backendify.mail_outbox WHERE to_address = $1 AND kind = 'project_invitation'`,
        [email],
      );
      expect(row.html_body).toContain('Acme &lt;b&gt;&quot;Bank&quot;&lt;/b&gt;');
      expect(row.html_body).not.toContain('<b>"Bank"</b>');
      const links = [
        ...String(row.html_body + row.text_body).matchAll(/https?:\/\/[^\s"<>]+/g),
      ].map((m) => new URL(m[0]).origin);
      expect(links.length).toBeGreaterThan(0);
      expect(new Set(links)).toEqual(new Set(['https://console.example.com']));
    });
  });
});
