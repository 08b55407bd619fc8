import { Logger } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';

const guarded = new WeakSet<object>();

/**
 * PostgreSQL may drop any connection (restart, failover, `pg_terminate_backend`, too many
 * clients). node-postgres then emits `error` on the pool for an idle client, and on the client
 * itself when it is checked out between two statements: without a listener that second one is
 * an unhandled `error` event that ends the process. Every client gets a listener when it is made
 * and when it is checked out; the statement in flight still fails with its own error (503 to
 * callers), and pg-pool drops the broken client on release.
 */
export function guardPoolErrors(pool: Pool, name: string): Pool {
  const log = new Logger('Database');
  const guard = (client: PoolClient) => {
    if (guarded.has(client)) return;
    guarded.add(client);
    client.on('error', (err) => log.warn(`${name} connection error: ${err.message}`));
  };
  pool.on('error', (err) => log.warn(`${name} idle connection error: ${err.message}`));
  pool.on('connect', guard);
  pool.on('acquire', guard);
  return pool;
}
