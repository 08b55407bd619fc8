#!/usr/bin/env node
// Realtime benchmark (issue 12.7), run by `pnpm bench --realtime` or `node scripts/bench-realtime.mjs`:
//  1. fan-out: SUBS subscribers on one collection (half app users under an owner policy, half a
//     member admin who sees every row), RATE writes/s for DURATION s → delivery latency from
//     commit (receipt − the row's created_at) p50/p99, events lost or duplicated, server RSS;
//  2. ramp: the highest write rate (of --ramp) whose p99 stays under 150 ms;
//  3. IDLE idle sockets → server RSS per socket;
//  4. the same fan-out and ramp against a bare `ws` server sending the same messages to the same
//     sockets (no database, no policies: the ceiling of the socket layer on this machine).
// Starts the built server (backend/dist) on a fresh database at BENCH_DATABASE_URL, DATABASE_URL or
// postgres://postgres@127.0.0.1:5432/postgres. All traffic goes to 127.0.0.1; every phase is bounded.
//   node scripts/bench-realtime.mjs [--subs 1000] [--rate 50] [--duration 30] [--idle 10000]
//     [--ramp 25,50,100,200,400] [--ramp-duration 10] [--port 3920] [--users 50] [--profile DIR]
// --profile DIR: a V8 CPU profile of the server over the fan-out window → DIR/realtime-profile.md.
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { markdown, summarise } from './cpu-profile-summary.mjs';
import { f1, freshDatabase, httpClient, opts, ROOT, startBackend } from './bench-http.mjs';

const opt = opts(process.argv.slice(2));
const SUBS = Number(opt('--subs', '1000'));
const RATE = Number(opt('--rate', '50'));
const DURATION = Number(opt('--duration', '30')) * 1000;
const IDLE = Number(opt('--idle', '10000'));
const RAMP = opt('--ramp', '25,50,100,200,400').split(',').map(Number).filter(Boolean);
const RAMP_MS = Number(opt('--ramp-duration', '10')) * 1000;
const PORT = Number(opt('--port', '3920'));
const USERS = Number(opt('--users', '50'));
const PROFILE_DIR = opt('--profile', null);
const P99_TARGET_MS = 150;
const log = (m) => console.error(`[bench-realtime] ${m}`);
const require = createRequire(join(ROOT, 'backend/package.json'));

/** One process with many WebSocket clients: receives, timestamps and checks every event. */
const ROLE = process.env.BENCH_REALTIME_ROLE;

