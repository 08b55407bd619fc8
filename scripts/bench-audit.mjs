#!/usr/bin/env node
// Audit write overhead (issue 10.7), run by `pnpm bench --audit` or `node scripts/bench-audit.mjs`:
// W4 (create) and W5 (update) against the current build and a baseline build from before the
// change log existed, both servers up at once on their own fresh databases, measured in
// alternation (A B, then B A) so both see the same machine load. The baseline is built once
// into a cached git worktree under the OS temp folder.
//   node scripts/bench-audit.mjs [--baseline <git ref>] [--current <git ref>] [--duration 10] [--runs 2]
//                                [--conns 32] [--port 3920]
// Default baseline: ba82fec^1, the last commit on main before the change log (ba82fec merged it).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  closedLoop,
  f1,
  freshDatabase,
  httpClient,
  opts,
  ROOT,
  setupItems,
  sql,
  startBackend,
} from './bench-http.mjs';

const opt = opts(process.argv.slice(2));
const BASELINE = opt('--baseline', 'ba82fec^1');
// Instead of this checkout's build, another ref's (e.g. --current ba82fec: the change log alone).
const CURRENT = opt('--current', null);
const DURATION = Number(opt('--duration', '10')) * 1000;
const RUNS = Number(opt('--runs', '2'));
const CONNS = Number(opt('--conns', '32'));
const PORT = Number(opt('--port', '3920'));
const SEED = 5000;
const log = (m) => console.error(`[bench-audit] ${m}`);
const run = (cmd, args, cwd) =>
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });

/** A ref's built server: a detached worktree of it, installed and built once. */
function builtEntry(ref) {
  const sha = execFileSync('git', ['rev-parse', '--short', ref], { cwd: ROOT }).toString().trim();
  const dir = join(tmpdir(), `bf-bench-baseline-${sha}`);
  const entry = join(dir, 'backend/dist/main.js');
  if (existsSync(entry)) return { sha, entry };
  log(`building ${ref} (${sha}) in ${dir}`);
  if (!existsSync(dir)) run('git', ['worktree', 'add', '--detach', dir, sha], ROOT);
  run('npx', ['-y', 'pnpm@10', 'install', '--frozen-lockfile', '--prefer-offline'], dir);
  run('npx', ['-y', 'pnpm@10', '--filter', '@backendify/backend', 'build'], dir);
  return { sha, entry };
}

async function main() {
  const current = CURRENT ? builtEntry(CURRENT).entry : join(ROOT, 'backend/dist/main.js');
  if (!existsSync(current))
    throw new Error('backend/dist/main.js is missing: run `pnpm build` first');
  const base = builtEntry(BASELINE);
  const servers = [
    { name: `baseline ${base.sha}`, entry: base.entry, port: PORT },
    { name: CURRENT ?? 'current', entry: current, port: PORT + 1 },
  ];
  try {
    for (const s of servers) {
      s.db = await freshDatabase('bf_bench_audit');
      s.proc = await startBackend({ entry: s.entry, port: s.port, url: s.db.url });
      s.client = httpClient(s.port, CONNS * 2);
      s.setup = await setupItems(s.client, `bench-audit-${s.port}@example.com`);
      // Rows for W5 to update (ids 1..SEED), which also warms the create path up.
      let made = 0;
      await Promise.all(
        Array.from({ length: CONNS }, async () => {
          while (made < SEED) {
            const n = made++;
            await s.client.api(
              'POST',
              s.setup.path,
              { title: `seed-${n}`, price: n },
              { 'x-api-key': s.setup.key },
            );
          }
        }),
      );
      log(`${s.name} ready on ${s.port}`);
    }
    const workloads = {
      W4: (s) => (n) => ({
        method: 'POST',
        path: s.setup.path,
        body: { title: `w4-${n}`, price: n % 1000 },
      }),
      W5: (s) => (n) => ({
        method: 'PATCH',
        path: `${s.setup.path}/${1 + ((n * 7919) % SEED)}`,
        body: { price: n % 1000 },
      }),
    };
    const ok = { W4: 201, W5: 200 };
    const results = { W4: [[], []], W5: [[], []] };
    for (let r = 0; r < RUNS; r++) {
      for (const w of ['W4', 'W5']) {
        const order = r % 2 === 0 ? [0, 1] : [1, 0];
        for (const i of order) {
          const s = servers[i];
          const res = await closedLoop(s.client, {
            ms: DURATION,
            conns: CONNS,
            key: s.setup.key,
            okStatus: ok[w],
            next: workloads[w](s),
          });
          results[w][i].push(res);
          log(`run ${r + 1} ${w} ${s.name}: ${f1(res.rps)} req/s (errors ${res.errors})`);
        }
      }
    }
    const [events] = await sql(
      servers[1].db.url,
      'SELECT count(*)::int AS n FROM backendify.change_events',
    );
    console.log(
      `\n| workload | run | ${servers[0].name} req/s (p50/p99 ms) | current req/s (p50/p99 ms) | current/baseline |`,
    );
    console.log('| --- | --- | --- | --- | --- |');
    for (const w of ['W4', 'W5'])
      for (let r = 0; r < RUNS; r++) {
        const [a, b] = [results[w][0][r], results[w][1][r]];
        console.log(
          `| ${w} | ${r + 1} | ${f1(a.rps)} (${f1(a.p50)}/${f1(a.p99)}) | ${f1(b.rps)} (${f1(b.p50)}/${f1(b.p99)}) | ${(b.rps / a.rps).toFixed(2)} |`,
        );
      }
    console.log(`\nchange_events rows written by the current server: ${events.n}`);
  } finally {
    for (const s of servers) {
      await s.proc?.stop();
      await s.client?.close();
      await s.db?.drop();
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
