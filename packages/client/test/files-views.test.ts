import { createHash, randomBytes } from 'node:crypto';
import { BackendifyError, createClient, type ProjectApi } from '../src';
import { newAppUser, newProject, rejection } from './helpers';
import { serverUrl } from './setup/server';

const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Files (multipart and tus), views and functions through the client, against the real server. */
describe('files, views and functions', () => {
  let projectId: string;
  let admin: Awaited<ReturnType<typeof newProject>>['admin'];
  let service: ProjectApi;

  beforeAll(async () => {
    const p = await newProject('Files');
    projectId = p.projectId;
    admin = p.admin;
    const key = await admin.admin.apiKeys(projectId).create({ name: 'svc', kind: 'service' });
    service = createClient({ url: serverUrl(), apiKey: key.api_key }).project(projectId);
  });

  it('manages buckets and uploads, lists, downloads and deletes a file', async () => {
    const files = admin.project(projectId).files;
    const bucket = await files.buckets.create({ name: 'pics', allowed_types: ['image/*'] });
    expect(bucket).toMatchObject({ name: 'pics', is_public: false, file_count: 0 });
    const f = await files.upload(PNG_1X1, { bucket: 'pics', filename: 'dot.png' });
    expect(f).toMatchObject({
      bucket: 'pics',
      content_type: 'image/png',
      size_bytes: PNG_1X1.length,
    });
    expect((await files.list({ bucket: 'pics' })).map((x) => x.id)).toEqual([f.id]);
    expect(sha(await files.download(f.id))).toBe(sha(PNG_1X1));
    expect((await files.buckets.get('pics')).file_count).toBe(1);

    const signed = await files.signedUrl(f.id, { expires_in: 60 });
    const res = await fetch(signed.url);
    expect(res.status).toBe(200);
    expect(sha(new Uint8Array(await res.arrayBuffer()))).toBe(sha(PNG_1X1));

    const refused = await rejection(
      files.upload(Buffer.from('<html>hi</html>'), {
        bucket: 'pics',
        filename: 'x.png',
        contentType: 'image/png',
      }),
    );
    expect(refused).toBeInstanceOf(BackendifyError);
    expect((refused as BackendifyError).status).toBe(415);

    await files.delete(f.id);
    expect(await rejection(files.get(f.id))).toMatchObject({ status: 404 });
    await files.buckets.delete('pics');
  });

  it('uploads resumably over tus in chunks with progress, and resumes from the URL', async () => {
    const files = service.files;
    await admin
      .project(projectId)
      .files.buckets.create({ name: 'big', max_size_bytes: 50 * 1024 * 1024 });
    const bytes = randomBytes(3 * 1024 * 1024 + 123);
    const progress: number[] = [];
    let url = '';
    const f = await files.uploadResumable(bytes, {
      bucket: 'big',
      filename: 'blob.bin',
      chunkSize: 1024 * 1024,
      onProgress: (sent) => progress.push(sent),
      onUrl: (u) => (url = u),
    });
    expect(f).toMatchObject({
      bucket: 'big',
      original_filename: 'blob.bin',
      size_bytes: bytes.length,
    });
    expect(url).toMatch(/\/files\/tus\//);
    expect(progress.length).toBeGreaterThanOrEqual(4);
    expect(progress[progress.length - 1]).toBe(bytes.length);
    expect(sha(await files.download(f.id))).toBe(sha(bytes));

    // An upload cut after its first chunk, continued by a new call with the same URL.
    const second = randomBytes(2 * 1024 * 1024 + 7);
    let cutUrl = '';
    const cut = await rejection(
      files.uploadResumable(second, {
        bucket: 'big',
        filename: 'cut.bin',
        chunkSize: 1024 * 1024,
        retryDelays: [],
        onUrl: (u) => (cutUrl = u),
        onProgress: (sent) => {
          if (sent >= 1024 * 1024) throw new Error('cut');
        },
      }),
    );
    expect(cut).toBeTruthy();
    expect(cutUrl).not.toBe('');
    const head = await fetch(cutUrl, {
      method: 'HEAD',
      headers: { 'tus-resumable': '1.0.0', 'x-api-key': await serviceKeyHeader() },
    });
    const offset = Number(head.headers.get('upload-offset'));
    expect(offset).toBeLessThan(second.length);
    const resumed = await files.uploadResumable(second, {
      bucket: 'big',
      filename: 'cut.bin',
      chunkSize: 1024 * 1024,
      resumeUrl: cutUrl,
    });
    expect(sha(await files.download(resumed.id))).toBe(sha(second));
  });

  it('runs a view by execute and as a read-only collection, under policies', async () => {
    const schema = admin.admin.schema(projectId);
    await schema.collections.create({ name: 'orders', display_name: 'Orders' });
    await schema.fields('orders').create({ name: 'city', field_type: 'string' });
    await schema.fields('orders').create({ name: 'amount', field_type: 'int' });
    await service.collection('orders').bulk({
      create: [
        { city: 'Oslo', amount: 5 },
        { city: 'Oslo', amount: 7 },
        { city: 'Rome', amount: 1 },
      ],
    });
    await admin.request('POST', `/api/projects/${projectId}/views`, {
      body: {
        name: 'by_city',
        base_collection: 'orders',
        filters: [{ field: 'amount', op: 'gte', value: '{{min}}' }],
        params_schema: { min: { type: 'integer', default: 0 } },
        group_by: ['city'],
        aggregates: [
          { fn: 'count', as: 'n' },
          { fn: 'sum', field: 'amount', as: 'total' },
        ],
        sorts: [{ field: 'city' }],
      },
    });
    const run = await service.views.execute<{ city: string; n: number; total: number }>('by_city', {
      params: { min: 2 },
    });
    expect(run).toMatchObject({ view_name: 'by_city', total: 1 });
    expect(run.data).toEqual([expect.objectContaining({ city: 'Oslo', n: 2 })]);
    const listed = await service.views.list<{ city: string }>('by_city', { city__eq: 'Rome' });
    expect(listed.records.map((r) => r.city)).toEqual(['Rome']);
    // An app user with no list policy on orders may not run it.
    const { client } = await newAppUser(projectId);
    expect(await rejection(client.project(projectId).views.execute('by_city'))).toMatchObject({
      status: 403,
    });
  });

  it('invokes a function', async () => {
    await admin.request('POST', `/api/projects/${projectId}/workflows`, {
      body: {
        name: 'echo',
        trigger_type: 'http',
        trigger_config: { slug: 'echo', allowed_principals: ['api_key'] },
        steps: [{ action: 'transform', template: { hello: '{{input.name}}' } }],
      },
    });
    expect(await service.functions.invoke('echo', { name: 'Ada' })).toEqual({ hello: 'Ada' });
    expect(await rejection(service.functions.invoke('missing'))).toMatchObject({ status: 404 });
  });

  it('builds the OAuth start URL', () => {
    const url = service.auth.oauthStartUrl('github', 'http://app.test/cb');
    expect(url).toBe(
      `${serverUrl()}/api/projects/${projectId}/auth/oauth/github/start?redirect_uri=${encodeURIComponent('http://app.test/cb')}`,
    );
  });

  let keyCache: string | null = null;
  async function serviceKeyHeader(): Promise<string> {
    keyCache ??= (await admin.admin.apiKeys(projectId).create({ name: 'head', kind: 'service' }))
      .api_key;
    return keyCache;
  }
});
