import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DeferredWork } from '../src/modules/app-auth/deferred-work';
import { createAdmin, createProject, type TestAdmin } from './factories/admin.factory';
import { addField, schemaOf } from './factories/schema.factory';
import { startSmtpCatcher, type SmtpCatcher } from './setup/smtp-catcher';
import { createTestApp, type TestApp } from './setup/test-app';
import { eventually, WebhookSink } from './setup/webhook-sink';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- events are read as JSON
type Json = Record<string, any>;

const PASSWORD = 'correct horse battery';
const NEW_PASSWORD = 'a brand new password';
const RESET_PASSWORD = 'a password from the reset';
const ADMIN_SET_PASSWORD = 'set by the admin 123';
const HIDDEN_VALUE = 'hidden-pin-4711';
const tokenIn = (text: string) => /[?&]token=([A-Za-z0-9_-]+)/.exec(text)?.[1] ?? null;
const codeIn = (text: string) => /code: (\d{6})/.exec(text)?.[1] ?? null;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('app-user auth writes one change event per action (DESIGN §4, §8 Audit)', () => {
  let t: TestApp;
  let smtp: SmtpCatcher;
  let sink: WebhookSink;
  let admin: TestAdmin;
  let pid: string;
  let usersCollectionId: string;
  let n = 0;
  /** Every secret the flows handled: none may appear in any stored event or audit answer. */
  const secrets: string[] = [
    PASSWORD,
    NEW_PASSWORD,
    RESET_PASSWORD,
    ADMIN_SET_PASSWORD,
    HIDDEN_VALUE,
    '$argon2',
  ];
  const keep = (...s: (string | null | undefined)[]) => {
    for (const x of s) if (x) secrets.push(x, sha256(x));
  };
  const email = () => `ev${++n}-${Date.now()}@example.com`;
  const auth = () => `/api/projects/${pid}/auth`;
  const users = (path = '') => `/api/projects/${pid}/settings/auth/users${path}`;
  const settings = (body: Json) =>
    t.request('PUT', `/api/projects/${pid}/settings/auth`, { token: admin.token, body });

  const lastEventId = async () =>
    (await t.query(`SELECT coalesce(max(id), 0)::text AS id FROM backendify.change_events`))[0]
      .id as string;

  /** Runs `fn` and returns the events it wrote: the stored rows and their audit-log view. */
  const eventsOf = async (fn: () => Promise<unknown>) => {
    const since = await lastEventId();
    await fn();
    await t.app.get(DeferredWork).idle();
    const rows = await t.query<Json>(
      `SELECT * FROM backendify.change_events WHERE project_id = $1 AND id > $2 ORDER BY id`,
      [pid, since],
    );
    const res = await t.request('GET', `/api/projects/${pid}/audit/events?limit=1000`, {
      token: admin.token,
    });
    expect(res.status).toBe(200);
    const audit = (res.body.events as Json[]).filter((e) => BigInt(e.id) > BigInt(since));
    expect(audit.map((e) => e.id).sort()).toEqual(rows.map((r) => String(r.id)).sort());
    return { rows, audit, text: JSON.stringify(rows) + JSON.stringify(audit) };
  };

  /** Exactly one event, of `action`, by `actor`, about `recordId`, with no secret in it. */
  const onlyEvent = async (
    fn: () => Promise<unknown>,
    action: string,
    recordId: () => string | null,
    actor: (id: string | null) => { type: string; id: string | null },
  ) => {
    const { rows, audit, text } = await eventsOf(fn);
    expect(rows.map((r) => r.action)).toEqual([action]);
    const [row] = rows;
    const [view] = audit;
    const id = recordId();
    expect(row).toMatchObject({ collection: '_users', record_id: id });
    expect(view).toMatchObject({
      action,
      collection: '_users',
      record_id: id,
      actor: actor(id),
      ip_address: '127.0.0.1',
    });
    for (const s of secrets) expect(text).not.toContain(s);
    expect(text).not.toContain('password_hash');
    return view;
  };
  const byUser = (id: string | null) => ({ type: 'app_user', id });
  const anonymous = () => ({ type: 'anonymous', id: null });
  const byAdmin = () => ({ type: 'admin', id: admin.id });

  const noEvent = async (fn: () => Promise<unknown>) => {
    const { rows } = await eventsOf(fn);
    expect(rows).toEqual([]);
  };

  const register = async (e = email()): Promise<Json> => {
    const res = await t.request('POST', `${auth()}/register`, {
      body: { email: e, password: PASSWORD, nickname: 'Nick' },
    });
    expect(res.status).toBe(201);
    keep(res.body.access_token, res.body.refresh_token);
    const me = await t.request('GET', `${auth()}/me`, { token: res.body.access_token });
    return { ...(res.body as Json), email: e, id: me.body.id as string };
  };
  const login = async (e: string, password = PASSWORD) => {
    const res = await t.request('POST', `${auth()}/login`, { body: { email: e, password } });
    keep(res.body?.access_token, res.body?.refresh_token);
    return res;
  };
  const nextMail = async (to: string, fn: () => Promise<unknown>) => {
    const before = smtp.messages.length;
    await fn();
    const m = await smtp.waitFor(to, before);
    const token = tokenIn(m.text);
    const code = codeIn(m.text);
    keep(token, code);
    return { token, code };
  };
  const userIdOf = async (e: string) =>
    (await t.query(`SELECT id::text AS id FROM "${schemaOf(pid)}"._users WHERE email = $1`, [e]))[0]
      ?.id as string | undefined;

  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    sink = await new WebhookSink().start();
    t = await createTestApp({
      SMTP_URL: smtp.url,
      // The webhook sink and the test OIDC provider listen on 127.0.0.1.
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_RETRY_BASE_MS: '40',
    });
    admin = await createAdmin(t);
    pid = (await createProject(t, admin, 'Events')).id;
    await addField(t, admin, pid, '_users', { name: 'nickname', field_type: 'string' });
    await addField(t, admin, pid, '_users', { name: 'pin', field_type: 'string', is_hidden: true });
    usersCollectionId = (
      await t.query(
        `SELECT id::text AS id FROM backendify.collections WHERE project_id = $1 AND name = '_users'`,
        [pid],
      )
    )[0].id;
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
    await sink.stop();
  });

  describe('password sign-up and sign-in', () => {
    it('register: auth.register by the new user, the user as safe JSON (admin-added fields in, hidden out)', async () => {
      let u: Json = {};
      const ev = await onlyEvent(
        async () => (u = await register()),
        'auth.register',
        () => u.id,
        byUser,
      );
      expect(ev).toMatchObject({
        kind: 'auth',
        collection_id: usersCollectionId,
        meta: { method: 'password' },
        record: { id: u.id, email: u.email, is_email_verified: false, is_disabled: false },
      });
      expect(ev.record.nickname).toBe('Nick');
      expect(ev.record).not.toHaveProperty('pin');
      expect(ev.record.created_at).toEqual(expect.any(String));
      expect(ev.record.updated_at).toEqual(expect.any(String));
      // A taken address changes nothing and writes nothing.
      await noEvent(async () =>
        expect(
          (
            await t.request('POST', `${auth()}/register`, {
              body: { email: u.email, password: PASSWORD },
            })
          ).status,
        ).toBe(409),
      );
    });

    it('login: auth.login (method password); a wrong password writes nothing', async () => {
      const u = await register();
      // A hidden field's value is in the row; no event may carry it.
      await t.query(`UPDATE "${schemaOf(pid)}"._users SET pin = $1 WHERE id = $2`, [
        HIDDEN_VALUE,
        u.id,
      ]);
      const ev = await onlyEvent(
        async () => expect((await login(u.email)).status).toBe(200),
        'auth.login',
        () => u.id,
        byUser,
      );
      expect(ev.meta).toEqual({ method: 'password' });
      expect(ev.record).toMatchObject({ id: u.id, email: u.email });
      await noEvent(async () =>
        expect((await login(u.email, 'not the password')).status).toBe(401),
      );
    });

    it('logout, logout/all and ending one session: auth.logout each; a spent token writes nothing', async () => {
      const u = await register();
      const ev = await onlyEvent(
        async () =>
          expect(
            (
              await t.request('POST', `${auth()}/logout`, {
                body: { refresh_token: u.refresh_token },
              })
            ).status,
          ).toBe(204),
        'auth.logout',
        () => u.id,
        byUser,
      );
      expect(ev.meta).toMatchObject({ scope: 'session' });
      await noEvent(() =>
        t.request('POST', `${auth()}/logout`, { body: { refresh_token: u.refresh_token } }),
      );
      await noEvent(() =>
        t.request('POST', `${auth()}/logout`, { body: { refresh_token: 'never-issued' } }),
      );

      const a = (await login(u.email)).body;
      const b = (await login(u.email)).body;
      const sessions = await t.request('GET', `${auth()}/sessions`, { token: a.access_token });
      const other = sessions.body.sessions.find((s: Json) => !s.current);
      await onlyEvent(
        async () =>
          expect(
            (
              await t.request('DELETE', `${auth()}/sessions/${other.id}`, {
                token: a.access_token,
              })
            ).status,
          ).toBe(204),
        'auth.logout',
        () => u.id,
        byUser,
      );
      await noEvent(async () =>
        expect(
          (await t.request('DELETE', `${auth()}/sessions/${other.id}`, { token: a.access_token }))
            .status,
        ).toBe(404),
      );
      expect((await t.request('GET', `${auth()}/me`, { token: b.access_token })).status).toBe(401);
      const all = await onlyEvent(
        async () =>
          expect(
            (await t.request('POST', `${auth()}/logout/all`, { token: a.access_token })).status,
          ).toBe(204),
        'auth.logout',
        () => u.id,
        byUser,
      );
      expect(all.meta).toMatchObject({ scope: 'all', sessions: 1 });
    });

    it('password change: auth.password_change; a wrong current password writes nothing', async () => {
      const u = await register();
      await noEvent(async () =>
        expect(
          (
            await t.request('POST', `${auth()}/password/change`, {
              token: u.access_token,
              body: { current_password: 'not the password', new_password: NEW_PASSWORD },
            })
          ).status,
        ).toBe(401),
      );
      await onlyEvent(
        async () =>
          expect(
            (
              await t.request('POST', `${auth()}/password/change`, {
                token: u.access_token,
                body: { current_password: PASSWORD, new_password: NEW_PASSWORD },
              })
            ).status,
          ).toBe(204),
        'auth.password_change',
        () => u.id,
        byUser,
      );
    });
  });

  describe('mailed links and codes', () => {
    afterAll(() =>
      settings({ require_email_verification: false, enable_otp: false, enable_magic_link: false }),
    );

    it('reset: the request (anonymous, only for a user) and the reset (by the user); a used token writes nothing', async () => {
      const u = await register();
      await noEvent(() =>
        t.request('POST', `${auth()}/password/reset/send`, { body: { email: email() } }),
      );
      let token: string | null = null;
      await onlyEvent(
        async () =>
          ({ token } = await nextMail(u.email, () =>
            t.request('POST', `${auth()}/password/reset/send`, { body: { email: u.email } }),
          )),
        'auth.password_reset_request',
        () => u.id,
        anonymous,
      );
      expect(token).toBeTruthy();
      const confirm = () =>
        t.request('POST', `${auth()}/password/reset/confirm`, {
          body: { token, new_password: RESET_PASSWORD },
        });
      await onlyEvent(
        async () => expect((await confirm()).status).toBe(200),
        'auth.password_reset',
        () => u.id,
        byUser,
      );
      await noEvent(async () => expect((await confirm()).status).toBe(400));
    });

    it('email verification: auth.register at sign-up, auth.email_verify at confirm, nothing for a used token', async () => {
      await settings({ require_email_verification: true });
      const e = email();
      let id: string | null = null;
      let token: string | null = null;
      await onlyEvent(
        async () =>
          ({ token } = await nextMail(e, async () => {
            const res = await t.request('POST', `${auth()}/register`, {
              body: { email: e, password: PASSWORD },
            });
            expect(res.body.verification_required).toBe(true);
            id = res.body.user.id;
          })),
        'auth.register',
        () => id,
        byUser,
      );
      const confirm = () => t.request('POST', `${auth()}/verify/confirm`, { body: { token } });
      const ev = await onlyEvent(
        async () => expect((await confirm()).status).toBe(200),
        'auth.email_verify',
        () => id,
        byUser,
      );
      expect(ev.record).toMatchObject({ id, is_email_verified: true });
      await noEvent(async () => expect((await confirm()).status).toBe(400));
      await settings({ require_email_verification: false });
    });

    it('OTP and magic link: auth.otp_request, auth.register on first sign-in, auth.login after; a wrong code writes nothing', async () => {
      await settings({ enable_otp: true, enable_magic_link: true });
      const e = email();
      let code: string | null = null;
      // No user yet: the request names the address only.
      const request = await onlyEvent(
        async () =>
          ({ code } = await nextMail(e, () =>
            t.request('POST', `${auth()}/otp/send`, { body: { email: e } }),
          )),
        'auth.otp_request',
        () => null,
        anonymous,
      );
      expect(request.meta).toEqual({ methods: ['otp', 'magic_link'], email: e });
      await noEvent(async () => {
        const wrong = code === '000000' ? '111111' : '000000';
        const res = await t.request('POST', `${auth()}/otp/verify`, {
          body: { email: e, code: wrong },
        });
        expect(res.status).toBe(400);
      });
      let id: string | undefined;
      const signUp = await onlyEvent(
        async () => {
          const res = await t.request('POST', `${auth()}/otp/verify`, { body: { email: e, code } });
          expect(res.status).toBe(200);
          keep(res.body.access_token, res.body.refresh_token);
          id = await userIdOf(e);
        },
        'auth.register',
        () => id ?? null,
        byUser,
      );
      expect(signUp.meta).toEqual({ method: 'otp' });
      expect(signUp.record).toMatchObject({ email: e, is_email_verified: true });

      let token: string | null = null;
      await onlyEvent(
        async () =>
          ({ token } = await nextMail(e, () =>
            t.request('POST', `${auth()}/otp/send`, { body: { email: e } }),
          )),
        'auth.otp_request',
        () => id ?? null,
        anonymous,
      );
      const viaLink = () => t.request('POST', `${auth()}/otp/verify`, { body: { token } });
      const signIn = await onlyEvent(
        async () => {
          const res = await viaLink();
          expect(res.status).toBe(200);
          keep(res.body.access_token, res.body.refresh_token);
        },
        'auth.login',
        () => id ?? null,
        byUser,
      );
      expect(signIn.meta).toEqual({ method: 'magic_link' });
      await noEvent(async () => expect((await viaLink()).status).toBe(400));
    });

    it('an OTP sign-in that proves a never-verified address says so', async () => {
      await settings({ enable_otp: true });
      const u = await register();
      const { code } = await nextMail(u.email, () =>
        t.request('POST', `${auth()}/otp/send`, { body: { email: u.email } }),
      );
      const ev = await onlyEvent(
        async () => {
          const res = await t.request('POST', `${auth()}/otp/verify`, {
            body: { email: u.email, code },
          });
          expect(res.status).toBe(200);
          keep(res.body.access_token, res.body.refresh_token);
        },
        'auth.login',
        () => u.id,
        byUser,
      );
      expect(ev.meta).toEqual({ method: 'otp', email_verified: true });
      expect(ev.record).toMatchObject({ is_email_verified: true });
    });
  });

  describe('OAuth', () => {
    let provider: Server;
    let issuer: string;
    const codes = new Set<string>();
    let identity: Json = {};
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
          const code = new URLSearchParams(await readBody(r)).get('code') ?? '';
          if (!codes.delete(code)) return json(400, { error: 'invalid_grant' });
          return json(200, { access_token: 'provider-access', token_type: 'Bearer' });
        }
        if (url.pathname === '/userinfo') return json(200, identity);
        json(404, {});
      });
      await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
      issuer = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
      const cfg = await settings({
        oauth_providers: {
          oidc: { enabled: true, issuer, client_id: 'oidc-client', client_secret: 'oidc-secret' },
        },
        allowed_redirect_uris: [redirectUri],
      });
      expect(cfg.status).toBe(200);
      secrets.push('oidc-secret', 'provider-access');
    });
    afterAll(() => new Promise<void>((resolve) => provider.close(() => resolve())));

    /** start → the provider "authorizes" → the callback the app would get. */
    const callback = async (code = `code-${Math.random().toString(36).slice(2)}`) => {
      const start = await t.request(
        'GET',
        `${auth()}/oauth/oidc/url?redirect_uri=${encodeURIComponent(redirectUri)}`,
      );
      const state = new URL(start.body.auth_url).searchParams.get('state')!;
      codes.add(code);
      keep(state, code);
      const res = await t.request(
        'GET',
        `${auth()}/oauth/oidc/callback?code=${code}&state=${state}`,
      );
      keep(res.body?.access_token, res.body?.refresh_token);
      return res;
    };

    it('first sign-in: auth.register (oauth, provider); next: auth.login; a refused callback writes nothing', async () => {
      const e = email();
      identity = { sub: 'oidc-events-1', email: e, email_verified: true };
      let id: string | undefined;
      const first = await onlyEvent(
        async () => {
          expect((await callback()).status).toBe(200);
          id = await userIdOf(e);
        },
        'auth.register',
        () => id ?? null,
        byUser,
      );
      expect(first.meta).toEqual({ method: 'oauth', provider: 'oidc' });
      const again = await onlyEvent(
        async () => expect((await callback()).status).toBe(200),
        'auth.login',
        () => id ?? null,
        byUser,
      );
      expect(again.meta).toEqual({ method: 'oauth', provider: 'oidc' });
      identity = { sub: 'oidc-events-2', email: email(), email_verified: false };
      await noEvent(async () => expect((await callback()).status).toBe(403));
    });
  });

  describe('admin changes to app users', () => {
    it('create, update, revoke sessions and delete: record events on _users by the admin, and auth.sessions_revoke', async () => {
      const e = email();
      let id = '';
      const created = await onlyEvent(
        async () => {
          const res = await t.request('POST', users(), {
            token: admin.token,
            body: { email: e, password: ADMIN_SET_PASSWORD, is_email_verified: true },
          });
          expect(res.status).toBe(201);
          id = res.body.id;
        },
        'create',
        () => id,
        byAdmin,
      );
      expect(created).toMatchObject({
        kind: 'record',
        collection_id: usersCollectionId,
        record: { id, email: e, is_email_verified: true, is_disabled: false, nickname: null },
        old_record: null,
      });
      expect(created.record).not.toHaveProperty('pin');
      await noEvent(async () =>
        expect(
          (await t.request('POST', users(), { token: admin.token, body: { email: e } })).status,
        ).toBe(409),
      );

      await login(e, ADMIN_SET_PASSWORD);
      const revoked = await onlyEvent(
        async () =>
          expect(
            (await t.request('POST', users(`/${id}/revoke-sessions`), { token: admin.token }))
              .status,
          ).toBe(204),
        'auth.sessions_revoke',
        () => id,
        byAdmin,
      );
      expect(revoked.meta).toEqual({ sessions: 1 });

      const updated = await onlyEvent(
        async () =>
          expect(
            (
              await t.request('PATCH', users(`/${id}`), {
                token: admin.token,
                body: { is_disabled: true, password: NEW_PASSWORD },
              })
            ).status,
          ).toBe(200),
        'update',
        () => id,
        byAdmin,
      );
      expect(updated).toMatchObject({
        changed: ['is_disabled'],
        meta: { password_set: true },
        old_record: { is_disabled: false },
        record: { is_disabled: true },
      });

      const deleted = await onlyEvent(
        async () =>
          expect((await t.request('DELETE', users(`/${id}`), { token: admin.token })).status).toBe(
            204,
          ),
        'delete',
        () => id,
        byAdmin,
      );
      expect(deleted).toMatchObject({ record: null, old_record: { id, email: e } });
      await noEvent(async () =>
        expect((await t.request('DELETE', users(`/${id}`), { token: admin.token })).status).toBe(
          404,
        ),
      );
    });
  });

  it('a webhook subscribed to auth.* receives auth.register and auth.login, with no secret', async () => {
    const hook = await t.request('POST', `/api/projects/${pid}/webhooks`, {
      token: admin.token,
      body: { name: 'auth', url: `${sink.url}/auth`, events: ['auth.*'] },
    });
    expect(hook.status).toBe(201);
    const u = await register();
    expect((await login(u.email)).status).toBe(200);
    const bodies = await eventually(
      async () => {
        const mine = sink
          .at('/auth')
          .map((h) => JSON.parse(h.body) as Json)
          .filter((b) => b.record_id === u.id);
        return mine.length >= 2 ? mine : null;
      },
      15_000,
      'auth webhooks',
    );
    expect(bodies.map((b) => b.event).sort()).toEqual(['auth.login', 'auth.register']);
    for (const b of bodies) {
      expect(b).toMatchObject({
        project_id: pid,
        collection: '_users',
        actor: { type: 'app_user', id: u.id },
        data: { method: 'password' },
        record: { id: u.id, email: u.email },
      });
      expect(b.record).not.toHaveProperty('password_hash');
    }
    const sent = sink
      .at('/auth')
      .map((h) => h.body)
      .join('\n');
    for (const s of secrets) expect(sent).not.toContain(s);
  });

  it('no stored event and no audit answer ever held a password, hash, token or code', async () => {
    expect(secrets.length).toBeGreaterThan(30);
    const rows = await t.query(`SELECT * FROM backendify.change_events WHERE project_id = $1`, [
      pid,
    ]);
    const res = await t.request('GET', `/api/projects/${pid}/audit/events?limit=1000`, {
      token: admin.token,
    });
    const all = JSON.stringify(rows) + res.text;
    const actions = new Set(rows.map((r) => r.action));
    for (const a of [
      'auth.register',
      'auth.login',
      'auth.logout',
      'auth.password_change',
      'auth.password_reset_request',
      'auth.password_reset',
      'auth.email_verify',
      'auth.otp_request',
      'auth.sessions_revoke',
    ])
      expect(actions).toContain(a);
    for (const s of secrets) expect(all).not.toContain(s);
  });
});
