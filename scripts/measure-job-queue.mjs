#!/usr/bin/env node
// Commit-to-first-attempt latency of the two Postgres job queues DESIGN §4 allows (pg-boss 10,
// graphile-worker 0.17): each job is added inside a transaction, the clock starts at COMMIT and
// stops when the handler starts. Usage: DATABASE_URL=postgres://… node scripts/measure-job-queue.mjs [jobs]
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const require = createRequire(
  join(dirname(fileURLToPath(import.meta.url)), '../backend/package.json'),
);
const { Client, Pool } = require('pg');
const PgBoss = require('pg-boss');
const { run: runGraphile } = require('graphile-worker');

const BASE = process.env.DATABASE_URL;
if (!BASE) {
  process.stderr.write(
    'DATABASE_URL is required (a PostgreSQL server this script may create databases on)\n',
  );
  process.exit(1);
}
const JOBS = Number(process.argv[2] ?? 200);
const GAP_MS = 10;

function withDb(url, db) {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

async function withDatabase(fn) {
  const name = `bf_jobq_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: BASE });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    return await fn(withDb(BASE, name));
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
  return {
    n: s.length,
    p50: at(50).toFixed(1),
    p90: at(90).toFixed(1),
    p99: at(99).toFixed(1),
    max: s[s.length - 1].toFixed(1),
  };
}

/** Adds JOBS jobs one transaction at a time and waits until each handler has started. */
async function drive(pool, addInTx, started) {
  const latencies = [];
  for (let i = 0; i < JOBS; i++) {
    const client = await pool.connect();
    await client.query('BEGIN');
    await addInTx(client, { i });
    await client.query('COMMIT');
    const committed = performance.now();
    client.release();
    const startedAt = await started(i);
    latencies.push(startedAt - committed);
    await new Promise((r) => setTimeout(r, GAP_MS));
  }
  return latencies;
}

function waiter() {
  const seen = new Map();
  const waiting = new Map();
  return {
    hit(i) {
      const t = performance.now();
      if (waiting.has(i)) waiting.get(i)(t);
      else seen.set(i, t);
    },
    wait(i) {
      if (seen.has(i)) return Promise.resolve(seen.get(i));
      return new Promise((r) => waiting.set(i, r));
    },
  };
}

async function measurePgBoss(url) {
  const boss = new PgBoss({
    connectionString: url,
    pollingIntervalSeconds: 0.5,
    supervise: false,
    schedule: false,
  });
  boss.on('error', () => undefined);
  await boss.start();
  await boss.createQueue('latency');
  const w = waiter();
  await boss.work('latency', { pollingIntervalSeconds: 0.5, batchSize: 1 }, async ([job]) =>
    w.hit(job.data.i),
  );
  const pool = new Pool({ connectionString: url, max: 2 });
  const latencies = await drive(
    pool,
    (client, data) =>
      boss.send('latency', data, {
        db: { executeSql: (text, values) => client.query(text, values) },
      }),
    (i) => w.wait(i),
  );
  await boss.stop({ graceful: false, wait: true });
  await pool.end();
  return latencies;
}

async function measureGraphile(url) {
  const w = waiter();
  const pool = new Pool({ connectionString: url, max: 4 });
  const runner = await runGraphile({
    pgPool: pool,
    concurrency: 1,
    noHandleSignals: true,
    pollInterval: 2000,
    logger: new (require('graphile-worker').Logger)(() => () => undefined),
    taskList: { latency: async (payload) => w.hit(payload.i) },
  });
  const latencies = await drive(
    pool,
    (client, data) =>
      client.query(`SELECT graphile_worker.add_job('latency', $1::json)`, [JSON.stringify(data)]),
    (i) => w.wait(i),
  );
  await runner.stop();
  await pool.end();
  return latencies;
}

const results = {};
results['pg-boss 10 (polling 0.5 s)'] = stats(await withDatabase(measurePgBoss));
results['graphile-worker 0.17 (LISTEN/NOTIFY)'] = stats(await withDatabase(measureGraphile));
process.stdout.write(`commit-to-first-attempt latency, ms, ${JOBS} jobs one transaction each\n`);
console.table(results);
