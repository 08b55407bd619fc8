import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { createTestApp, type TestApp } from './setup/test-app';
import {
  createAdmin,
  createApiKey,
  createProject,
  type TestAdmin,
} from './factories/admin.factory';
import { addField, createCollection } from './factories/schema.factory';
import { RealtimeTestClient, type RtMessage } from './setup/realtime-client';

/**
 * Issue 12: realtime over WebSocket on real sockets and a real database. Events follow the same
 * policies and readable fields as `GET …/data/{collection}/{id}`, in log order, and `since=`
 * resumes with every event exactly once.
 */
jest.setTimeout(120_000);

const MAX_MESSAGE = 2048;

describe('realtime', () => {
  let t: TestApp;
  let owner: TestAdmin;
  let pid: string;
  let userA: { token: string; id: string };
  let userB: { token: string; id: string };
  const clients: RealtimeTestClient[] = [];
  const data = (c: string, project = pid) => `/api/projects/${project}/data/${c}`;

  const connect = async (query: Record<string, string> = {}) => {
    const c = await RealtimeTestClient.connect(t.baseUrl, { project: pid, ...query });
    clients.push(c);
    return c;
  };
  const policy = async (collection: string, body: Record<string, unknown>) => {
    const res = await t.request(
      'POST',
      `/api/projects/${pid}/schema/collections/${collection}/policies`,
      {
        token: owner.token,
        body: { name: `${String(body.action)} ${randomUUID().slice(0, 8)}`, ...body },
      },
    );
    if (res.status !== 201) throw new Error(`policy: ${res.status} ${res.text}`);
    return res.body as { id: string };
  };
  const appUser = async () => {
    const email = `rt-${randomUUID().slice(0, 8)}@example.com`;
    const reg = await t.request('POST', `/api/projects/${pid}/auth/register`, {
      body: { email, password: 'realtime password 1' },
    });
    if (reg.status !== 201) throw new Error(`register: ${reg.status} ${reg.text}`);
    const me = await t.request('GET', `/api/projects/${pid}/auth/me`, {
      token: reg.body.access_token,
    });
    return { token: reg.body.access_token as string, id: me.body.id as string };
  };
  const write = async (method: string, path: string, body: unknown, token = owner.token) => {
    const res = await t.request(method, path, { token, body });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
    return res.body;
  };

  beforeAll(async () => {
    t = await createTestApp({
      REALTIME_MAX_MESSAGE_BYTES: String(MAX_MESSAGE),
      REALTIME_POLL_MS: '200',
      REALTIME_MAX_BUFFER_BYTES: String(256 * 1024),
    });
    owner = await createAdmin(t);
    pid = (await createProject(t, owner)).id;
    await createCollection(t, owner, pid, 'todos');
    for (const [name, type] of [
      ['title', 'string'],
      ['done', 'bool'],
      ['note', 'string'],
    ])
      await addField(t, owner, pid, 'todos', { name, field_type: type });
    await addField(t, owner, pid, 'todos', {
      name: 'secret',
      field_type: 'string',
      is_hidden: true,
    });
    const own = { created_by_app_user_id: '$current_app_user_id' };
    for (const action of ['create', 'update', 'delete', 'list'])
      await policy('todos', { action, allowed_principals: 'app_user', condition: own });
    await policy('todos', {
      action: 'read',
      allowed_principals: 'app_user',
      condition: own,
      read_fields: ['title', 'done'],
    });

    await createCollection(t, owner, pid, 'posts');
    await addField(t, owner, pid, 'posts', { name: 'title', field_type: 'string' });
    await addField(t, owner, pid, 'posts', { name: 'published', field_type: 'bool' });
    await policy('posts', {
      action: 'read',
      allowed_principals: 'anonymous,app_user',
      condition: { published: true },
    });

    await createCollection(t, owner, pid, 'vault');
    await addField(t, owner, pid, 'vault', { name: 'body', field_type: 'string' });

    await createCollection(t, owner, pid, 'items');
    await addField(t, owner, pid, 'items', { name: 'n', field_type: 'int' });
    await createCollection(t, owner, pid, 'blobs');
    await addField(t, owner, pid, 'blobs', { name: 'n', field_type: 'int' });
    await addField(t, owner, pid, 'blobs', { name: 'body', field_type: 'text' });

    userA = await appUser();
    userB = await appUser();
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await t?.close();
  });

  it('delivers an owner-policy collection to its owner only, with readable fields only', async () => {
    const a = await connect({ token: userA.token });
    const b = await connect({ token: userB.token });
    expect(await a.subscribe('mine', 'todos')).toMatchObject({ type: 'subscribed', id: 'mine' });
    expect((await b.subscribe('mine', 'todos')).type).toBe('subscribed');

    const created = await write('POST', data('todos'), { title: 'A1', done: false }, userA.token);
    const [ev] = await a.waitEvents('mine', 1);
    expect(ev).toEqual({
      type: 'record.created',
      subscription: 'mine',
      event_id: expect.stringMatching(/^\d+$/),
      collection: 'todos',
      record: expect.objectContaining({ id: created.id, title: 'A1', done: false }),
    });
    expect(ev.record).not.toHaveProperty('note');
    expect(ev.record).not.toHaveProperty('secret');
    await write('POST', data('todos'), { title: 'B1' }, userB.token);
    expect((await b.waitEvents('mine', 1))[0].record.title).toBe('B1');
    await write(
      'PATCH',
      `${data('todos')}/${created.id}`,
      { title: 'A2', note: 'private' },
      userA.token,
    );
    const [, upd] = await a.waitEvents('mine', 2);
    expect(upd).toMatchObject({
      type: 'record.updated',
      record: { title: 'A2' },
      old_record: { title: 'A1' },
    });
    expect(JSON.stringify(a.messages)).not.toContain('private');
    await b.settle();
    expect(b.events('mine').map((e) => e.record.title)).toEqual(['B1']);
  });

  it('keeps projects apart and refuses a non-member admin', async () => {
    const other = await createAdmin(t);
    const pid2 = (await createProject(t, other, 'other')).id;
    await createCollection(t, other, pid2, 'todos');
    await addField(t, other, pid2, 'todos', { name: 'title', field_type: 'string' });
    const mine = await connect({ token: owner.token });
    const theirs = await RealtimeTestClient.connect(t.baseUrl, {
      project: pid2,
      token: other.token,
    });
    clients.push(theirs);
    await mine.subscribe('t', 'todos');
    await theirs.subscribe('t', 'todos');
    await write('POST', data('todos', pid2), { title: 'in project 2' }, other.token);
    await write('POST', data('todos'), { title: 'in project 1' }, userA.token);
    expect((await theirs.waitEvents('t', 1))[0].record.title).toBe('in project 2');
    expect((await mine.waitEvents('t', 1))[0].record.title).toBe('in project 1');
    await mine.settle();
    expect(mine.events('t')).toHaveLength(1);
    expect(theirs.events('t')).toHaveLength(1);

    const intruder = await RealtimeTestClient.connect(t.baseUrl, {
      project: pid2,
      token: owner.token,
    });
    clients.push(intruder);
    expect(await intruder.closed).toEqual({ code: 4004, reason: 'project not found' });
    expect(intruder.messages).toEqual([
      { type: 'error', code: 'NOT_FOUND', detail: 'Project not found' },
    ]);
    const nowhere = await RealtimeTestClient.connect(t.baseUrl, { project: randomUUID() });
    expect((await nowhere.closed).code).toBe(4004);
    const badToken = await RealtimeTestClient.connect(t.baseUrl, { project: pid, token: 'nope' });
    expect((await badToken.closed).code).toBe(4003);
    expect(badToken.messages[0]).toMatchObject({ type: 'error', code: 'UNAUTHENTICATED' });
  });

  it("honours the project's allowed_origins for browsers, as its other app routes", async () => {
    const other = (await createProject(t, owner, 'origins')).id;
    const patched = await t.request('PATCH', `/api/projects/${other}`, {
      token: owner.token,
      body: { allowed_origins: ['https://app.example.com'] },
    });
    expect(patched.status).toBe(200);
    const open = (origin?: string) =>
      RealtimeTestClient.connect(t.baseUrl, { project: other, token: owner.token }, { origin });
    const evil = await open('https://evil.example.com');
    expect(await evil.closed).toEqual({ code: 4005, reason: 'origin not allowed' });
    expect(evil.messages[0]).toMatchObject({ type: 'error', code: 'FORBIDDEN' });
    for (const ok of [await open('https://app.example.com'), await open(), await open(t.baseUrl)]) {
      clients.push(ok);
      ok.send({ type: 'ping' });
      await ok.next((m) => m.type === 'pong');
    }
  });

  it('lets anonymous callers see only what a public read policy allows', async () => {
    const anon = await connect();
    expect(await anon.subscribe('v', 'vault')).toMatchObject({
      type: 'error',
      id: 'v',
      code: 'UNAUTHENTICATED',
    });
    expect(await anon.subscribe('missing', 'no_such_collection')).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect((await anon.subscribe('p', 'posts')).type).toBe('subscribed');
    await write('POST', data('vault'), { body: 'classified' });
    await write('POST', data('posts'), { title: 'draft', published: false });
    const pub = await write('POST', data('posts'), { title: 'hello', published: true });
    const [ev] = await anon.waitEvents('p', 1);
    expect(ev).toMatchObject({ type: 'record.created', record: { id: pub.id, title: 'hello' } });
    await anon.settle();
    expect(anon.events('p')).toHaveLength(1);
    expect(JSON.stringify(anon.messages)).not.toContain('classified');
  });

  it('sends a leave when an update takes a row out of view, and an update without old_record when it enters', async () => {
    const anon = await connect();
    await anon.subscribe('p', 'posts');
    const post = await write('POST', data('posts'), { title: 'visible', published: true });
    await anon.waitEvents('p', 1);
    await write('PATCH', `${data('posts')}/${post.id}`, { title: 'hidden now', published: false });
    const [, leave] = await anon.waitEvents('p', 2);
    expect(leave).toMatchObject({
      type: 'record.deleted',
      reason: 'left_view',
      record: { id: post.id, title: 'visible', published: true },
    });
    expect(leave).not.toHaveProperty('old_record');
    expect(JSON.stringify(leave)).not.toContain('hidden now');
    await write('PATCH', `${data('posts')}/${post.id}`, { title: 'back', published: true });
    const [, , enter] = await anon.waitEvents('p', 3);
    expect(enter).toMatchObject({ type: 'record.updated', record: { title: 'back' } });
    expect(enter).not.toHaveProperty('old_record');
    await write('DELETE', `${data('posts')}/${post.id}`, undefined);
    const [, , , gone] = await anon.waitEvents('p', 4);
    expect(gone).toMatchObject({ type: 'record.deleted', record: { id: post.id, title: 'back' } });
    expect(gone).not.toHaveProperty('reason');
  });

  it('applies a subscription filter with the data API semantics', async () => {
    const c = await connect({ token: owner.token });
    await c.subscribe('done', 'todos', { filter: { field: 'done', op: 'eq', value: true } });
    await c.subscribe('a-titles', 'todos', {
      filter: {
        or: [
          { field: 'title', op: 'startswith', value: 'a' },
          { field: 'note', op: 'isnull', value: false },
        ],
      },
    });
    const open = await write('POST', data('todos'), { title: 'x open', done: false }, userA.token);
    await write('POST', data('todos'), { title: 'x done', done: true }, userA.token);
    await write('POST', data('todos'), { title: 'another', done: null }, userA.token);
    await write('PATCH', `${data('todos')}/${open.id}`, { done: true }, userA.token);
    const done = await c.waitEvents('done', 2);
    expect(done.map((e) => [e.type, e.record.title, 'old_record' in e])).toEqual([
      ['record.created', 'x done', false],
      ['record.updated', 'x open', false],
    ]);
    const a = await c.waitEvents('a-titles', 1);
    expect(a.map((e) => e.record.title)).toEqual(['another']);
    await c.settle();
    expect(c.events('done')).toHaveLength(2);
  });

  it('a bad filter fails only its own subscription', async () => {
    const c = await connect({ token: userA.token });
    expect(
      await c.subscribe('bad', 'todos', { filter: { field: 'nope', op: 'eq', value: 1 } }),
    ).toMatchObject({
      type: 'error',
      id: 'bad',
      code: 'VALIDATION_FAILED',
      detail: 'Unknown field: nope',
    });
    // `note` is outside the read policy's read_fields: no oracle on it.
    expect(
      await c.subscribe('oracle', 'todos', { filter: { field: 'note', op: 'eq', value: 'x' } }),
    ).toMatchObject({ type: 'error', code: 'VALIDATION_FAILED' });
    expect(
      await c.subscribe('op', 'todos', { filter: { field: 'done', op: 'contains', value: 'x' } }),
    ).toMatchObject({ type: 'error', code: 'VALIDATION_FAILED' });
    expect(await c.subscribe('good', 'todos')).toMatchObject({ type: 'subscribed' });
    expect(await c.subscribe('good', 'todos')).toMatchObject({
      type: 'error',
      code: 'DUPLICATE_ID',
    });
    await write('POST', data('todos'), { title: 'still flowing' }, userA.token);
    expect((await c.waitEvents('good', 1))[0].record.title).toBe('still flowing');
    expect(c.events('bad')).toEqual([]);
  });

  it('answers garbage and oversized input with an error and keeps the socket and the server', async () => {
    const c = await connect();
    const errors = () => c.messages.filter((m) => m.type === 'error');
    c.send('not json');
    c.send('[1,2]');
    c.send('{"type":"nope","id":"x"}');
    c.send('{"type":"subscribe"}');
    c.send(JSON.stringify({ type: 'subscribe', id: 's', collection: 'posts', since: 'yesterday' }));
    c.send(JSON.stringify({ type: 'auth' }));
    c.send(`{"type":"ping","pad":"${'x'.repeat(MAX_MESSAGE)}"}`);
    c.ws.send(Buffer.from([0xff, 0x00, 0x01]), { binary: true });
    c.send('{"type":"unsubscribe","id":"never"}');
    await c.next(() => errors().length >= 9);
    expect(errors().map((e) => e.code)).toEqual([
      'BAD_MESSAGE',
      'BAD_MESSAGE',
      'BAD_MESSAGE',
      'VALIDATION_FAILED',
      'VALIDATION_FAILED',
      'VALIDATION_FAILED',
      'MESSAGE_TOO_LARGE',
      'BAD_MESSAGE',
      'UNKNOWN_SUBSCRIPTION',
    ]);
    c.send({ type: 'ping' });
    await c.next((m) => m.type === 'pong');
    expect((await c.subscribe('p', 'posts')).type).toBe('subscribed');
    c.send({ type: 'unsubscribe', id: 'p' });
    await c.next((m) => m.type === 'unsubscribed' && m.id === 'p');
    expect((await t.request('GET', '/health')).status).toBe(200);
  });

  it('tells a key socket its key was revoked, and closes it with 4002', async () => {
    const key = await createApiKey(t, owner, pid, 'realtime key');
    const c = await connect({ api_key: key.api_key });
    expect((await c.subscribe('i', 'items')).type).toBe('subscribed');
    await write('POST', data('items'), { n: 1 });
    await c.waitEvents('i', 1);
    const revoked = await t.request('POST', `/api/projects/${pid}/api-keys/${key.id}/revoke`, {
      token: owner.token,
    });
    expect(revoked.status).toBeLessThan(300);
    expect(await c.closed).toEqual({ code: 4002, reason: 'api key revoked' });
    expect(c.messages.at(-1)).toMatchObject({ type: 'error', code: 'KEY_REVOKED' });
    const again = await RealtimeTestClient.connect(t.baseUrl, {
      project: pid,
      api_key: key.api_key,
    });
    expect((await again.closed).code).toBe(4003);
  });

  it('tells a socket its token expired, and closes it with 4001; auth renews it', async () => {
    const jwt = new JwtService({ secret: t.config.jwtSecret });
    const now = Math.floor(Date.now() / 1000);
    const short = (s: number) =>
      jwt.sign(
        {
          sub: owner.id,
          typ: 'admin',
          aud: 'backendify:admin',
          iat: now,
          exp: now + s,
          jti: randomUUID(),
        },
        { algorithm: 'HS256' },
      );
    const renewed = await connect({ token: short(2) });
    await renewed.subscribe('i', 'items');
    renewed.send({ type: 'auth', token: short(600) });
    await renewed.next((m) => m.type === 'authenticated');
    const expiring = await connect({ token: short(2) });
    await expiring.subscribe('i', 'items');
    expect(await expiring.closed).toEqual({ code: 4001, reason: 'token expired' });
    expect(expiring.messages.at(-1)).toMatchObject({ type: 'error', code: 'TOKEN_EXPIRED' });
    await write('POST', data('items'), { n: 2 });
    expect((await renewed.waitEvents('i', 1))[0].record.n).toBe(2);
    // auth as somebody else while subscribed is refused (the subscriptions were checked for the first).
    renewed.send({ type: 'auth', token: userA.token });
    expect(await renewed.next((m) => m.type === 'error')).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('resumes after a disconnect during a burst: every event exactly once, in order', async () => {
    const first = await connect({ token: owner.token });
    await first.subscribe('burst', 'items', { filter: { field: 'n', op: 'gte', value: 1000 } });
    const total = 200;
    const writer = (async () => {
      for (let i = 0; i < total; i += 1) await write('POST', data('items'), { n: 1000 + i });
    })();
    const seen = await first.waitEvents('burst', 40);
    first.ws.terminate();
    await first.closed;
    const last = first.events('burst').at(-1)?.event_id as string;
    expect(seen.length).toBeGreaterThanOrEqual(40);
    // Reconnect while the burst goes on, from the last event received.
    await new Promise((r) => setTimeout(r, 200));
    const second = await connect({ token: owner.token });
    expect(
      await second.subscribe('burst', 'items', {
        since: last,
        filter: { field: 'n', op: 'gte', value: 1000 },
      }),
    ).toMatchObject({ type: 'subscribed' });
    await writer;
    const got = [
      ...first.events('burst'),
      ...(await second.waitEvents('burst', total - first.events('burst').length)),
    ];
    await second.settle();
    const all = [...first.events('burst'), ...second.events('burst')];
    const ns = all.map((e) => e.record.n as number);
    console.log(
      `realtime resume: before disconnect=${first.events('burst').length} after=${second.events('burst').length} total=${all.length} unique=${new Set(ns).size}`,
    );
    expect(got.length).toBe(total);
    expect(ns).toEqual(Array.from({ length: total }, (_, i) => 1000 + i));
    expect(new Set(all.map((e) => e.event_id)).size).toBe(total);
  });

  it('refuses a since older than the replay window', async () => {
    const c = await connect({ token: owner.token });
    await c.subscribe('i', 'items');
    await write('POST', data('items'), { n: 7 });
    const [ev] = await c.waitEvents('i', 1);
    await t.query(
      `UPDATE backendify.change_events SET created_at = now() - interval '25 hours' WHERE id = $1`,
      [ev.event_id],
    );
    expect(await c.subscribe('old', 'items', { since: ev.event_id })).toMatchObject({
      type: 'error',
      id: 'old',
      code: 'SINCE_TOO_OLD',
    });
    expect(await c.subscribe('gone', 'items', { since: '999999999999' })).toMatchObject({
      code: 'SINCE_TOO_OLD',
    });
  });

  it('carries bulk and import writes, one event per row', async () => {
    const c = await connect({ token: owner.token });
    await c.subscribe('i', 'items', { filter: { field: 'n', op: 'between', value: [5000, 5999] } });
    const first = await write('POST', data('items'), { n: 5000 });
    const bulk = await write('POST', `${data('items')}/bulk`, {
      create: [{ n: 5001 }, { n: 5002 }],
      update: [{ id: first.id, n: 5003 }],
      delete: [first.id],
    });
    expect(bulk.created).toHaveLength(2);
    const imported = await t.request('POST', `${data('items')}/import`, {
      token: owner.token,
      body: [{ n: 5004 }, { n: 5005 }, { n: 5006 }],
    });
    expect(imported.status).toBe(200);
    const events = await c.waitEvents('i', 8);
    await c.settle();
    const summary = c.events('i').map((e: RtMessage) => `${e.type}:${e.record.n}`);
    expect(summary).toEqual([
      'record.created:5000',
      'record.created:5001',
      'record.created:5002',
      'record.updated:5003',
      'record.deleted:5003',
      'record.created:5004',
      'record.created:5005',
      'record.created:5006',
    ]);
    expect(new Set(events.map((e) => e.event_id)).size).toBe(8);
  });

  it('closes a socket that stops reading with 4008 once its buffer is full; since= then resumes it', async () => {
    const slow = await connect({ token: owner.token });
    await slow.subscribe('b', 'blobs');
    // The client stops reading: kernel buffers fill, then the server's own buffer.
    slow.ws.pause();
    const body = 'x'.repeat(20_000);
    const rows = 100;
    const batches = 8;
    for (let i = 0; i < batches; i += 1)
      await write('POST', `${data('blobs')}/bulk`, {
        create: Array.from({ length: rows }, (_, j) => ({ n: i * rows + j, body })),
      });
    slow.ws.resume();
    const closedWith = await slow.closed;
    expect(closedWith.code).toBe(4008);
    expect(slow.messages.find((m) => m.type === 'error')).toMatchObject({
      code: 'RESUME_REQUIRED',
    });
    const before = slow.events('b');
    expect(before.length).toBeLessThan(rows * batches);
    const again = await connect({ token: owner.token });
    await again.subscribe('b', 'blobs', { since: before.at(-1)?.event_id });
    const after = await again.waitEvents('b', rows * batches - before.length, 30_000);
    const ns = [...before, ...after].map((e) => e.record.n as number);
    console.log(
      `realtime slow consumer: closed after ${before.length} events, resumed ${after.length}`,
    );
    expect(ns).toEqual(Array.from({ length: rows * batches }, (_, i) => i));
  });

  it('a policy change applies to open subscriptions from the next event on', async () => {
    const anon = await connect();
    await anon.subscribe('p', 'posts');
    await write('POST', data('posts'), { title: 'draft 1', published: false });
    await write('POST', data('posts'), { title: 'public 1', published: true });
    await anon.waitEvents('p', 1);
    const wider = await policy('posts', {
      action: 'read',
      allowed_principals: 'anonymous',
      condition: { published: false },
    });
    await write('POST', data('posts'), { title: 'draft 2', published: false });
    await anon.waitEvents('p', 2);
    await anon.settle();
    expect(anon.events('p').map((e) => e.record.title)).toEqual(['public 1', 'draft 2']);
    const removed = await t.request(
      'DELETE',
      `/api/projects/${pid}/schema/collections/posts/policies/${wider.id}`,
      { token: owner.token },
    );
    expect(removed.status).toBeLessThan(300);
  });

  it("lists the project's sockets for the inspector (members only)", async () => {
    const c = await connect({ token: userA.token });
    await c.subscribe('insp', 'todos', { filter: { field: 'done', op: 'eq', value: true } });
    const res = await t.request('GET', `/api/projects/${pid}/realtime/connections`, {
      token: owner.token,
    });
    expect(res.status).toBe(200);
    expect(res.body.process).toMatchObject({
      sockets: expect.any(Number),
      subscriptions: expect.any(Number),
    });
    const mine = res.body.connections.find((x: RtMessage) =>
      x.subscriptions.some((s: RtMessage) => s.id === 'insp'),
    );
    expect(mine).toMatchObject({
      principal: { kind: 'app_user', id: userA.id },
      subscriptions: [
        { id: 'insp', collection: 'todos', filter: true, live: true, pending_events: 0 },
      ],
    });
    expect(JSON.stringify(res.body)).not.toContain(userA.token);
    const outsider = await createAdmin(t);
    expect(
      (
        await t.request('GET', `/api/projects/${pid}/realtime/connections`, {
          token: outsider.token,
        })
      ).status,
    ).toBe(404);
    expect(
      (await t.request('GET', `/api/projects/${pid}/realtime/connections`, { token: userA.token }))
        .status,
    ).toBe(401);
  });
});
