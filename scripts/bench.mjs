#!/usr/bin/env node
// `pnpm bench` (DESIGN §7): the ceiling (bare node:http + pg, ../shared/bench/lib/ceiling.mjs) and
// Backendify on the same 100,000 seeded items, W1–W5 plus W2 in each count mode, through
// ../shared/bench/peers.sh and its wrk script; ratios are taken inside one run.
//   node scripts/bench.mjs [--peers] [--runs 2] [--duration 10] [--warmup 3] [--port 3900]
//                          [--profile [--profile-seconds 10]]
// --peers   also Directus and Parse Server (installed and seeded by peers.sh into /tmp/peers).
// --profile also a CPU profile of the server per workload (scripts/bench-profiler.cjs) → profile.md.
// --serve   only set both servers up, print their ports, project and key, and wait for Ctrl-C.
// --events  instead: W4 with and without a webhook, and ack-to-first-delivery latency
//           (scripts/bench-events.mjs; its own flags: --duration --rate --conns --runs --port).
// --audit   instead: W4/W5 against this build and one from before the change log, alternating
//           (scripts/bench-audit.mjs; its own flags: --baseline --duration --runs --conns --port).
// --workflows instead: trigger → first step latency, runs/s, a function against a data GET
//           (scripts/bench-workflows.mjs; its own flags: --duration --rate --runs-count --conns --port).
// --realtime instead: realtime fan-out latency, loss and RSS, the write-rate ceiling, idle sockets,
//           and a bare ws server for comparison (scripts/bench-realtime.mjs; its own flags:
//           --subs --rate --duration --ramp --ramp-duration --idle --users --port).
// --files   instead: a 1 GiB streamed upload and download on the local and s3 drivers (s3rver),
//           MiB/s and server RSS (scripts/bench-files.mjs; its own flags: --size-mb --drivers
//           --node-options --port).
// --views   instead: a view with a join + group by over 100,000 rows against the same SQL run
//           directly (scripts/bench-views.mjs; its own flags: --rows --duration --conns --runs --port).
// Needs a reachable PostgreSQL: BENCH_DATABASE_URL, else DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { markdown, summarise } from './cpu-profile-summary.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// ../shared/bench beside the checkout (or beside a parent folder of worktrees), or BENCH_SHARED.
const SHARED =
  process.env.BENCH_SHARED ??
  [resolve(ROOT, '../shared/bench'), resolve(ROOT, '../../shared/bench')].find((d) =>
    existsSync(join(d, 'peers.sh')),
  ) ??
  resolve(ROOT, '../shared/bench');
const PEERS = join(SHARED, 'peers.sh');
const WORKLOAD_LUA = join(SHARED, 'lib/workload.lua');
const require = createRequire(join(ROOT, 'backend/package.json'));
const { Client } = require('pg');

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : def;
};
const withPeers = flag('--peers');
const withProfile = flag('--profile');
const runs = Number(opt('--runs', '2'));
const duration = opt('--duration', '10');
const warmup = opt('--warmup', '3');
const profileSeconds = opt('--profile-seconds', '10');
const PORT = Number(opt('--port', '3900'));
const CEILING_PORT = Number(opt('--ceiling-port', String(PORT + 1)));
const CONNS = '32';
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
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Rows of the summary: W2 appears once per count mode; `ceiling` = the ceiling's row to compare with. */
const ROWS = [
  { id: 'W1', label: 'W1 get by id' },
  { id: 'W2', label: 'W2 price ≥ x, sort, 50, count=true (exact)', ceiling: 'W2' },
  { id: 'W2f', label: 'W2 … count=false', ceiling: 'W2' },
  { id: 'W2e', label: 'W2 … count=estimated', ceiling: 'W2' },
  { id: 'W3', label: 'W3 title contains + total' },
  { id: 'W4', label: 'W4 create' },
  { id: 'W5', label: 'W5 update' },
];

