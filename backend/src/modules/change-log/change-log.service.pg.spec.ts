import { Pool } from 'pg';
import type { AppConfig } from '../../config/app-config';
import { JobsService } from '../../jobs/jobs.service';
import { compileAppend, type ChangeEvent } from './change-event';
import { ChangeLogRepository } from './change-log.repository';
import { ChangeLogService } from './change-log.service';
import { ChangeNotifier } from './change-notifier';
import { createTestDatabase, type TestDatabase } from '../../database/test-database.test-helper';

let db: TestDatabase;
const PROJECT = '1c6d9b4f-8e2a-4d3b-af7c-4a5e6b7c8d9e';
let pool: Pool;
let repo: ChangeLogRepository;
let jobs: JobsService;

/** `n` admin events in one committed transaction; their ids in order. */
async function append(n: number, action = 'test.event'): Promise<string[]> {
  const q = compileAppend(
    Array.from({ length: n }, () => ({ projectId: PROJECT, kind: 'admin' as const, action })),
    { type: 'system', id: null },
  );
  return (await pool.query<{ id: string }>(q.text, q.values)).rows.map((r) => r.id);
}

/** A change log with its own consumers (by name), run by calling `consume` directly. */
function changeLog(): ChangeLogService {
  const config = { databaseUrl: db.url } as AppConfig;
  return new ChangeLogService(repo, jobs, new ChangeNotifier(config));
}

/** A consumer that records the ids it was handed, and may throw instead. */
function recorder(fail: () => boolean = () => false) {
  const seen: string[] = [];
  const handler = async (client: { query(t: string): Promise<unknown> }, events: ChangeEvent[]) => {
    // A statement in the handler's savepoint: rolled back with it when it throws.
    await client.query('SELECT 1');
    if (fail()) throw new Error('handler down');
    seen.push(...events.map((e) => e.id));
  };
  return { seen, handler };
}

beforeAll(async () => {
  db = await createTestDatabase('bf_cls');
  pool = new Pool({ connectionString: db.url, max: 4 });
  await pool.query(
    `INSERT INTO backendify.projects (id, name, schema_name) VALUES ($1, 'p', 'p_cls')`,
    [PROJECT],
  );
  repo = new ChangeLogRepository(pool);
  jobs = new JobsService({
    databaseUrl: db.url,
    jobsEnabled: false,
    jobsConcurrency: 1,
  } as AppConfig);
});

afterAll(async () => {
  await jobs?.onApplicationShutdown();
  await pool?.end();
  await db?.drop();
});

describe('change log consumers (one run for all)', () => {
  it('starts a new consumer after what was committed before it first ran', async () => {
    const log = changeLog();
    const a = recorder();
    log.registerConsumer('first.a', a.handler);
    await append(2);
    await log.consume();
    const later = await append(3);
    await log.consume();
    expect(a.seen).toEqual(later);
  });

  it('runs the others when one handler throws, and hands it the same events again later', async () => {
    const log = changeLog();
    const ok = recorder();
    let down = true;
    const flaky = recorder(() => down);
    log.registerConsumer('fail.ok', ok.handler);
    log.registerConsumer('fail.flaky', flaky.handler);
    await log.consume(); // both cursors start here
    const ids = await append(3);
    await log.consume();
    expect(ok.seen).toEqual(ids);
    expect(flaky.seen).toEqual([]);
    expect((await log.consumerCursor('fail.ok'))?.eventId).toBe(ids[2]);
    const stuck = await log.consumerCursor('fail.flaky');
    expect(stuck?.eventId).not.toBe(ids[2]);
    // The retry was queued for later (or the next hint, whichever comes first).
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM graphile_worker.jobs
        WHERE task_identifier = 'change_log_consume' AND run_at > now()`,
    );
    expect(rows[0].n).toBe(1);

    down = false;
    const more = await append(1);
    await log.consume();
    expect(flaky.seen).toEqual([...ids, ...more]);
    expect(ok.seen).toEqual([...ids, ...more]);
    expect(await log.consumerCursor('fail.flaky')).toEqual(await log.consumerCursor('fail.ok'));
  });

  it('does not hold the others back when a failing one is more than a batch behind', async () => {
    const log = changeLog();
    const ok = recorder();
    const broken = recorder(() => true);
    log.registerConsumer('lag.ok', ok.handler);
    log.registerConsumer('lag.broken', broken.handler);
    await log.consume();
    const ids = await append(1200);
    // One batch (500) per run for the one that keeps up: the full batch queues the next run.
    for (let i = 0; i < 3; i++) await log.consume();
    expect(ok.seen).toEqual(ids);
    expect(broken.seen).toEqual([]);
  });

  it('advances a consumer whose handler has nothing to do, and skips nothing for the next', async () => {
    const log = changeLog();
    let calls = 0;
    log.registerConsumer('idle.a', async () => {
      calls++;
    });
    await log.consume();
    const ids = await append(2);
    await log.consume();
    expect(calls).toBe(1);
    expect((await log.consumerCursor('idle.a'))?.eventId).toBe(ids[1]);
    // Nothing new: no handler call, the cursor stays.
    await log.consume();
    expect(calls).toBe(1);
  });
});
