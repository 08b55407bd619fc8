import type { Pool, PoolClient } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * Runs `fn` in one transaction on a client of `pool`: COMMIT when it resolves, ROLLBACK when it
 * throws (the error is rethrown), and the client always goes back to the pool.
 */
export async function inTransaction<T>(
  pool: Pool,
  fn: (client: PoolClient) => Promise<T>,
): Promise<T> {
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
  return ds.transaction((m) => fn(m, pgClientOf(m)));
}