function rssMb(pid) {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

// ---------------------------------------------------------------- subscriber process

async function subscriberMain() {
  const WebSocket = require('ws');
  const sockets = [];
  let samples = new Float64Array(1 << 20);
  let n = 0;
  const push = (v) => {
    if (n === samples.length) {
      const next = new Float64Array(samples.length * 2);
      next.set(samples);
      samples = next;
    }
    samples[n++] = v;
  };
  const now = () => performance.timeOrigin + performance.now();
  const timeline = {};
  function open(url, sub, group) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false });
      const s = { ws, group, seen: new Uint8Array(0), got: 0, dups: 0, ready: false };
      ws.on('error', reject);
      ws.on('open', () => {
        if (!sub) {
          s.ready = true;
          resolve(s);
        } else ws.send(JSON.stringify(sub));
      });
      ws.on('message', (data) => {
        const m = JSON.parse(data);
        if (m.type === 'subscribed') {
          s.ready = true;
          return resolve(s);
        }
        if (m.type === 'error') return reject(new Error(`${m.code}: ${m.detail}`));
        if (!m.record) return;
        const at = now();
        const lat = at - Date.parse(m.record.created_at);
        push(lat);
        if (process.env.BENCH_REALTIME_TIMELINE) {
          const sec = Math.floor(at / 1000);
          const b = (timeline[sec] ??= [0, 0]);
          b[0]++;
          b[1] = Math.max(b[1], lat);
        }
        const seq = m.record.price;
        if (seq >= s.seen.length) {
          const grown = new Uint8Array(Math.max(seq + 1, s.seen.length * 2, 1024));
          grown.set(s.seen);
          s.seen = grown;
        }
        if (s.seen[seq]) s.dups++;
        s.seen[seq] = 1;
        s.got++;
      });
      ws.on('close', () => (s.closed = true));
      sockets.push(s);
    });
  }
  process.on('message', async (msg) => {
    try {
      if (msg.cmd === 'open') {
        // A bounded number of handshakes at a time.
        const todo = [...msg.sockets];
        const workers = Array.from({ length: 100 }, async () => {
          for (let x = todo.shift(); x; x = todo.shift()) await open(x.url, x.subscribe, x.group);
        });
        await Promise.all(workers);
        process.send({ ok: true, open: sockets.length });
      } else if (msg.cmd === 'reset') {
        n = 0;
        for (const s of sockets) {
          s.seen = new Uint8Array(0);
          s.got = 0;
          s.dups = 0;
        }
        process.send({ ok: true });
      } else if (msg.cmd === 'report') {
        // expected: seq → writer group; a socket of group 'all' expects every seq.
        const writers = msg.writers;
        let lost = 0;
        let dups = 0;
        let leaked = 0;
        let closed = 0;
        for (const s of sockets) {
          if (s.closed) closed++;
          dups += s.dups;
          for (let seq = 0; seq < writers.length; seq++) {
            const w = writers[seq];
            if (w === null) continue;
            const mine = s.group === 'all' || s.group === w;
            const got = seq < s.seen.length && s.seen[seq] === 1;
            if (mine && !got) lost++;
            if (!mine && got) leaked++;
          }
        }
        if (process.env.BENCH_REALTIME_TIMELINE) {
          for (const [sec, [count, max]] of Object.entries(timeline))
            console.error(`  t=${sec % 1000} events=${count} max_latency=${max.toFixed(0)} ms`);
          for (const k of Object.keys(timeline)) delete timeline[k];
        }
        const sorted = Float64Array.from(samples.subarray(0, n)).sort();
        process.send({
          ok: true,
          received: n,
          lost,
          dups,
          leaked,
          closed,
          p50: percentile(sorted, 50),
          p99: percentile(sorted, 99),
          max: sorted.length ? sorted[sorted.length - 1] : NaN,
        });
      } else if (msg.cmd === 'count') {
        process.send({ ok: true, received: n });
      } else if (msg.cmd === 'close') {
        for (const s of sockets) s.ws.terminate();
        sockets.length = 0;
        process.send({ ok: true });
      }
    } catch (err) {
      process.send({ ok: false, error: String(err?.stack ?? err) });
    }
  });
  process.send({ ok: true, started: true });
}

// ---------------------------------------------------------------- bare ws server (baseline)

function bareServerMain() {
  const { WebSocketServer } = require('ws');
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  let seq = 0;
  wss.on('listening', () => process.send({ ok: true, port: wss.address().port }));
  // Each client says its place (?i=), so the same sockets get the same messages as from ours.
  const index = new Map();
  wss.on('connection', (ws, req) => {
    index.set(ws, Number(new URL(req.url, 'http://x').searchParams.get('i')));
    ws.on('close', () => index.delete(ws));
  });
  const iso = () => new Date().toISOString();
  process.on('message', async (msg) => {
    if (msg.cmd !== 'run') return;
    seq = 0;
    const interval = 1000 / msg.rate;
    const t0 = performance.now();
    let sent = 0;
    while (performance.now() - t0 < msg.ms) {
      const wait = t0 + sent * interval - performance.now();
      if (wait > 1) await sleep(wait);
      sent++;
      const at = iso();
      // The same message our server sends: one string per subscriber, the event built once.
      const tail = `,${JSON.stringify({
        event_id: String(seq + 1),
        collection: 'items',
        record: {
          id: seq + 1,
          created_at: at,
          updated_at: at,
          created_by_user_id: null,
          created_by_app_user_id: null,
          title: `rt-${seq}`,
          price: seq,
        },
      }).slice(1)}`;
      seq++;
      // The same deliveries as ours: every even socket (the admin half) and the odd sockets of
      // the one app user (of msg.users) who wrote this row.
      const frame = Buffer.from(`{"type":"record.created","subscription":"s"${tail}`);
      for (const c of wss.clients) {
        const i = index.get(c);
        if (i % 2 === 0 || (i >> 1) % msg.users === (seq - 1) % msg.users)
          c.send(frame, { binary: false });
      }
    }
    process.send({ ok: true, sent });
  });
}

