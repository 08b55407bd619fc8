import { createAdmin, createApiKey, createProject } from './factories/admin.factory';
import { addField, createCollection } from './factories/schema.factory';
import {
  createProcessDatabase,
  startServerProcess,
  type ServerProcess,
} from './setup/server-process';
import { WebhookSink } from './setup/webhook-sink';

/**
 * Two API processes on one database share the delivery work (issue 10.6): every event reaches
 * the sink exactly once in normal operation, whichever process took the write or the job.
 */
jest.setTimeout(180_000);

const ENV = { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_BASE_MS: '100' };

describe('webhooks with two server processes', () => {
  let db: Awaited<ReturnType<typeof createProcessDatabase>>;
  const servers: ServerProcess[] = [];
  let sink: WebhookSink;
  afterAll(async () => {
    for (const s of servers) await s.kill('SIGTERM');
    await sink?.stop();
    await db?.drop();
  });

  it('delivers each event exactly once while both processes take writes and run jobs', async () => {
    sink = await new WebhookSink().start();
    db = await createProcessDatabase();
    servers.push(await startServerProcess(db.url, ENV), await startServerProcess(db.url, ENV));
    const [a, b] = servers;
    const admin = await createAdmin(a);
    const project = await createProject(a, admin);
    await createCollection(a, admin, project.id, 'items');
    await addField(a, admin, project.id, 'items', { name: 'title', field_type: 'string' });
    const key = (await createApiKey(a, admin, project.id)).api_key;
    const hook = await b.request('POST', `/api/projects/${project.id}/webhooks`, {
      token: admin.token,
      body: { name: 'sink', url: `${sink.url}/items`, events: ['record.*'] },
    });
    expect(hook.status).toBe(201);

    const total = 300;
    const ids: string[] = [];
    // Four writers per process, bounded in count.
    await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        const server = w % 2 ? b : a;
        for (let i = w; i < total; i += 8) {
          const res = await server.request('POST', `/api/projects/${project.id}/data/items`, {
            apiKey: key,
            body: { title: `t${i}` },
          });
          expect(res.status).toBe(201);
          ids.push(String(res.body.id));
        }
      }),
    );
    await sink.waitFor('/items', total, 60_000);
    // Let any duplicate show itself before counting.
    await new Promise((r) => setTimeout(r, 1500));
    const byEvent = new Map<string, number>();
    for (const h of sink.at('/items')) {
      const id = String(h.headers['x-webhook-id']);
      byEvent.set(id, (byEvent.get(id) ?? 0) + 1);
    }
    const records = new Set(sink.at('/items').map((h) => String(JSON.parse(h.body).record_id)));
    const duplicates = [...byEvent.values()].filter((n) => n > 1).length;
    const missing = ids.filter((id) => !records.has(id));
    console.log(
      `two-process(webhooks): writes=${ids.length} requests=${sink.at('/items').length} events=${byEvent.size} duplicates=${duplicates} missing=${missing.length}`,
    );
    expect(missing).toEqual([]);
    expect(duplicates).toBe(0);
    expect(byEvent.size).toBe(total);
    const rows = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM backendify.webhook_deliveries WHERE status = 'delivered'`,
    );
    expect(Number(rows[0].n)).toBe(total);
  });
});
