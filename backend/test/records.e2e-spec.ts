import { createTestApp, type TestApp } from './setup/test-app';
import {
  createAdmin,
  createApiKey,
  createProject,
  type TestAdmin,
} from './factories/admin.factory';
import { addField, createCollection, schemaOf } from './factories/schema.factory';

describe('data API', () => {
  let t: TestApp;
  let admin: TestAdmin;
  let pid: string;
  let key: string;
  const data = (path = '') => `/api/projects/${pid}/data/items${path}`;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createAdmin(t);
    pid = (await createProject(t, admin)).id;
    key = (await createApiKey(t, admin, pid)).api_key;
    await createCollection(t, admin, pid, 'items');
    await addField(t, admin, pid, 'items', {
      name: 'title',
      field_type: 'string',
      is_required: true,
      is_indexed: true,
    });
    await addField(t, admin, pid, 'items', { name: 'price', field_type: 'int', is_indexed: true });
    await addField(t, admin, pid, 'items', {
      name: 'status',
      field_type: 'enum',
      options: { values: ['new', 'sold'] },
    });
    await addField(t, admin, pid, 'items', {
      name: 'ratio',
      field_type: 'decimal',
      options: { precision: 6, scale: 2 },
    });
    await addField(t, admin, pid, 'items', { name: 'active', field_type: 'bool' });
    await addField(t, admin, pid, 'items', { name: 'meta', field_type: 'json' });
    await addField(t, admin, pid, 'items', { name: 'day', field_type: 'date' });
    await addField(t, admin, pid, 'items', { name: 'sku', field_type: 'string', is_unique: true });
  });
  afterAll(() => t.close());

  it('creates, reads, updates and deletes with typed values', async () => {
    const created = await t.request('POST', data(), {
      apiKey: key,
      body: {
        title: 'Lamp',
        price: 12,
        status: 'new',
        ratio: '1.50',
        active: true,
        meta: { a: [1] },
        day: '2024-02-29',
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      title: 'Lamp',
      price: 12,
      status: 'new',
      ratio: '1.50',
      active: true,
      meta: { a: [1] },
      day: '2024-02-29',
    });
    expect(typeof created.body.id).toBe('number');
    expect(created.body.created_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    const id = created.body.id;
    expect((await t.request('GET', data(`/${id}`), { apiKey: key })).body.title).toBe('Lamp');
    const upd = await t.request('PATCH', data(`/${id}`), { apiKey: key, body: { price: 15 } });
    expect(upd.status).toBe(200);
    expect(upd.body).toMatchObject({ title: 'Lamp', price: 15 });
    expect(new Date(upd.body.updated_at).getTime()).toBeGreaterThanOrEqual(
      new Date(created.body.updated_at).getTime(),
    );
    expect((await t.request('DELETE', data(`/${id}`), { apiKey: key })).status).toBe(204);
    expect((await t.request('GET', data(`/${id}`), { apiKey: key })).status).toBe(404);
    expect((await t.request('DELETE', data(`/${id}`), { apiKey: key })).status).toBe(404);
    expect((await t.request('GET', data(`/abc`), { apiKey: key })).status).toBe(404);
  });

  it('records the admin who created a row', async () => {
    const res = await t.request('POST', data(), {
      token: admin.token,
      body: { title: 'by admin' },
    });
    expect(res.body.created_by_user_id).toBe(admin.id);
  });

  it.each([
    [{ price: 1 }, 'title', 'required'],
    [{ title: 'x', price: 'abc' }, 'price', 'type'],
    [{ title: 'x', price: 1.5 }, 'price', 'type'],
    [{ title: 'x', status: 'unknown' }, 'status', 'type'],
    [{ title: 'x', day: '2023-02-29' }, 'day', 'type'],
    [{ title: 'x', active: 'yes' }, 'active', 'type'],
    [{ title: 'x', nope: 1 }, 'nope', 'unknown_field'],
    [{ title: 'x', id: 5 }, 'id', 'read_only'],
    [{ title: 'x', created_by_app_user_id: 'u' }, 'created_by_app_user_id', 'read_only'],
  ])('rejects %j with 400 naming %s', async (body, field, rule) => {
    const res = await t.request('POST', data(), { apiKey: key, body });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field, rule })]),
    );
  });

  it('rejects non-object bodies and malformed JSON with 400', async () => {
    expect((await t.request('POST', data(), { apiKey: key, body: [1, 2] })).status).toBe(400);
    expect(
      (
        await t.request('POST', data(), {
          apiKey: key,
          rawBody: '{',
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(400);
  });

  it('maps unique violations to 409 naming the field', async () => {
    await t.request('POST', data(), { apiKey: key, body: { title: 'a', sku: 'SKU-1' } });
    const dup = await t.request('POST', data(), {
      apiKey: key,
      body: { title: 'b', sku: 'SKU-1' },
    });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('UNIQUE_VIOLATION');
    expect(dup.body.errors[0].field).toBe('sku');
    expect(dup.text).not.toMatch(/duplicate key|constraint|INSERT/i);
  });

  describe('listing', () => {
    beforeAll(async () => {
      await t.query(`DELETE FROM ${schemaOf(pid)}.items`);
      const create = Array.from({ length: 30 }, (_, i) => ({
        title: `Item ${i} ${i % 3 === 0 ? 'abc' : 'xyz'}`,
        price: i * 10,
        status: i % 2 ? 'sold' : 'new',
        active: i % 2 === 0,
      }));
      const res = await t.request('POST', data('/bulk'), { apiKey: key, body: { create } });
      expect(res.status).toBe(200);
    });

    it('returns the original shape with total', async () => {
      const res = await t.request('GET', data('?limit=5'), { apiKey: key });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: 30, limit: 5, offset: 0 });
      expect(res.body.records).toHaveLength(5);
      expect(typeof res.body.next_cursor).toBe('string');
    });

    it.each([
      ['price__gte=200', 10],
      ['price__lt=50', 5],
      ['price__between=100,150', 6],
      ['status=sold', 15],
      ['status__in=new,sold', 30],
      ['status__neq=sold', 15],
      ['title__contains=abc', 10],
      ['title__icontains=ABC', 10],
      ['title__startswith=Item%201', 11],
      ['title__endswith=xyz', 20],
      ['active=true', 15],
      ['sku__isnull=true', 30],
      ['price__notin=0,10', 28],
      ['title__like=Item%25abc', 10],
      ['search=abc', 10],
      [
        `filter=${encodeURIComponent(
          JSON.stringify({
            or: [
              { field: 'price', op: 'lt', value: 20 },
              { field: 'price', op: 'gt', value: 270 },
            ],
          }),
        )}`,
        4,
      ],
      [
        `filter=${encodeURIComponent(JSON.stringify({ not: { field: 'status', op: 'eq', value: 'new' } }))}`,
        15,
      ],
    ])('filters %s → %d rows', async (qs, expected) => {
      const res = await t.request('GET', data(`?${qs}&limit=100`), { apiKey: key });
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(expected);
      expect(res.body.records).toHaveLength(expected);
    });

    it('sorts, projects and skips the count', async () => {
      const res = await t.request(
        'GET',
        data('?sort=-price&fields=title,price&limit=3&count=false'),
        { apiKey: key },
      );
      expect(res.body.records.map((r: { price: number }) => r.price)).toEqual([290, 280, 270]);
      expect(Object.keys(res.body.records[0]).sort()).toEqual(['id', 'price', 'title']);
      expect(res.body.total).toBeNull();
    });

    it('visits every row exactly once with keyset cursors', async () => {
      const seen: number[] = [];
      let after: string | null = null;
      for (let i = 0; i < 20; i++) {
        const qs: string = `?sort=status,-price&limit=7${after ? `&after=${encodeURIComponent(after)}` : ''}`;
        const res = await t.request('GET', data(qs), { apiKey: key });
        expect(res.status).toBe(200);
        seen.push(...res.body.records.map((r: { id: number }) => r.id));
        after = res.body.next_cursor;
        if (!after) break;
      }
      expect(seen).toHaveLength(30);
      expect(new Set(seen).size).toBe(30);
    });

    it('pages a substring search (one-pass page and total) exactly once per row', async () => {
      const seen: number[] = [];
      let after: string | null = null;
      for (let i = 0; i < 20; i++) {
        const qs: string = `?title__contains=Item&sort=-price&limit=4${after ? `&after=${encodeURIComponent(after)}` : ''}`;
        const res = await t.request('GET', data(qs), { apiKey: key });
        expect(res.status).toBe(200);
        expect(res.body.total).toBe(30);
        seen.push(...res.body.records.map((r: { price: number }) => r.price));
        after = res.body.next_cursor;
        if (!after) break;
      }
      expect(seen).toEqual([...seen].sort((a, b) => b - a));
      expect(new Set(seen).size).toBe(30);
      const offsetPage = await t.request(
        'GET',
        data('?title__icontains=abc&sort=price&limit=3&offset=3'),
        { apiKey: key },
      );
      expect(offsetPage.body.total).toBe(10);
      expect(offsetPage.body.records.map((r: { price: number }) => r.price)).toEqual([
        90, 120, 150,
      ]);
    });

    it.each([
      'nope=1',
      'price__zz=1',
      'price__gte=abc',
      'price__contains=1',
      'limit=1001',
      'limit=0',
      'offset=-1',
      'sort=nope',
      'after=garbage',
      'after=x&offset=5',
      'filter={bad',
      `filter=${encodeURIComponent(JSON.stringify({ field: 'price', op: 'gte', value: 'x' }))}`,
      'active=maybe',
      'expand=nope',
    ])('answers %s with 400 problem+json', async (qs) => {
      const res = await t.request('GET', data(`?${qs}`), { apiKey: key });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.text).not.toMatch(/SELECT|syntax error|stack/i);
    });
  });

  it('bulk is all or nothing', async () => {
    const before = (await t.request('GET', data('?count=true&limit=1'), { apiKey: key })).body
      .total;
    const bad = await t.request('POST', data('/bulk'), {
      apiKey: key,
      body: { create: [{ title: 'ok 1' }, { title: 'ok 2' }, { price: 'bad' }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].row).toBe(2);
    const dupes = await t.request('POST', data('/bulk'), {
      apiKey: key,
      body: {
        create: [
          { title: 'u1', sku: 'SAME' },
          { title: 'u2', sku: 'SAME' },
        ],
      },
    });
    expect(dupes.status).toBe(409);
    const missing = await t.request('POST', data('/bulk'), {
      apiKey: key,
      body: { create: [{ title: 'z' }], delete: [999999] },
    });
    expect(missing.status).toBe(404);
    expect((await t.request('GET', data('?limit=1'), { apiKey: key })).body.total).toBe(before);
    const rows = (await t.request('GET', data('?limit=2&sort=id'), { apiKey: key })).body.records;
    const ok = await t.request('POST', data('/bulk'), {
      apiKey: key,
      body: {
        create: [{ title: 'new one' }],
        update: [{ id: rows[0].id, price: 7 }],
        delete: [rows[1].id],
      },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.created).toHaveLength(1);
    expect(ok.body.updated[0].price).toBe(7);
    expect(ok.body.deleted).toEqual([rows[1].id]);
    expect(
      (await t.request('POST', data('/bulk'), { apiKey: key, body: { creat: [] } })).status,
    ).toBe(400);
  });

  it('exports CSV and JSON and round-trips through import', async () => {
    const json = await t.request('GET', data('/export?format=json&price__gte=100'), {
      apiKey: key,
    });
    expect(json.status).toBe(200);
    expect(json.headers.get('content-disposition')).toContain('items.json');
    expect(Array.isArray(json.body)).toBe(true);
    const csv = await t.request('GET', data('/export?format=csv&sort=id'), { apiKey: key });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toContain('title');
    expect((await t.request('GET', data('/export?format=xml'), { apiKey: key })).status).toBe(400);

    await createCollection(t, admin, pid, 'copies');
    for (const f of ['title', 'status'])
      await addField(t, admin, pid, 'copies', { name: f, field_type: 'string' });
    await addField(t, admin, pid, 'copies', { name: 'price', field_type: 'int' });
    const exported = (
      await t.request('GET', data('/export?format=csv&fields=title,price,status'), { apiKey: key })
    ).text;
    const imported = await t.request('POST', `/api/projects/${pid}/data/copies/import`, {
      apiKey: key,
      rawBody: exported,
      headers: { 'content-type': 'text/csv' },
    });
    expect(imported.status).toBe(200);
    expect(imported.body.inserted).toBe(lines.length - 1);
    const badCsv = 'title,price\nfine,1\nbad,notanumber\n';
    const bad = await t.request('POST', `/api/projects/${pid}/data/copies/import`, {
      apiKey: key,
      rawBody: badCsv,
      headers: { 'content-type': 'text/csv' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ row: 2, field: 'price' });
    const form = new FormData();
    form.append('file', new Blob(['title,price\nfrom file,9\n'], { type: 'text/csv' }), 'rows.csv');
    const multipart = await fetch(`${t.baseUrl}/api/projects/${pid}/data/copies/import`, {
      method: 'POST',
      headers: { 'x-api-key': key },
      body: form,
    });
    expect(multipart.status).toBe(200);
    expect(await multipart.json()).toEqual({ inserted: 1 });
    const jsonImport = await t.request('POST', `/api/projects/${pid}/data/copies/import`, {
      apiKey: key,
      body: [{ title: 'j', price: 3 }],
    });
    expect(jsonImport.body).toEqual({ inserted: 1 });
    const total = (
      await t.request('GET', `/api/projects/${pid}/data/copies?limit=1`, { apiKey: key })
    ).body.total;
    expect(total).toBe(lines.length + 1);
  });

  it('streams a large CSV import in one transaction: a bad last row writes nothing', async () => {
    await createCollection(t, admin, pid, 'bulkload');
    await addField(t, admin, pid, 'bulkload', { name: 'n', field_type: 'int' });
    await addField(t, admin, pid, 'bulkload', { name: 'label', field_type: 'string' });
    const rows = Array.from({ length: 5000 }, (_, i) => `${i},"row, ${i}"`);
    const bad = await t.request('POST', `/api/projects/${pid}/data/bulkload/import`, {
      apiKey: key,
      rawBody: `n,label\n${rows.join('\n')}\nnot-a-number,x\n`,
      headers: { 'content-type': 'text/csv' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ row: 5001, field: 'n' })]);
    expect(
      (await t.request('GET', `/api/projects/${pid}/data/bulkload?limit=1`, { apiKey: key })).body
        .total,
    ).toBe(0);
    const ok = await t.request('POST', `/api/projects/${pid}/data/bulkload/import`, {
      apiKey: key,
      rawBody: `n,label\n${rows.join('\n')}\n`,
      headers: { 'content-type': 'text/csv' },
    });
    expect(ok.body).toEqual({ inserted: 5000 });
    const last = await t.request('GET', `/api/projects/${pid}/data/bulkload?n=4999`, {
      apiKey: key,
    });
    expect(last.body.records[0].label).toBe('row, 4999');
    const broken = await t.request('POST', `/api/projects/${pid}/data/bulkload/import`, {
      apiKey: key,
      rawBody: 'n,label\n1,"unterminated\n',
      headers: { 'content-type': 'text/csv' },
    });
    expect(broken.status).toBe(400);
  });

  it('runs validation rules on every create, update and bulk write', async () => {
    const rule = await t.request(
      'POST',
      `/api/projects/${pid}/validations/collections/items/fields/title/rules`,
      {
        token: admin.token,
        body: { rule_type: 'min_length', config: { min: 3 }, error_message: 'Title too short' },
      },
    );
    expect(rule.status).toBe(201);
    const bad = await t.request('POST', data(), { apiKey: key, body: { title: 'ab' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([
      expect.objectContaining({ field: 'title', message: 'Title too short' }),
    ]);
    const ok = await t.request('POST', data(), { apiKey: key, body: { title: 'abc' } });
    expect(ok.status).toBe(201);
    expect(
      (await t.request('PATCH', data(`/${ok.body.id}`), { apiKey: key, body: { title: 'x' } }))
        .status,
    ).toBe(400);
    const bulk = await t.request('POST', data('/bulk'), {
      apiKey: key,
      body: { create: [{ title: 'long enough' }, { title: 'no' }] },
    });
    expect(bulk.status).toBe(400);
    expect(bulk.body.errors[0].row).toBe(1);
    await t.request('DELETE', `/api/projects/${pid}/validations/rules/${rule.body.id}`, {
      token: admin.token,
    });
  });

  it('resolves old names after renames and treats soft-deleted fields as read-only', async () => {
    await createCollection(t, admin, pid, 'notes');
    const body = await addField(t, admin, pid, 'notes', { name: 'body', field_type: 'text' });
    const extra = await addField(t, admin, pid, 'notes', { name: 'extra', field_type: 'string' });
    const coll = (
      await t.request('GET', `/api/projects/${pid}/schema/collections/notes`, {
        token: admin.token,
      })
    ).body;
    const evo = `/api/projects/${pid}/schema/evolution/collections/${coll.id}`;
    expect(
      (
        await t.request('POST', `${evo}/fields/${body.id}/rename`, {
          token: admin.token,
          body: { new_name: 'content' },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await t.request('POST', `${evo}/rename`, {
          token: admin.token,
          body: { new_name: 'memos' },
        })
      ).status,
    ).toBe(200);
    // Old collection and field names keep working during the alias period.
    const created = await t.request('POST', `/api/projects/${pid}/data/notes`, {
      apiKey: key,
      body: { body: 'hello' },
    });
    expect(created.status).toBe(201);
    expect(created.body.content).toBe('hello');
    const listed = await t.request('GET', `/api/projects/${pid}/data/notes?body__contains=hell`, {
      apiKey: key,
    });
    expect(listed.body.total).toBe(1);
    expect(
      (await t.request('GET', `/api/projects/${pid}/data/memos?content=hello`, { apiKey: key }))
        .body.total,
    ).toBe(1);
    expect(
      (await t.request('POST', `${evo}/fields/${extra.id}/soft-delete`, { token: admin.token }))
        .status,
    ).toBe(200);
    const write = await t.request('POST', `/api/projects/${pid}/data/memos`, {
      apiKey: key,
      body: { content: 'x', extra: 'nope' },
    });
    expect(write.status).toBe(400);
    expect(write.body.errors[0]).toMatchObject({ field: 'extra', rule: 'read_only' });
    const read = await t.request('GET', `/api/projects/${pid}/data/memos`, { apiKey: key });
    expect(read.body.records[0]).not.toHaveProperty('extra');
    expect(
      (await t.request('GET', `/api/projects/${pid}/data/memos?extra=x`, { apiKey: key })).status,
    ).toBe(400);
  });

  it('answers unknown collections with 404 and refuses anonymous callers', async () => {
    expect((await t.request('GET', `/api/projects/${pid}/data/nope`, { apiKey: key })).status).toBe(
      404,
    );
    const anon = await t.request('GET', data());
    expect(anon.status).toBe(401);
    expect(anon.body.code).toBe('UNAUTHENTICATED');
  });

  it('refuses bad, revoked and foreign credentials', async () => {
    expect((await t.request('GET', data(), { apiKey: 'bfk_nope' })).status).toBe(401);
    const other = await createProject(t, admin, 'Other');
    const otherKey = (await createApiKey(t, admin, other.id)).api_key;
    expect((await t.request('GET', data(), { apiKey: otherKey })).status).toBe(401);
    const revoked = await createApiKey(t, admin, pid, 'soon revoked');
    expect((await t.request('GET', data(), { apiKey: revoked.api_key })).status).toBe(200);
    await t.request('POST', `/api/projects/${pid}/api-keys/${revoked.id}/revoke`, {
      token: admin.token,
    });
    expect((await t.request('GET', data(), { apiKey: revoked.api_key })).status).toBe(401);
    const stranger = await createAdmin(t);
    expect((await t.request('GET', data(), { token: stranger.token })).status).toBe(404);
    expect((await t.request('GET', data(), { token: 'garbage' })).status).toBe(401);
    const keys = await t.request('GET', `/api/projects/${pid}/api-keys`, { token: admin.token });
    expect(keys.body.find((k: { name: string }) => k.name === 'key').last_used_at).not.toBeNull();
  });
});
