import Redis from 'ioredis';
import { createAdmin, createProject } from './factories/admin.factory';
import { addField, createCollection } from './factories/schema.factory';
import { RealtimeTestClient } from './setup/realtime-client';
import {
  createProcessDatabase,
  startServerProcess,
  type ServerProcess,
} from './setup/server-process';

/**
 * Issue 12.4: two API processes on one database. A write taken by either reaches subscribers of
 * both, exactly once and in order: each process tailing the change log itself, and again with
 * REDIS_URL, where one cluster reader publishes batches through Redis to every process.
 */
jest.setTimeout(240_000);

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

async function requireRedis(): Promise<Redis> {
  const redis = new Redis(REDIS_URL, {
    maxRetriesPerRequest: 1,
    connectTimeout: 3000,
    lazyConnect: true,
  });
  try {
    await redis.connect();
    expect(await redis.ping()).toBe('PONG');
  } catch (err) {
    redis.disconnect();
    // A missing Redis fails this test: the Redis fan-out is what it proves.
    throw new Error(
      `Redis is required at ${REDIS_URL} (${(err as Error).message}): start redis-server or set REDIS_URL`,
    );
  }
  return redis;
}

describe.each([
  ['each process tailing the change log', false],
  ['fanned out through Redis', true],
])('realtime with two server processes, %s', (_label, withRedis) => {
  let db: Awaited<ReturnType<typeof createProcessDatabase>>;
  const servers: ServerProcess[] = [];
  const clients: RealtimeTestClient[] = [];
  let monitor: Redis | null = null;
  afterAll(async () => {
    for (const c of clients) c.close();
    for (const s of servers) await s.kill('SIGTERM');
    monitor?.disconnect();
    await db?.drop();
  });

  it('a write on either process reaches the subscribers of both, each event once, in order', async () => {
    const batches: string[] = [];
    if (withRedis) {
      monitor = await requireRedis();
      monitor.on('pmessage', (_p, channel: string) => batches.push(channel));
      await monitor.psubscribe('backendify:realtime:*');
    }
    db = await createProcessDatabase();
    const env = { REALTIME_POLL_MS: '200', ...(withRedis ? { REDIS_URL } : {}) };
    servers.push(await startServerProcess(db.url, env), await startServerProcess(db.url, env));
    const [a, b] = servers;
    const admin = await createAdmin(a);
    const project = await createProject(a, admin);
    await createCollection(a, admin, project.id, 'items');
    await addField(a, admin, project.id, 'items', { name: 'n', field_type: 'int' });
    const onA = await RealtimeTestClient.connect(a.baseUrl, {
      project: project.id,
      token: admin.token,
    });
    const onB = await RealtimeTestClient.connect(b.baseUrl, {
      project: project.id,
      token: admin.token,
    });
    clients.push(onA, onB);
    expect((await onA.subscribe('s', 'items')).type).toBe('subscribed');
    expect((await onB.subscribe('s', 'items')).type).toBe('subscribed');

    const total = 100;
    const started = Date.now();
    await Promise.all(
      [a, b].map(async (server, w) => {
        for (let i = w; i < total; i += 2) {
          const res = await server.request('POST', `/api/projects/${project.id}/data/items`, {
            token: admin.token,
            body: { n: i },
          });
          expect(res.status).toBe(201);
        }
      }),
    );
    const gotA = await onA.waitEvents('s', total, 30_000);
    const gotB = await onB.waitEvents('s', total, 30_000);
    const ms = Date.now() - started;
    await onB.settle(1000);
    for (const got of [onA.events('s'), onB.events('s')]) {
      expect(got).toHaveLength(total);
      expect(new Set(got.map((e) => e.record.n)).size).toBe(total);
      // Log order: event ids of one writer's sequential writes ascend.
      for (const w of [0, 1]) {
        const ns = got.map((e) => e.record.n as number).filter((n) => n % 2 === w);
        expect(ns).toEqual([...ns].sort((x, y) => x - y));
      }
    }
    // Both processes saw the same stream, in the same order.
    expect(gotA.map((e) => e.event_id)).toEqual(gotB.map((e) => e.event_id));
    console.log(
      `two-process(realtime${withRedis ? ', redis' : ''}): writes=${total} onA=${onA.events('s').length} onB=${onB.events('s').length} redis_batches=${batches.length} in ${ms} ms`,
    );
    if (withRedis) expect(batches.length).toBeGreaterThan(0);
  });
});
