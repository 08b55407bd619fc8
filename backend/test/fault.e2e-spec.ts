import {
  createAdmin,
  createApiKey,
  createProject,
  type TestAdmin,
} from './factories/admin.factory';
import { addField, createCollection, schemaOf } from './factories/schema.factory';
import {
  createProcessDatabase,
  startServerProcess,
  type ServerProcess,
} from './setup/server-process';

/**
 * Fault tests (issue 10.6, non-negotiable 3): a server killed with SIGKILL in the middle of a
 * burst of writes loses nothing it acknowledged, and leaves no change event for a write that did
 * not commit. Real server processes on one real database; the writers are bounded in count and time.
 */
jest.setTimeout(240_000);

interface Outcome {
  title: string;
  status: number | 'network';
  id?: string;
}

describe('kill -9 during a burst of writes', () => {
  let db: Awaited<ReturnType<typeof createProcessDatabase>>;
  let server: ServerProcess | null = null;
  afterAll(async () => {
    await server?.kill('SIGKILL');
    await db?.drop();
  });

  it('keeps every acknowledged write with exactly one change event, and none for writes that did not commit', async () => {
    db = await createProcessDatabase();
    server = await startServerProcess(db.url);
    const admin: TestAdmin = await createAdmin(server);
    const project = await createProject(server, admin);
    await createCollection(server, admin, project.id, 'items');
    await addField(server, admin, project.id, 'items', {
      name: 'title',
      field_type: 'string',
      is_unique: true,
    });
    await addField(server, admin, project.id, 'items', { name: 'n', field_type: 'int' });
    const key = (await createApiKey(server, admin, project.id)).api_key;
    const base = `${server.baseUrl}/api/projects/${project.id}/data/items`;

    // A refused write (unique violation) must leave no event behind.
    const dup = await server.request('POST', `/api/projects/${project.id}/data/items`, {
      apiKey: key,
      body: { title: 'taken', n: 0 },
    });
    expect(dup.status).toBe(201);

    const outcomes: Outcome[] = [];
    let stop = false;
    let acked = 0;
    const writer = async (w: number) => {
      for (let i = 0; !stop && i < 5000; i++) {
        // Every 25th write collides with 'taken' and is rolled back by PostgreSQL.
        const title = i % 25 === 7 ? 'taken' : `w${w}-${i}`;
        try {
          const res = await fetch(base, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-api-key': key },
            body: JSON.stringify({ title, n: i }),
          });
          const body = (await res.json().catch(() => ({}))) as { id?: string | number };
          outcomes.push({ title, status: res.status, id: body.id?.toString() });
          if (res.status === 201) acked++;
        } catch {
          outcomes.push({ title, status: 'network' });
          return; // the server is gone
        }
      }
    };
    const writers = Array.from({ length: 8 }, (_, w) => writer(w));
    const deadline = Date.now() + 60_000;
    while (acked < 400 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(acked).toBeGreaterThanOrEqual(400);
    await server.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);
    server = await startServerProcess(db.url);

    const schema = schemaOf(project.id);
    const rows = await db.query<{ id: string; title: string }>(
      `SELECT id::text, title FROM "${schema}".items`,
    );
    const rowIds = new Set(rows.map((r) => r.id));
    const events = await db.query<{ record_id: string; action: string; title: string }>(
      `SELECT record_id, action, record->>'title' AS title FROM backendify.change_events
        WHERE project_id = $1 AND collection = 'items' AND kind = 'record'`,
      [project.id],
    );
    const eventsByRecord = new Map<string, number>();
    for (const e of events)
      eventsByRecord.set(e.record_id, (eventsByRecord.get(e.record_id) ?? 0) + 1);

    const ackedOutcomes = outcomes.filter((o) => o.status === 201);
    const lostWrites = ackedOutcomes.filter((o) => !rowIds.has(o.id!));
    const ackedWithoutEvent = ackedOutcomes.filter((o) => eventsByRecord.get(o.id!) !== 1);
    const eventsWithoutRow = events.filter((e) => !rowIds.has(e.record_id));
    const rowsWithoutEvent = rows.filter((r) => eventsByRecord.get(r.id) !== 1);
    const conflicts = outcomes.filter((o) => o.status === 409).length;
    const unexpected = outcomes.filter(
      (o) => o.status !== 201 && o.status !== 409 && o.status !== 'network',
    );
    // Figures for the closing note.
    console.log(
      `fault(audit): attempted=${outcomes.length} acked=${ackedOutcomes.length} refused=${conflicts} ` +
        `rows=${rows.length} events=${events.length} lost=${lostWrites.length} ` +
        `acked_without_event=${ackedWithoutEvent.length} events_without_row=${eventsWithoutRow.length} ` +
        `rows_without_event=${rowsWithoutEvent.length}`,
    );
    expect(conflicts).toBeGreaterThan(0);
    expect(unexpected.map((o) => o.status)).toEqual([]);
    expect(lostWrites).toEqual([]);
    expect(ackedWithoutEvent).toEqual([]);
    expect(eventsWithoutRow).toEqual([]);
    expect(rowsWithoutEvent).toEqual([]);
    // Exactly one 'taken' row and one event for it: the refused duplicates left nothing.
    expect(events.filter((e) => e.title === 'taken')).toHaveLength(1);
    // The restarted server serves what was acknowledged.
    const sample = ackedOutcomes[ackedOutcomes.length - 1];
    const got = await server.request('GET', `/api/projects/${project.id}/data/items/${sample.id}`, {
      apiKey: key,
    });
    expect(got.status).toBe(200);
    expect(got.body.title).toBe(sample.title);
    // The audit log answers the same count (it reads the same rows).
    const audit = await server.request(
      'GET',
      `/api/projects/${project.id}/audit/events?collection=items&action=create&limit=1`,
      { token: admin.token },
    );
    expect(audit.status).toBe(200);
    expect(audit.body.total).toBe(rows.length);
  });
});
