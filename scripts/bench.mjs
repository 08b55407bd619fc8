#!/usr/bin/env node
// `pnpm bench` (DESIGN §7): fresh database, 100,000 seeded items, W1–W5 through ../shared/bench/peers.sh.
//   node scripts/bench.mjs [--peers] [--runs N] [--duration S] [--warmup S]
// --peers also runs the ceiling (bare node:http + pg), Directus and Parse Server in the same run.
// Needs a reachable PostgreSQL: BENCH_DATABASE_URL, else DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = resolve(ROOT, '../shared/bench');
const PEERS = join(SHARED, 'peers.sh');
const require = createRequire(join(ROOT, 'backend/package.json'));
const { Client } = require('pg');

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : def;
};
const withPeers = flag('--peers');
const runs = opt('--runs', '1');
const duration = opt('--duration', '10');
const warmup = opt('--warmup', '3');
const PORT = Number(opt('--port', '3900'));
const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
const OUT = resolve(process.env.BENCH_RESULTS ?? '/tmp/backendify-bench', stamp);
mkdirSync(OUT, { recursive: true });

const log = (m) => process.stderr.write(`[bench] ${m}\n`);
const baseUrl =
  process.env.BENCH_DATABASE_URL ??
  process.env.DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';
const dbUrl = (db) => {
  const u = new URL(baseUrl);
  u.pathname = `/${db}`;
  return u.toString();
};

async function sql(url, text) {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text)).rows;
  } finally {
    await c.end();
  }
}

function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} exited ${r.status}`);
}

async function waitReady(url, seconds = 90) {
  for (let i = 0; i < seconds * 4; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not become ready`);
}

async function api(method, path, body, headers = {}) {
  const res = await fetch(`http://127.0.0.1:${PORT}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

const extra = [];

async function main() {
  if (!existsSync(PEERS)) throw new Error(`missing ${PEERS}`);
  if (
    !existsSync(join(ROOT, 'backend/dist/main.js')) ||
    !existsSync(join(ROOT, 'frontend/dist/index.html'))
  ) {
    log('building');
    run('npx', ['-y', 'pnpm@10', 'build'], { cwd: ROOT });
  }
  const db = `bf_bench_${stamp}`;
  await sql(baseUrl, `CREATE DATABASE ${db}`);
  const url = dbUrl(db);
  const dataDir = join(OUT, 'data');
  log(`starting Backendify on :${PORT} with database ${db}`);
  const server = spawn(process.execPath, [join(ROOT, 'backend/dist/main.js')], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      PORT: String(PORT),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      JWT_SECRET: 'bench-secret-'.padEnd(48, 'x'),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let ceiling = null;
  const cleanup = async () => {
    server.kill('SIGTERM');
    ceiling?.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1500));
    await sql(baseUrl, `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch(() => undefined);
    await sql(baseUrl, `DROP DATABASE IF EXISTS bf_bench_ceiling_${stamp} WITH (FORCE)`).catch(
      () => undefined,
    );
  };
  try {
    await waitReady(`http://127.0.0.1:${PORT}/ready`);
    const { access_token: token } = await api('POST', '/api/auth/register', {
      email: 'bench@example.com',
      password: 'bench-password',
    });
    const auth = { authorization: `Bearer ${token}` };
    const project = await api('POST', '/api/projects', { name: 'bench' }, auth);
    const base = `/api/projects/${project.id}/schema/collections`;
    await api('POST', base, { name: 'items', display_name: 'Items' }, auth);
    for (const f of [
      { name: 'title', field_type: 'text', is_searchable: true },
      { name: 'price', field_type: 'int', is_indexed: true },
      { name: 'status', field_type: 'string' },
      { name: 'created', field_type: 'datetime' },
    ]) {
      await api('POST', `${base}/items/fields`, { display_name: f.name, ...f }, auth);
    }
    const { api_key: key } = await api(
      'POST',
      `/api/projects/${project.id}/api-keys`,
      { name: 'bench' },
      auth,
    );
    const schema = `p_${project.id.replace(/-/g, '_')}`;
    const ids = join(OUT, 'ours-ids.txt');
    run('bash', [
      PEERS,
      'seed-sql',
      '--db-url',
      url,
      '--table',
      `${schema}.items`,
      '--ids-out',
      ids,
    ]);
    await new Promise((r) => setTimeout(r, 3000));
    const idleRss =
      Number(readFileSync(`/proc/${server.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]) / 1024;
    writeFileSync(join(OUT, 'ours-idle-rss.txt'), `${idleRss.toFixed(1)} MB\n`);
    log(`idle RSS after seeding: ${idleRss.toFixed(1)} MB`);
    const common = ['--runs', runs, '--duration', duration, '--warmup', warmup, '--out', OUT];
    run('bash', [
      PEERS,
      '--target',
      'ours',
      '--base',
      `http://127.0.0.1:${PORT}`,
      '--project',
      project.id,
      '--key',
      key,
      '--ids-file',
      ids,
      '--pid',
      String(server.pid),
      ...common,
    ]);

    // W2 as the ceiling runs it (no total): shows what the exact total of the contract costs.
    const w2 = spawnSync(
      'wrk',
      [
        '-t1',
        '-c32',
        `-d${duration}s`,
        '--timeout',
        '10s',
        '-s',
        join(SHARED, 'lib/workload.lua'),
        `http://127.0.0.1:${PORT}`,
      ],
      {
        encoding: 'utf8',
        env: {
          ...process.env,
          BENCH_METHOD: 'GET',
          BENCH_PATH: `/api/projects/${project.id}/data/items?price__gte={x}&sort=-price&limit=50&count=false`,
          BENCH_HEADERS: `X-API-Key: ${key}`,
          BENCH_IDS: ids,
        },
      },
    );
    const line = (w2.stdout ?? '').split('\n').find((l) => l.startsWith('RESULT'));
    if (line) {
      const f = line.split(/\s+/);
      extra.push(
        `W2 with count=false: ${Number(f[3]).toFixed(0)} req/s, p50 ${(Number(f[4]) / 1000).toFixed(2)} ms, p99 ${(Number(f[6]) / 1000).toFixed(2)} ms`,
      );
    }

    if (withPeers) {
      const cdb = `bf_bench_ceiling_${stamp}`;
      await sql(baseUrl, `CREATE DATABASE ${cdb}`);
      const curl = dbUrl(cdb);
      await sql(
        curl,
        `CREATE TABLE items (id bigserial PRIMARY KEY, project_id text, title text, price int, status text, created timestamptz); CREATE INDEX ON items (price)`,
      );
      const cids = join(OUT, 'ceiling-ids.txt');
      run('bash', [PEERS, 'seed-sql', '--db-url', curl, '--table', 'items', '--ids-out', cids]);
      await sql(curl, 'VACUUM ANALYZE items');
      ceiling = spawn(process.execPath, [join(SHARED, 'lib/ceiling.mjs')], {
        cwd: join(ROOT, 'backend'),
        env: { ...process.env, DATABASE_URL: curl },
        stdio: 'inherit',
      });
      await new Promise((r) => setTimeout(r, 1500));
      run('bash', [
        PEERS,
        '--target',
        'ours',
        '--label',
        'ceiling',
        '--base',
        'http://127.0.0.1:3999',
        '--project',
        'p1',
        '--key',
        'k1',
        '--ids-file',
        cids,
        '--pid',
        String(ceiling.pid),
        ...common,
      ]);
      ceiling.kill('SIGTERM');
      ceiling = null;
      run('bash', [PEERS, '--target', 'peers', ...common]);
    }
    printSummary(idleRss);
  } finally {
    await cleanup();
  }
}

