// Starts the real Backendify server for the Playwright run. With DATABASE_URL set, it first
// creates a fresh database for this run so runs never share state. With BF_E2E_TWO_NODES=1
// (playwright.two-nodes.config.ts) it starts scripts/two-nodes.mjs instead: two API processes on
// that database (or on one embedded PostgreSQL it starts) and Redis behind a round-robin proxy on PORT.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const here = dirname(fileURLToPath(import.meta.url));
const dataDir = resolve(process.env.DATA_DIR ?? join(here, '../../.tmp', `e2e-${Date.now()}`));
mkdirSync(dataDir, { recursive: true });

const env = { ...process.env, DATA_DIR: dataDir };
let createdDb = null;

if (process.env.DATABASE_URL) {
  const dbName = `bf_e2e_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  await admin.end();
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${dbName}`;
  env.DATABASE_URL = url.toString();
  createdDb = dbName;
  writeFileSync(join(dataDir, 'e2e-database.txt'), dbName);
  process.stdout.write(`e2e: created database ${dbName}\n`);
}

const twoNodes = process.env.BF_E2E_TWO_NODES === '1';
const server = spawn(
  process.execPath,
  twoNodes
    ? [resolve(here, '../../scripts/two-nodes.mjs'), '--no-build']
    : [resolve(here, '../../backend/dist/main.js')],
  { env, stdio: 'inherit' },
);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.kill(signal));
}

/** Removes this run's database and data directory unless KEEP_E2E_DATA is set. */
async function cleanUp() {
  if (process.env.KEEP_E2E_DATA) return;
  if (createdDb) {
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    try {
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${createdDb}" WITH (FORCE)`);
    } catch (error) {
      process.stderr.write(`e2e: could not drop ${createdDb}: ${error.message}\n`);
    } finally {
      await admin.end().catch(() => undefined);
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
}

server.on('exit', (code) => {
  void cleanUp().finally(() => process.exit(code ?? 0));
});
