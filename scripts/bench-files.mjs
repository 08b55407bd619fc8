#!/usr/bin/env node
// Files benchmark (issue 13.8), run by `pnpm bench --files` or `node scripts/bench-files.mjs`:
// one streamed multipart upload of a large file (default 1 GiB, generated on the fly) and its
// download, on the local driver and on the s3 driver against an s3rver started here; throughput
// (MB/s) and the server's RSS (idle, sampled peak during each transfer, VmHWM) from /proc.
// Starts the built server (backend/dist) on a fresh database; traffic to 127.0.0.1 only, bounded.
//   node scripts/bench-files.mjs [--size-mb 1024] [--drivers local,s3] [--port 3950]
//                                [--node-options "--max-semi-space-size=2"]
// --node-options: V8/Node flags for the server (NODE_OPTIONS), e.g. a smaller young generation.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { f1, freshDatabase, httpClient, opts, ROOT, startBackend } from './bench-http.mjs';

const opt = opts(process.argv.slice(2));
const MB = 1024 * 1024;
const SIZE = Number(opt('--size-mb', '1024')) * MB;
const DRIVERS = opt('--drivers', 'local,s3').split(',');
const PORT = Number(opt('--port', '3950'));
const NODE_OPTIONS = opt('--node-options', '');
const log = (m) => console.error(`[bench-files] ${m}`);
const require = createRequire(join(ROOT, 'backend/package.json'));

function memory(pid) {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (n) => Number(new RegExp(`${n}:\\s+(\\d+) kB`).exec(s)?.[1] ?? 0) / 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** Samples the server's VmRSS every 50 ms while `fn` runs; returns its result and the peak. */
async function sampled(pid, fn) {
  let peak = memory(pid).rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, memory(pid).rss);
  }, 50);
  try {
    const t0 = performance.now();
    const out = await fn();
    return { out, ms: performance.now() - t0, peak: Math.max(peak, memory(pid).rss) };
  } finally {
    clearInterval(timer);
  }
}

/** A multipart upload of SIZE bytes made of one repeated 1 MiB block (never held whole). */
function streamUpload(pid, token) {
  const boundary = 'bf-bench-files-boundary';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="bucket"\r\n\r\nbig\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n` +
      `Content-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const block = Buffer.alloc(MB);
  for (let i = 0; i < MB; i += 4) block.writeUInt32BE((i * 2654435761) >>> 0, i);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: PORT,
        method: 'POST',
        path: `/api/projects/${pid}/files/upload`,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': head.length + SIZE + tail.length,
        },
      },
      (res) => {
        let body = '';
        res.on('data', (d) => (body += String(d)));
        res.on('end', () =>
          res.statusCode === 201
            ? resolve(JSON.parse(body))
            : reject(new Error(`upload: ${res.statusCode} ${body}`)),
        );
      },
    );
    req.on('error', reject);
    let sent = 0;
    const pump = () => {
      while (sent < SIZE) {
        sent += MB;
        if (!req.write(block)) return void req.once('drain', pump);
      }
      req.end(tail);
    };
    req.write(head);
    pump();
  });
}

async function download(path, token) {
  const res = await fetch(`http://127.0.0.1:${PORT}${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (res.status !== 200) throw new Error(`download: ${res.status}`);
  let bytes = 0;
  for await (const c of res.body) bytes += c.length;
  return bytes;
}

async function startS3() {
  const S3rver = require('s3rver');
  const dir = mkdtempSync(join(tmpdir(), 'bf-bench-s3-'));
  const s3 = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory: dir,
    configureBuckets: [{ name: 'bf-bench', configs: [] }],
  });
  const { port } = await s3.run();
  return {
    env: {
      STORAGE_DRIVER: 's3',
      S3_ENDPOINT: `http://127.0.0.1:${port}`,
      S3_BUCKET: 'bf-bench',
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      S3_FORCE_PATH_STYLE: 'true',
    },
    close: async () => {
      await s3.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function runDriver(driver) {
  const db = await freshDatabase(`bf_bench_files_${driver}`);
  const s3 = driver === 's3' ? await startS3() : null;
  const dataDir = mkdtempSync(join(tmpdir(), 'bf-bench-files-'));
  let server;
  try {
    server = await startBackend({
      entry: join(ROOT, 'backend/dist/main.js'),
      port: PORT,
      url: db.url,
      env: {
        DATA_DIR: dataDir,
        MAX_FILE_SIZE: String(SIZE + MB),
        NODE_OPTIONS,
        LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
        ...(s3?.env ?? {}),
      },
    });
    const client = httpClient(PORT, 2);
    const { access_token: token } = await client.api('POST', '/api/auth/register', {
      email: `bench-files-${driver}@example.com`,
      password: 'bench-password',
    });
    const auth = { authorization: `Bearer ${token}` };
    const project = await client.api('POST', '/api/projects', { name: 'bench' }, auth);
    await client.api(
      'POST',
      `/api/projects/${project.id}/files/buckets`,
      { name: 'big', max_size_bytes: SIZE + MB },
      auth,
    );
    await client.close();
    await sleep(3000);
    const idle = memory(server.pid).rss;
    log(`${driver}: idle RSS ${f1(idle)} MB; uploading ${SIZE / MB} MiB`);
    const up = await sampled(server.pid, () => streamUpload(project.id, token));
    if (up.out.size_bytes !== SIZE) throw new Error(`stored ${up.out.size_bytes} bytes`);
    log(`${driver}: downloading`);
    const down = await sampled(server.pid, () => download(up.out.download_url, token));
    if (down.out !== SIZE) throw new Error(`downloaded ${down.out} bytes`);
    const { hwm } = memory(server.pid);
    return {
      driver,
      idle,
      upMBs: SIZE / MB / (up.ms / 1000),
      upPeak: up.peak,
      downMBs: SIZE / MB / (down.ms / 1000),
      downPeak: down.peak,
      hwm,
    };
  } finally {
    await server?.stop();
    await s3?.close();
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  if (!existsSync(join(ROOT, 'backend/dist/main.js')))
    throw new Error('backend/dist/main.js is missing: run `pnpm build` first');
  const rows = [];
  for (const d of DRIVERS) rows.push(await runDriver(d));
  console.log(
    `\n${SIZE / MB} MiB, one streamed multipart upload and one download per driver (MiB/s; RSS in MiB)` +
      `${NODE_OPTIONS ? `; server NODE_OPTIONS=${NODE_OPTIONS}` : ''}\n`,
  );
  console.log(
    '| driver | upload MiB/s | download MiB/s | idle RSS | peak RSS upload | peak RSS download | VmHWM |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows)
    console.log(
      `| ${r.driver} | ${f1(r.upMBs)} | ${f1(r.downMBs)} | ${f1(r.idle)} | ${f1(r.upPeak)} | ${f1(r.downPeak)} | ${f1(r.hwm)} |`,
    );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
