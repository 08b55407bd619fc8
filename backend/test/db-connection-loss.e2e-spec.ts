import { Client } from 'pg';
import { createAdmin, createApiKey, createProject } from './factories/admin.factory';
import { addField, createCollection } from './factories/schema.factory';
import {
  createProcessDatabase,
  startServerProcess,
  type ServerProcess,
} from './setup/server-process';

/**
 * PostgreSQL drops every connection of the server (as a restart, failover or an operator's
 * `pg_terminate_backend` does) while writes are in flight: the process stays up, the writes in
 * flight fail with a clear answer, and it serves again at once. Before the pool guard, a client
 * checked out between two statements emitted an unhandled `error` and the process exited.
 */
jest.setTimeout(120_000);

describe('database connections dropped under load', () => {
  let db: Awaited<ReturnType<typeof createProcessDatabase>>;
  let server: ServerProcess | null = null;
  afterAll(async () => {
    await server?.kill('SIGKILL');
    await db?.drop();
  });

  it('keeps the server up, answers the writes it could not finish, and serves again', async () => {
    db = await createProcessDatabase();
    server = await startServerProcess(db.url);
    const s = server;
    const admin = await createAdmin(s);
    const project = await createProject(s, admin);
    await createCollection(s, admin, project.id, 'items');
    await addField(s, admin, project.id, 'items', { name: 'title', field_type: 'string' });
    const key = (await createApiKey(s, admin, project.id, 'k', 'service')).api_key;
    const path = `/api/projects/${project.id}/data/items`;

    const statuses = new Map<number | 'network', number>();
    let stop = false;
    const writer = async () => {
      while (!stop) {
        let status: number | 'network';
        try {
          status = (await s.request('POST', path, { apiKey: key, body: { title: 'x' } })).status;
        } catch {
          status = 'network';
        }
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    };
    const writers = Array.from({ length: 12 }, writer);
    const dbName = new URL(db.url).pathname.slice(1);
    const killer = new Client({ connectionString: process.env.TEST_DATABASE_URL });
    await killer.connect();
    try {
      for (let round = 0; round < 3; round += 1) {
        await new Promise((r) => setTimeout(r, 700));
        await killer.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE 'backendify%'`,
          [dbName],
        );
      }
      await new Promise((r) => setTimeout(r, 700));
    } finally {
      stop = true;
      await Promise.all(writers);
      await killer.end();
    }

    expect(s.child.exitCode).toBeNull();
    expect(s.child.signalCode).toBeNull();
    // Writes were acknowledged around the drops; what failed failed with an answer, not a hang-up.
    expect(statuses.get(201) ?? 0).toBeGreaterThan(10);
    expect(statuses.get('network') ?? 0).toBe(0);
    for (const status of statuses.keys()) expect([201, 500, 503]).toContain(status);
    expect(s.output()).not.toMatch(/Unhandled 'error' event/);

    const ready = await s.request('GET', '/ready');
    expect(ready.status).toBe(200);
    const after = await s.request('POST', path, { apiKey: key, body: { title: 'after' } });
    expect(after.status).toBe(201);
  });
});
