import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestApp, type TestApp } from './setup/test-app';
import {
  createProcessDatabase,
  startServerProcess,
  type ServerProcess,
} from './setup/server-process';
import { createAdmin, createProject, type TestAdmin } from './factories/admin.factory';
import { pngOf } from './setup/files-helpers';

const TUS = { 'tus-resumable': '1.0.0' };
const meta = (m: Record<string, string>) =>
  Object.entries(m)
    .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
    .join(',');

async function create(
  base: string,
  pid: string,
  length: number,
  m: Record<string, string>,
  auth: Record<string, string>,
): Promise<Response> {
  return fetch(`${base}/api/projects/${pid}/files/tus`, {
    method: 'POST',
    headers: { ...TUS, ...auth, 'upload-length': String(length), 'upload-metadata': meta(m) },
  });
}

function patch(url: string, offset: number, body: Buffer, auth: Record<string, string>) {
  return fetch(url, {
    method: 'PATCH',
    headers: {
      ...TUS,
      ...auth,
      'content-type': 'application/offset+octet-stream',
      'upload-offset': String(offset),
    },
    body,
  });
}

const head = (url: string, auth: Record<string, string>) =>
  fetch(url, { method: 'HEAD', headers: { ...TUS, ...auth } });

describe('files: resumable uploads (tus 1.0)', () => {
  let t: TestApp;
  let admin: TestAdmin;
  let pid: string;
  let auth: Record<string, string>;
  const data = Buffer.alloc(3 * 1024 * 1024);
  for (let i = 0; i < data.length; i += 4) data.writeUInt32BE(i, i);

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createAdmin(t);
    pid = (await createProject(t, admin)).id;
    auth = { authorization: `Bearer ${admin.token}` };
    await t.request('POST', `/api/projects/${pid}/files/buckets`, {
      token: admin.token,
      body: { name: 'media', max_size_bytes: 8 * 1024 * 1024 },
    });
    await t.request('POST', `/api/projects/${pid}/files/buckets`, {
      token: admin.token,
      body: { name: 'pics', allowed_types: ['image/*'] },
    });
  });
  afterAll(() => t.close());

  it('creates, resumes from HEAD, finishes, and the file downloads intact', async () => {
    const c = await create(
      t.baseUrl,
      pid,
      data.length,
      { bucket: 'media', filename: 'big.bin' },
      auth,
    );
    expect(c.status).toBe(201);
    const url = c.headers.get('location') as string;
    expect(url).toMatch(new RegExp(`/api/projects/${pid}/files/tus/[0-9a-f-]{36}$`));
    const half = data.length / 2;
    const p1 = await patch(url, 0, data.subarray(0, half), auth);
    expect(p1.status).toBe(204);
    expect(p1.headers.get('upload-offset')).toBe(String(half));
    const h = await head(url, auth);
    expect(h.headers.get('upload-offset')).toBe(String(half));
    // Not listed while unfinished.
    const listed = await t.request('GET', `/api/projects/${pid}/files?bucket=media`, {
      token: admin.token,
    });
    expect(listed.body).toEqual([]);
    const p2 = await patch(url, half, data.subarray(half), auth);
    expect(p2.status).toBe(204);
    const id = p2.headers.get('backendify-file-id') as string;
    expect(id).toBe(url.split('/').pop());
    const dl = await fetch(`${t.baseUrl}/api/projects/${pid}/files/${id}/download`, {
      headers: auth,
    });
    expect(Buffer.from(await dl.arrayBuffer()).equals(data)).toBe(true);
    const info = await t.request('GET', `/api/projects/${pid}/files/${id}`, { token: admin.token });
    expect(info.body).toMatchObject({
      original_filename: 'big.bin',
      bucket: 'media',
      size_bytes: data.length,
    });
  });

  it('needs credentials, and only the uploader continues an upload', async () => {
    expect((await create(t.baseUrl, pid, 10, { bucket: 'media' }, {})).status).toBe(401);
    const c = await create(t.baseUrl, pid, 10, { bucket: 'media', filename: 'x' }, auth);
    const url = c.headers.get('location') as string;
    const reg = await t.request('POST', `/api/projects/${pid}/auth/register`, {
      body: { email: 'mallory@example.com', password: 'correct horse battery' },
    });
    const other = { authorization: `Bearer ${reg.body.access_token}` };
    expect((await head(url, other)).status).toBe(404);
    expect((await patch(url, 0, Buffer.from('0123456789'), other)).status).toBe(404);
    const outsider = await createAdmin(t);
    expect((await head(url, { authorization: `Bearer ${outsider.token}` })).status).toBe(404);
    // App users may not start uploads in a bucket without a write policy.
    expect((await create(t.baseUrl, pid, 10, { bucket: 'media' }, other)).status).toBe(403);
  });

  it('refuses an Upload-Length over the bucket limit, and a refused type at the end', async () => {
    const tooBig = await create(t.baseUrl, pid, 9 * 1024 * 1024, { bucket: 'media' }, auth);
    expect(tooBig.status).toBe(413);
    const text = Buffer.from('just some text, not an image');
    const c = await create(
      t.baseUrl,
      pid,
      text.length,
      { bucket: 'pics', filename: 'a.png' },
      auth,
    );
    const url = c.headers.get('location') as string;
    const p = await patch(url, 0, text, auth);
    expect(p.status).toBe(415);
    const id = url.split('/').pop();
    expect(await t.query(`SELECT id FROM backendify.files WHERE id = $1`, [id])).toEqual([]);
    const png = pngOf();
    const ok = await create(
      t.baseUrl,
      pid,
      png.length,
      { bucket: 'pics', filename: 'a.png' },
      auth,
    );
    const done = await patch(ok.headers.get('location') as string, 0, png, auth);
    expect(done.status).toBe(204);
  });
});