/** results[target][workload] = [{rps, p50, p99, non2xx}] — one entry per run. */
const results = {};
const record = (target, w, r) => {
  ((results[target] ??= {})[w] ??= []).push(r);
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
    await sleep(250);
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

function startServer(url, nodeArgs = [], extraEnv = {}) {
  const child = spawn(process.execPath, [...nodeArgs, join(ROOT, 'backend/dist/main.js')], {
    env: {
      ...process.env,
      ...extraEnv,
      DATABASE_URL: url,
      PORT: String(PORT),
      HOST: '127.0.0.1',
      DATA_DIR: join(OUT, 'data'),
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
      NODE_ENV: 'production',
      JWT_SECRET: 'bench-secret-'.padEnd(48, 'x'),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

async function stopProcess(child) {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(20_000)]);
}

/** Runs one peers.sh `--target ours` pass (W1–W5) into its own folder and records its rows. */
function peersPass(target, extra, dir) {
  mkdirSync(dir, { recursive: true });
  run('bash', [
    PEERS,
    ...extra,
    '--runs',
    '1',
    '--duration',
    duration,
    '--warmup',
    warmup,
    '--out',
    dir,
  ]);
  collectTsv(join(dir, 'results.tsv'), (t) => (t === 'ours' ? target : t));
}

function collectTsv(file, name) {
  if (!existsSync(file)) return;
  const [head, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const h = head.split('\t');
  const col = (n) => h.indexOf(n);
  for (const l of lines) {
    const r = l.split('\t');
    record(name(r[col('target')]), r[col('workload')], {
      rps: Number(r[col('rps')]),
      p50: Number(r[col('p50_ms')]),
      p99: Number(r[col('p99_ms')]),
      non2xx: Number(r[col('non2xx')]) + Number(r[col('sock_errors')]),
    });
  }
}

/** One extra workload with the shared wrk script: warm-up, then measured. */
function wrk(target, w, origin, path, headers, seconds = duration) {
  const env = {
    ...process.env,
    BENCH_METHOD: 'GET',
    BENCH_PATH: path,
    BENCH_HEADERS: headers,
    BENCH_BODY: '',
  };
  const once = (s) =>
    spawnSync(
      'wrk',
      ['-t1', `-c${CONNS}`, `-d${s}s`, '--timeout', '10s', '-s', WORKLOAD_LUA, origin],
      { encoding: 'utf8', env },
    );
  log(`${target} ${w}: warm-up ${warmup}s, measure ${seconds}s (GET ${path})`);
  once(warmup);
  const out = once(seconds);
  writeFileSync(join(OUT, `wrk-${target}-${w}-${Date.now()}.txt`), out.stdout + out.stderr);
  const line = (out.stdout ?? '').split('\n').find((l) => l.startsWith('RESULT'));
  if (!line) return log(`${target} ${w}: wrk gave no result`);
  const f = line.split('\t');
  record(target, w, {
    rps: Number(f[3]),
    p50: Number(f[4]) / 1000,
    p99: Number(f[6]) / 1000,
    non2xx: Number(f[9]) + Number(f[10]) + Number(f[11]) + Number(f[12]) + Number(f[13]),
  });
}

function newestMtime(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

const W2_PATH = '?price__gte={x}&sort=-price&limit=50';

async function main() {
  if (!existsSync(PEERS)) throw new Error(`missing ${PEERS}`);
  if (
    !existsSync(join(ROOT, 'backend/dist/main.js')) ||
    !existsSync(join(ROOT, 'frontend/dist/index.html'))
  ) {
    log('building');
    run('npx', ['-y', 'pnpm@10', 'build'], { cwd: ROOT });
  } else if (
    newestMtime(join(ROOT, 'backend/src')) > statSync(join(ROOT, 'backend/dist/main.js')).mtimeMs
  ) {
    log('backend sources changed since the last build: building the backend');
    run('npx', ['-y', 'pnpm@10', '--filter', '@backendify/backend', 'build'], { cwd: ROOT });
  }
  const db = `bf_bench_${stamp}`;
  const cdb = `bf_bench_ceiling_${stamp}`;
  await sql(baseUrl, `CREATE DATABASE ${db}`);
  await sql(baseUrl, `CREATE DATABASE ${cdb}`);
  const url = dbUrl(db);
  log(`starting Backendify on :${PORT} with database ${db}`);
  let server = startServer(url);
  let ceiling = null;
  const cleanup = async () => {
    await stopProcess(server);
    await stopProcess(ceiling);
    await sql(baseUrl, `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch(() => undefined);
    await sql(baseUrl, `DROP DATABASE IF EXISTS ${cdb} WITH (FORCE)`).catch(() => undefined);
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

    const curl = dbUrl(cdb);
    await sql(
      curl,
      `CREATE TABLE items (id bigserial PRIMARY KEY, project_id text, title text, price int, status text, created timestamptz); CREATE INDEX ON items (price)`,
    );
    const cids = join(OUT, 'ceiling-ids.txt');
    run('bash', [PEERS, 'seed-sql', '--db-url', curl, '--table', 'items', '--ids-out', cids]);
    await sql(curl, 'VACUUM ANALYZE items');
    ceiling = spawn(
      process.execPath,
      ['--require', join(ROOT, 'scripts/bench-listen-port.cjs'), join(SHARED, 'lib/ceiling.mjs')],
      {
        cwd: join(ROOT, 'backend'),
        env: { ...process.env, DATABASE_URL: curl, BENCH_CEILING_PORT: String(CEILING_PORT) },
        stdio: 'inherit',
      },
    );
    await sleep(3000);
    const idleRss =
      Number(readFileSync(`/proc/${server.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]) / 1024;
    writeFileSync(join(OUT, 'ours-idle-rss.txt'), `${idleRss.toFixed(1)} MB\n`);
    log(`idle RSS after seeding: ${idleRss.toFixed(1)} MB`);

    if (flag('--serve')) {
      // Setup only: keep both servers up for manual runs until Ctrl-C.
      process.stdout.write(
        `${JSON.stringify({ ours: PORT, ceiling: CEILING_PORT, project: project.id, key, ids, cids })}\n`,
      );
      await new Promise((r) => process.once('SIGINT', r));
      return;
    }
    const ours = `http://127.0.0.1:${PORT}`;
    const oursList = `/api/projects/${project.id}/data/items${W2_PATH}`;
    for (let r = 1; r <= runs; r++) {
      // Ceiling and ours alternate inside each run, so both meet the same machine noise.
      peersPass(
        'ceiling',
        [
          '--target',
          'ours',
          '--label',
          'ceiling',
          '--base',
          `http://127.0.0.1:${CEILING_PORT}`,
          '--project',
          'p1',
          '--key',
          'k1',
          '--ids-file',
          cids,
          '--pid',
          String(ceiling.pid),
        ],
        join(OUT, `run${r}-ceiling`),
      );
      peersPass(
        'ours',
        [
          '--target',
          'ours',
          '--base',
          ours,
          '--project',
          project.id,
          '--key',
          key,
          '--ids-file',
          ids,
          '--pid',
          String(server.pid),
        ],
        join(OUT, `run${r}-ours`),
      );
      wrk('ours', 'W2f', ours, `${oursList}&count=false`, `X-API-Key: ${key}`);
      wrk('ours', 'W2e', ours, `${oursList}&count=estimated`, `X-API-Key: ${key}`);
    }
    await stopProcess(ceiling);
    ceiling = null;

    if (withProfile) {
      await stopProcess(server);
      await profile(url, project.id, key, ids);
      server = null;
    }

    if (withPeers) {
      await stopProcess(server);
      server = null;
      await peers();
    }
    printSummary(idleRss);
  } finally {
    await cleanup();
  }
}

/** One server under scripts/bench-profiler.cjs: a CPU profile per workload window; summary in profile.md. */
async function profile(url, projectId, key, ids) {
  const dir = join(OUT, 'profile');
  mkdirSync(dir, { recursive: true });
  const c = `/api/projects/${projectId}/data/items`;
  const ts = '"2026-06-01T12:00:00.000Z"';
  const workloads = [
    ['W1', 'GET', `${c}/{id}`, ''],
    ['W2', 'GET', `${c}${W2_PATH}`, ''],
    ['W2f', 'GET', `${c}${W2_PATH}&count=false`, ''],
    ['W2e', 'GET', `${c}${W2_PATH}&count=estimated`, ''],
    [
      'W4',
      'POST',
      c,
      `{"title":"bench-new {n}","price":{price},"status":"{status}","created":${ts}}`,
    ],
    ['W5', 'PATCH', `${c}/{id}`, '{"status":"{status}"}'],
  ];
  const parts = [
    `# CPU profile of the Backendify server, ${new Date().toISOString()}`,
    '',
    `One server, a V8 CPU profile per workload window (wrk ${CONNS} connections, ${profileSeconds} s after a ${warmup} s warm-up; startup not included).`,
    '',
  ];
  const child = startServer(url, ['--require', join(ROOT, 'scripts/bench-profiler.cjs')], {
    BENCH_PROFILE_DIR: dir,
  });
  try {
    await waitReady(`http://127.0.0.1:${PORT}/ready`);
    let n = 0;
    for (const [w, method, path, body] of workloads) {
      const env = {
        ...process.env,
        BENCH_METHOD: method,
        BENCH_PATH: path,
        BENCH_BODY: body,
        BENCH_HEADERS: `X-API-Key: ${key}`,
        BENCH_IDS: ids,
      };
      const wrkArgs = (s) => [
        '-t1',
        `-c${CONNS}`,
        `-d${s}s`,
        '--timeout',
        '10s',
        '-s',
        WORKLOAD_LUA,
      ];
      log(`profile ${w}: ${method} ${path}`);
      spawnSync('wrk', [...wrkArgs(warmup), `http://127.0.0.1:${PORT}`], { env });
      child.kill('SIGUSR2');
      const out = spawnSync('wrk', [...wrkArgs(profileSeconds), `http://127.0.0.1:${PORT}`], {
        env,
        encoding: 'utf8',
      });
      child.kill('SIGUSR2');
      n += 1;
      const file = join(dir, `${n}.cpuprofile`);
      for (let i = 0; i < 120 && !existsSync(join(dir, `${n}.done`)); i++) await sleep(250);
      if (!existsSync(file)) {
        log(`profile ${w}: no profile written`);
        continue;
      }
      const line = (out.stdout ?? '').split('\n').find((l) => l.startsWith('RESULT'));
      const rps = line ? Number(line.split('\t')[3]).toFixed(0) : '?';
      const s = summarise(JSON.parse(readFileSync(file, 'utf8')));
      parts.push(markdown(`${w} ${method} (${rps} req/s while profiled)`, s, 15));
    }
  } finally {
    await stopProcess(child);
  }
  writeFileSync(join(OUT, 'profile.md'), parts.join('\n'));
  log(`profile: ${join(OUT, 'profile.md')}`);
}

/** Directus, then Parse Server: W1–W5 by peers.sh, then W2 with its exact count, one at a time. */
async function peers() {
  const peer = {
    directus: {
      origin: 'http://127.0.0.1:8055',
      exact: '/items/items?filter%5Bprice%5D%5B_gte%5D={x}&sort=-price&limit=50&meta=filter_count',
      headers: 'Authorization: Bearer bench-admin-token',
    },
    parse: {
      origin: 'http://127.0.0.1:1337',
      exact:
        '/parse/classes/items?where=%7B%22price%22%3A%7B%22%24gte%22%3A{x}%7D%7D&order=-price&limit=50&count=1',
      headers: 'X-Parse-Application-Id: bench|X-Parse-Master-Key: bench-master-key',
    },
  };
  for (const [name, p] of Object.entries(peer)) {
    const dir = join(OUT, `peer-${name}`);
    mkdirSync(dir, { recursive: true });
    run('bash', [
      PEERS,
      '--target',
      name,
      '--keep-running',
      '--runs',
      String(runs),
      '--duration',
      duration,
      '--warmup',
      warmup,
      '--out',
      dir,
    ]);
    collectTsv(join(dir, 'results.tsv'), (t) => t);
    for (let r = 1; r <= runs; r++) wrk(name, 'W2x', p.origin, p.exact, p.headers);
    run('bash', [PEERS, 'stop', '--target', name]);
  }
}

function cell(list) {
  if (!list?.length) return '-';
  return list
    .map((r) => `${r.rps.toFixed(0)} (${r.p50.toFixed(1)}/${r.p99.toFixed(1)})`)
    .join(' · ');
}

function ratio(a, b) {
  if (!a?.length || !b?.length) return '-';
  return a
    .map((r, i) => ((b[i] ?? b[0]).rps > 0 ? (r.rps / (b[i] ?? b[0]).rps).toFixed(2) : '-'))
    .join(' · ');
}

function printSummary(idleRss) {
  const targets = ['ceiling', 'ours', ...(withPeers ? ['directus', 'parse'] : [])];
  const head = [
    'workload',
    ...targets.map((t) => `${t === 'ours' ? 'Backendify' : t} req/s (p50/p99 ms)`),
    'ours/ceiling',
    ...(withPeers ? ['ours/directus', 'ours/parse'] : []),
  ];
  const lines = [head];
  for (const row of ROWS) {
    const mine = results.ours?.[row.id];
    const of = (t) => {
      if (t === 'ours') return mine;
      if (t === 'ceiling') return results.ceiling?.[row.ceiling ?? row.id];
      // Peers: W2 without a total is their plain W2; with the exact total it is our extra pass.
      if (row.id === 'W2') return results[t]?.W2x;
      if (row.id === 'W2f') return results[t]?.W2;
      if (row.id === 'W2e') return undefined;
      return results[t]?.[row.id];
    };
    lines.push([
      row.label,
      ...targets.map((t) => cell(of(t))),
      ratio(mine, of('ceiling')),
      ...(withPeers ? [ratio(mine, of('directus')), ratio(mine, of('parse'))] : []),
    ]);
  }
  const md = [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...lines.slice(1).map((l) => `| ${l.join(' | ')} |`),
  ].join('\n');
  const errors = Object.entries(results).flatMap(([t, ws]) =>
    Object.entries(ws)
      .filter(([, list]) => list.some((r) => r.non2xx > 0))
      .map(([w, list]) => `${t} ${w}: ${list.map((r) => r.non2xx).join(' · ')} non-2xx/errors`),
  );
  const notes = [
    `${runs} run(s), each cell lists every run: req/s (p50/p99 ms); ratios are per run.`,
    'The ceiling has no total in W2: every W2 row is compared with its W2.',
    ...(withPeers
      ? [
          'Peers: W2 count=false is their plain W2, count=true is Directus meta=filter_count, Parse count=1.',
        ]
      : []),
    `ours idle RSS: ${idleRss.toFixed(1)} MB`,
    ...errors,
    `results: ${OUT}`,
  ];
  writeFileSync(join(OUT, 'summary.md'), `${md}\n\n${notes.join('\n')}\n`);
  writeFileSync(join(OUT, 'summary.json'), JSON.stringify(results, null, 2));
  const printed = spawnSync('column', ['-t', '-s', '\t'], {
    input: lines.map((l) => l.join('\t')).join('\n'),
    encoding: 'utf8',
  });
  process.stdout.write(`\n${printed.stdout}\n${notes.join('\n')}\n`);
}

for (const [name, script] of [
  ['--events', 'bench-events.mjs'],
  ['--audit', 'bench-audit.mjs'],
  ['--realtime', 'bench-realtime.mjs'],
  ['--workflows', 'bench-workflows.mjs'],
  ['--files', 'bench-files.mjs'],
  ['--views', 'bench-views.mjs'],
]) {
  if (!flag(name)) continue;
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'scripts', script), ...args.filter((a) => a !== name)],
    { stdio: 'inherit' },
  );
  process.exit(r.status ?? 1);
}

main().catch((err) => {
  log(err.stack ?? String(err));
  process.exit(1);
});
