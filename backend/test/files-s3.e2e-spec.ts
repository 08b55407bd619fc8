import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';
import { createTestApp, type TestApp } from './setup/test-app';
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
