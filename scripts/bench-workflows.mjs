#!/usr/bin/env node
// Workflows benchmark (issue 11.7), run by `pnpm bench --workflows` or `node scripts/bench-workflows.mjs`:
//  1. trigger → first step: records created at a fixed rate (default 100/s) start a two-step
//     record.created workflow; acknowledged write → first step started (and → run finished);
//  2. runs/s: N manual runs of a two-step workflow queued as fast as 32 connections allow, until
//     the last one finished;
//  3. a function (http trigger, two transform steps) against a plain data GET, closed loop,
//     alternating.
// Starts the built server (backend/dist) on a fresh database; traffic to 127.0.0.1 only, bounded.
//   node scripts/bench-workflows.mjs [--duration 10] [--rate 100] [--runs-count 2000] [--conns 32] [--port 3940]
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  closedLoop,
  f1,
  freshDatabase,
  httpClient,
  opts,
  pct,
  ROOT,
  setupItems,
  sql,
  startBackend,
} from './bench-http.mjs';

const opt = opts(process.argv.slice(2));
const DURATION = Number(opt('--duration', '10')) * 1000;
const RATE = Number(opt('--rate', '100'));
const RUNS_COUNT = Number(opt('--runs-count', '2000'));
const CONNS = Number(opt('--conns', '32'));
const PORT = Number(opt('--port', '3940'));
const log = (m) => console.error(`[bench-workflows] ${m}`);
const now = () => performance.timeOrigin + performance.now();
const client = httpClient(PORT, CONNS * 2);
const { call, api } = client;

const TWO_STEPS = [
  { action: 'transform', template: { id: '{{trigger.record.id}}', n: '{{input.n}}' } },
  { action: 'transform', template: { first: '{{steps.0.output}}', done: true } },
];

async function waitFor(what, fn, ms) {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

async function main() {
  if (!existsSync(join(ROOT, 'backend/dist/main.js')))
    throw new Error('backend/dist/main.js is missing: run `pnpm build` first');
  const db = await freshDatabase('bf_bench_workflows');
  let server;
  try {
    server = await startBackend({
      entry: join(ROOT, 'backend/dist/main.js'),
      port: PORT,
      url: db.url,
      env: { LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn' },
    });
    const { pid, auth, key, path } = await setupItems(client, 'bench-workflows@example.com');
    const wf = `/api/projects/${pid}/workflows`;
    const count = async (workflowId, status) =>
      (
        await sql(
          db.url,
          `SELECT count(*)::int AS n FROM backendify.workflow_runs WHERE workflow_id = '${workflowId}' AND status = '${status}'`,
        )
      )[0].n;

    // 1. trigger → first step
    const onCreate = await api(
      'POST',
      wf,
      {
        name: 'on create',
        trigger_type: 'record.created',
        trigger_config: { collection: 'items' },
        steps: TWO_STEPS,
      },
      auth,
    );
    log(`trigger latency: ${RATE} writes/s for ${DURATION / 1000} s`);
    const acked = new Map();
    const interval = 1000 / RATE;
    const t0 = performance.now();
    const pending = [];
    let sent = 0;
    while (performance.now() - t0 < DURATION) {
      const wait = t0 + sent * interval - performance.now();
      if (wait > 1) await sleep(wait);
      sent++;
      pending.push(
        call('POST', path, { title: `wf-${sent}`, price: 1 }, { 'x-api-key': key }).then((r) => {
          if (r.status === 201) acked.set(String(r.body.id), now());
        }),
      );
    }
    await Promise.all(pending);
    await waitFor(
      'triggered runs',
      async () => (await count(onCreate.id, 'completed')) >= acked.size,
      120_000,
    );
    const rows = await sql(
      db.url,
      `SELECT r.trigger->'record'->>'id' AS rid,
              extract(epoch FROM s.started_at) * 1000 AS started,
              extract(epoch FROM r.finished_at) * 1000 AS finished
         FROM backendify.workflow_runs r
         JOIN backendify.workflow_steps s ON s.run_id = r.id AND s.step_index = 0
        WHERE r.workflow_id = '${onCreate.id}'`,
    );
    const toStart = [];
    const toFinish = [];
    for (const r of rows) {
      const at = acked.get(r.rid);
      if (at === undefined) continue;
      toStart.push(Number(r.started) - at);
      toFinish.push(Number(r.finished) - at);
    }
    await api('PATCH', `${wf}/${onCreate.id}`, { is_active: false }, auth);

    // 2. runs/s
    const manual = await api(
      'POST',
      wf,
      { name: 'manual', trigger_type: 'manual', steps: TWO_STEPS },
      auth,
    );
    log(`runs/s: ${RUNS_COUNT} manual runs`);
    const r0 = performance.now();
    let queued = 0;
    await Promise.all(
      Array.from({ length: CONNS }, async () => {
        while (queued < RUNS_COUNT) {
          const n = queued++;
          await api('POST', `${wf}/${manual.id}/run`, { input: { n } }, auth);
        }
      }),
    );
    const queuedMs = performance.now() - r0;
    await waitFor(
      'manual runs',
      async () => (await count(manual.id, 'completed')) >= RUNS_COUNT,
      300_000,
    );
    const allMs = performance.now() - r0;

    // 3. a function against a plain GET
    await api(
      'POST',
      wf,
      {
        name: 'echo',
        trigger_type: 'http',
        trigger_config: { slug: 'echo', allowed_principals: ['api_key'] },
        steps: TWO_STEPS,
      },
      auth,
    );
    const [{ id: someId }] = await sql(
      db.url,
      `SELECT id FROM ${`p_${pid.replace(/-/g, '_')}`}.items ORDER BY id LIMIT 1`,
    );
    const fnPath = `/api/projects/${pid}/functions/echo`;
    const getPath = `${path}/${someId}`;
    const loops = [];
    for (let r = 0; r < 2; r++) {
      const fn = await closedLoop(client, {
        ms: DURATION,
        conns: 8,
        key,
        okStatus: 200,
        next: (n) => ({ method: 'POST', path: fnPath, body: { n } }),
      });
      const get = await closedLoop(client, {
        ms: DURATION,
        conns: 8,
        key,
        okStatus: 200,
        next: () => ({ method: 'GET', path: getPath }),
      });
      loops.push({ fn, get });
      log(`run ${r + 1}: function ${f1(fn.rps)} req/s, GET ${f1(get.rps)} req/s`);
    }

    console.log(
      `\ntrigger → first step at ${RATE} writes/s: n=${toStart.length} of ${acked.size} acked, ` +
        `p50=${f1(pct(toStart, 50))} ms p99=${f1(pct(toStart, 99))} ms; → run finished p50=${f1(pct(toFinish, 50))} ms p99=${f1(pct(toFinish, 99))} ms`,
    );
    console.log(
      `two-step runs: ${RUNS_COUNT} queued in ${f1(queuedMs / 1000)} s, all finished after ${f1(allMs / 1000)} s → ${f1(RUNS_COUNT / (allMs / 1000))} runs/s`,
    );
    console.log('\n| run | function (2 steps) req/s (p50/p99 ms) | data GET req/s (p50/p99 ms) |');
    console.log('| --- | --- | --- |');
    loops.forEach(({ fn, get }, i) =>
      console.log(
        `| ${i + 1} | ${f1(fn.rps)} (${f1(fn.p50)}/${f1(fn.p99)}) | ${f1(get.rps)} (${f1(get.p50)}/${f1(get.p99)}) |`,
      ),
    );
  } finally {
    await server?.stop();
    await client.close();
    await db.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
