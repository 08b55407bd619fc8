import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';
import { createTestApp, type TestApp } from './setup/test-app';
import {
  createProcessDatabase,
  startServerProcess,
  type ServerProcess,
} from './setup/server-process';
import { createAdmin, createProject, type TestAdmin } from './factories/admin.factory';
import { pngOf, upload } from './setup/files-helpers';

/** The s3 driver against a real S3-protocol server (s3rver) started here, never a mock. */
describe('files on the s3 driver', () => {
  let s3: S3rver;
  let s3Dir: string;
  let t: TestApp;
  let admin: TestAdmin;
  let pid: string;
  const api = (p: string) => `/api/projects/${pid}/files${p}`;

  beforeAll(async () => {
    s3Dir = mkdtempSync(join(tmpdir(), 'bf-s3-'));
    s3 = new S3rver({
      port: 0,
      address: '127.0.0.1',
      silent: true,
      directory: s3Dir,
      configureBuckets: [{ name: 'bf-files', configs: [] }],
    });
    const address = (await s3.run()) as AddressInfo;
    t = await createTestApp({
      STORAGE_DRIVER: 's3',
      S3_ENDPOINT: `http://127.0.0.1:${address.port}`,
      S3_BUCKET: 'bf-files',
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      S3_FORCE_PATH_STYLE: 'true',
    });
    admin = await createAdmin(t);
    pid = (await createProject(t, admin)).id;
    await t.request('POST', api('/buckets'), {
      token: admin.token,
      body: { name: 'big', max_size_bytes: 64 * 1024 * 1024 },
    });
  });
  afterAll(async () => {
    await t?.close();
    await s3?.close();
    rmSync(s3Dir, { recursive: true, force: true });
  });

  it('refuses a half-configured s3 driver at start', async () => {
    await expect(createTestApp({ STORAGE_DRIVER: 's3' })).rejects.toThrow(/S3_BUCKET/);
  });

  it('uploads, downloads (with Range), and deletes through S3', async () => {
    const res = await upload(t.baseUrl, pid, 'stored in s3', {
      bucket: 'big',
      filename: 'a.txt',
      token: admin.token,
    });
    expect(res.status).toBe(201);
    const [row] = await t.query(
      `SELECT storage_driver, storage_key FROM backendify.files WHERE id = $1`,
      [res.body.id],
    );
    expect(row).toEqual({ storage_driver: 's3', storage_key: `${pid}/${res.body.id}` });
    const auth = { authorization: `Bearer ${admin.token}` };
    const dl = await fetch(t.baseUrl + res.body.download_url, { headers: auth });
    expect(await dl.text()).toBe('stored in s3');
    const part = await fetch(t.baseUrl + res.body.download_url, {
      headers: { ...auth, range: 'bytes=10-11' },
    });
    expect(part.status).toBe(206);
    expect(await part.text()).toBe('s3');
    expect((await t.request('DELETE', api(`/${res.body.id}`), { token: admin.token })).status).toBe(
      204,
    );
    const orphans = await t.request('GET', api('/orphans'), { token: admin.token });
    expect(orphans.body).toEqual({
      driver: 's3',
      rows_without_objects: [],
      objects_without_rows: [],
    });
  });

  it('sends large files in multipart parts and reads them back intact', async () => {
    const big = Buffer.alloc(20 * 1024 * 1024);
    for (let i = 0; i < big.length; i += 4096) big.writeUInt32BE(i, i);
    const res = await upload(t.baseUrl, pid, big, {
      bucket: 'big',
      filename: 'big.bin',
      token: admin.token,
    });
    expect(res.status).toBe(201);
    expect(res.body.size_bytes).toBe(big.length);
    const dl = await fetch(t.baseUrl + res.body.download_url, {
      headers: { authorization: `Bearer ${admin.token}` },
    });
    const got = Buffer.from(await dl.arrayBuffer());
    expect(createHash('sha256').update(got).digest('hex')).toBe(
      createHash('sha256').update(big).digest('hex'),
    );
  });

  it('refuses a too-large upload and leaves no object behind', async () => {
    await t.request('POST', api('/buckets'), {
      token: admin.token,
      body: { name: 'small', max_size_bytes: 1024 },
    });
    const res = await upload(t.baseUrl, pid, Buffer.alloc(9 * 1024 * 1024, 7), {
      bucket: 'small',
      token: admin.token,
    });
    expect(res.status).toBe(413);
    const orphans = await t.request('GET', api('/orphans'), { token: admin.token });
    expect(orphans.body.objects_without_rows).toEqual([]);
  });

  it('makes and caches image variants on S3', async () => {
    const res = await upload(t.baseUrl, pid, pngOf(300, 200), {
      bucket: 'big',
      filename: 'p.png',
      token: admin.token,
    });
    const auth = { authorization: `Bearer ${admin.token}` };
    const v = await fetch(`${t.baseUrl}${res.body.download_url}?width=128&format=webp`, {
      headers: auth,
    });
    expect(v.status).toBe(200);
    expect(v.headers.get('content-type')).toBe('image/webp');
    const bytes = Buffer.from(await v.arrayBuffer());
    expect(bytes.subarray(8, 12).toString('ascii')).toBe('WEBP');
    const orphans = await t.request('GET', api('/orphans'), { token: admin.token });
    expect(orphans.body.objects_without_rows).toEqual([]);
  });
});

