import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { createAdmin, createProject, type TestAdmin } from './factories/admin.factory';
import { addField, createCollection, schemaOf } from './factories/schema.factory';
import { createTestApp, type TestApp } from './setup/test-app';
import { eventually, WebhookSink } from './setup/webhook-sink';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- webhook bodies are read as JSON
type Json = Record<string, any>;

describe('webhooks', () => {
  let t: TestApp;
  let sink: WebhookSink;
  let owner: TestAdmin;
  let viewer: TestAdmin;
  let pid: string;
  const hooks = (path = '') => `/api/projects/${pid}/webhooks${path}`;
  const data = (c: string, path = '') => `/api/projects/${pid}/data/${c}${path}`;
  let n = 0;

  beforeAll(async () => {
    sink = await new WebhookSink().start();
    t = await createTestApp({
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_RETRY_BASE_MS: '40',
      WEBHOOK_TIMEOUT_MS: '1500',
      WEBHOOK_MAX_ATTEMPTS: '3',
      WEBHOOK_DISABLE_AFTER: '2',
    });
    owner = await createAdmin(t);
    viewer = await createAdmin(t);
    pid = (await createProject(t, owner)).id;
    const added = await t.request('POST', `/api/projects/${pid}/members`, {
      token: owner.token,
      body: { email: viewer.email, role: 'viewer' },
    });
    expect([200, 201]).toContain(added.status);
    await createCollection(t, owner, pid, 'notes');
    await addField(t, owner, pid, 'notes', { name: 'title', field_type: 'string' });
    await addField(t, owner, pid, 'notes', {
      name: 'secret',
      field_type: 'string',
      is_hidden: true,
    });
    await createCollection(t, owner, pid, 'other');
    await addField(t, owner, pid, 'other', { name: 'title', field_type: 'string' });
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  /** A webhook on its own sink path. */
  const hook = async (body: Json = {}) => {
    const path = `/h${++n}`;
    const res = await t.request('POST', hooks(), {
      token: owner.token,
      body: { name: `hook ${n}`, url: sink.url + path, events: ['*'], ...body },
    });
    expect(res.status).toBe(201);
    return { ...(res.body as Json), path } as Json & { path: string; id: string; secret: string };
  };
  const note = async (title: string, c = 'notes') => {
    const res = await t.request('POST', data(c), { token: owner.token, body: { title } });
    expect(res.status).toBe(201);
    return res.body as Json;
  };
  const deliveries = async (id: string, qs = '') =>
    (await t.request('GET', hooks(`/${id}/deliveries${qs}`), { token: owner.token })).body as Json;

  it('creates, lists, reads, changes and deletes a webhook; the secret is shown once and stored sealed', async () => {
    const created = await t.request('POST', hooks(), {
      token: owner.token,
      body: {
        name: 'Orders',
        url: 'https://example.com/hook',
        events: ['record.*', 'record.created'],
      },
    });
    expect(created.status).toBe(201);
    const w = created.body as Json;
    expect(w).toMatchObject({
      project_id: pid,
      name: 'Orders',
      url: 'https://example.com/hook',
      events: ['record.*', 'record.created'],
      collections: [],
      is_active: true,
      disabled_reason: null,
    });
    expect(w.secret).toMatch(/^whsec_/);
    const [stored] = await t.query(`SELECT secret_sealed FROM backendify.webhooks WHERE id = $1`, [
      w.id,
    ]);
    expect(stored.secret_sealed).not.toContain(w.secret.slice(6, 20));

    const list = await t.request('GET', hooks(), { token: owner.token });
    expect(list.status).toBe(200);
    const listed = (list.body as Json[]).find((x) => x.id === w.id);
    expect(listed).toBeDefined();
    expect(listed).not.toHaveProperty('secret');
    expect(list.text).not.toContain(w.secret);
    expect((await t.request('GET', hooks(`/${w.id}`), { token: owner.token })).body).toMatchObject({
      name: 'Orders',
    });

    const patched = await t.request('PATCH', hooks(`/${w.id}`), {
      token: owner.token,
      body: { name: 'Orders v2', is_active: false, collections: ['notes'] },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      name: 'Orders v2',
      is_active: false,
      collections: ['notes'],
    });

    const rotated = await t.request('POST', hooks(`/${w.id}/rotate-secret`), {
      token: owner.token,
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(w.secret);

    expect((await t.request('DELETE', hooks(`/${w.id}`), { token: owner.token })).status).toBe(204);
    const gone = await t.request('GET', hooks(`/${w.id}`), { token: owner.token });
    expect(gone.status).toBe(404);
    expect(gone.body.detail).toBe('Webhook not found');
    expect((await t.request('DELETE', hooks(`/${w.id}`), { token: owner.token })).status).toBe(404);

    // Each admin action is in the audit log, without the secret.
    const audit = await t.request('GET', `/api/projects/${pid}/audit/events?action=webhook.*`, {
      token: owner.token,
    });
    const actions = (audit.body.events as Json[])
      .filter((e) => e.meta?.webhook_id === w.id)
      .map((e) => e.action);
    expect(actions).toEqual([
      'webhook.delete',
      'webhook.rotate_secret',
      'webhook.update',
      'webhook.create',
    ]);
    expect(audit.text).not.toContain(w.secret);
    expect(audit.text).not.toContain(rotated.body.secret);
  });

  it.each([
    [{ url: 'ftp://example.com/x' }, 'url'],
    [{ url: 'not a url' }, 'url'],
    [{ url: 'https://user:pw@example.com/x' }, 'url'],
    [{ events: [] }, 'events'],
    [{ events: ['policy.create'] }, 'events'],
    [{ events: 'record.*' }, 'events'],
    [{ collections: ['nope'] }, 'collections'],
    [{ secret: 'short' }, 'secret'],
    [{ name: '' }, 'name'],
    [{ is_active: 'yes' }, 'is_active'],
  ])('refuses %j with a 400 naming %s', async (patch, field) => {
    const res = await t.request('POST', hooks(), {
      token: owner.token,
      body: { name: 'x', url: 'https://example.com/x', events: ['*'], ...patch },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toMatch(/VALIDATION_FAILED|BAD_REQUEST/);
    expect(JSON.stringify(res.body.errors ?? res.body)).toContain(field);
    expect(res.text).not.toMatch(/at .*\.ts:\d+|SELECT|INSERT/);
  });

  it('refuses unknown keys, bad ids and other projects’ webhooks', async () => {
    const extra = await t.request('POST', hooks(), {
      token: owner.token,
      body: { name: 'x', url: 'https://example.com/x', events: ['*'], colour: 'red' },
    });
    expect(extra.status).toBe(400);
    expect((await t.request('GET', hooks('/not-a-uuid'), { token: owner.token })).status).toBe(400);
    const stranger = await createAdmin(t);
    const w = await hook();
    expect((await t.request('GET', hooks(`/${w.id}`), { token: stranger.token })).status).toBe(404);
    const otherPid = (await createProject(t, stranger)).id;
    const cross = await t.request('GET', `/api/projects/${otherPid}/webhooks/${w.id}`, {
      token: stranger.token,
    });
    expect(cross.status).toBe(404);
    await t.request('DELETE', hooks(`/${w.id}`), { token: owner.token });
  });

  it('lets viewers read but not write', async () => {
    const w = await hook();
    expect((await t.request('GET', hooks(), { token: viewer.token })).status).toBe(200);
    expect(
      (await t.request('GET', hooks(`/${w.id}/deliveries`), { token: viewer.token })).status,
    ).toBe(200);
    const writes: [string, string, Json?][] = [
      ['POST', hooks(), { name: 'v', url: 'https://example.com', events: ['*'] }],
      ['PATCH', hooks(`/${w.id}`), { name: 'v' }],
      ['DELETE', hooks(`/${w.id}`)],
      ['POST', hooks(`/${w.id}/test`)],
      ['POST', hooks(`/${w.id}/rotate-secret`)],
      [
        'POST',
        hooks(`/${w.id}/replay`),
        { from: '2020-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z' },
      ],
    ];
    for (const [method, path, body] of writes) {
      const res = await t.request(method, path, { token: viewer.token, body });
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 403 });
    }
    await t.request('DELETE', hooks(`/${w.id}`), { token: owner.token });
  });

  it('delivers record events signed both ways, with the event id as X-Webhook-Id and no hidden field', async () => {
    const w = await hook({ events: ['record.*'] });
    const rec = await note('first');
    await t.query(`UPDATE ${schemaOf(pid)}.notes SET secret = 'sssh' WHERE id = $1`, [rec.id]);
    await t.request('PATCH', data('notes', `/${rec.id}`), {
      token: owner.token,
      body: { title: 'second' },
    });
    await t.request('DELETE', data('notes', `/${rec.id}`), { token: owner.token });
    // Deliveries run in parallel, so they may arrive in any order; the event id orders them.
    const hits = [...(await sink.waitFor(w.path, 3))].sort(
      (a, b) => Number(a.headers['x-webhook-id']) - Number(b.headers['x-webhook-id']),
    );
    const bodies = hits.map((h) => JSON.parse(h.body) as Json);
    expect(bodies.map((b) => b.event)).toEqual([
      'record.created',
      'record.updated',
      'record.deleted',
    ]);
    expect(bodies[0]).toMatchObject({
      event: 'record.created',
      project_id: pid,
      collection: 'notes',
      record_id: String(rec.id),
      record: { title: 'first' },
      previous_record: null,
      actor: { type: 'admin', id: owner.id },
    });
    expect(bodies[1]).toMatchObject({
      record: { title: 'second' },
      previous_record: { title: 'first' },
      changed: ['title'],
    });
    expect(bodies[2]).toMatchObject({ record: null, previous_record: { title: 'second' } });
    for (const h of hits) expect(h.body).not.toContain('sssh');
    for (const b of bodies) expect(JSON.stringify(b)).not.toMatch(/"secret"|password_hash/);

    const events = await t.request('GET', `/api/projects/${pid}/audit/events?record_id=${rec.id}`, {
      token: owner.token,
    });
    const ids = (events.body.events as Json[]).map((e) => String(e.id)).reverse();
    const verifier = new Webhook(w.secret);
    hits.forEach((h, i) => {
      expect(h.headers['x-webhook-id']).toBe(ids[i]);
      expect(bodies[i].id).toBe(ids[i]);
      expect(h.headers['content-type']).toBe('application/json');
      expect(h.headers['x-webhook-event']).toBe(bodies[i].event);
      expect(verifier.verify(h.body, h.headers as Record<string, string>)).toEqual(bodies[i]);
      const key = Buffer.from(w.secret.slice('whsec_'.length), 'base64');
      const mac = createHmac('sha256', key)
        .update(`${h.headers['x-webhook-timestamp']}.${h.body}`)
        .digest('hex');
      expect(h.headers['x-webhook-signature']).toBe(`sha256=${mac}`);
    });
    expect(() =>
      verifier.verify(
        hits[0].body.replace('first', 'forged'),
        hits[0].headers as Record<string, string>,
      ),
    ).toThrow();

    // The sink answers before the attempt is recorded; wait for the log to catch up.
    const log = await eventually(
      async () => {
        const l = await deliveries(w.id);
        return l.deliveries.every((d: Json) => d.status === 'delivered') ? l : null;
      },
      10_000,
      'all delivered',
    );
    expect(log.total).toBe(3);
    expect(log.deliveries[0]).toMatchObject({
      status: 'delivered',
      attempts: 1,
      response_status: 200,
      webhook_id: w.id,
    });
    const detail = await t.request('GET', hooks(`/${w.id}/deliveries/${log.deliveries[0].id}`), {
      token: owner.token,
    });
    expect(detail.status).toBe(200);
    expect(detail.body.payload.event).toBe('record.deleted');
    expect(detail.body.attempt_log).toHaveLength(1);
    expect(detail.body.attempt_log[0]).toMatchObject({
      attempt: 1,
      status: 200,
      error: null,
      response_excerpt: 'ok',
    });
    expect(detail.body.request_headers['x-webhook-id']).toBe(ids[2]);
    await t.request('DELETE', hooks(`/${w.id}`), { token: owner.token });
  });

  it('a caller-supplied secret signs too; the collection filter and event list choose what is sent', async () => {
    const secret = 'my-own-secret-of-enough-length';
    const onlyNotes = await hook({ events: ['record.created'], collections: ['notes'], secret });
    const fields = await hook({ events: ['field.*'] });
    await note('for other', 'other');
    await note('for notes');
    await addField(t, owner, pid, 'other', { name: 'extra', field_type: 'int' });
    const [hit] = await sink.waitFor(onlyNotes.path, 1);
    expect(JSON.parse(hit.body).collection).toBe('notes');
    const mac = createHmac('sha256', secret)
      .update(`${hit.headers['x-webhook-timestamp']}.${hit.body}`)
      .digest('hex');
    expect(hit.headers['x-webhook-signature']).toBe(`sha256=${mac}`);
    const [f] = await sink.waitFor(fields.path, 1);
    expect(JSON.parse(f.body)).toMatchObject({
      event: 'field.created',
      collection: 'other',
      record: null,
    });
    // Give stray deliveries a moment to show up, then check there were none.
    await new Promise((r) => setTimeout(r, 500));
    expect(sink.at(onlyNotes.path)).toHaveLength(1);
    expect(sink.at(fields.path)).toHaveLength(1);
    await t.request('DELETE', hooks(`/${onlyNotes.id}`), { token: owner.token });
    await t.request('DELETE', hooks(`/${fields.id}`), { token: owner.token });
  });

  it('retries a failing endpoint with backoff, the same X-Webhook-Id each time, and logs every attempt', async () => {
    const w = await hook({ events: ['record.created'], collections: ['notes'] });
    sink.answer(w.path, (_h, i) => (i < 3 ? { status: 500, body: `boom ${i}` } : { status: 204 }));
    await note('retry me');
    const hits = await sink.waitFor(w.path, 3);
    expect(new Set(hits.map((h) => h.headers['x-webhook-id'])).size).toBe(1);
    // Every attempt is signed afresh and verifies.
    for (const h of hits)
      expect(
        new Webhook(w.secret).verify(h.body, h.headers as Record<string, string>),
      ).toBeTruthy();
    // Waits grow: the second gap is longer than the base × 6 floor of 0.8 jitter.
    expect(hits[2].at - hits[1].at).toBeGreaterThanOrEqual(40 * 6 * 0.8 - 5);
    const d = await eventually(
      async () => {
        const log = await deliveries(w.id);
        return log.deliveries[0]?.status === 'delivered' ? log.deliveries[0] : null;
      },
      10_000,
      'delivered',
    );
    expect(d).toMatchObject({ attempts: 3, response_status: 204 });
    const detail = (
      await t.request('GET', hooks(`/${w.id}/deliveries/${d.id}`), { token: owner.token })
    ).body;
    expect(detail.attempt_log.map((a: Json) => a.status)).toEqual([500, 500, 204]);
    expect(detail.attempt_log[0]).toMatchObject({ error: 'HTTP 500', response_excerpt: 'boom 1' });
    expect((await t.request('GET', hooks(`/${w.id}`), { token: owner.token })).body).toMatchObject({
      is_active: true,
      consecutive_failures: 0,
      last_status: 'delivered',
    });
    await t.request('DELETE', hooks(`/${w.id}`), { token: owner.token });
  });

  it('honours Retry-After on 429', async () => {
    const w = await hook({ events: ['record.created'], collections: ['notes'] });
    sink.answer(w.path, (_h, i) =>
      i === 1 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 },
    );
    await note('slow down');
    const hits = await sink.waitFor(w.path, 2);
    expect(hits[1].at - hits[0].at).toBeGreaterThanOrEqual(950);
    await t.request('DELETE', hooks(`/${w.id}`), { token: owner.token });
  });

  it('a 410 disables the endpoint at once and says why; re-enabling clears it', async () => {
    const w = await hook({ events: ['record.created'], collections: ['notes'] });
    sink.answer(w.path, () => ({ status: 410 }));
    await note('gone');
    const off = await eventually(
      async () => {
        const r = (await t.request('GET', hooks(`/${w.id}`), { token: owner.token })).body as Json;
        return r.is_active === false ? r : null;
      },
      10_000,
      'disabled',
    );
    expect(off.disabled_reason).toMatch(/410/);
    expect(off.last_status).toBe('failed');
    expect(sink.at(w.path)).toHaveLength(1);
    expect((await t.request('POST', hooks(`/${w.id}/test`), { token: owner.token })).status).toBe(
      409,
    );
    // Deliveries queued while disabled are not sent.
    await note('while off');
    await new Promise((r) => setTimeout(r, 400));
    expect(sink.at(w.path)).toHaveLength(1);
    const on = await t.request('PATCH', hooks(`/${w.id}`), {
      token: owner.token,
      body: { is_active: true },
    });
    expect(on.body).toMatchObject({
      is_active: true,
      disabled_reason: null,
      consecutive_failures: 0,
    });
    await t.request('DELETE', hooks(`/${w.id}`), { token: owner.token });
  });

  it('disables an endpoint after N deliveries in a row fail every retry', async () => {
    const w = await hook({ events: ['record.created'], collections: ['notes'] });
    sink.answer(w.path, () => ({ status: 503, body: 'down' }));
    await note('fail 1');
    await note('fail 2');
    const off = await eventually(
      async () => {
        const r = (await t.request('GET', hooks(`/${w.id}`), { token: owner.token })).body as Json;
        return r.is_active === false ? r : null;
      },
      15_000,
      'disabled',
    );
    expect(off.disabled_reason).toMatch(/2 deliveries in a row failed after 3 attempts/);
    expect(off.consecutive_failures).toBe(2);
    const log = await deliveries(w.id, '?status=failed');
    expect(log.total).toBe(2);
    expect(log.deliveries.every((d: Json) => d.attempts === 3 && d.response_status === 503)).toBe(
      true,
    );
    expect(sink.at(w.path)).toHaveLength(6);
    await t.request('DELETE', hooks(`/${w.id}`), { token: owner.token });
  });

  it('sends a test event, redelivers a delivery with the same id, and replays a time range', async () => {
    const w = await hook({ events: ['record.created'], collections: ['notes'] });
    const test = await t.request('POST', hooks(`/${w.id}/test`), { token: owner.token });
    expect(test.status).toBe(202);
    const [th] = await sink.waitFor(w.path, 1);
    expect(JSON.parse(th.body)).toMatchObject({ event: 'webhook.test', project_id: pid });
    expect(
      new Webhook(w.secret).verify(th.body, th.headers as Record<string, string>),
    ).toBeTruthy();

    // Events of earlier tests are older than this instant.
    await new Promise((r) => setTimeout(r, 20));
    const from = new Date().toISOString();
    await note('r1');
    await note('r2');
    const hits = await sink.waitFor(w.path, 3);
    const to = new Date(Date.now() + 1000).toISOString();
    const firstId = hits[1].headers['x-webhook-id'];

    const log = await deliveries(w.id);
    const original = log.deliveries.find((d: Json) => d.event_id === firstId);
    const again = await t.request('POST', hooks(`/${w.id}/deliveries/${original.id}/redeliver`), {
      token: owner.token,
    });
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ event_id: firstId, status: 'pending' });
    expect(again.body.id).not.toBe(original.id);
    const after = await sink.waitFor(w.path, 4);
    expect(after[3].headers['x-webhook-id']).toBe(firstId);
    expect(after[3].body).toBe(hits[1].body);

    const replay = await t.request('POST', hooks(`/${w.id}/replay`), {
      token: owner.token,
      body: { from, to },
    });
    expect(replay.status).toBe(202);
    expect(replay.body).toEqual({ queued: 2 });
    const all = await sink.waitFor(w.path, 6);
    expect(
      all
        .slice(4)
        .map((h) => h.headers['x-webhook-id'])
        .sort(),
    ).toEqual([hits[1], hits[2]].map((h) => h.headers['x-webhook-id']).sort());
    const bad = await t.request('POST', hooks(`/${w.id}/replay`), {
      token: owner.token,
      body: { from: to, to: from },
    });
    expect(bad.status).toBe(400);
    const junk = await t.request('POST', hooks(`/${w.id}/replay`), {
      token: owner.token,
      body: { from: 'yesterday' },
    });
    expect(junk.status).toBe(400);
    const missing = await t.request(
      'POST',
      hooks(`/${w.id}/deliveries/00000000-0000-4000-8000-000000000000/redeliver`),
      {
        token: owner.token,
      },
    );
    expect(missing.status).toBe(404);
    await t.request('DELETE', hooks(`/${w.id}`), { token: owner.token });
  });
});

describe('webhooks without WEBHOOK_ALLOW_PRIVATE', () => {
  let t: TestApp;
  let sink: WebhookSink;
  let owner: TestAdmin;
  let pid: string;

  beforeAll(async () => {
    sink = await new WebhookSink().start();
    t = await createTestApp({ WEBHOOK_RETRY_BASE_MS: '20', WEBHOOK_MAX_ATTEMPTS: '2' });
    owner = await createAdmin(t);
    pid = (await createProject(t, owner)).id;
    await createCollection(t, owner, pid, 'notes');
    await addField(t, owner, pid, 'notes', { name: 'title', field_type: 'string' });
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  it.each([
    'http://127.0.0.1:9/x',
    'http://localhost/x',
    'http://10.1.2.3/x',
    'http://192.168.0.1/x',
    'http://169.254.169.254/latest/meta-data',
    'http://[::1]/x',
    'http://[::ffff:127.0.0.1]/x',
    'http://[fd00::1]/x',
    'http://0.0.0.0/x',
  ])('refuses %s at save', async (url) => {
    const res = await t.request('POST', `/api/projects/${pid}/webhooks`, {
      token: owner.token,
      body: { name: 'x', url, events: ['*'] },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ field: 'url', rule: 'public_address' });
  });

  it('checks the address again at send time: an internal target saved behind its back is never called', async () => {
    const created = await t.request('POST', `/api/projects/${pid}/webhooks`, {
      token: owner.token,
      body: { name: 'x', url: 'https://example.com/x', events: ['*'] },
    });
    expect(created.status).toBe(201);
    await t.query(`UPDATE backendify.webhooks SET url = $1 WHERE id = $2`, [
      `${sink.url}/internal`,
      created.body.id,
    ]);
    expect(
      (
        await t.request('POST', `/api/projects/${pid}/data/notes`, {
          token: owner.token,
          body: { title: 'x' },
        })
      ).status,
    ).toBe(201);
    const failed = await eventually(
      async () => {
        const r = await t.request(
          'GET',
          `/api/projects/${pid}/webhooks/${created.body.id}/deliveries?status=failed`,
          {
            token: owner.token,
          },
        );
        return r.body.total >= 1 ? r.body.deliveries[0] : null;
      },
      10_000,
      'failed delivery',
    );
    expect(failed.error).toMatch(/loopback/);
    expect(failed.response_status).toBeNull();
    expect(sink.hits).toHaveLength(0);
  });
});
