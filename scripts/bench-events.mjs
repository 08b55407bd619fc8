#!/usr/bin/env node
// Events benchmark (issue 10.7), run by `pnpm bench --events` or `node scripts/bench-events.mjs`:
//  1. W4 (create) with and without one active webhook, alternating, same run;
//  2. commit-to-first-delivery latency (acknowledged write → the sink receives it) at a fixed
//     rate (default 500 writes/s) to a local sink.
// Starts the built server (backend/dist) on a fresh database at BENCH_DATABASE_URL, DATABASE_URL
// or postgres://postgres@127.0.0.1:5432/postgres. Traffic goes to 127.0.0.1 only, bounded in time.
//   node scripts/bench-events.mjs [--duration 10] [--rate 500] [--conns 32] [--port 3910] [--runs 2]
import { spawn } from 'node:child_process';
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
const RATE = Number(opt('--rate', '500'));
const CONNS = Number(opt('--conns', '32'));
const PORT = Number(opt('--port', '3910'));
const RUNS = Number(opt('--runs', '2'));
const log = (m) => console.error(`[bench-events] ${m}`);
const client = httpClient(PORT, CONNS * 2);
const { call, api } = client;

const now = () => performance.timeOrigin + performance.now();

// The receiver runs in its own process so it does not slow the load generator's event loop.
const SINK_CODE = `
import { createServer } from 'node:http';
const seen = [];
let requests = 0;
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    requests++;
    const at = performance.timeOrigin + performance.now();
    try { seen.push([String(JSON.parse(Buffer.concat(chunks).toString()).record_id), at]); } catch {}
    res.writeHead(204).end();
  });
});
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
setInterval(() => { if (seen.length) process.send({ seen: seen.splice(0), requests }); else process.send({ requests }); }, 100);
process.on('disconnect', () => process.exit(0));
`;

/** A local webhook receiver in a child process: records when each record id first arrives. */
function startSink() {
  const firstSeen = new Map();
  let requests = 0;
  const child = spawn(process.execPath, ['--input-type=module', '-e', SINK_CODE], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve) => {
    child.on('message', (m) => {
      if (m.requests !== undefined) requests = m.requests;
      for (const [id, at] of m.seen ?? []) if (!firstSeen.has(id)) firstSeen.set(id, at);
      if (m.port)
        resolve({
          firstSeen,
          url: `http://127.0.0.1:${m.port}/hook`,
          requests: () => requests,
          stop: () => child.kill(),
        });
    });
  });
}

/** Closed-loop W4: CONNS workers creating records for `ms`. */
const w4 = (path, key, ms) =>
  closedLoop(client, {
    ms,
    conns: CONNS,
    key,
    okStatus: 201,
    next: (n) => ({ method: 'POST', path, body: { title: `w4-${n}`, price: n % 1000 } }),
  });

async function main() {
  if (!existsSync(join(ROOT, 'backend/dist/main.js')))
    throw new Error('backend/dist/main.js is missing: run `pnpm build` first');
  const db = await freshDatabase('bf_bench_events');
  const url = db.url;
  const sink = await startSink();
  let server;
  try {
    server = await startBackend({
      entry: join(ROOT, 'backend/dist/main.js'),
      port: PORT,
      url,
      env: { WEBHOOK_ALLOW_PRIVATE: 'true' },
    });
    const { pid, auth, key, path } = await setupItems(client, 'bench-events@example.com');
    const hook = await api(
      'POST',
      `/api/projects/${pid}/webhooks`,
      { name: 'sink', url: sink.url, events: ['record.created'], is_active: false },
      auth,
    );
    const setHook = (on) =>
      api('PATCH', `/api/projects/${pid}/webhooks/${hook.id}`, { is_active: on }, auth);

    log('warm-up 3 s');
    await w4(path, key, 3000);
    const rows = [];
    for (let r = 0; r < RUNS; r++) {
      await setHook(false);
      const off = await w4(path, key, DURATION);
      await setHook(true);
      const on = await w4(path, key, DURATION);
      // Let the queued deliveries drain before the next pair.
      const drainUntil = Date.now() + 60_000;
      while (Date.now() < drainUntil) {
        const [p] = await sql(
          url,
          `SELECT count(*)::int AS n FROM backendify.webhook_deliveries WHERE status = 'pending'`,
        );
        if (p.n === 0) break;
        await sleep(500);
      }
      rows.push({ off, on });
      log(`run ${r + 1}: W4 without ${f1(off.rps)} req/s, with webhook ${f1(on.rps)} req/s`);
    }

    // Commit-to-first-delivery at a fixed rate: one write every 1000/RATE ms, open loop.
    await setHook(true);
    sink.firstSeen.clear();
    const acked = new Map();
    const interval = 1000 / RATE;
    const t0 = performance.now();
    const pending = [];
    let sent = 0;
    log(`latency: ${RATE} writes/s for ${DURATION / 1000} s`);
    while (performance.now() - t0 < DURATION) {
      const due = t0 + sent * interval;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      sent++;
      pending.push(
        call('POST', path, { title: `lat-${sent}`, price: 1 }, { 'x-api-key': key }).then((res) => {
          if (res.status === 201) acked.set(String(res.body.id), now());
        }),
      );
    }
    await Promise.all(pending);
    const achieved = sent / ((performance.now() - t0) / 1000);
    const until = Date.now() + 120_000;
    while ([...acked.keys()].some((id) => !sink.firstSeen.has(id)) && Date.now() < until)
      await sleep(200);
    const lat = [...acked]
      .filter(([id]) => sink.firstSeen.has(id))
      .map(([id, at]) => sink.firstSeen.get(id) - at);
    const missing = [...acked.keys()].filter((id) => !sink.firstSeen.has(id)).length;

    console.log(
      '\n| run | W4 no webhook req/s (p50/p99 ms) | W4 one webhook req/s (p50/p99 ms) | with/without |',
    );
    console.log('| --- | --- | --- | --- |');
    rows.forEach(({ off, on }, i) =>
      console.log(
        `| ${i + 1} | ${f1(off.rps)} (${f1(off.p50)}/${f1(off.p99)}) | ${f1(on.rps)} (${f1(on.p50)}/${f1(on.p99)}) | ${(on.rps / off.rps).toFixed(2)} |`,
      ),
    );
    console.log(
      `\nack → first delivery at ${f1(achieved)} writes/s (target ${RATE}): n=${lat.length} p50=${f1(pct(lat, 50))} ms ` +
        `p99=${f1(pct(lat, 99))} ms max=${f1(Math.max(...lat))} ms undelivered=${missing} sink_requests=${sink.requests()}`,
    );
  } finally {
    await server?.stop();
    sink.stop();
    await client.close();
    await db.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
