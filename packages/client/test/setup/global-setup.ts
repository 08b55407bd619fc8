import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import type { TestServer } from './server';

const REPO_ROOT = resolve(__dirname, '../../../..');
// BACKENDIFY_TEST_SERVER_MAIN runs another build of the server (e.g. one compiled elsewhere).
const MAIN = process.env.BACKENDIFY_TEST_SERVER_MAIN ?? join(REPO_ROOT, 'backend/dist/main.js');
const READY_TIMEOUT_MS = 90_000;

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => ok(port));
    });
  });
}

async function createDatabase(adminUrl: string, name: string): Promise<string> {
  const pg = new Client({ connectionString: adminUrl });
  await pg.connect();
  try {
    await pg.query(`CREATE DATABASE "${name}"`);
  } finally {
    await pg.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function waitReady(url: string, server: TestServer): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) {
      throw new Error(`Server exited with ${server.child.exitCode}:\n${server.output.join('')}`);
    }
    try {
      const res = await fetch(`${url}/ready`);
      if (res.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Server not ready after ${READY_TIMEOUT_MS} ms:\n${server.output.join('')}`);
}

/** Starts the built server once for all client specs, on a fresh database and data dir. */
export default async function globalSetup(): Promise<void> {
  if (!existsSync(MAIN)) {
    execFileSync('npx', ['-y', 'pnpm@10', '--filter', '@backendify/backend', 'build'], {
      cwd: REPO_ROOT,
      stdio: 'inherit',
    });
  }
  // A private (0700) directory, as a user's own would be: embedded PostgreSQL must start there too.
  const dataDir = mkdtempSync(join(tmpdir(), 'bf-client-test-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    RATE_LIMIT: 'off',
    LOG_LEVEL: 'warn',
  };
  delete env.DATABASE_URL;
  let adminDatabaseUrl: string | undefined;
  let databaseName: string | undefined;
  if (process.env.DATABASE_URL) {
    adminDatabaseUrl = process.env.DATABASE_URL;
    databaseName = `bf_client_${randomBytes(6).toString('hex')}`;
    env.DATABASE_URL = await createDatabase(adminDatabaseUrl, databaseName);
  }
  const child = spawn(process.execPath, [MAIN], { cwd: dataDir, env, stdio: 'pipe' });
  const server: TestServer = { child, dataDir, adminDatabaseUrl, databaseName, output: [] };
  const keep = (chunk: Buffer) => {
    server.output.push(chunk.toString());
    if (server.output.length > 200) server.output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  globalThis.__BACKENDIFY_CLIENT_TEST_SERVER__ = server;

  const url = `http://127.0.0.1:${port}`;
  try {
    await waitReady(url, server);
  } catch (err) {
    // Jest skips the teardown when the setup fails, so stop the server here.
    child.kill('SIGTERM');
    throw err;
  }
  process.env.BACKENDIFY_TEST_URL = url;
  // Platform mail (console verification links) lands in DATA_DIR/mailbox without SMTP.
  process.env.BACKENDIFY_TEST_DATA_DIR = dataDir;
}
