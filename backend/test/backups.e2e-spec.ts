import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar-stream';
import { createTestApp, type TestApp } from './setup/test-app';
import { createAdmin, createProject, type TestAdmin } from './factories/admin.factory';
import { addField, createCollection } from './factories/schema.factory';
import { upload } from './setup/files-helpers';
import { BackupsService } from '../src/modules/backups/backups.service';

/** A tar.gz of the given entries, built here (for hostile archives). */
async function tarGz(entries: { name: string; body: string | Buffer }[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const e of entries) pack.entry({ name: e.name }, e.body);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack as AsyncIterable<Buffer>) chunks.push(c);
  return gzipSync(Buffer.concat(chunks));
}

describe('backups', () => {
  let t: TestApp;
  let admin: TestAdmin;
  let outsider: TestAdmin;
  let pid: string;
  let archive: Buffer;
  const fileBytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251));
  let fileId: string;
  let userToken: string;
  const api = (p: string, project = pid) => `/api/projects/${project}${p}`;
  const get = (path: string, project: string, token = admin.token) =>
    t.request('GET', api(path, project), { token });

  const fetchArchive = async (path: string, token = admin.token) => {
    const res = await fetch(t.baseUrl + path, { headers: { authorization: `Bearer ${token}` } });
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      body: Buffer.from(await res.arrayBuffer()),
    };
  };
  const restore = (body: Buffer, token = admin.token, type = 'application/gzip') =>
    fetch(`${t.baseUrl}/api/projects/restore`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': type },
      body,
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
  const projectCount = async () =>
    Number((await t.query(`SELECT count(*) AS n FROM backendify.projects`))[0].n);
  const schemaCount = async () =>
    Number(
      (await t.query(`SELECT count(*) AS n FROM pg_namespace WHERE nspname LIKE 'p\\_%'`))[0].n,
    );

  beforeAll(async () => {
    t = await createTestApp({ JOBS: 'on' });
    admin = await createAdmin(t);
    outsider = await createAdmin(t, 'outsider@example.com');
    pid = (await createProject(t, admin, 'source')).id;
    const req = (method: string, path: string, body?: unknown) =>
      t.request(method, api(path), { token: admin.token, body }).then((r) => {
        if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${r.text}`);
        return r.body;
      });

    await req('POST', '/files/buckets', { name: 'docs', max_size_bytes: 1024 * 1024 });
    const cat = await createCollection(t, admin, pid, 'categories');
    await addField(t, admin, pid, 'categories', {
      name: 'title',
      field_type: 'string',
      is_required: true,
    });
    const items = await createCollection(t, admin, pid, 'items');
    const fields: Record<string, unknown>[] = [
      { name: 's', field_type: 'string', is_unique: true },
      { name: 'tx', field_type: 'text' },
      { name: 'n', field_type: 'int' },
      { name: 'f', field_type: 'float' },
      { name: 'd', field_type: 'decimal', options: { precision: 30, scale: 10 } },
      { name: 'b', field_type: 'bool' },
      { name: 'dt', field_type: 'date' },
      { name: 'ts', field_type: 'datetime' },
      { name: 'u', field_type: 'uuid' },
      { name: 'j', field_type: 'json' },
      { name: 'e', field_type: 'enum', options: { values: ['red', 'green'] } },
      { name: 'doc', field_type: 'file', options: { bucket: 'docs' } },
    ];
    for (const f of fields) await addField(t, admin, pid, 'items', f);
    await req('POST', `/schema/relations/collections/${items.id}/relations`, {
      name: 'category',
      target_collection_id: cat.id,
      relation_type: 'many_to_one',
      on_delete: 'SET NULL',
    });
    await req('POST', `/schema/relations/collections/${items.id}/relations`, {
      name: 'parent',
      target_collection_id: items.id,
      relation_type: 'many_to_one',
      on_delete: 'SET NULL',
    });
    await req('POST', `/schema/relations/collections/${items.id}/relations`, {
      name: 'tags',
      target_collection_id: cat.id,
      relation_type: 'many_to_many',
    });
    await req('POST', '/validations/collections/items/fields/n/rules', {
      rule_type: 'min_value',
      config: { min: 0 },
    });
    await req('POST', '/rbac/roles', { name: 'editor', display_name: 'Editor' });
    await req('POST', '/schema/collections/items/policies', {
      name: 'own rows',
      action: 'list',
      allowed_principals: 'app_user',
      condition: { created_by_app_user_id: '$current_app_user_id' },
    });
    await req('POST', '/schema/collections/items/policies', {
      name: 'users create',
      action: 'create',
      allowed_principals: 'app_user',
    });
    await req('POST', '/webhooks', {
      name: 'hook',
      url: 'https://example.com/hook',
      events: ['record.created'],
    });
    await req('POST', '/workflows', { name: 'wf', trigger_type: 'manual', steps: [] });

    const up = await upload(t.baseUrl, pid, fileBytes, {
      bucket: 'docs',
      filename: 'blob.bin',
      type: 'application/octet-stream',
      token: admin.token,
    });
    expect(up.status).toBe(201);
    fileId = up.body.id;

    const reg = await t.request('POST', api('/auth/register'), {
      body: { email: 'app@example.com', password: 'correct horse battery' },
    });
    expect(reg.status).toBeLessThan(300);
    const login = await t.request('POST', api('/auth/login'), {
      body: { email: 'app@example.com', password: 'correct horse battery' },
    });
    expect(login.status).toBe(200);
    userToken = login.body.access_token;

    const c1 = await req('POST', '/data/categories', { title: 'one' });
    const c2 = await req('POST', '/data/categories', { title: 'two' });
    const a = await req('POST', '/data/items', {
      s: 'a',
      tx: 'long text',
      n: 5,
      f: 1.5,
      d: '12345678901234567890.0123456789',
      b: true,
      dt: '2024-02-29',
      ts: '2024-03-01T10:11:12.345Z',
      u: '4f0c2a59-3c8f-4f4d-9c1e-0f5d5c2a1b11',
      j: { deep: [1, { x: 'y' }] },
      e: 'green',
      doc: fileId,
      category_id: c2.id,
      tags: [c1.id, c2.id],
    });
    // A child whose parent has a higher id: the self-relation loads in any order.
    const b = await req('POST', '/data/items', { s: 'b', n: 1, category_id: c1.id });
    await req('PATCH', `/data/items/${a.id}`, { parent_id: b.id });
    const own = await t.request('POST', api('/data/items'), {
      token: userToken,
      body: { s: 'mine' },
    });
    expect(own.status).toBe(201);
    await req('POST', '/data/items', { s: 'c', n: 2, parent_id: a.id });
  });
  afterAll(() => t?.close());

  it('streams an archive to project admins only (non-members 404, no token 401)', async () => {
    expect((await fetchArchive(api('/backup'), outsider.token)).status).toBe(404);
    expect((await fetch(t.baseUrl + api('/backup'))).status).toBe(401);
    const res = await fetchArchive(api('/backup'));
    expect(res.status).toBe(200);
    expect(res.type).toContain('application/gzip');
    archive = res.body;
    expect(archive.length).toBeGreaterThan(100);
  });

  it('restores into a new project whose data API answers the same, files byte for byte', async () => {
    const r = await restore(archive);
    expect(r.status).toBe(201);
    const np = r.body.id as string;
    expect(np).not.toBe(pid);
    // File ids are global, so the restored file has a new one; everything else is equal.
    const first = (await get('/data/items?sort=id&limit=1', np)).body.records[0];
    const newDoc = first.doc as string;
    expect(newDoc).toBeTruthy();
    expect(newDoc).not.toBe(fileId);
    const same = async (path: string, token = admin.token) => {
      const [a, b] = [await get(path, pid, token), await get(path, np, token)];
      expect(b.status).toBe(a.status);
      expect(JSON.parse(JSON.stringify(b.body).replaceAll(newDoc, fileId))).toEqual(a.body);
      return b.body;
    };
    // Every field type, ids kept, many-to-one, self relation and many-to-many expanded.
    const list = await same('/data/items?sort=id&expand=category,parent,tags&limit=50');
    expect(list.records).toHaveLength(4);
    await same('/data/items?n__gte=1&sort=-n');
    await same('/data/items?s__contains=a&fields=id,s,d,ts,j');
    await same('/data/categories?sort=id');
    await same(`/data/items/${list.records[0].id}`);
    // The file: same bytes.
    const bytes = await fetch(`${t.baseUrl}/api/projects/${np}/files/${newDoc}/download`, {
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(bytes.status).toBe(200);
    expect(Buffer.from(await bytes.arrayBuffer()).equals(fileBytes)).toBe(true);
    // New rows continue after the restored ids.
    const next = await t.request('POST', api('/data/categories', np), {
      token: admin.token,
      body: { title: 'three' },
    });
    expect(next.status).toBe(201);
    expect(Number(next.body.id)).toBeGreaterThan(2);
    // App users keep their passwords; policies still decide what they see.
    const login = await t.request('POST', api('/auth/login', np), {
      body: { email: 'app@example.com', password: 'correct horse battery' },
    });
    expect(login.status).toBe(200);
    const mine = await get('/data/items', np, login.body.access_token);
    expect(mine.status).toBe(200);
    expect(mine.body.records.map((x: { s: string }) => x.s)).toEqual(['mine']);
    // Validations and the schema came along.
    const bad = await t.request('POST', api('/data/items', np), {
      token: admin.token,
      body: { s: 'neg', n: -1 },
    });
    expect(bad.status).toBe(400);
  });

  it('refuses bad archives with 400/415 and leaves no project or schema behind', async () => {
    const [projects, schemas] = [await projectCount(), await schemaCount()];
    expect((await restore(Buffer.from('not an archive'))).status).toBe(400);
    expect((await restore(archive, admin.token, 'text/plain')).status).toBe(415);
    const traversal = await tarGz([{ name: '../../etc/passwd', body: 'x' }]);
    const r1 = await restore(traversal);
    expect(r1.status).toBe(400);
    expect(r1.body.code).toBe('BAD_REQUEST');
    // A corrupted byte deep in the archive: the restore fails after making the project, and drops it.
    const broken = Buffer.from(archive);
    broken[Math.floor(broken.length * 0.7)] ^= 0xff;
    expect((await restore(broken)).status).toBe(400);
    expect(await projectCount()).toBe(projects);
    expect(await schemaCount()).toBe(schemas);
    expect((await restore(archive, 'bogus')).status).toBe(401);
  });

  it('stores backups, lists, downloads, deletes, and keeps the last N', async () => {
    const sched = await t.request('PUT', api('/backups/schedule'), {
      token: admin.token,
      body: { enabled: true, cron: 'daily', keep_last: 2, target: 'local' },
    });
    expect(sched.status).toBe(200);
    expect(sched.body.cron).toBe('0 3 * * *');
    const bad = await t.request('PUT', api('/backups/schedule'), {
      token: admin.token,
      body: { enabled: true, cron: 'nope', keep_last: 2, target: 'local' },
    });
    expect(bad.status).toBe(400);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const b = await t.request('POST', api('/backups'), { token: admin.token, body: {} });
      expect(b.status).toBe(201);
      expect(b.body.status).toBe('ready');
      ids.push(b.body.id);
    }
    const list = await get('/backups', pid);
    expect(list.body.map((b: { id: string }) => b.id)).toEqual([ids[2], ids[1]]);
    const dl = await fetchArchive(api(`/backups/${ids[2]}/download`));
    expect(dl.status).toBe(200);
    expect(createHash('sha256').update(dl.body).digest('hex')).toBe(list.body[0].sha256);
    expect(
      (await t.request('DELETE', api(`/backups/${ids[1]}`), { token: admin.token })).status,
    ).toBe(204);
    expect((await get('/backups', pid)).body).toHaveLength(1);
    expect((await get('/backups', pid, outsider.token)).status).toBe(404);
    // A stored backup restores into a new project too.
    const again = await t.request('POST', api(`/backups/${ids[2]}/restore`), {
      token: admin.token,
      body: {},
    });
    expect(again.status).toBe(201);
    const cats = await get('/data/categories?sort=id', again.body.id);
    expect(cats.body.records.map((c: { title: string }) => c.title)).toEqual(['one', 'two']);
    expect(
      (
        await t.request('POST', api(`/backups/${ids[2]}/restore`), {
          token: outsider.token,
          body: {},
        })
      ).status,
    ).toBe(404);
  });

  it('runs the scheduled backup through the job queue when it is due', async () => {
    await t.query(
      `UPDATE backendify.backup_schedules SET next_run_at = now() - interval '1 minute' WHERE project_id = $1`,
      [pid],
    );
    const due = await t.app.get(BackupsService).tick();
    expect(due).toEqual([pid]);
    const next = (
      await t.query(`SELECT next_run_at FROM backendify.backup_schedules WHERE project_id = $1`, [
        pid,
      ])
    )[0];
    expect(new Date(next.next_run_at).getTime()).toBeGreaterThan(Date.now());
    let rows: { trigger: string; status: string }[] = [];
    for (
      let i = 0;
      i < 100 && !rows.some((r) => r.trigger === 'schedule' && r.status === 'ready');
      i++
    ) {
      await new Promise((r) => setTimeout(r, 200));
      rows = await t.query(`SELECT trigger, status FROM backendify.backups WHERE project_id = $1`, [
        pid,
      ]);
    }
    expect(rows.filter((r) => r.trigger === 'schedule' && r.status === 'ready')).toHaveLength(1);
    expect(rows.filter((r) => r.status === 'ready')).toHaveLength(2);
  });
});
