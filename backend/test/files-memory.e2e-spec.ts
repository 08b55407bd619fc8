import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import {
  createProcessDatabase,
  startServerProcess,
  type ServerProcess,
} from './setup/server-process';
import { createAdmin, createProject } from './factories/admin.factory';

const MB = 1024 * 1024;
const SIZE = 1024 * MB;

/** The server's resident memory (current and peak) from /proc, in MiB. */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/** A 1 GiB multipart upload generated on the fly (never held in memory or stored in the repo). */
function streamUpload(
  port: number,
  pid: string,
  token: string,
): Promise<{ status: number; body: string }> {
  const boundary = 'bf-memory-test-boundary';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="bucket"\r\n\r\nhuge\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n` +
      `Content-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const chunk = Buffer.alloc(MB, 0x5a);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
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
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    let sent = 0;
    const pump = () => {
      while (sent < SIZE) {
        sent += MB;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end(tail);
    };
    req.write(head);
    pump();
  });
}

describe('files: a 1 GiB streamed upload keeps the built server under 200 MB', () => {
  let db: Awaited<ReturnType<typeof createProcessDatabase>>;
  let server: ServerProcess;

  beforeAll(async () => {
    db = await createProcessDatabase();
    // The compiled server, as production runs it (the swc dev loader alone idles above 200 MiB).
    server = await startServerProcess(
      db.url,
      { MAX_FILE_SIZE: String(SIZE + MB), NODE_ENV: 'production' },
      { entry: 'built' },
    );
  });
  afterAll(async () => {
    await server?.kill('SIGKILL');
    await db?.drop();
  });

  it('uploads 1 GiB and downloads it back with the server RSS peak under 200 MiB', async () => {
    const admin = await createAdmin(server);
    const pid = (await createProject(server, admin)).id;
    await server.request('POST', `/api/projects/${pid}/files/buckets`, {
      token: admin.token,
      body: { name: 'huge', max_size_bytes: SIZE + MB },
    });
    const serverPid = server.child.pid as number;
    const before = memoryOf(serverPid);
    const res = await streamUpload(server.port, pid, admin.token);
    expect(res.status).toBe(201);
    const file = JSON.parse(res.body) as { size_bytes: number; download_url: string };
    expect(file.size_bytes).toBe(SIZE);
    const after = memoryOf(serverPid);
    const dl = await fetch(`${server.baseUrl}${file.download_url}`, {
      headers: { authorization: `Bearer ${admin.token}` },
    });
    let bytes = 0;
    for await (const c of dl.body as unknown as AsyncIterable<Uint8Array>) bytes += c.length;
    expect(bytes).toBe(SIZE);
    const end = memoryOf(serverPid);
    process.stdout.write(
      `files memory: RSS before ${before.rss.toFixed(0)} MiB, after upload ${after.rss.toFixed(0)} MiB, ` +
        `after download ${end.rss.toFixed(0)} MiB, peak ${end.peak.toFixed(0)} MiB\n`,
    );
    // VmHWM is the peak over the process's whole life, start-up included.
    expect(end.peak).toBeLessThan(200);
    expect(end.peak - before.peak).toBeLessThan(64);
  }, 300_000);
});