function printSummary(idleRss) {
  const lines = readFileSync(join(OUT, 'results.tsv'), 'utf8').trim().split('\n');
  const header = lines[0].split('\t');
  const col = (n) => header.indexOf(n);
  const rows = lines.slice(1).map((l) => l.split('\t'));
  const best = new Map();
  for (const r of rows) {
    const target = r[col('target')] === 'ours' ? r[col('version')] : r[col('target')];
    const k = `${target}|${r[col('workload')]}`;
    const rps = Number(r[col('rps')]);
    if (!best.has(k) || best.get(k).rps < rps)
      best.set(k, { rps, p50: Number(r[col('p50_ms')]), p99: Number(r[col('p99_ms')]) });
  }
  const targets = [...new Set([...best.keys()].map((k) => k.split('|')[0]))];
  const wls = ['W1', 'W2', 'W3', 'W4', 'W5'];
  const out = [];
  out.push(
    [
      'workload',
      ...targets.flatMap((t) => [`${t} req/s`, `${t} p50`, `${t} p99`]),
      ...targets.filter((t) => t !== 'ours').map((t) => `ours/${t}`),
    ].join('\t'),
  );
  for (const w of wls) {
    const ours = best.get(`ours|${w}`);
    const cells = targets.flatMap((t) => {
      const b = best.get(`${t}|${w}`);
      return b ? [b.rps.toFixed(0), b.p50.toFixed(2), b.p99.toFixed(2)] : ['-', '-', '-'];
    });
    const ratios = targets
      .filter((t) => t !== 'ours')
      .map((t) => {
        const b = best.get(`${t}|${w}`);
        return ours && b && b.rps > 0 ? (ours.rps / b.rps).toFixed(2) : '-';
      });
    out.push([w, ...cells, ...ratios].join('\t'));
  }
  const table = out.join('\n');
  writeFileSync(join(OUT, 'extra.txt'), extra.join('\n') + '\n');
  writeFileSync(join(OUT, 'summary.tsv'), table + `\nidle_rss_mb\t${idleRss.toFixed(1)}\n`);
  const printed = spawnSync('column', ['-t', '-s', '\t'], { input: table, encoding: 'utf8' });
  process.stdout.write(
    `\n${printed.stdout || table}\nours idle RSS: ${idleRss.toFixed(1)} MB\n${extra.join('\n')}\nresults: ${OUT}\n`,
  );
}

main().catch((err) => {
  log(err.stack ?? String(err));
  process.exit(1);
});
