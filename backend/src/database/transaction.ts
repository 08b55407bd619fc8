import { AsyncLocalStorage } from 'node:async_hooks';
import type { Pool, PoolClient } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';

const COMMIT_HOOKS = new AsyncLocalStorage<(() => void)[]>();
/** Outside a commit scope a hook cannot know when its statement commits: it runs a little later. */
const UNSCOPED_DELAY_MS = 50;

/**
 * Runs `fn` (which commits a transaction before it resolves) with a place for `afterCommit`
 * hooks, and calls them once it has resolved; a throw (a rollback) drops them.
 */
export async function withCommitHooks<T>(fn: () => Promise<T>): Promise<T> {
  const hooks: (() => void)[] = [];
  const out = await COMMIT_HOOKS.run(hooks, fn);
  for (const h of hooks) h();
  return out;
}

/**
 * Runs `fn` after the current transaction commits (never when it rolls back), e.g. a wake-up
 * hint for readers of what it wrote: a hint sent inside the transaction would come too early,
 * and a NOTIFY inside it serialises every commit on the database.
 */
export function afterCommit(fn: () => void): void {
  const hooks = COMMIT_HOOKS.getStore();
  if (hooks) hooks.push(fn);
  else setTimeout(fn, UNSCOPED_DELAY_MS).unref();
}

/**
 * Runs `fn` in one transaction on a client of `pool`: COMMIT when it resolves, ROLLBACK when it
 * throws (the error is rethrown), and the client always goes back to the pool.
 */
export async function inTransaction<T>(
  pool: Pool,
  fn: (client: PoolClient) => Promise<T>,
): Promise<T> {
  return withCommitHooks(async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const out = await fn(client);
      await client.query('COMMIT');
      return out;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  });
}

/** The pg client under a TypeORM transaction's manager, for statements TypeORM does not write. */
export function pgClientOf(m: EntityManager): PoolClient {
  const runner = m.queryRunner as unknown as { databaseConnection?: PoolClient } | undefined;
  if (!runner?.databaseConnection)
    throw new Error('pgClientOf: the manager is not in a transaction');
  return runner.databaseConnection;
}

/** One TypeORM transaction with both its manager and its pg client (change events, DDL, mail). */
export function typeormTransaction<T>(
  ds: DataSource,
  fn: (m: EntityManager, client: PoolClient) => Promise<T>,
): Promise<T> {
  return withCommitHooks(() => ds.transaction((m) => fn(m, pgClientOf(m))));
}