// ---------------------------------------------------------------- coordinator

function child(role) {
  const c = fork(new URL(import.meta.url).pathname, [], {
    env: { ...process.env, BENCH_REALTIME_ROLE: role },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = [];
  c.on('message', (m) => waiting.shift()?.(m));
  const ask = (msg) =>
    new Promise((resolve, reject) => {
      waiting.push((m) => (m.ok ? resolve(m) : reject(new Error(m.error))));
      if (msg) c.send(msg);
    });
  const started = ask(null);
  return { proc: c, ask, started, stop: () => c.kill() };
}

const show = (label, r) =>
  log(
    `${label}: ${f1(r.achieved)} writes/s, ${r.writes} writes, ${r.received} events (${f1(r.received / ((r.ms ?? DURATION) / 1000))}/s) ` +
      `p50=${f1(r.p50)} ms p99=${f1(r.p99)} ms max=${f1(r.max)} ms lost=${r.lost} dup=${r.dups} leaked=${r.leaked} closed=${r.closed} rss=${f1(r.rss)} MB`,
  );

async function main() {
  if (!existsSync(join(ROOT, 'backend/dist/main.js')))
    throw new Error('backend/dist/main.js is missing: run `pnpm build` first');
  const db = await freshDatabase('bf_bench_realtime');
  const http = httpClient(PORT, 64);
  const { api, call } = http;
  let server;
  const subs = child('subscriber');
  await subs.started;
  // Until nothing more arrives for 2 s (at most 60 s): what is missing then is lost.
  const drained = async () => {
    let last = -1;
    for (let i = 0; i < 30; i++) {
      await sleep(2000);
      const { received } = await subs.ask({ cmd: 'count' });
      if (received === last) return;
      last = received;
    }
  };
  const results = {};
  try {
    server = await startBackend({
      entry: join(ROOT, 'backend/dist/main.js'),
      port: PORT,
      url: db.url,
      env: {
        REALTIME_MAX_SOCKETS: String(Math.max(IDLE, SUBS) + 1000),
        ...(PROFILE_DIR
          ? {
              NODE_OPTIONS: `--require ${join(ROOT, 'scripts/bench-profiler.cjs')}`,
              BENCH_PROFILE_DIR: PROFILE_DIR,
            }
          : {}),
      },
    });
    const rss0 = rssMb(server.pid);
    // Admin, project, `items` under an owner policy for app users, app users.
    const { access_token: token } = await api('POST', '/api/auth/register', {
      email: 'bench-realtime@example.com',
      password: 'bench-password',
    });
    const auth = { authorization: `Bearer ${token}` };
    const pid = (await api('POST', '/api/projects', { name: 'bench realtime' }, auth)).id;
    const base = `/api/projects/${pid}/schema/collections`;
    for (const c of ['items', 'idle']) {
      await api('POST', base, { name: c, display_name: c }, auth);
      await api(
        'POST',
        `${base}/${c}/fields`,
        { name: 'title', display_name: 'title', field_type: 'text' },
        auth,
      );
      await api(
        'POST',
        `${base}/${c}/fields`,
        { name: 'price', display_name: 'price', field_type: 'int' },
        auth,
      );
    }
    const own = { created_by_app_user_id: '$current_app_user_id' };
    for (const action of ['create', 'read', 'list'])
      await api(
        'POST',
        `${base}/items/policies`,
        { name: `own ${action}`, action, allowed_principals: 'app_user', condition: own },
        auth,
      );
    const { api_key: key } = await api(
      'POST',
      `/api/projects/${pid}/api-keys`,
      { name: 'bench' },
      auth,
    );
    log(`registering ${USERS} app users`);
    const users = [];
    for (let i = 0; i < USERS; i++) {
      const r = await api('POST', `/api/projects/${pid}/auth/register`, {
        email: `rt-user-${i}@example.com`,
        password: 'bench-password-1',
      });
      users.push({ token: r.access_token, group: `u${i}` });
    }
    const ws = `ws://127.0.0.1:${PORT}/api/realtime?project=${pid}`;
    const subscribe = { type: 'subscribe', id: 's', collection: 'items' };
    const sockets = Array.from({ length: SUBS }, (_, i) =>
      i % 2 === 0
        ? { url: `${ws}&token=${token}`, subscribe, group: 'all' }
        : {
            url: `${ws}&token=${users[(i >> 1) % USERS].token}`,
            subscribe,
            group: users[(i >> 1) % USERS].group,
          },
    );
    // Idle sockets first, on a server that has not yet allocated for a fan-out.
    await sleep(2000);
    log(`opening ${IDLE} idle sockets`);
    const before = rssMb(server.pid);
    const idleSub = { type: 'subscribe', id: 'i', collection: 'idle' };
    await subs.ask({
      cmd: 'open',
      sockets: Array.from({ length: IDLE }, () => ({
        url: `${ws}&api_key=${key}`,
        subscribe: idleSub,
        group: 'idle',
      })),
    });
    await sleep(3000);
    const after = rssMb(server.pid);
    results.idle = {
      sockets: IDLE,
      rssBefore: before,
      rssAfter: after,
      perSocketKb: ((after - before) * 1024) / IDLE,
      rssStart: rss0,
    };
    log(
      `idle: ${IDLE} sockets, RSS ${f1(before)} → ${f1(after)} MB = ${f1(results.idle.perSocketKb)} KB per socket`,
    );
    await subs.ask({ cmd: 'close' });
    await sleep(1500);
    log(`opening ${SUBS} subscribers (half under the owner policy)`);
    await subs.ask({ cmd: 'open', sockets });

    // One write every 1000/rate ms (open loop), round-robin over the app users; price = sequence.
    let seq = 0;
    const fanOut = async (rate, ms) => {
      await subs.ask({ cmd: 'reset' });
      const writers = [];
      const pending = [];
      const interval = 1000 / rate;
      const t0 = performance.now();
      let sent = 0;
      let peak = 0;
      const first = seq;
      while (performance.now() - t0 < ms) {
        const wait = t0 + sent * interval - performance.now();
        if (wait > 1) await sleep(wait);
        sent++;
        const s = seq++;
        const u = users[s % USERS];
        writers[s - first] = null;
        pending.push(
          call(
            'POST',
            `/api/projects/${pid}/data/items`,
            { title: `rt-${s}`, price: s - first },
            { authorization: `Bearer ${u.token}` },
          ).then((r) => {
            if (r.status === 201) writers[s - first] = u.group;
          }),
        );
        if (sent % 50 === 0) peak = Math.max(peak, rssMb(server.pid));
      }
      await Promise.all(pending);
      const achieved = sent / ((performance.now() - t0) / 1000);
      await drained();
      peak = Math.max(peak, rssMb(server.pid));
      const r = await subs.ask({ cmd: 'report', writers });
      return { rate, achieved, writes: writers.filter((w) => w !== null).length, rss: peak, ...r };
    };
    log('warm-up 3 s');
    await fanOut(RATE, 3000);
    if (PROFILE_DIR) {
      mkdirSync(PROFILE_DIR, { recursive: true });
      process.kill(server.pid, 'SIGUSR2');
    }
    results.fanout = await fanOut(RATE, DURATION);
    if (PROFILE_DIR) {
      process.kill(server.pid, 'SIGUSR2');
      const done = join(PROFILE_DIR, '1.done');
      for (let i = 0; i < 100 && !existsSync(done); i++) await sleep(100);
      const profile = JSON.parse(readFileSync(join(PROFILE_DIR, '1.cpuprofile'), 'utf8'));
      const md = markdown(
        `realtime fan-out, ${SUBS} subscribers at ${RATE} writes/s`,
        summarise(profile),
        25,
      );
      writeFileSync(join(PROFILE_DIR, 'realtime-profile.md'), md);
      log(`profile: ${join(PROFILE_DIR, 'realtime-profile.md')}`);
    }
    show(`fan-out ${SUBS} subscribers`, results.fanout);
    results.ramp = [];
    for (const rate of RAMP) {
      const r = await fanOut(rate, RAMP_MS);
      r.ms = RAMP_MS;
      show(`ramp ${rate}/s`, r);
      results.ramp.push(r);
      if (!(r.p99 < P99_TARGET_MS) || r.lost > 0) break;
    }
    await subs.ask({ cmd: 'close' });
    await sleep(1500);
  } finally {
    await server?.stop();
    await http.close();
    await db.drop();
  }

  // Baseline: a bare ws server broadcasting the same messages to the same number of sockets.
  const bare = child('bare');
  const { port } = await bare.started;
  try {
    await subs.ask({
      cmd: 'open',
      sockets: Array.from({ length: SUBS }, (_, i) => ({
        url: `ws://127.0.0.1:${port}/?i=${i}`,
        subscribe: null,
        group: i % 2 === 0 ? 'all' : `u${(i >> 1) % USERS}`,
      })),
    });
    const bareRun = async (rate, ms) => {
      await subs.ask({ cmd: 'reset' });
      const { sent } = await bare.ask({ cmd: 'run', rate, ms, users: USERS });
      await drained();
      const r = await subs.ask({
        cmd: 'report',
        writers: Array.from({ length: sent }, (_, k) => `u${k % USERS}`),
      });
      return {
        rate,
        achieved: sent / (ms / 1000),
        writes: sent,
        rss: rssMb(bare.proc.pid),
        ms,
        ...r,
      };
    };
    results.bare = await bareRun(RATE, DURATION);
    show(`bare ws fan-out ${SUBS} sockets`, results.bare);
    results.bareRamp = [];
    for (const rate of RAMP) {
      const r = await bareRun(rate, RAMP_MS);
      show(`bare ws ramp ${rate}/s`, r);
      results.bareRamp.push(r);
      if (!(r.p99 < P99_TARGET_MS) || r.lost > 0) break;
    }
  } finally {
    bare.stop();
    subs.stop();
  }

  const best = (rows) =>
    rows.filter((r) => r.p99 < P99_TARGET_MS && r.lost === 0).at(-1)?.rate ?? 0;
  const line = (name, r) =>
    `| ${name} | ${f1(r.achieved)} | ${r.received} | ${f1(r.p50)} | ${f1(r.p99)} | ${f1(r.max)} | ${r.lost} | ${r.dups} | ${f1(r.rss)} |`;
  console.log(
    `\n| ${SUBS} subscribers, ${DURATION / 1000} s | writes/s | events delivered | p50 ms | p99 ms | max ms | lost | duplicates | RSS MB |`,
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  console.log(line('Backendify (half owner policy)', results.fanout));
  console.log(line('bare ws broadcast', results.bare));
  console.log(
    `\nhighest write rate with p99 < ${P99_TARGET_MS} ms (of ${RAMP.join(', ')}/s, ${RAMP_MS / 1000} s each): ` +
      `Backendify ${best(results.ramp)}/s, bare ws ${best(results.bareRamp)}/s`,
  );
  console.log(
    `owner-policy leaks (events to a user who may not read the row): ${results.fanout.leaked + results.ramp.reduce((n, r) => n + r.leaked, 0)}`,
  );
  console.log(
    `idle: ${IDLE} sockets, server RSS ${f1(results.idle.rssBefore)} → ${f1(results.idle.rssAfter)} MB: ${f1(results.idle.perSocketKb)} KB per socket`,
  );
}

if (ROLE === 'subscriber') await subscriberMain();
else if (ROLE === 'bare') bareServerMain();
else
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
