import { createTestApp, type TestApp } from './setup/test-app';
import { createAdmin, createProject, type TestAdmin } from './factories/admin.factory';

describe('auth settings and app-user administration', () => {
  let t: TestApp;
  let admin: TestAdmin;
  let stranger: TestAdmin;
  let pid: string;
  const base = () => `/api/projects/${pid}/settings/auth`;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createAdmin(t);
    stranger = await createAdmin(t);
    pid = (await createProject(t, admin)).id;
  });
  afterAll(() => t.close());

  describe('settings', () => {
    it('creates the defaults on first read', async () => {
      const res = await t.request('GET', base(), { token: admin.token });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        enable_email_password: true,
        enable_magic_link: false,
        enable_otp: false,
        enable_oauth_google: false,
        enable_oauth_github: false,
        enable_oauth_oidc: false,
        access_ttl_minutes: 15,
        refresh_ttl_days: 7,
        session_mode: 'header',
        site_url: null,
        allow_public_signup: true,
        require_email_verification: false,
        lockout_threshold: 5,
        lockout_minutes: 15,
        oauth_providers: {
          google: { enabled: false, client_id: null, client_secret_set: false },
          github: { enabled: false, client_id: null, client_secret_set: false },
          oidc: { enabled: false, client_id: null, client_secret_set: false, issuer: null },
        },
        allowed_redirect_uris: [],
      });
    });

    it('is admin-only: anonymous 401, non-members 404', async () => {
      expect((await t.request('GET', base())).status).toBe(401);
      expect((await t.request('GET', base(), { token: stranger.token })).status).toBe(404);
      expect(
        (await t.request('PUT', base(), { token: stranger.token, body: { enable_otp: true } }))
          .status,
      ).toBe(404);
    });

    it('updates partially, ignores nulls and enforces the original bounds', async () => {
      const res = await t.request('PUT', base(), {
        token: admin.token,
        body: { access_ttl_minutes: 30, enable_otp: true, refresh_ttl_days: null },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        access_ttl_minutes: 30,
        enable_otp: true,
        refresh_ttl_days: 7,
      });
      for (const body of [
        { access_ttl_minutes: 0 },
        { access_ttl_minutes: 1441 },
        { refresh_ttl_days: 366 },
        { session_mode: 'bearer' },
        { lockout_threshold: 0 },
        { unknown_key: true },
        { allowed_redirect_uris: ['javascript:alert(1)'] },
        { allowed_redirect_uris: ['https://app.example.com/#frag'] },
      ]) {
        const bad = await t.request('PUT', base(), { token: admin.token, body });
        expect(bad.status).toBe(400);
      }
    });

    it('keeps OAuth client secrets write-only and encrypted at rest', async () => {
      const incomplete = await t.request('PUT', base(), {
        token: admin.token,
        body: { oauth_providers: { google: { enabled: true, client_id: 'gid' } } },
      });
      expect(incomplete.status).toBe(400);
      const res = await t.request('PUT', base(), {
        token: admin.token,
        body: {
          oauth_providers: {
            google: { enabled: true, client_id: 'gid', client_secret: 'super-secret-google' },
            oidc: { issuer: 'http://evil.example.com' },
          },
        },
      });
      expect(res.status).toBe(400);
      const ok = await t.request('PUT', base(), {
        token: admin.token,
        body: {
          oauth_providers: {
            google: { enabled: true, client_id: 'gid', client_secret: 'super-secret-google' },
          },
          allowed_redirect_uris: ['https://app.example.com/cb', 'http://localhost:5174/cb'],
        },
      });
      expect(ok.status).toBe(200);
      expect(ok.body.enable_oauth_google).toBe(true);
      expect(ok.body.oauth_providers.google).toEqual({
        enabled: true,
        client_id: 'gid',
        client_secret_set: true,
      });
      expect(ok.text).not.toContain('super-secret-google');
      const get = await t.request('GET', base(), { token: admin.token });
      expect(get.text).not.toContain('super-secret-google');
      const [row] = await t.query(
        `SELECT oauth_providers::text AS p FROM backendify.project_auth_settings WHERE project_id = $1`,
        [pid],
      );
      expect(row.p).not.toContain('super-secret-google');
      expect(row.p).toContain('v1:');
      const providers = await t.request('GET', `/api/projects/${pid}/auth/providers`);
      expect(providers.body.oauth_google).toBe(true);
      const off = await t.request('PUT', base(), {
        token: admin.token,
        body: { enable_oauth_google: false },
      });
      expect(off.body.oauth_providers.google.enabled).toBe(false);
    });
  });

  describe('app users', () => {
    const users = () => `${base()}/users`;
    let id: string;

    it('creates, lists with search/limit/offset/total, gets', async () => {
      const created = await t.request('POST', users(), {
        token: admin.token,
        body: { email: 'Alice@Example.com', password: 'long enough pw', is_email_verified: true },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        email: 'alice@example.com',
        is_email_verified: true,
        is_disabled: false,
      });
      expect(created.text).not.toContain('password');
      id = created.body.id;
      for (const e of ['bob@example.com', 'carol@example.org'])
        expect(
          (await t.request('POST', users(), { token: admin.token, body: { email: e } })).status,
        ).toBe(201);
      const dup = await t.request('POST', users(), {
        token: admin.token,
        body: { email: 'ALICE@example.com' },
      });
      expect(dup.status).toBe(409);
      const all = await t.request('GET', `${users()}?limit=2&offset=0`, { token: admin.token });
      // The original's array (issue 8.2); the total rides in X-Total-Count.
      expect(Array.isArray(all.body)).toBe(true);
      expect(all.body).toHaveLength(2);
      expect(all.headers.get('x-total-count')).toBe('3');
      const rest = await t.request('GET', `${users()}?limit=2&offset=2`, { token: admin.token });
      expect(rest.body).toHaveLength(1);
      expect(rest.body[0].id).not.toBe(all.body[0].id);
      const search = await t.request('GET', `${users()}?search=example.org`, {
        token: admin.token,
      });
      expect(search.headers.get('x-total-count')).toBe('1');
      const wildcard = await t.request('GET', `${users()}?search=%25`, { token: admin.token });
      expect(wildcard.body).toEqual([]);
      expect((await t.request('GET', `${users()}?limit=5000`, { token: admin.token })).status).toBe(
        400,
      );
      expect((await t.request('GET', `${users()}/${id}`, { token: admin.token })).body.email).toBe(
        'alice@example.com',
      );
      expect((await t.request('GET', `${users()}/not-a-uuid`, { token: admin.token })).status).toBe(
        404,
      );
      expect(
        (
          await t.request('GET', `${users()}/00000000-0000-4000-8000-000000000000`, {
            token: admin.token,
          })
        ).status,
      ).toBe(404);
    });

    it('patches; disabling revokes sessions; sessions are listed and revocable', async () => {
      const login = await t.request('POST', `/api/projects/${pid}/auth/login`, {
        body: { email: 'alice@example.com', password: 'long enough pw' },
      });
      expect(login.status).toBe(200);
      const sessions = await t.request('GET', `${users()}/${id}/sessions`, { token: admin.token });
      expect(sessions.body.sessions).toHaveLength(1);
      expect(
        (await t.request('POST', `${users()}/${id}/revoke-sessions`, { token: admin.token }))
          .status,
      ).toBe(204);
      expect(
        (await t.request('GET', `/api/projects/${pid}/auth/me`, { token: login.body.access_token }))
          .status,
      ).toBe(401);
      const again = await t.request('POST', `/api/projects/${pid}/auth/login`, {
        body: { email: 'alice@example.com', password: 'long enough pw' },
      });
      const clash = await t.request('PATCH', `${users()}/${id}`, {
        token: admin.token,
        body: { email: 'bob@example.com' },
      });
      expect(clash.status).toBe(409);
      const patched = await t.request('PATCH', `${users()}/${id}`, {
        token: admin.token,
        body: { is_disabled: true, is_email_verified: false },
      });
      expect(patched.body).toMatchObject({ is_disabled: true, is_email_verified: false });
      expect(
        (
          await t.request('POST', `/api/projects/${pid}/auth/refresh`, {
            body: { refresh_token: again.body.refresh_token },
          })
        ).status,
      ).toBe(401);
      expect(
        (
          await t.request('PATCH', `${users()}/${id}`, {
            token: admin.token,
            body: { password: 'short' },
          })
        ).status,
      ).toBe(400);
    });

    it('deletes the user with its tokens and identities', async () => {
      await t.request('PATCH', `${users()}/${id}`, {
        token: admin.token,
        body: { is_disabled: false },
      });
      await t.request('POST', `/api/projects/${pid}/auth/login`, {
        body: { email: 'alice@example.com', password: 'long enough pw' },
      });
      expect((await t.request('DELETE', `${users()}/${id}`, { token: admin.token })).status).toBe(
        204,
      );
      expect((await t.request('GET', `${users()}/${id}`, { token: admin.token })).status).toBe(404);
      expect(
        await t.query(`SELECT 1 FROM backendify.app_refresh_tokens WHERE app_user_id = $1`, [id]),
      ).toHaveLength(0);
      expect((await t.request('DELETE', `${users()}/${id}`, { token: admin.token })).status).toBe(
        404,
      );
    });

    it('gives new app users the default role when RBAC has one', async () => {
      const roles = await t.request('POST', `/api/projects/${pid}/rbac/roles`, {
        token: admin.token,
        body: { name: 'member', display_name: 'Member', is_default: true },
      });
      expect(roles.status).toBe(201);
      const res = await t.request('POST', `/api/projects/${pid}/auth/register`, {
        body: { email: 'dan@example.com', password: 'long enough pw' },
      });
      expect(res.status).toBe(201);
      const [row] = await t.query(
        `SELECT r.name FROM backendify.app_user_roles a JOIN backendify.roles r ON r.id = a.role_id
         JOIN ${'"p_' + pid.replace(/-/g, '_') + '"'}."_users" u ON u.id::text = a.app_user_id::text WHERE u.email = 'dan@example.com'`,
      );
      expect(row?.name).toBe('member');
    });
  });
});
