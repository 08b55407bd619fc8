import { createTestApp, type TestApp } from './setup/test-app';
import {
  createAdmin,
  createApiKey,
  createProject,
  type TestAdmin,
} from './factories/admin.factory';
import { addField, createCollection } from './factories/schema.factory';

const LIMIT = 4096;

/** Issue 9.7: imports are bounded by IMPORT_MAX_BYTES, counted on the stream, all or nothing. */
describe('import size limit', () => {
  let t: TestApp;
  let admin: TestAdmin;
  let pid: string;
  let key: string;
  const importUrl = () => `/api/projects/${pid}/data/rows/import`;
  const count = async () =>
    (await t.request('GET', `/api/projects/${pid}/data/rows?limit=1`, { apiKey: key })).body
      .total as number;

  beforeAll(async () => {
    t = await createTestApp({ IMPORT_MAX_BYTES: String(LIMIT) });
    admin = await createAdmin(t);
    pid = (await createProject(t, admin)).id;
    key = (await createApiKey(t, admin, pid)).api_key;
    await createCollection(t, admin, pid, 'rows');
    await addField(t, admin, pid, 'rows', { name: 'label', field_type: 'text' });
  });
  afterAll(() => t.close());

  const expectTooLarge = (res: { status: number; body: { code: string } }) => {
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  };

  it('a CSV under the limit is imported', async () => {
    const res = await t.request('POST', importUrl(), {
      apiKey: key,
      rawBody: `label\n${'a'.repeat(LIMIT - 100)}\n`,
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.body).toEqual({ inserted: 1 });
  });

  it('a CSV with one cell over the limit is 413 and writes nothing', async () => {
    const before = await count();
    const res = await t.request('POST', importUrl(), {
      apiKey: key,
      rawBody: `label\nsmall\n${'b'.repeat(LIMIT * 3)}\n`,
      headers: { 'content-type': 'text/csv' },
    });
    expectTooLarge(res);
    expect(await count()).toBe(before);
  });

  it('a streamed CSV without Content-Length is counted while it arrives', async () => {
    const before = await count();
    const lines = Array.from({ length: 2000 }, (_, i) => `row ${i}\n`);
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode('label\n'));
        for (let i = 0; i < lines.length; i += 100)
          controller.enqueue(encoder.encode(lines.slice(i, i + 100).join('')));
        controller.close();
      },
    });
    const res = await fetch(`${t.baseUrl}${importUrl()}`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', 'x-api-key': key },
      body,
      duplex: 'half',
    } as RequestInit & { duplex: 'half' });
    expectTooLarge({ status: res.status, body: (await res.json()) as { code: string } });
    expect(await count()).toBe(before);
  });

  it('a JSON array import over the limit is 413', async () => {
    const before = await count();
    const rows = Array.from({ length: 200 }, (_, i) => ({
      label: `json row ${i} ${'x'.repeat(20)}`,
    }));
    expectTooLarge(await t.request('POST', importUrl(), { apiKey: key, body: rows }));
    expect(await count()).toBe(before);
    const small = await t.request('POST', importUrl(), { apiKey: key, body: rows.slice(0, 5) });
    expect(small.body).toEqual({ inserted: 5 });
  });

  it.each([
    ['rows.csv', 'text/csv', `label\n${'c'.repeat(LIMIT * 2)}\n`],
    ['rows.json', 'application/json', JSON.stringify([{ label: 'd'.repeat(LIMIT * 2) }])],
  ])('a multipart file %s over the limit is 413', async (name, type, content) => {
    const before = await count();
    const form = new FormData();
    form.append('file', new Blob([content], { type }), name);
    const res = await fetch(`${t.baseUrl}${importUrl()}`, {
      method: 'POST',
      headers: { 'x-api-key': key },
      body: form,
    });
    expectTooLarge({ status: res.status, body: (await res.json()) as { code: string } });
    expect(await count()).toBe(before);
  });

  it('other JSON routes keep their own 10 MiB limit, unaffected by IMPORT_MAX_BYTES', async () => {
    const res = await t.request('POST', `/api/projects/${pid}/data/rows`, {
      apiKey: key,
      body: { label: 'e'.repeat(LIMIT * 4) },
    });
    expect(res.status).toBe(201);
  });
});