const TUS = { 'tus-resumable': '1.0.0' };
const tusMeta = (m: Record<string, string>) =>
  Object.entries(m)
    .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
    .join(',');
const tusPatch = (url: string, offset: number, body: Buffer, auth: Record<string, string>) =>
  fetch(url, {
    method: 'PATCH',
    headers: {
      ...TUS,
      ...auth,
      'content-type': 'application/offset+octet-stream',
      'upload-offset': String(offset),
    },
    body,
  });

/**
 * tus on the s3 driver (@tus/s3-store): parts go straight into the bucket, so a second API process
 * with its own DATA_DIR resumes an upload the first one started (no shared DATA_DIR/tus).
 */
describe('files: tus uploads on the s3 driver', () => {
  let s3: S3rver;
  let s3Dir: string;
  let db: Awaited<ReturnType<typeof createProcessDatabase>>;
  let server: ServerProcess | null = null;
  let s3Env: Record<string, string>;
  const dirs: string[] = [];
  const freshDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'bf-tus-s3-'));
    dirs.push(d);
    return d;
  };

  beforeAll(async () => {
    s3Dir = mkdtempSync(join(tmpdir(), 'bf-s3-tus-'));
    s3 = new S3rver({
      port: 0,
      address: '127.0.0.1',
      silent: true,
      directory: s3Dir,
      configureBuckets: [{ name: 'bf-tus', configs: [] }],
    });
    const address = (await s3.run()) as AddressInfo;
    s3Env = {
      STORAGE_DRIVER: 's3',
      S3_ENDPOINT: `http://127.0.0.1:${address.port}`,
      S3_BUCKET: 'bf-tus',
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      S3_FORCE_PATH_STYLE: 'true',
    };
    db = await createProcessDatabase();
  });
  afterAll(async () => {
    await server?.kill('SIGKILL');
    await db?.drop();
    await s3?.close();
    for (const d of [s3Dir, ...dirs]) rmSync(d, { recursive: true, force: true });
  });

  it('is interrupted, resumed by a new process with another DATA_DIR, and lands at the s3 key', async () => {
    const firstDir = freshDir();
    server = await startServerProcess(db.url, s3Env, { dataDir: firstDir });
    const admin = await createAdmin(server);
    const pid = (await createProject(server, admin)).id;
    const auth = { authorization: `Bearer ${admin.token}` };
    await server.request('POST', `/api/projects/${pid}/files/buckets`, {
      token: admin.token,
      body: { name: 'media', max_size_bytes: 32 * 1024 * 1024 },
    });
    await server.request('POST', `/api/projects/${pid}/files/buckets`, {
      token: admin.token,
      body: { name: 'pics', allowed_types: ['image/*'] },
    });
    // One full 8 MiB part and an incomplete rest before the crash, more after it.
    const data = Buffer.alloc(12 * 1024 * 1024 + 123);
    for (let i = 0; i + 4 <= data.length; i += 4) data.writeUInt32BE((i * 2654435761) >>> 0, i);
    const c = await fetch(`${server.baseUrl}/api/projects/${pid}/files/tus`, {
      method: 'POST',
      headers: {
        ...TUS,
        ...auth,
        'upload-length': String(data.length),
        'upload-metadata': tusMeta({ bucket: 'media', filename: 'r.bin' }),
      },
    });
    expect(c.status).toBe(201);
    const path = new URL(c.headers.get('location') as string).pathname;
    const id = path.split('/').pop() as string;
    expect(path).toBe(`/api/projects/${pid}/files/tus/${id}`);
    const first = 9 * 1024 * 1024;
    const p1 = await tusPatch(server.baseUrl + path, 0, data.subarray(0, first), auth);
    expect(p1.status).toBe(204);
    expect(p1.headers.get('upload-offset')).toBe(String(first));
    // The tus state lives in the bucket beside the upload, never on this process's disk.
    expect(existsSync(join(firstDir, 'tus', id))).toBe(false);
    const during = await server.request('GET', `/api/projects/${pid}/files/orphans`, {
      token: admin.token,
    });
    expect(during.body.objects_without_rows).toEqual([]);
    await server.kill('SIGKILL');

    server = await startServerProcess(db.url, s3Env, { dataDir: freshDir(), port: server.port });
    const h = await fetch(server.baseUrl + path, { method: 'HEAD', headers: { ...TUS, ...auth } });
    expect(h.status).toBe(200);
    const offset = Number(h.headers.get('upload-offset'));
    expect(offset).toBe(first);
    const p2 = await tusPatch(server.baseUrl + path, offset, data.subarray(offset), auth);
    expect(p2.status).toBe(204);
    expect(p2.headers.get('backendify-file-id')).toBe(id);
    const [row] = await server.query(
      `SELECT status, storage_driver, storage_key, size_bytes, checksum_sha256 FROM backendify.files WHERE id = $1`,
      [id],
    );
    const sha = createHash('sha256').update(data).digest('hex');
    expect(row).toEqual({
      status: 'ready',
      storage_driver: 's3',
      storage_key: `${pid}/${id}`,
      size_bytes: String(data.length),
      checksum_sha256: sha,
    });
    const dl = await fetch(`${server.baseUrl}/api/projects/${pid}/files/${id}/download`, {
      headers: auth,
    });
    const got = Buffer.from(await dl.arrayBuffer());
    expect(createHash('sha256').update(got).digest('hex')).toBe(sha);
    // No tus bookkeeping (.info, .part) is left in the bucket.
    const after = await server.request('GET', `/api/projects/${pid}/files/orphans`, {
      token: admin.token,
    });
    expect(after.body).toEqual({
      driver: 's3',
      rows_without_objects: [],
      objects_without_rows: [],
    });

    // A refused type is checked on the object in place, and removed with its row.
    const text = Buffer.from('not an image at all');
    const r = await fetch(`${server.baseUrl}/api/projects/${pid}/files/tus`, {
      method: 'POST',
      headers: {
        ...TUS,
        ...auth,
        'upload-length': String(text.length),
        'upload-metadata': tusMeta({ bucket: 'pics', filename: 'a.png' }),
      },
    });
    const refusedUrl = r.headers.get('location') as string;
    expect((await tusPatch(refusedUrl, 0, text, auth)).status).toBe(415);
    const refusedId = refusedUrl.split('/').pop();
    expect(
      await server.query(`SELECT id FROM backendify.files WHERE id = $1`, [refusedId]),
    ).toEqual([]);
    const last = await server.request('GET', `/api/projects/${pid}/files/orphans`, {
      token: admin.token,
    });
    expect(last.body.objects_without_rows).toEqual([]);
  }, 180_000);
});
