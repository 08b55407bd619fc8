import { randomUUID } from 'node:crypto';
import { createAdmin, createProject, type TestAdmin } from './factories/admin.factory';
import { addField, createCollection, schemaOf } from './factories/schema.factory';
import { platformMails, waitForPlatformMail } from './setup/platform-mailbox';
import { createTestApp, type HttpResult, type TestApp } from './setup/test-app';
import { WebhookSink } from './setup/webhook-sink';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- audit rows are read as JSON
type Json = Record<string, any>;

/** DESIGN §4/§8: every admin action writes one `<resource>.<verb>` event in its own transaction. */
describe('admin actions in the change log', () => {
  let t: TestApp;
  let sink: WebhookSink;
  let owner: TestAdmin;
  let viewer: TestAdmin;
  let pid: string;
  let posts: { id: string; name: string };
  const api = (path: string) => `/api/projects/${pid}${path}`;
  const as = (who: TestAdmin, method: string, path: string, body?: unknown) =>
    t.request(method, api(path), { token: who.token, body });

  /** The project's audit events of one action, newest first. */
  const events = async (action: string): Promise<Json[]> => {
    const res = await as(owner, 'GET', `/audit/events?action=${action}&limit=1000`);
    expect(res.status).toBe(200);
    return res.body.events as Json[];
  };

  /** The one event of `action` whose meta names the resource (`meta[key] === id`), in the admin shape. */
  const single = async (action: string, key: string, id: unknown, actor = owner) => {
    const list = (await events(action)).filter((e) => e.meta?.[key] === id);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      kind: 'admin',
      action,
      record_id: null,
      actor: { type: 'admin', id: actor.id },
      actor_user_id: actor.id,
    });
    return list[0];
  };

  const adminEvents = async (): Promise<number> =>
    (
      await t.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM backendify.change_events WHERE project_id = $1 AND kind = 'admin'`,
        [pid],
      )
    )[0].n;

  /** A refused action (bad input, role too low, missing resource) or a no-op writes no event. */
  const writesNothing = async (status: number, act: () => Promise<HttpResult>) => {
    const before = await adminEvents();
    const res = await act();
    expect(res.status).toBe(status);
    expect(await adminEvents()).toBe(before);
  };

  /** Every stored change event of the project, as text, to look for secrets in. */
  const storedText = async () =>
    JSON.stringify(
      await t.query(`SELECT * FROM backendify.change_events WHERE project_id = $1`, [pid]),
    );

  beforeAll(async () => {
    sink = await new WebhookSink().start();
    t = await createTestApp({ WEBHOOK_ALLOW_PRIVATE: 'true' });
    owner = await createAdmin(t);
    viewer = await createAdmin(t);
    pid = (await createProject(t, owner)).id;
    const added = await as(owner, 'POST', '/members', { email: viewer.email, role: 'viewer' });
    expect(added.status).toBe(201);
    posts = await createCollection(t, owner, pid, 'posts');
    await addField(t, owner, pid, 'posts', { name: 'title', field_type: 'string' });
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  it('policy.create|update|delete, each of its collection', async () => {
    const created = await as(owner, 'POST', '/schema/collections/posts/policies', {
      name: 'readers',
      action: 'read',
      condition: { title: 'x' },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const c = await single('policy.create', 'policy_id', id);
    expect(c).toMatchObject({
      collection: 'posts',
      collection_id: posts.id,
      meta: { name: 'readers', action: 'read', effect: 'allow', condition: { title: 'x' } },
    });

    const patched = await as(owner, 'PATCH', `/schema/collections/posts/policies/${id}`, {
      priority: 5,
    });
    expect(patched.status).toBe(200);
    const u = await single('policy.update', 'policy_id', id);
    expect(u).toMatchObject({ collection: 'posts', collection_id: posts.id });
    expect(u.meta).toMatchObject({ priority: 5, changed: ['priority'], previous: { priority: 0 } });

    await writesNothing(403, () =>
      as(viewer, 'POST', '/schema/collections/posts/policies', { name: 'v', action: 'read' }),
    );
    await writesNothing(400, () =>
      as(owner, 'POST', '/schema/collections/posts/policies', { name: 'b', action: 'nope' }),
    );
    await writesNothing(400, () =>
      as(owner, 'PATCH', `/schema/collections/posts/policies/${id}`, { read_fields: ['nope'] }),
    );

    expect((await as(owner, 'DELETE', `/schema/collections/posts/policies/${id}`)).status).toBe(
      204,
    );
    const d = await single('policy.delete', 'policy_id', id);
    expect(d).toMatchObject({ collection: 'posts', meta: { name: 'readers' } });
    await writesNothing(404, () => as(owner, 'DELETE', `/schema/collections/posts/policies/${id}`));
  });

  it('validation.create|update|delete, each of its collection', async () => {
    const rules = '/validations/collections/posts/fields/title/rules';
    const created = await as(owner, 'POST', rules, {
      rule_type: 'min_length',
      config: { min: 2 },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const c = await single('validation.create', 'rule_id', id);
    expect(c).toMatchObject({
      collection: 'posts',
      collection_id: posts.id,
      meta: { field_name: 'title', rule_type: 'min_length', config: { min: 2 }, is_active: true },
    });

    expect((await as(owner, 'PATCH', `/validations/rules/${id}`, { priority: 3 })).status).toBe(
      200,
    );
    const u = await single('validation.update', 'rule_id', id);
    expect(u.meta).toMatchObject({ priority: 3, changed: ['priority'], previous: { priority: 0 } });

    await writesNothing(403, () =>
      as(viewer, 'POST', rules, { rule_type: 'min_length', config: { min: 2 } }),
    );
    await writesNothing(400, () => as(owner, 'POST', rules, { rule_type: 'nope' }));
    await writesNothing(400, () =>
      as(owner, 'PATCH', `/validations/rules/${id}`, { config: { min: 'many' } }),
    );

    expect((await as(owner, 'DELETE', `/validations/rules/${id}`)).status).toBe(204);
    const d = await single('validation.delete', 'rule_id', id);
    expect(d).toMatchObject({ collection: 'posts', meta: { rule_type: 'min_length' } });
  });

  it('role.create|update|delete|initialize|assign|unassign', async () => {
    const created = await as(owner, 'POST', '/rbac/roles', { name: 'editor' });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const c = await single('role.create', 'role_id', id);
    expect(c).toMatchObject({ collection: null, meta: { name: 'editor', is_default: false } });

    expect(
      (await as(owner, 'PATCH', `/rbac/roles/${id}`, { display_name: 'Editors' })).status,
    ).toBe(200);
    const u = await single('role.update', 'role_id', id);
    expect(u.meta).toMatchObject({
      display_name: 'Editors',
      changed: ['display_name'],
      previous: { display_name: 'editor' },
    });

    expect((await as(owner, 'POST', '/rbac/initialize')).status).toBe(201);
    const [init] = await events('role.initialize');
    expect(init.meta).toEqual({ roles_created: 3, names: ['admin', 'member', 'viewer'] });
    // A second initialisation changes nothing and writes nothing.
    await writesNothing(201, () => as(owner, 'POST', '/rbac/initialize'));
    expect(await events('role.initialize')).toHaveLength(1);

    const appUser = randomUUID();
    await t.query(`INSERT INTO ${schemaOf(pid)}._users (id, email) VALUES ($1, $2)`, [
      appUser,
      `${appUser}@example.com`,
    ]);
    const roles = `/rbac/users/${appUser}/roles`;
    expect((await as(owner, 'POST', roles, { role_ids: [id] })).status).toBe(201);
    const a = await single('role.assign', 'app_user_id', appUser);
    expect(a.meta).toEqual({ app_user_id: appUser, role_ids: [id] });
    await writesNothing(404, () => as(owner, 'POST', roles, { role_ids: [id, randomUUID()] }));

    expect((await as(owner, 'DELETE', `${roles}/${id}`)).status).toBe(204);
    const un = await single('role.unassign', 'app_user_id', appUser);
    expect(un.meta).toEqual({ app_user_id: appUser, role_id: id, name: 'editor' });
    await writesNothing(404, () => as(owner, 'DELETE', `${roles}/${id}`));

    await writesNothing(409, () => as(owner, 'POST', '/rbac/roles', { name: 'editor' }));
    await writesNothing(403, () => as(viewer, 'POST', '/rbac/roles', { name: 'viewers-try' }));
    const system = (await as(owner, 'GET', '/rbac/roles')).body.find(
      (r: Json) => r.name === 'admin',
    );
    await writesNothing(403, () => as(owner, 'DELETE', `/rbac/roles/${system.id}`));

    expect((await as(owner, 'DELETE', `/rbac/roles/${id}`)).status).toBe(204);
    expect((await single('role.delete', 'role_id', id)).meta).toMatchObject({ name: 'editor' });
  });

  it('api_key.create|revoke|delete, never with the key or its hash', async () => {
    const created = await as(owner, 'POST', '/api-keys', { name: 'ci' });
    expect(created.status).toBe(201);
    const { id, api_key: plaintext, prefix } = created.body as Json;
    const [{ key_hash: hash }] = await t.query(
      `SELECT key_hash FROM backendify.api_keys WHERE id = $1`,
      [id],
    );
    const c = await single('api_key.create', 'api_key_id', id);
    expect(c.meta).toEqual({
      api_key_id: id,
      name: 'ci',
      prefix,
      kind: 'service',
      revoked: false,
      expires_at: null,
    });

    expect((await as(owner, 'POST', `/api-keys/${id}/revoke`)).status).toBe(204);
    expect((await single('api_key.revoke', 'api_key_id', id)).meta).toMatchObject({
      revoked: true,
    });
    expect((await as(owner, 'DELETE', `/api-keys/${id}`)).status).toBe(204);
    expect((await single('api_key.delete', 'api_key_id', id)).meta).toMatchObject({ name: 'ci' });

    await writesNothing(403, () => as(viewer, 'POST', '/api-keys', { name: 'v' }));
    await writesNothing(400, () =>
      as(owner, 'POST', '/api-keys', { name: 'old', expires_at: '2001-01-01T00:00:00Z' }),
    );
    await writesNothing(404, () => as(owner, 'DELETE', `/api-keys/${id}`));

    const listed = await as(owner, 'GET', '/audit/events?action=api_key.*&limit=1000');
    for (const text of [listed.text, await storedText()]) {
      expect(text).not.toContain(plaintext);
      expect(text).not.toContain(hash);
    }
  });

  it('member.add|update|remove', async () => {
    expect((await single('member.add', 'user_id', viewer.id)).meta).toEqual({
      user_id: viewer.id,
      email: viewer.email,
      role: 'viewer',
    });

    const dev = await createAdmin(t);
    expect(
      (await as(owner, 'POST', '/members', { email: dev.email, role: 'developer' })).status,
    ).toBe(201);
    await single('member.add', 'user_id', dev.id);
    expect((await as(owner, 'PATCH', `/members/${dev.id}`, { role: 'admin' })).status).toBe(200);
    expect((await single('member.update', 'user_id', dev.id)).meta).toEqual({
      user_id: dev.id,
      email: dev.email,
      role: 'admin',
      changed: ['role'],
      previous: { role: 'developer' },
    });

    await writesNothing(403, () => as(viewer, 'PATCH', `/members/${dev.id}`, { role: 'viewer' }));
    await writesNothing(409, () => as(owner, 'PATCH', `/members/${owner.id}`, { role: 'admin' }));
    await writesNothing(409, () =>
      as(owner, 'POST', '/members', { email: dev.email, role: 'viewer' }),
    );
    await writesNothing(409, () => as(owner, 'DELETE', `/members/${owner.id}`));

    expect((await as(owner, 'DELETE', `/members/${dev.id}`)).status).toBe(204);
    expect((await single('member.remove', 'user_id', dev.id)).meta).toMatchObject({
      email: dev.email,
      role: 'admin',
    });
    await writesNothing(404, () => as(owner, 'DELETE', `/members/${dev.id}`));
  });

  it('invitation.create|resend|revoke|accept, never with the token', async () => {
    const email = `invited-${Date.now()}@example.com`;
    expect((await as(owner, 'POST', '/members', { email, role: 'developer' })).status).toBe(202);
    const pending = (await as(owner, 'GET', '/invitations')).body.find(
      (i: Json) => i.email === email,
    );
    const c = await single('invitation.create', 'invitation_id', pending.id);
    expect(c.meta).toMatchObject({ email, role: 'developer' });
    expect((await as(owner, 'POST', `/invitations/${pending.id}/resend`)).status).toBe(200);
    await single('invitation.resend', 'invitation_id', pending.id);
    await writesNothing(403, () => as(viewer, 'DELETE', `/invitations/${pending.id}`));
    expect((await as(owner, 'DELETE', `/invitations/${pending.id}`)).status).toBe(204);
    await single('invitation.revoke', 'invitation_id', pending.id);
    await writesNothing(404, () => as(owner, 'POST', `/invitations/${pending.id}/resend`));
    await writesNothing(404, () => as(owner, 'DELETE', `/invitations/${pending.id}`));

    // Accepting is the invited admin's action, on the project of the invitation.
    const invitee = await createAdmin(t, undefined, { verified: false });
    const seen = platformMails(t);
    expect(
      (await as(owner, 'POST', '/members', { email: invitee.email, role: 'viewer' })).status,
    ).toBe(202);
    const mail = await waitForPlatformMail(t, invitee.email, 'project_invitation', seen);
    const accept = (token: string) =>
      t.request('POST', '/api/auth/invitations/accept', { token: invitee.token, body: { token } });
    await writesNothing(400, () => accept('not-a-token'));
    expect((await accept(mail.token as string)).status).toBe(200);
    const accepted = await single('invitation.accept', 'user_id', invitee.id, invitee);
    expect(accepted.meta).toMatchObject({ email: invitee.email, role: 'viewer' });
    expect(await storedText()).not.toContain(mail.token as string);
  });

  it('project.update and audit_settings.update; a deleted project takes its events along', async () => {
    const before = (await as(owner, 'GET', '')).body.name;
    const patched = await as(owner, 'PATCH', '', {
      name: 'Renamed',
      allowed_origins: ['https://app.example.com'],
    });
    expect(patched.status).toBe(200);
    const u = await single('project.update', 'project_id', pid);
    expect(u.meta).toMatchObject({
      name: 'Renamed',
      allowed_origins: ['https://app.example.com'],
      changed: ['allowed_origins', 'name'],
      previous: { name: before, allowed_origins: null },
    });
    await writesNothing(403, () => as(viewer, 'PATCH', '', { name: 'Viewer was here' }));
    await writesNothing(400, () => as(owner, 'PATCH', '', { name: '' }));

    expect((await as(owner, 'PUT', '/audit/settings', { retention_days: 90 })).status).toBe(200);
    const [s] = await events('audit_settings.update');
    expect(s).toMatchObject({ kind: 'admin', actor: { type: 'admin', id: owner.id } });
    expect(s.meta).toEqual({
      retention_days: 90,
      max_rows: null,
      changed: ['retention_days'],
      previous: { retention_days: null },
    });
    await writesNothing(400, () => as(owner, 'PUT', '/audit/settings', { max_rows: 0 }));
    await writesNothing(403, () => as(viewer, 'PUT', '/audit/settings', { max_rows: 5 }));

    // No `project.delete` event: the change log of a project is deleted with it.
    const doomed = (await createProject(t, owner, 'doomed')).id;
    expect(
      (
        await t.request('PATCH', `/api/projects/${doomed}`, {
          token: owner.token,
          body: { name: 'd' },
        })
      ).status,
    ).toBe(200);
    expect(
      (await t.request('DELETE', `/api/projects/${doomed}`, { token: owner.token })).status,
    ).toBe(204);
    const left = await t.query(`SELECT id FROM backendify.change_events WHERE project_id = $1`, [
      doomed,
    ]);
    expect(left).toEqual([]);
  });

  it('auth_settings.update names the changed keys, never the OAuth client secret', async () => {
    const secret = `gsecret-${randomUUID()}`;
    const rotated = `gsecret-${randomUUID()}`;
    const put = (who: TestAdmin, body: unknown) => as(who, 'PUT', '/settings/auth', body);
    expect(
      (
        await put(owner, {
          enable_otp: true,
          oauth_providers: { google: { enabled: true, client_id: 'gid', client_secret: secret } },
        })
      ).status,
    ).toBe(200);
    const [first] = await events('auth_settings.update');
    expect(first).toMatchObject({ kind: 'admin', actor: { type: 'admin', id: owner.id } });
    expect(first.meta.changed).toEqual([
      'enable_oauth_google',
      'enable_otp',
      'oauth_providers.google.client_id',
      'oauth_providers.google.client_secret',
      'oauth_providers.google.client_secret_set',
      'oauth_providers.google.enabled',
    ]);
    expect(first.meta.previous).toMatchObject({
      enable_otp: false,
      'oauth_providers.google.client_id': null,
    });
    expect(first.meta).toMatchObject({
      enable_otp: true,
      'oauth_providers.google.client_id': 'gid',
    });

    // A new secret is a change even though nothing shown about it differs.
    expect(
      (await put(owner, { oauth_providers: { google: { client_secret: rotated } } })).status,
    ).toBe(200);
    const [second] = await events('auth_settings.update');
    expect(second.meta.changed).toEqual(['oauth_providers.google.client_secret']);

    // Enabling a provider without credentials fails inside the transaction: nothing is written.
    await writesNothing(400, () => put(owner, { oauth_providers: { github: { enabled: true } } }));
    await writesNothing(403, () => put(viewer, { enable_otp: false }));
    expect(await events('auth_settings.update')).toHaveLength(2);

    const listed = await as(owner, 'GET', '/audit/events?action=auth_settings.*');
    for (const text of [listed.text, await storedText()]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(rotated);
    }
  });

  it('webhooks log their admin actions through the same helper and never deliver admin events', async () => {
    const created = await as(owner, 'POST', '/webhooks', {
      name: 'everything',
      url: `${sink.url}/all`,
      events: ['*'],
    });
    expect(created.status).toBe(201);
    const w = created.body as Json;
    expect((await single('webhook.create', 'webhook_id', w.id)).meta).toMatchObject({
      name: 'everything',
      events: ['*'],
    });
    expect((await as(owner, 'POST', '/rbac/roles', { name: 'hooked' })).status).toBe(201);
    expect((await as(owner, 'PATCH', '', { name: 'Hooked' })).status).toBe(200);
    const rec = await as(owner, 'POST', '/data/posts', { title: 'after the admin actions' });
    expect(rec.status).toBe(201);
    // Events are consumed in commit order: once the record's delivery exists, so would theirs.
    await sink.waitFor('/all', 1);
    const deliveries = (await as(owner, 'GET', `/webhooks/${w.id}/deliveries`)).body
      .deliveries as Json[];
    expect(deliveries.map((d) => d.event_type)).toContain('record.created');
    for (const d of deliveries) expect(d.event_type).toMatch(/^(record|collection|field|auth)\./);
    expect(w.secret).toBeDefined();
    expect(await storedText()).not.toContain(w.secret);
  });

  it('an action whose event cannot be written does not happen: one transaction', async () => {
    await t.query(`CREATE FUNCTION public.refuse_admin_event() RETURNS trigger LANGUAGE plpgsql
      AS $$ BEGIN RAISE EXCEPTION 'admin events refused by the test'; END $$`);
    await t.query(`CREATE TRIGGER refuse_admin_event BEFORE INSERT ON backendify.change_events
      FOR EACH ROW WHEN (NEW.kind = 'admin') EXECUTE FUNCTION public.refuse_admin_event()`);
    try {
      const failed = async (method: string, path: string, body?: unknown) => {
        const res = await as(owner, method, path, body);
        expect(res.status).toBe(500);
      };
      await failed('POST', '/api-keys', { name: 'doomed' });
      expect((await as(owner, 'GET', '/api-keys')).body.map((k: Json) => k.name)).not.toContain(
        'doomed',
      );
      await failed('POST', '/schema/collections/posts/policies', {
        name: 'doomed',
        action: 'read',
      });
      expect(
        (await as(owner, 'GET', '/schema/collections/posts/policies')).body.map(
          (p: Json) => p.name,
        ),
      ).not.toContain('doomed');
      await failed('POST', '/validations/collections/posts/fields/title/rules', {
        rule_type: 'max_length',
        config: { max: 9 },
      });
      expect(
        (await as(owner, 'GET', '/validations/collections/posts/fields/title/rules')).body,
      ).toEqual([]);
      await failed('POST', '/rbac/roles', { name: 'doomed' });
      expect((await as(owner, 'GET', '/rbac/roles')).body.map((r: Json) => r.name)).not.toContain(
        'doomed',
      );
      await failed('PATCH', '', { name: 'Doomed' });
      expect((await as(owner, 'GET', '')).body.name).not.toBe('Doomed');
      await failed('DELETE', `/members/${viewer.id}`);
      expect((await as(owner, 'GET', '/members')).body.map((m: Json) => m.user_id)).toContain(
        viewer.id,
      );
      await failed('PUT', '/settings/auth', { enable_magic_link: true });
      expect((await as(owner, 'GET', '/settings/auth')).body.enable_magic_link).toBe(false);
      await failed('PUT', '/audit/settings', { max_rows: 12345 });
      expect((await as(owner, 'GET', '/audit/settings')).body.max_rows).toBeNull();
    } finally {
      await t.query(`DROP TRIGGER refuse_admin_event ON backendify.change_events`);
      await t.query(`DROP FUNCTION public.refuse_admin_event()`);
    }
  });
});
