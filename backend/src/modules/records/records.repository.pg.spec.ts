import { Pool, type PoolClient } from 'pg';
import type { AppConfig } from '../../config/app-config';
import type { AccessContext } from '../access/access-context';
import { RecordsRepository } from './records.repository';
import { createTestDatabase, type TestDatabase } from '../../database/test-database.test-helper';

let db: TestDatabase;
const ACCESS: AccessContext = {
  projectId: '0b5c8a3e-7d1f-4c2a-9e6b-3f4d5a6b7c8d',
  principal: { kind: 'api_key', keyId: 'k', keyKind: 'service' },
  ip: null,
  userAgent: null,
};
let pool: Pool;
let sut: RecordsRepository;
/** Socket flushes (one `write`/`writev` syscall each) per pooled connection. */
let flushes = 0;

const insert = (v: string) => ({ text: 'INSERT INTO t (v) VALUES ($1) RETURNING v', values: [v] });
const count = async (v: string) =>
  Number((await pool.query('SELECT count(*) AS n FROM t WHERE v = $1', [v])).rows[0].n);

beforeAll(async () => {
  db = await createTestDatabase('bf_rr', { migrate: false });
  // As the data pool (DatabaseModule): pipelined.
  pool = new Pool({ connectionString: db.url, max: 2, pipeline: true });
  pool.on('connect', (c: PoolClient) => {
    const stream = (c as unknown as { connection: { stream: Record<string, unknown> } }).connection
      .stream;
    for (const k of ['_write', '_writev'] as const) {
      const original = stream[k] as (...a: unknown[]) => unknown;
      stream[k] = function (this: unknown, ...a: unknown[]) {
        flushes++;
        return original.apply(this, a);
      };
    }
  });
  await pool.query('CREATE TABLE t (v text PRIMARY KEY)');
  sut = new RecordsRepository(pool, { countEstimateThreshold: 1000 } as AppConfig);
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

describe('RecordsRepository.transaction (pipelined)', () => {
  it('commits a statement and its atCommit statement in two socket writes', async () => {
    await pool.query('SELECT 1'); // the connection exists: its start-up writes are not counted
    flushes = 0;
    const out = await sut.transaction(ACCESS, async (tx) => {
      const rows = await tx.run(insert('a'));
      tx.atCommit(insert('a-event'));
      return rows[0].v;
    });
    expect(out).toBe('a');
    // BEGIN + INSERT, then the queued INSERT + COMMIT.
    expect(flushes).toBe(2);
    expect(await count('a')).toBe(1);
    expect(await count('a-event')).toBe(1);
  });

  it('a failing atCommit statement rolls the whole transaction back and throws its error', async () => {
    await pool.query('INSERT INTO t (v) VALUES ($1)', ['taken']);
    await expect(
      sut.transaction(ACCESS, async (tx) => {
        await tx.run(insert('b'));
        tx.atCommit(insert('taken'));
        return null;
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect(await count('b')).toBe(0);
    // The connection went back to the pool usable, outside any transaction.
    const again = await sut.transaction(ACCESS, (tx) => tx.run(insert('c')));
    expect(again).toEqual([{ v: 'c' }]);
    expect(await count('c')).toBe(1);
  });

  it('a throw inside the callback rolls back and sends no queued statement', async () => {
    await expect(
      sut.transaction(ACCESS, async (tx) => {
        await tx.run(insert('d'));
        tx.atCommit(insert('d-event'));
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await count('d')).toBe(0);
    expect(await count('d-event')).toBe(0);
  });

  it('readOnly runs the statement read-only under its own timeout', async () => {
    const rows = await sut.readOnly(
      ACCESS,
      { text: `SELECT current_setting('statement_timeout') AS t`, values: [] },
      1234,
    );
    expect(rows).toEqual([{ t: '1234ms' }]);
    await expect(sut.readOnly(ACCESS, insert('e'), 1000)).rejects.toMatchObject({
      code: '25006',
    });
    expect(await count('e')).toBe(0);
  });
});
