import { createTestApp, type TestApp } from './setup/test-app';
import {
  createAdmin,
  createApiKey,
  createProject,
  type TestAdmin,
} from './factories/admin.factory';
import { pngOf, upload } from './setup/files-helpers';
import { addField, createCollection } from './factories/schema.factory';

describe('files', () => {
  let t: TestApp;
  let admin: TestAdmin;
  let outsider: TestAdmin;
  let pid: string;
  const api = (p: string) => `/api/projects/${pid}/files${p}`;
  const appUser = async (email: string) => {
    const res = await t.request('POST', `/api/projects/${pid}/auth/register`, {
      body: { email, password: 'correct horse battery' },
    });
    if (res.status !== 201) throw new Error(`register failed ${res.status} ${res.text}`);
    const me = await t.request('GET', `/api/projects/${pid}/auth/me`, {
      token: res.body.access_token,
    });
    return { token: res.body.access_token as string, id: me.body.id as string };
  };
  const raw = (path: string, headers: Record<string, string> = {}) =>
    fetch(t.baseUrl + path, { headers });

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createAdmin(t);
    outsider = await createAdmin(t);
    pid = (await createProject(t, admin)).id;
  });
  afterAll(() => t.close());

  describe('buckets', () => {
    it('creates, lists, gets, patches and refuses bad input', async () => {
      const created = await t.request('POST', api('/buckets'), {
        token: admin.token,
        body: { name: 'images', allowed_types: ['image/*'], max_size_bytes: 1000 },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        name: 'images',
        is_public: false,
        max_size_bytes: 1000,
        allowed_types: ['image/*'],
        policies: [],
        file_count: 0,
      });
      const dflt = await t.request('POST', api('/buckets'), {
        token: admin.token,
        body: { name: 'docs' },
      });
      expect(dflt.body.max_size_bytes).toBe(10 * 1024 * 1024);
      expect(
        (await t.request('POST', api('/buckets'), { token: admin.token, body: { name: 'docs' } }))
          .status,
      ).toBe(409);
      const bad = await t.request('POST', api('/buckets'), {
        token: admin.token,
        body: { name: '../x' },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
      const badType = await t.request('POST', api('/buckets'), {
        token: admin.token,
        body: { name: 'x1', allowed_types: ['not a type'] },
      });
      expect(badType.status).toBe(400);
      const badPolicy = await t.request('POST', api('/buckets'), {
        token: admin.token,
        body: { name: 'x2', policies: [{ name: 'p', action: 'read', condition: { nope: 1 } }] },
      });
      expect(badPolicy.status).toBe(400);
      expect(badPolicy.body.errors[0].field).toMatch(/^policies\[0\]\.condition/);
      const list = await t.request('GET', api('/buckets'), { token: admin.token });
      expect(list.body.map((b: { name: string }) => b.name)).toEqual(['docs', 'images']);
      expect((await t.request('GET', api('/buckets/images'), { token: admin.token })).status).toBe(
        200,
      );
      expect((await t.request('GET', api('/buckets/nope'), { token: admin.token })).status).toBe(
        404,
      );
      const patched = await t.request('PATCH', api('/buckets/docs'), {
        token: admin.token,
        body: { is_public: true },
      });
      expect(patched.status).toBe(200);
      expect(patched.body.is_public).toBe(true);
      await t.request('PATCH', api('/buckets/docs'), {
        token: admin.token,
        body: { is_public: false },
      });
    });

    it('404 for non-members, 401 without a token, 403 below admin for writes', async () => {
      expect((await t.request('GET', api('/buckets'))).status).toBe(401);
      expect((await t.request('GET', api('/buckets'), { token: outsider.token })).status).toBe(404);
      const dev = await createAdmin(t);
      await t.request('POST', `/api/projects/${pid}/members`, {
        token: admin.token,
        body: { email: dev.email, role: 'developer' },
      });
      expect((await t.request('GET', api('/buckets'), { token: dev.token })).status).toBe(200);
      expect(
        (await t.request('POST', api('/buckets'), { token: dev.token, body: { name: 'devb' } }))
          .status,
      ).toBe(403);
    });
  });

  describe('upload and download', () => {
    let fileId: string;
    const content = 'hello, files! '.repeat(100);

    it('uploads (the original 201 shape) and downloads with the right headers', async () => {
      const res = await upload(t.baseUrl, pid, content, {
        bucket: 'docs',
        filename: 'notes.txt',
        type: 'text/plain',
        token: admin.token,
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        original_filename: 'notes.txt',
        content_type: 'text/plain',
        size_bytes: content.length,
        bucket: 'docs',
        is_public: false,
      });
      expect(Object.keys(res.body).sort()).toEqual(
        [
          'id',
          'filename',
          'original_filename',
          'content_type',
          'size_bytes',
          'bucket',
          'is_public',
          'download_url',
          'created_by_app_user_id',
          'created_at',
        ].sort(),
      );
      fileId = res.body.id;
      expect(res.body.download_url).toBe(`/api/projects/${pid}/files/${fileId}/download`);
      const dl = await raw(res.body.download_url, { authorization: `Bearer ${admin.token}` });
      expect(dl.status).toBe(200);
      expect(await dl.text()).toBe(content);
      expect(dl.headers.get('content-type')).toBe('text/plain');
      expect(dl.headers.get('x-content-type-options')).toBe('nosniff');
      expect(dl.headers.get('content-disposition')).toBe('inline; filename="notes.txt"');
      expect(dl.headers.get('accept-ranges')).toBe('bytes');
      expect(dl.headers.get('etag')).toMatch(/^"[0-9a-f]{40}"$/);
    });

    it('answers Range with 206, If-None-Match with 304, bad ranges with 416', async () => {
      const auth = { authorization: `Bearer ${admin.token}` };
      const url = api(`/${fileId}/download`);
      const part = await raw(url, { ...auth, range: 'bytes=7-11' });
      expect(part.status).toBe(206);
      expect(await part.text()).toBe('files');
      expect(part.headers.get('content-range')).toBe(`bytes 7-11/${content.length}`);
      const tail = await raw(url, { ...auth, range: 'bytes=-3' });
      expect(await tail.text()).toBe(content.slice(-3));
      const etag = (await raw(url, auth)).headers.get('etag') as string;
      const cached = await raw(url, { ...auth, 'if-none-match': etag });
      expect(cached.status).toBe(304);
      const unsat = await raw(url, { ...auth, range: `bytes=${content.length + 10}-` });
      expect(unsat.status).toBe(416);
      expect(unsat.headers.get('content-range')).toBe(`bytes */${content.length}`);
    });

    it('lists (original params and shape), gets one, and reports stats', async () => {
      const list = await t.request('GET', api('?bucket=docs&limit=10'), { token: admin.token });
      expect(list.status).toBe(200);
      expect(Array.isArray(list.body)).toBe(true);
      expect(list.body[0]).toMatchObject({ id: fileId, bucket: 'docs', collection_id: null });
      expect((await t.request('GET', api('?limit=5000'), { token: admin.token })).status).toBe(400);
      const one = await t.request('GET', api(`/${fileId}`), { token: admin.token });
      expect(one.body.download_url).toBeDefined();
      expect((await t.request('GET', api('/not-a-uuid'), { token: admin.token })).status).toBe(404);
      const stats = await t.request('GET', api('/stats'), { token: admin.token });
      expect(stats.body).toMatchObject({ file_count: 1, total_bytes: content.length });
      expect(typeof stats.body.total_mb).toBe('number');
    });

    it('refuses private downloads to anonymous callers and outsiders', async () => {
      expect((await raw(api(`/${fileId}/download`))).status).toBe(401);
      expect(
        (await raw(api(`/${fileId}/download`), { authorization: `Bearer ${outsider.token}` }))
          .status,
      ).toBe(404);
    });

    it('serves public files to anyone', async () => {
      const res = await upload(t.baseUrl, pid, 'public bytes', {
        bucket: 'docs',
        filename: 'pub.txt',
        isPublic: true,
        token: admin.token,
      });
      expect(res.body.is_public).toBe(true);
      const dl = await raw(res.body.download_url);
      expect(dl.status).toBe(200);
      expect(await dl.text()).toBe('public bytes');
    });

    it('checks the sniffed type, not the declared one, and the size limit', async () => {
      const fake = await upload(t.baseUrl, pid, '<html><script>alert(1)</script></html>', {
        bucket: 'images',
        filename: 'evil.png',
        type: 'image/png',
        token: admin.token,
      });
      expect(fake.status).toBe(415);
      expect(fake.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      const png = await upload(t.baseUrl, pid, pngOf(), {
        bucket: 'images',
        filename: 'ok.txt',
        type: 'text/plain',
        token: admin.token,
      });
      expect(png.status).toBe(201);
      expect(png.body.content_type).toBe('image/png');
      const big = await upload(
        t.baseUrl,
        pid,
        pngOf(40, 40, [1, 2, 3]).toString('latin1') + 'x'.repeat(2000),
        {
          bucket: 'images',
          filename: 'big.png',
          token: admin.token,
        },
      );
      expect(big.status).toBe(413);
      expect(big.body.code).toBe('PAYLOAD_TOO_LARGE');
      // Fields after the file are honoured too (the original read the whole form).
      const late = await upload(t.baseUrl, pid, '<svg/>', {
        bucket: 'images',
        filename: 'late.svg',
        token: admin.token,
        fieldsAfter: true,
      });
      expect(late.status).toBe(415);
      const rows = await t.query(
        `SELECT count(*)::int AS n FROM backendify.files WHERE bucket = 'images'`,
      );
      expect(rows[0].n).toBe(1);
    });

    it('makes hostile names harmless (storage keys are generated)', async () => {
      const names = [
        '../../etc/passwd',
        'C:\\Windows\\x.exe',
        'a"b\r\nX-Evil: 1.txt',
        '\u202egnp.exe',
        '....',
        '',
      ];
      for (const name of names) {
        const res = await upload(t.baseUrl, pid, 'x', {
          bucket: 'docs',
          filename: name,
          token: admin.token,
        });
        expect(res.status).toBe(201);
        expect(res.body.original_filename).not.toMatch(/[\\/\r\n\u202e]/);
        const [row] = await t.query(`SELECT storage_key FROM backendify.files WHERE id = $1`, [
          res.body.id,
        ]);
        expect(row.storage_key).toBe(`${pid}/${res.body.id}`);
        const dl = await raw(res.body.download_url, { authorization: `Bearer ${admin.token}` });
        expect(dl.status).toBe(200);
        expect(dl.headers.get('content-disposition')).not.toMatch(/[\r\n]/);
        expect(dl.headers.get('x-evil')).toBeNull();
      }
    });
  });

  describe('signed URLs', () => {
    let fileId: string;
    beforeAll(async () => {
      const res = await upload(t.baseUrl, pid, 'secret', {
        bucket: 'docs',
        filename: 's.txt',
        token: admin.token,
      });
      fileId = res.body.id;
    });

    it('downloads without credentials until expiry; tampering is 403 SIGNED_URL_INVALID', async () => {
      const s = await t.request('POST', api(`/${fileId}/signed-url`), {
        token: admin.token,
        body: { expires_in: 60 },
      });
      expect(s.status).toBe(201);
      expect(new Date(s.body.expires_at).getTime()).toBeGreaterThan(Date.now());
      const ok = await raw(s.body.url);
      expect(ok.status).toBe(200);
      expect(await ok.text()).toBe('secret');
      const u = new URL(s.body.url, t.baseUrl);
      const sig = u.searchParams.get('sig') as string;
      u.searchParams.set('sig', (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1));
      const tampered = await t.request('GET', u.pathname + u.search);
      expect(tampered.status).toBe(403);
      expect(tampered.body.code).toBe('SIGNED_URL_INVALID');
      const v = new URL(s.body.url, t.baseUrl);
      v.searchParams.set('expires', String(Number(v.searchParams.get('expires')) + 1000));
      expect((await t.request('GET', v.pathname + v.search)).body.code).toBe('SIGNED_URL_INVALID');
      // Another file's id with this signature.
      const other = await upload(t.baseUrl, pid, 'other', { bucket: 'docs', token: admin.token });
      const moved = s.body.url.replace(fileId, other.body.id);
      expect((await t.request('GET', moved)).body.code).toBe('SIGNED_URL_INVALID');
    });

    it('refuses an expired URL with 403 SIGNED_URL_EXPIRED', async () => {
      const s = await t.request('POST', api(`/${fileId}/signed-url`), {
        token: admin.token,
        body: { expires_in: 1 },
      });
      await new Promise((r) => setTimeout(r, 2100));
      const res = await t.request('GET', s.body.url);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('SIGNED_URL_EXPIRED');
    });

    it('validates expires_in', async () => {
      const res = await t.request('POST', api(`/${fileId}/signed-url`), {
        token: admin.token,
        body: { expires_in: 0 },
      });
      expect(res.status).toBe(400);
    });

    it('signed upload URLs upload without other credentials, once valid', async () => {
      const s = await t.request('POST', api('/signed-upload-url'), {
        token: admin.token,
        body: { bucket: 'docs', filename: 'via-url.txt', expires_in: 60 },
      });
      expect(s.status).toBe(201);
      const put = await fetch(t.baseUrl + s.body.url, {
        method: 'PUT',
        headers: { 'content-type': 'application/octet-stream' },
        body: 'uploaded by url',
      });
      expect(put.status).toBe(201);
      const body = await put.json();
      expect(body).toMatchObject({
        original_filename: 'via-url.txt',
        bucket: 'docs',
        size_bytes: 15,
      });
      const bad = await fetch(t.baseUrl + s.body.url.replace(/token=./, 'token=x'), {
        method: 'PUT',
        headers: { 'content-type': 'application/octet-stream' },
        body: 'nope',
      });
      expect(bad.status).toBe(403);
      expect(((await bad.json()) as { code: string }).code).toBe('SIGNED_URL_INVALID');
    });
  });

  describe('policies for app users and API keys', () => {
    let alice: { token: string; id: string };
    let bob: { token: string; id: string };
    let aliceFile: string;

    beforeAll(async () => {
      await t.request('POST', api('/buckets'), {
        token: admin.token,
        body: {
          name: 'avatars',
          policies: [
            {
              name: 'own read',
              action: 'read',
              allowed_principals: ['app_user'],
              condition: { created_by_app_user_id: '$current_app_user_id' },
            },
            {
              name: 'own write',
              action: 'write',
              allowed_principals: ['app_user'],
              condition: { created_by_app_user_id: '$current_app_user_id' },
            },
          ],
        },
      });
      alice = await appUser('alice@example.com');
      bob = await appUser('bob@example.com');
    });

    it('lets app users upload where the write policy allows, owning the file', async () => {
      const res = await upload(t.baseUrl, pid, pngOf(), {
        bucket: 'avatars',
        filename: 'a.png',
        token: alice.token,
      });
      expect(res.status).toBe(201);
      expect(res.body.created_by_app_user_id).toBe(alice.id);
      aliceFile = res.body.id;
      // No policy on docs: app users may not upload there.
      const denied = await upload(t.baseUrl, pid, 'x', { bucket: 'docs', token: alice.token });
      expect(denied.status).toBe(403);
      expect((await upload(t.baseUrl, pid, 'x', { bucket: 'avatars' })).status).toBe(401);
    });

    it('owner policy: only the owner lists, reads, downloads and deletes', async () => {
      await upload(t.baseUrl, pid, pngOf(2, 2), {
        bucket: 'avatars',
        filename: 'b.png',
        token: bob.token,
      });
      const aList = await t.request('GET', api('?bucket=avatars'), { token: alice.token });
      expect(aList.status).toBe(200);
      expect(aList.body.map((f: { id: string }) => f.id)).toEqual([aliceFile]);
      const all = await t.request('GET', api(''), { token: alice.token });
      expect(all.body.map((f: { id: string }) => f.id)).toEqual([aliceFile]);
      expect(
        (await raw(api(`/${aliceFile}/download`), { authorization: `Bearer ${alice.token}` }))
          .status,
      ).toBe(200);
      expect(
        (await raw(api(`/${aliceFile}/download`), { authorization: `Bearer ${bob.token}` })).status,
      ).toBe(404);
      expect((await t.request('GET', api(`/${aliceFile}`), { token: bob.token })).status).toBe(404);
      expect(
        (await t.request('POST', api(`/${aliceFile}/signed-url`), { token: bob.token, body: {} }))
          .status,
      ).toBe(404);
      expect((await t.request('DELETE', api(`/${aliceFile}`), { token: bob.token })).status).toBe(
        404,
      );
      expect((await t.request('GET', api('/stats'), { token: alice.token })).status).toBe(403);
      expect((await t.request('GET', api('?bucket=docs'), { token: alice.token })).status).toBe(
        403,
      );
    });

    it('API keys pass where there are no policies (as collections) and are gated where there are', async () => {
      const key = await createApiKey(t, admin, pid);
      const up = await upload(t.baseUrl, pid, 'by key', {
        bucket: 'docs',
        filename: 'k.txt',
        apiKey: key.api_key,
      });
      expect(up.status).toBe(201);
      expect(
        (await upload(t.baseUrl, pid, pngOf(), { bucket: 'avatars', apiKey: key.api_key })).status,
      ).toBe(403);
    });

    it('the owner deletes their file (row and object)', async () => {
      const res = await t.request('DELETE', api(`/${aliceFile}`), { token: alice.token });
      expect(res.status).toBe(204);
      expect((await t.request('GET', api(`/${aliceFile}`), { token: admin.token })).status).toBe(
        404,
      );
    });
  });

  describe('force delete and orphans', () => {
    it('a non-empty bucket needs force, which removes its files', async () => {
      await t.request('POST', api('/buckets'), { token: admin.token, body: { name: 'tmp' } });
      const f = await upload(t.baseUrl, pid, 'temp', { bucket: 'tmp', token: admin.token });
      const res = await t.request('DELETE', api('/buckets/tmp'), { token: admin.token });
      expect(res.status).toBe(409);
      expect(res.body.errors[0].rule).toBe('bucket_not_empty');
      expect(
        (await t.request('DELETE', api('/buckets/tmp?force=true'), { token: admin.token })).status,
      ).toBe(204);
      expect((await t.request('GET', api(`/${f.body.id}`), { token: admin.token })).status).toBe(
        404,
      );
      const orphans = await t.request('GET', api('/orphans'), { token: admin.token });
      expect(orphans.body.objects_without_rows).toEqual([]);
    });

    it('reports rows without objects and objects without rows', async () => {
      const a = await upload(t.baseUrl, pid, 'will lose its object', {
        bucket: 'docs',
        token: admin.token,
      });
      const b = await upload(t.baseUrl, pid, 'will lose its row', {
        bucket: 'docs',
        token: admin.token,
      });
      const { rmSync } = await import('node:fs');
      const { join } = await import('node:path');
      rmSync(join(t.config.dataDir, 'files', pid, a.body.id));
      await t.query(`DELETE FROM backendify.files WHERE id = $1`, [b.body.id]);
      const res = await t.request('GET', api('/orphans'), { token: admin.token });
      expect(res.status).toBe(200);
      expect(res.body.driver).toBe('local');
      expect(res.body.rows_without_objects.map((r: { id: string }) => r.id)).toEqual([a.body.id]);
      expect(res.body.objects_without_rows).toEqual([
        { key: `${pid}/${b.body.id}`, size_bytes: 17 },
      ]);
    });
  });

  describe('image variants', () => {
    let img: { id: string; download_url: string };
    beforeAll(async () => {
      img = (
        await upload(t.baseUrl, pid, pngOf(300, 200), {
          bucket: 'docs',
          filename: 'photo.png',
          token: admin.token,
        })
      ).body;
    });
    const auth = () => ({ authorization: `Bearer ${admin.token}` });

    it('serves preset sizes in webp, avif and jpeg, cached, with the right type', async () => {
      const sharp = (await import('sharp')).default;
      for (const [format, type] of [
        ['webp', 'image/webp'],
        ['avif', 'image/avif'],
        ['jpeg', 'image/jpeg'],
      ]) {
        const res = await raw(`${img.download_url}?width=128&format=${format}`, auth());
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe(type);
        const info = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
        expect(info.width).toBe(128);
        expect(info.format).toBe(format === 'avif' ? 'heif' : format);
      }
      const again = await raw(`${img.download_url}?width=128&format=webp`, auth());
      const etag = again.headers.get('etag') as string;
      expect(
        (
          await raw(`${img.download_url}?width=128&format=webp`, {
            ...auth(),
            'if-none-match': etag,
          })
        ).status,
      ).toBe(304);
      // Variants of a live file are not orphans (the earlier test left one real orphan).
      const cached = await t.request('GET', api('/orphans'), { token: admin.token });
      const keys = cached.body.objects_without_rows.map((o: { key: string }) => o.key);
      expect(keys.filter((k: string) => k.includes('/variants/'))).toEqual([]);
    });

    it('refuses other sizes unless signed, and non-images', async () => {
      const odd = await t.request('GET', `${img.download_url}?width=123`, { token: admin.token });
      expect(odd.status).toBe(403);
      const bad = await t.request('GET', `${img.download_url}?format=gif`, { token: admin.token });
      expect(bad.status).toBe(400);
      const s = await t.request('POST', api(`/${img.id}/signed-url`), {
        token: admin.token,
        body: { width: 123, height: 45, fit: 'cover', format: 'jpeg' },
      });
      const signed = await raw(s.body.url);
      expect(signed.status).toBe(200);
      expect(signed.headers.get('content-type')).toBe('image/jpeg');
      const sharp = (await import('sharp')).default;
      const meta = await sharp(Buffer.from(await signed.arrayBuffer())).metadata();
      expect([meta.width, meta.height]).toEqual([123, 45]);
      // The signature covers the size: changing it breaks the URL.
      const changed = await t.request('GET', s.body.url.replace('width=123', 'width=124'));
      expect(changed.body.code).toBe('SIGNED_URL_INVALID');
      const txt = await upload(t.baseUrl, pid, 'not an image', {
        bucket: 'docs',
        token: admin.token,
      });
      const notImg = await t.request('GET', `${txt.body.download_url}?width=128`, {
        token: admin.token,
      });
      expect(notImg.status).toBe(400);
    });
  });

  describe('file fields', () => {
    let avatarId: string;
    let otherBucketFile: string;
    beforeAll(async () => {
      await t.request('POST', api('/buckets'), { token: admin.token, body: { name: 'covers' } });
      await createCollection(t, admin, pid, 'posts');
      await addField(t, admin, pid, 'posts', { name: 'title', field_type: 'string' });
      await addField(t, admin, pid, 'posts', {
        name: 'cover',
        field_type: 'file',
        options: { bucket: 'covers', delete_files_with_record: true },
      });
      await addField(t, admin, pid, 'posts', { name: 'attachment', field_type: 'file' });
      avatarId = (
        await upload(t.baseUrl, pid, pngOf(), {
          bucket: 'covers',
          filename: 'c.png',
          token: admin.token,
        })
      ).body.id;
      otherBucketFile = (
        await upload(t.baseUrl, pid, 'doc', { bucket: 'docs', token: admin.token })
      ).body.id;
    });
    const data = (p = '') => `/api/projects/${pid}/data/posts${p}`;

    it('validates options', async () => {
      const res = await t.request('POST', `/api/projects/${pid}/schema/collections/posts/fields`, {
        token: admin.token,
        body: {
          name: 'f2',
          display_name: 'f2',
          field_type: 'file',
          options: { delete_files_with_record: 'yes' },
        },
      });
      expect(res.status).toBe(400);
    });

    it('holds a file id that must exist in the field bucket', async () => {
      const wrongBucket = await t.request('POST', data(), {
        token: admin.token,
        body: { title: 'x', cover: otherBucketFile },
      });
      expect(wrongBucket.status).toBe(400);
      expect(wrongBucket.body.errors[0]).toMatchObject({ field: 'cover', rule: 'file_not_found' });
      const missing = await t.request('POST', data(), {
        token: admin.token,
        body: { title: 'x', attachment: '00000000-0000-4000-8000-000000000000' },
      });
      expect(missing.status).toBe(400);
      const notUuid = await t.request('POST', data(), {
        token: admin.token,
        body: { cover: 'abc' },
      });
      expect(notUuid.status).toBe(400);
      const ok = await t.request('POST', data(), {
        token: admin.token,
        body: { title: 'with cover', cover: avatarId, attachment: otherBucketFile },
      });
      expect(ok.status).toBe(201);
      expect(ok.body.cover).toBe(avatarId);
    });

    it('expand=<file field> gives metadata and a URL that works', async () => {
      const list = await t.request('GET', data('?expand=cover,attachment'), { token: admin.token });
      expect(list.status).toBe(200);
      const rec = list.body.records[0];
      expect(rec.cover).toMatchObject({
        id: avatarId,
        bucket: 'covers',
        content_type: 'image/png',
      });
      expect(rec.attachment.id).toBe(otherBucketFile);
      const img = await raw(rec.cover.url);
      expect(img.status).toBe(200);
      expect(img.headers.get('content-type')).toBe('image/png');
      const one = await t.request('GET', data(`/${rec.id}?expand=cover`), { token: admin.token });
      expect(one.body.cover.id).toBe(avatarId);
      expect(one.body.attachment).toBe(otherBucketFile);
      const plain = await t.request('GET', data(`/${rec.id}`), { token: admin.token });
      expect(plain.body.cover).toBe(avatarId);
    });

    it('delete_files_with_record deletes the file with its record (others stay)', async () => {
      const list = await t.request('GET', data(), { token: admin.token });
      const id = list.body.records[0].id;
      expect((await t.request('DELETE', data(`/${id}`), { token: admin.token })).status).toBe(204);
      let gone = 0;
      for (let i = 0; i < 50 && gone !== 404; i++) {
        gone = (await t.request('GET', api(`/${avatarId}`), { token: admin.token })).status;
        if (gone !== 404) await new Promise((r) => setTimeout(r, 100));
      }
      expect(gone).toBe(404);
      expect(
        (await t.request('GET', api(`/${otherBucketFile}`), { token: admin.token })).status,
      ).toBe(200);
    });
  });
});
