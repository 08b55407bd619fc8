import { rmSync } from 'node:fs';
import { Client } from 'pg';

const STOP_TIMEOUT_MS = 20_000;

/** Stops the server (SIGTERM, so embedded PostgreSQL shuts down cleanly) and drops its database. */
export default async function globalTeardown(): Promise<void> {
  const server = globalThis.__BACKENDIFY_CLIENT_TEST_SERVER__;
  if (!server) return;
  const { child } = server;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }
  if (server.adminDatabaseUrl && server.databaseName) {
    const pg = new Client({ connectionString: server.adminDatabaseUrl });
    await pg.connect();
    try {
      await pg.query(`DROP DATABASE IF EXISTS "${server.databaseName}" WITH (FORCE)`);
    } finally {
      await pg.end();
    }
  }
  rmSync(server.dataDir, { recursive: true, force: true });
}
