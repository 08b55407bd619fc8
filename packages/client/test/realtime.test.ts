import WebSocket from 'ws';
import type { RealtimeError, RealtimeEvent, WebSocketConstructor } from '../src';
import { newAppUser, newClient, newProject } from './helpers';

interface Note {
  title: string;
  n: number;
}

/** A `ws` WebSocket whose instances the test can reach, to cut a connection under the client. */
const sockets: WebSocket[] = [];
class TrackedWebSocket extends WebSocket {
  constructor(url: string) {
    super(url);
    sockets.push(this);
  }
}

const until = async (check: () => boolean, ms = 15_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('realtime', () => {
  let projectId: string;
  let admin: Awaited<ReturnType<typeof newProject>>['admin'];

  beforeAll(async () => {
    ({ admin, projectId } = await newProject('Realtime'));
    const schema = admin.admin.schema(projectId);
    await schema.collections.create({ name: 'notes', display_name: 'notes' });
    await schema.fields('notes').create({ name: 'title', field_type: 'string' });
    await schema.fields('notes').create({ name: 'n', field_type: 'int' });
  });

  it('streams changes with a filter, and stops after unsubscribe (ws in Node 20)', async () => {
    const events: RealtimeEvent<Note>[] = [];
    const notes = admin.project(projectId).collection<Note>('notes');
    let ready = false;
    const stop = admin.project(projectId).realtime.subscribe<Note>('notes', {
      filter: { field: 'n', op: 'gte', value: 10 },
      onEvent: (e) => events.push(e),
      onReady: () => (ready = true),
    });
    await until(() => ready);
    const low = await notes.create({ title: 'low', n: 1 });
    const high = await notes.create({ title: 'high', n: 10 });
    await notes.update(high.id, { title: 'higher' });
    await notes.update(low.id, { n: 11 });
    await until(() => events.length >= 3);
    expect(events.map((e) => [e.type, e.record.title, e.old_record?.title ?? null])).toEqual([
      ['record.created', 'high', null],
      ['record.updated', 'higher', 'high'],
      ['record.updated', 'low', null],
    ]);
    expect(events[0]).toMatchObject({ collection: 'notes', event_id: expect.any(String) });
    stop();
    await notes.create({ title: 'after stop', n: 50 });
    await new Promise((r) => setTimeout(r, 500));
    expect(events).toHaveLength(3);
  });

  it('reconnects after the connection drops and resumes: every event once, in order', async () => {
    const client = newClient({
      accessToken: (await admin.admin.auth.getSession())!.access_token,
      realtime: {
        WebSocket: TrackedWebSocket as unknown as WebSocketConstructor,
        reconnectDelayMs: 50,
      },
    });
    const notes = client.project(projectId).collection<Note>('notes');
    const got: number[] = [];
    let readies = 0;
    client.project(projectId).realtime.subscribe<Note>('notes', {
      filter: { field: 'title', op: 'eq', value: 'burst' },
      onEvent: (e) => got.push(e.record.n),
      onReady: () => (readies += 1),
    });
    await until(() => readies === 1);
    const total = 60;
    const writer = (async () => {
      for (let i = 0; i < total; i += 1) await notes.create({ title: 'burst', n: i });
    })();
    await until(() => got.length >= 15);
    sockets[0].terminate();
    await writer;
    await until(() => got.length >= total);
    await new Promise((r) => setTimeout(r, 500));
    expect(sockets.length).toBeGreaterThanOrEqual(2);
    expect(readies).toBeGreaterThanOrEqual(2);
    expect(got).toEqual(Array.from({ length: total }, (_, i) => i));
    client.project(projectId).realtime.close();
  });

  it('keeps app users to their policies and reports a refused subscription', async () => {
    const schema = admin.admin.schema(projectId);
    await schema.collections.create({ name: 'todos', display_name: 'todos' });
    await schema.fields('todos').create({ name: 'title', field_type: 'string' });
    for (const action of ['create', 'read'] as const)
      await schema.policies('todos').create({
        name: `own ${action}`,
        action,
        allowed_principals: 'app_user',
        condition: { created_by_app_user_id: '$current_app_user_id' },
      });
    const alice = (await newAppUser(projectId)).client.project(projectId);
    const bob = (await newAppUser(projectId)).client.project(projectId);
    const seen: { alice: string[]; bob: string[] } = { alice: [], bob: [] };
    let ready = 0;
    alice.realtime.subscribe<{ title: string }>('todos', {
      onEvent: (e) => seen.alice.push(e.record.title),
      onReady: () => (ready += 1),
    });
    bob.realtime.subscribe<{ title: string }>('todos', {
      onEvent: (e) => seen.bob.push(e.record.title),
      onReady: () => (ready += 1),
    });
    const refused: RealtimeError[] = [];
    bob.realtime.subscribe('notes', { onEvent: () => undefined, onError: (e) => refused.push(e) });
    await until(() => refused.length === 1 && ready === 2);
    expect(refused[0].code).toBe('FORBIDDEN');
    await alice.collection<{ title: string }>('todos').create({ title: 'alice todo' });
    await bob.collection<{ title: string }>('todos').create({ title: 'bob todo' });
    await until(() => seen.alice.length >= 1 && seen.bob.length >= 1);
    await new Promise((r) => setTimeout(r, 500));
    expect(seen).toEqual({ alice: ['alice todo'], bob: ['bob todo'] });
    alice.realtime.close();
    bob.realtime.close();
  });
});
