import { Client, Pool } from 'pg';
import type { AppConfig } from '../../config/app-config';
import { ChangeNotifier } from '../change-log/change-notifier';
import { CACHE_CHANNEL } from './cache-scope';
import { CacheSyncRepository } from './cache-sync.repository';
import { CacheSyncService } from './cache-sync.service';
import { createTestDatabase, type TestDatabase } from '../../database/test-database.test-helper';

let db: TestDatabase;
const P1 = '0b5c8a3e-7d1f-4c2a-9e6b-3f4d5a6b7c8d';
const P2 = '1c6d9b4f-8e2a-4d3b-8f7c-4a5e6b7c8d9e';
let pool: Pool;
let sut: CacheSyncRepository;

async function connect(): Promise<Client> {
  const c = new Client({ connectionString: db.url });
  await c.connect();
  return c;
}

async function until(what: string, ok: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

beforeAll(async () => {
  db = await createTestDatabase('bf_cs');
  pool = new Pool({ connectionString: db.url, max: 6 });
  sut = new CacheSyncRepository(pool);
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

describe('CacheSyncRepository (real PostgreSQL)', () => {
  it('reports nothing on the first read, then exactly the bumps committed since', async () => {
    let { snapshot, changed } = await sut.changedSince(null);
    expect(changed).toEqual([]);
    await sut.bump(null, ['roles', 'api_keys'], P1);
    await sut.bump(null, ['catalog'], null);
    ({ snapshot, changed } = await sut.changedSince(snapshot));
    expect(changed).toEqual(
      expect.arrayContaining([
        { scope: 'api_keys', projectId: P1 },
        { scope: 'roles', projectId: P1 },
        { scope: 'catalog', projectId: null },
      ]),
    );
    expect(changed).toHaveLength(3);
    expect((await sut.changedSince(snapshot)).changed).toEqual([]);
  });

  it('counts versions per scope and project, one row each (null project included)', async () => {
    await sut.bump(null, ['settings'], P2);
    await sut.bump(null, ['settings'], P2);
    await sut.bump(null, ['settings'], null);
    await sut.bump(null, ['settings'], null);
    const rows = await pool.query<{ project_id: string | null; version: string }>(
      `SELECT project_id, version FROM backendify.cache_versions WHERE scope = 'settings' ORDER BY project_id NULLS FIRST`,
    );
    expect(rows.rows).toEqual([
      { project_id: null, version: '2' },
      { project_id: P2, version: '2' },
    ]);
  });

  it('never skips a bump whose transaction commits after a read that ran while it was open', async () => {
    let { snapshot } = await sut.changedSince(null);
    const late = await connect();
    const early = await connect();
    try {
      await late.query('BEGIN');
      await sut.bump(late, ['policies'], P1);
      await early.query('BEGIN');
      await sut.bump(early, ['validations'], P2);
      await early.query('COMMIT');
      let changed;
      ({ snapshot, changed } = await sut.changedSince(snapshot));
      expect(changed).toEqual([{ scope: 'validations', projectId: P2 }]);
      await late.query('COMMIT');
      ({ snapshot, changed } = await sut.changedSince(snapshot));
      expect(changed).toEqual([{ scope: 'policies', projectId: P1 }]);
      expect((await sut.changedSince(snapshot)).changed).toEqual([]);
    } finally {
      await late.end();
      await early.end();
    }
  });

  it('never reports a bump that rolled back with its change', async () => {
    const { snapshot } = await sut.changedSince(null);
    const c = await connect();
    try {
      await c.query('BEGIN');
      await sut.bump(c, ['api_keys'], P2);
      await c.query('ROLLBACK');
    } finally {
      await c.end();
    }
    expect((await sut.changedSince(snapshot)).changed).toEqual([]);
  });

  it('sends one NOTIFY per transaction, at commit, however many bumps it made', async () => {
    const listener = await connect();
    const notes: string[] = [];
    listener.on('notification', (n) => notes.push(n.channel));
    await listener.query(`LISTEN ${CACHE_CHANNEL}`);
    const c = await connect();
    try {
      await c.query('BEGIN');
      await sut.bump(c, ['catalog'], P1);
      await sut.bump(c, ['roles', 'settings'], P2);
      await new Promise((r) => setTimeout(r, 100));
      expect(notes).toEqual([]);
      await c.query('COMMIT');
      await until('the notification', () => notes.length > 0);
      // A second transaction's hint proves the first one's did not trail behind as a duplicate.
      await sut.bump(null, ['catalog'], P1);
      await until('the second notification', () => notes.length > 1);
      expect(notes).toEqual([CACHE_CHANNEL, CACHE_CHANNEL]);
    } finally {
      await c.end();
      await listener.end();
    }
  });
});

describe('CacheSyncService across two processes (real PostgreSQL)', () => {
  const services: { svc: CacheSyncService; notifier?: ChangeNotifier }[] = [];
  const config = () => ({ databaseUrl: db.url }) as AppConfig;

  async function process(opts: { listen: boolean }): Promise<CacheSyncService> {
    const notifier = opts.listen ? new ChangeNotifier(config()) : undefined;
    const svc = new CacheSyncService(
      new CacheSyncRepository(pool),
      notifier ?? ({ on: () => undefined } as unknown as ChangeNotifier),
    );
    svc.onModuleInit();
    if (notifier) {
      notifier.onApplicationBootstrap();
      await notifier.whenListening();
    }
    await svc.onApplicationBootstrap();
    services.push({ svc, notifier });
    return svc;
  }

  afterEach(async () => {
    for (const { svc, notifier } of services.splice(0)) {
      svc.onApplicationShutdown();
      await notifier?.onApplicationShutdown();
    }
  });

  it('a change in one process drops the entries in another, woken by the NOTIFY', async () => {
    const a = await process({ listen: true });
    const b = await process({ listen: true });
    const dropped: (string | null)[] = [];
    b.onStale('api_keys', (p) => dropped.push(p));
    const started = Date.now();
    await a.changed('api_keys', P1);
    await until('the drop in b', () => dropped.includes(P1), 900);
    // Well inside the poll's period: the hint did it.
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('without any NOTIFY (a lost hint), the 1 s poll still converges', async () => {
    await sut.bump(null, ['catalog'], P1);
    const b = await process({ listen: false });
    const dropped: (string | null)[] = [];
    b.onStale('catalog', (p) => dropped.push(p));
    // A bump written the way a process that lost its LISTEN connection would never hear of.
    await pool.query(
      `UPDATE backendify.cache_versions SET version = version + 1, xact_id = pg_current_xact_id()
       WHERE scope = 'catalog' AND project_id = $1`,
      [P1],
    );
    await until('the poll to drop it', () => dropped.includes(P1), 2000);
  });

  it('drops locally at once, before any round trip', async () => {
    const a = await process({ listen: false });
    const dropped: (string | null)[] = [];
    a.onStale('roles', (p) => dropped.push(p));
    const pending = a.changed('roles', P2);
    expect(dropped).toEqual([P2]);
    await pending;
  });
});
