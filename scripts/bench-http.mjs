// Shared parts of the HTTP benchmarks that drive the built server themselves (bench-events,
// bench-audit): a fresh database, the server process, a project with an `items` collection and
// an API key, closed-loop write workloads, percentiles. Traffic goes to 127.0.0.1 only.
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(ROOT, 'backend/package.json'));
const { Client } = require('pg');
const { Agent, request } = require('undici');

export const BASE_DB =
  process.env.BENCH_DATABASE_URL ??
  process.env.DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';

export function opts(argv) {
  return (name, def) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : def;
  };
}

export function dbUrl(name) {
  const u = new URL(BASE_DB);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function sql(url, text) {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text)).rows;
  } finally {
    await c.end();
  }
}

/** A fresh database; `drop()` removes it. */
export async function freshDatabase(prefix) {
  const name = `${prefix}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  await sql(BASE_DB, `CREATE DATABASE ${name}`);
  return {
    url: dbUrl(name),
    drop: () => sql(BASE_DB, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined),
  };
}

/** A JSON client for one server port, over a keep-alive pool of `conns` connections. */
export function httpClient(port, conns) {
  const agent = new Agent({ connections: conns, pipelining: 1 });
  async function call(method, path, body, headers = {}) {
    const res = await request(`http://127.0.0.1:${port}${path}`, {
      method,
      dispatcher: agent,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.body.text();
    return { status: res.statusCode, body: text ? JSON.parse(text) : undefined };
  }
  async function api(method, path, body, headers) {
    const r = await call(method, path, body, headers);
    if (r.status >= 300)
      throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }
  return { call, api, close: () => agent.close() };
}

/** Starts `entry` (a built backend/dist/main.js) on `port` and `url`; resolves once /ready answers. */
export async function startBackend({ entry, port, url, env = {} }) {
  const probe = httpClient(port, 1);
  const taken = await probe.call('GET', '/ready').then(
    () => true,
    () => false,
  );
  await probe.close();
  if (taken) throw new Error(`port ${port} already answers: stop that server or pass --port`);
  const child = spawn(process.execPath, [entry], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'bf-bench-')),
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      RATE_LIMIT: 'off',
      JWT_SECRET: 'bench-secret-'.padEnd(48, 'x'),
      ...env,
    },
    // BENCH_SERVER_LOG=<file>: the server's own log goes there (it is dropped otherwise).
    stdio: [
      'ignore',
      process.env.BENCH_SERVER_LOG ? openSync(process.env.BENCH_SERVER_LOG, 'a') : 'ignore',
      'inherit',
    ],
  });
  const client = httpClient(port, 4);
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await client.call('GET', '/ready')).status === 200) break;
      } catch {
        /* not yet */
      }
      if (child.exitCode !== null) throw new Error(`${entry} exited with ${child.exitCode}`);
      if (i > 360) throw new Error('server did not become ready');
      await sleep(250);
    }
  } finally {
    await client.close();
  }
  return {
    pid: child.pid,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

/** An admin, a project with `items {title text, price int}` and an API key on that server. */
export async function setupItems({ api }, email) {
  const { access_token: token } = await api('POST', '/api/auth/register', {
    email,
    password: 'bench-password',
  });
  const auth = { authorization: `Bearer ${token}` };
  const project = await api('POST', '/api/projects', { name: 'bench' }, auth);
  const pid = project.id;
  const base = `/api/projects/${pid}/schema/collections`;
  await api('POST', base, { name: 'items', display_name: 'Items' }, auth);
  for (const [name, type] of [
    ['title', 'text'],
    ['price', 'int'],
  ])
    await api(
      'POST',
      `${base}/${'items'}/fields`,
      { name, display_name: name, field_type: type },
      auth,
    );
  const { api_key: key } = await api(
    'POST',
    `/api/projects/${pid}/api-keys`,
    { name: 'bench' },
    auth,
  );
  return { pid, auth, key, path: `/api/projects/${pid}/data/items` };
}

/**
 * Closed loop: `conns` workers each sending `next(i)` → {method, path, body} for `ms`, counting
 * answers with `okStatus`. Returns req/s, p50/p99 latency (ms) and errors.
 */
export async function closedLoop({ call }, { ms, conns, key, okStatus, next }) {
  const lat = [];
  let errors = 0;
  let n = 0;
  const end = performance.now() + ms;
  await Promise.all(
    Array.from({ length: conns }, async () => {
      while (performance.now() < end) {
        const { method, path, body } = next(n++);
        const t0 = performance.now();
        const r = await call(method, path, body, { 'x-api-key': key });
        if (r.status !== okStatus) errors++;
        else lat.push(performance.now() - t0);
      }
    }),
  );
  return { rps: lat.length / (ms / 1000), p50: pct(lat, 50), p99: pct(lat, 99), errors };
}

export function pct(xs, p) {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

export const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '–');
