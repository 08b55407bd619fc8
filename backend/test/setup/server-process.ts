import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { findFreePort } from '../../src/database/embedded-postgres';
import { runMigrations } from '../../src/database/data-source';
import type { HttpResult, RequestOptions } from './test-app';

const BACKEND = resolve(__dirname, '../..');

/** What the factories need: HTTP to a server and SQL on its database. */
export interface HttpTarget {
  baseUrl: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- specs read arbitrary JSON bodies
  request<T = any>(method: string, path: string, opts?: RequestOptions): Promise<HttpResult<T>>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows of any table
  query<T = any>(sql: string, params?: unknown[]): Promise<T[]>;
}

/** One real API server as its own OS process (so it can be killed with SIGKILL). */
export interface ServerProcess extends HttpTarget {
  port: number;
  child: ChildProcess;
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

function baseDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url)
    throw new Error('TEST_DATABASE_URL is not set: run through jest with the e2e global setup');
  return url;
}

/** A fresh, migrated database of its own, shared by the server processes a spec starts. */
export async function createProcessDatabase(): Promise<{
  url: string;
  query: HttpTarget['query'];
  drop(): Promise<void>;
}> {
  const name = `bf_p_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: baseDatabaseUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(baseDatabaseUrl());
  u.pathname = `/${name}`;
  const url = u.toString();
  await runMigrations(url);
  const sql = new Client({ connectionString: url });
  await sql.connect();
  return {
    url,
    async query(text, params) {
      return (await sql.query(text, params as unknown[])).rows;
    },
    async drop() {
      await sql.end().catch(() => undefined);
      const c = new Client({ connectionString: baseDatabaseUrl() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((r) =>
    child.exitCode !== null || child.signalCode !== null
      ? r(child.exitCode)
      : child.once('exit', (code) => r(code)),
  );

/** Starts `src/main.ts` on `databaseUrl` and resolves once `/ready` answers 200. */
export async function startServerProcess(
  databaseUrl: string,
  env: Record<string, string | undefined> = {},
  opts: {
    port?: number;
    dataDir?: string;
    readyTimeoutMs?: number;
    /** `built`: the compiled server (`dist/main.js`, as production runs it); it must exist. */
    entry?: 'source' | 'built';
    nodeArgs?: string[];
  } = {},
): Promise<ServerProcess> {
  const port = opts.port ?? (await findFreePort());
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'bf-proc-'));
  const fullEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries({
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    RATE_LIMIT: 'off',
    JWT_SECRET: 'fault-tests-share-one-secret-0123456789abcdef',
    ...env,
  }))
    if (v !== undefined) fullEnv[k] = v;
  let out = '';
  const built = join(BACKEND, 'dist/main.js');
  if (opts.entry === 'built' && !existsSync(built))
    throw new Error(`${built} is missing: run \`pnpm build\` first`);
  const entry =
    opts.entry === 'built' ? ['dist/main.js'] : ['-r', '@swc-node/register', 'src/main.ts'];
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), ...entry], {
    cwd: BACKEND,
    env: fullEnv,
  });
  child.stdout?.on('data', (d) => (out = (out + String(d)).slice(-20_000)));
  child.stderr?.on('data', (d) => (out = (out + String(d)).slice(-20_000)));
  const root = `http://127.0.0.1:${port}`;
  const sql = new Client({ connectionString: databaseUrl });
  await sql.connect();
  child.once('exit', () => void sql.end().catch(() => undefined));

  const until = Date.now() + (opts.readyTimeoutMs ?? 90_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${out}`);
    try {
      if ((await fetch(`${root}/ready`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`server did not become ready:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    port,
    child,
    baseUrl: root,
    output: () => out,
    async request(method, path, o = {}) {
      const headers: Record<string, string> = { ...(o.headers ?? {}) };
      let body: string | undefined;
      if (o.rawBody !== undefined) body = o.rawBody;
      else if (o.body !== undefined) {
        body = JSON.stringify(o.body);
        headers['content-type'] ??= 'application/json';
      }
      if (o.token) headers.authorization = `Bearer ${o.token}`;
      if (o.apiKey) headers['x-api-key'] = o.apiKey;
      const res = await fetch(root + path, { method, headers, body });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = text;
      }
      return { status: res.status, body: parsed as never, headers: res.headers, text };
    },
    async query(text, params) {
      return (await sql.query(text, params as unknown[])).rows;
    },
    async kill(signal: NodeJS.Signals = 'SIGTERM') {
      const done = exited(child);
      child.kill(signal);
      const code = await done;
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}