describe('files: a tus upload survives a server restart', () => {
  let db: Awaited<ReturnType<typeof createProcessDatabase>>;
  let server: ServerProcess | null = null;
  const dataDir = mkdtempSync(join(tmpdir(), 'bf-tus-'));

  beforeAll(async () => {
    db = await createProcessDatabase();
  });
  afterAll(async () => {
    await server?.kill('SIGKILL');
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('uploads half, the process is killed, a new one finishes the upload', async () => {
    server = await startServerProcess(db.url, {}, { dataDir });
    const admin = await createAdmin(server);
    const pid = (await createProject(server, admin)).id;
    const auth = { authorization: `Bearer ${admin.token}` };
    const data = Buffer.alloc(2 * 1024 * 1024 + 123, 0);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31) % 251;
    const c = await create(server.baseUrl, pid, data.length, { filename: 'r.bin' }, auth);
    expect(c.status).toBe(201);
    const path = new URL(c.headers.get('location') as string).pathname;
    const half = 1024 * 1024;
    expect((await patch(server.baseUrl + path, 0, data.subarray(0, half), auth)).status).toBe(204);
    await server.kill('SIGKILL');

    server = await startServerProcess(db.url, {}, { dataDir, port: server.port });
    const h = await head(server.baseUrl + path, auth);
    expect(h.status).toBe(200);
    const offset = Number(h.headers.get('upload-offset'));
    expect(offset).toBe(half);
    const p = await patch(server.baseUrl + path, offset, data.subarray(offset), auth);
    expect(p.status).toBe(204);
    const id = p.headers.get('backendify-file-id') as string;
    const dl = await fetch(`${server.baseUrl}/api/projects/${pid}/files/${id}/download`, {
      headers: auth,
    });
    const got = Buffer.from(await dl.arrayBuffer());
    expect(createHash('sha256').update(got).digest('hex')).toBe(
      createHash('sha256').update(data).digest('hex'),
    );
  });
});
