import { randomUUID } from 'node:crypto';
import { AuditService } from '../src/modules/audit/audit.service';
import {
  createAdmin,
  createApiKey,
  createProject,
  type TestAdmin,
} from './factories/admin.factory';
import { addField, createCollection, schemaOf } from './factories/schema.factory';
import { createTestApp, type HttpResult, type TestApp } from './setup/test-app';

describe('audit log, record history and revert', () => {
  let t: TestApp;
  let owner: TestAdmin;
  let viewer: TestAdmin;
  let pid: string;
  const data = (path = '') => `/api/projects/${pid}/data/notes${path}`;
  const audit = (qs = '') => `/api/projects/${pid}/audit/events${qs}`;

  beforeAll(async () => {
    t = await createTestApp();
    owner = await createAdmin(t);
    viewer = await createAdmin(t);
    pid = (await createProject(t, owner)).id;
    const added = await t.request('POST', `/api/projects/${pid}/members`, {
      token: owner.token,
      body: { email: viewer.email, role: 'viewer' },
    });
    expect([200, 201]).toContain(added.status);
    await createCollection(t, owner, pid, 'notes');
    await addField(t, owner, pid, 'notes', { name: 'title', field_type: 'string' });
    await addField(t, owner, pid, 'notes', { name: 'qty', field_type: 'int' });
    await addField(t, owner, pid, 'notes', {
      name: 'secret',
      field_type: 'string',
      is_hidden: true,
    });
  });
  afterAll(() => t.close());

  const eventsOf = async (qs: string) => {
    const res = await t.request('GET', audit(qs), { token: owner.token });
    expect(res.status).toBe(200);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- audit rows are read as JSON
    return res.body.events as Record<string, any>[];
  };

  it('writes exactly one event per create, update and delete, with actor and origin, and no hidden field', async () => {
    const created = await t.request('POST', data(), {
      token: owner.token,
      body: { title: 'a', qty: 1 },
      headers: { 'user-agent': 'audit-spec/1.0', 'x-request-id': 'req-create-1' },
    });
    expect(created.status).toBe(201);
    const id = String(created.body.id);
    // Hidden fields are not writable through the API; the value is put there behind its back.
    await t.query(`UPDATE ${schemaOf(pid)}.notes SET secret = 's3cr3t' WHERE id = $1`, [id]);
    await t.request('PATCH', data(`/${id}`), { token: owner.token, body: { qty: 2 } });
    expect((await t.request('DELETE', data(`/${id}`), { token: owner.token })).status).toBe(204);

    const events = await eventsOf(`?collection=notes&record_id=${id}`);
    expect(events.map((e) => e.action)).toEqual(['delete', 'update', 'create']);
    const [del, upd, cre] = events;
    expect(cre).toMatchObject({
      kind: 'record',
      collection: 'notes',
      record_id: id,
      actor: { type: 'admin', id: owner.id },
      actor_user_id: owner.id,
      user_agent: 'audit-spec/1.0',
      request_id: 'req-create-1',
      ip_address: '127.0.0.1',
      record: { title: 'a', qty: 1 },
      old_record: null,
    });
    expect(JSON.parse(cre.new_data_json)).toMatchObject({ title: 'a' });
    expect(upd.changed).toEqual(['qty']);
    expect(upd.old_record).toMatchObject({ qty: 1 });
    expect(upd.record).toMatchObject({ qty: 2 });
    expect(del.old_record).toMatchObject({ qty: 2 });
    expect(JSON.stringify(events)).not.toMatch(/s3cr3t|"secret"/);
    const rows = await t.query(
      `SELECT record, old_record FROM backendify.change_events WHERE record_id = $1`,
      [id],
    );
    expect(JSON.stringify(rows)).not.toContain('s3cr3t');
  });

  it('records bulk and import rows one event each, and nothing for a rolled-back bulk', async () => {
    const before = (await eventsOf('?collection=notes&limit=1000')).length;
    const bulk = await t.request('POST', data('/bulk'), {
      token: owner.token,
      body: { create: [{ title: 'b1' }, { title: 'b2' }] },
    });
    expect(bulk.status).toBe(200);
    const failed = await t.request('POST', data('/bulk'), {
      token: owner.token,
      body: { create: [{ title: 'ok' }], update: [{ id: 999999, title: 'missing' }] },
    });
    expect(failed.status).toBe(404);
    const imported = await t.request('POST', data('/import'), {
      token: owner.token,
      rawBody: 'title,qty\nc1,1\nc2,2\nc3,3\n',
      headers: { 'content-type': 'text/csv' },
    });
    expect(imported.status).toBe(200);
    const after = await eventsOf('?collection=notes&limit=1000');
    expect(after.length - before).toBe(5);
    expect(after.filter((e) => e.record?.title === 'ok')).toHaveLength(0);
    expect(after.filter((e) => /^c[123]$/.test(e.record?.title ?? ''))).toHaveLength(3);
  });

  it('filters by action, actor, record id and date range, and pages by keyset', async () => {
    const key = await createApiKey(t, owner, pid);
    const byKey = await t.request('POST', data(), {
      apiKey: key.api_key,
      body: { title: 'by key' },
    });
    expect(byKey.status).toBe(201);
    const keyEvents = await eventsOf(`?actor=api_key:${key.id}`);
    expect(keyEvents).toHaveLength(1);
    expect(keyEvents[0]).toMatchObject({
      actor: { type: 'api_key', id: key.id, api_key_prefix: key.prefix },
      actor_api_key_id: key.id,
    });
    expect((await eventsOf('?actor_type=api_key')).length).toBe(1);
    expect((await eventsOf('?action=delete')).every((e) => e.action === 'delete')).toBe(true);
    expect((await eventsOf('?action=schema.*')).length).toBeGreaterThan(0);
    expect(
      await eventsOf(`?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`),
    ).toEqual([]);
    expect(
      (await eventsOf(`?to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`))
        .length,
    ).toBeGreaterThan(5);

    const seen: string[] = [];
    let cursor: string | null = null;
    let total = 0;
    do {
      const res: HttpResult = await t.request(
        'GET',
        audit(`?collection=notes&limit=3${cursor ? `&after=${cursor}` : ''}`),
        {
          token: owner.token,
        },
      );
      expect(res.status).toBe(200);
      total = res.body.total;
      seen.push(...res.body.events.map((e: { id: string }) => e.id));
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(seen.length).toBe(total);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort((a, b) => Number(b) - Number(a))).toEqual(seen);
  });

  it('rejects bad filters with 400, never 500', async () => {
    for (const qs of [
      '?from=not-a-date',
      '?after=abc',
      '?after=5&offset=2',
      '?limit=5000',
      '?actor_type=robot',
    ]) {
      const res = await t.request('GET', audit(qs), { token: owner.token });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('lets members read (viewers too) and nobody else; nobody edits', async () => {
    expect((await t.request('GET', audit(), { token: viewer.token })).status).toBe(200);
    const stranger = await createAdmin(t);
    expect((await t.request('GET', audit(), { token: stranger.token })).status).toBe(404);
    expect((await t.request('GET', audit())).status).toBe(401);
    expect(
      (await t.request('GET', `/api/projects/${randomUUID()}/audit/events`, { token: owner.token }))
        .status,
    ).toBe(404);
    for (const m of ['POST', 'PATCH', 'DELETE']) {
      expect([404, 405]).toContain((await t.request(m, audit(), { token: owner.token })).status);
    }
    // The original schema-ops route still answers.
    const ops = await t.request('GET', `/api/projects/${pid}/audit/schema-ops`, {
      token: viewer.token,
    });
    expect(ops.status).toBe(200);
    expect(ops.body.length).toBeGreaterThan(0);
  });

  it('shows a record history newest first and reverts through the normal write path', async () => {
    const c = await t.request('POST', data(), {
      token: owner.token,
      body: { title: 'v1', qty: 1 },
    });
    const id = String(c.body.id);
    await t.query(`UPDATE ${schemaOf(pid)}.notes SET secret = 'hidden-value' WHERE id = $1`, [id]);
    await t.request('PATCH', data(`/${id}`), { token: owner.token, body: { title: 'v2' } });
    await t.request('PATCH', data(`/${id}`), { token: owner.token, body: { qty: 3 } });
    const hist = await t.request('GET', data(`/${id}/history`), { token: viewer.token });
    expect(hist.status).toBe(200);
    expect(hist.body.map((v: { action: string }) => v.action)).toEqual([
      'update',
      'update',
      'create',
    ]);
    expect(hist.body[0]).toMatchObject({
      changed: ['qty'],
      actor: { type: 'admin', id: owner.id },
    });
    expect(hist.body[1]).toMatchObject({ changed: ['title'], record: { title: 'v2', qty: 1 } });
    expect(JSON.stringify(hist.body)).not.toMatch(/secret|hidden-value/);
    const first = hist.body[2].id;

    // Viewers read history but may not revert.
    expect(
      (await t.request('POST', data(`/${id}/history/${first}/revert`), { token: viewer.token }))
        .status,
    ).toBe(403);
    const reverted = await t.request('POST', data(`/${id}/history/${first}/revert`), {
      token: owner.token,
    });
    expect(reverted.status).toBe(201);
    expect(reverted.body).toMatchObject({ title: 'v1', qty: 1 });
    const after = await t.request('GET', data(`/${id}/history`), { token: owner.token });
    expect(after.body).toHaveLength(4);
    expect(after.body[0]).toMatchObject({ action: 'update', changed: ['qty', 'title'] });

    // Validation rules apply to a revert like to any update.
    const rule = await t.request(
      'POST',
      `/api/projects/${pid}/validations/collections/notes/fields/title/rules`,
      {
        token: owner.token,
        body: { rule_type: 'min_length', config: { min: 5 } },
      },
    );
    expect(rule.status).toBe(201);
    const blocked = await t.request('POST', data(`/${id}/history/${hist.body[1].id}/revert`), {
      token: owner.token,
    });
    expect(blocked.status).toBe(400);
    expect(
      (await t.request('GET', data(`/${id}/history`), { token: owner.token })).body,
    ).toHaveLength(4);

    expect(
      (await t.request('POST', data(`/${id}/history/999999999/revert`), { token: owner.token }))
        .status,
    ).toBe(404);
    expect(
      (await t.request('POST', data(`/${id}/history/abc/revert`), { token: owner.token })).status,
    ).toBe(404);
    // History needs read access to the record: anonymous callers get none.
    expect([401, 403, 404]).toContain((await t.request('GET', data(`/${id}/history`))).status);
    expect((await t.request('GET', data(`/987654/history`), { token: viewer.token })).status).toBe(
      404,
    );
  });

  it('exports a filtered view as CSV with formula cells neutralised', async () => {
    await t.request('POST', data(), {
      token: owner.token,
      body: { title: 'formula' },
      headers: { 'user-agent': '=HYPERLINK("http://x")' },
    });
    const res = await t.request('GET', audit('/export?format=csv&action=create&collection=notes'), {
      token: viewer.token,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const lines = res.text.trim().split('\r\n');
    expect(lines[0]).toMatch(/^id,created_at,action,/);
    expect(lines.slice(1).every((l) => l.split(',')[2] === 'create')).toBe(true);
    expect(res.text).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(res.text).not.toContain(`,=HYPERLINK`);
    const json = await t.request('GET', audit('/export?format=json&action=create'), {
      token: owner.token,
    });
    expect(Array.isArray(json.body)).toBe(true);
  });

  it('keeps events per the retention settings, deleting in batches', async () => {
    expect(
      (
        await t.request('PUT', `/api/projects/${pid}/audit/settings`, {
          token: viewer.token,
          body: { max_rows: 3 },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await t.request('PUT', `/api/projects/${pid}/audit/settings`, {
          token: owner.token,
          body: { max_rows: 0 },
        })
      ).status,
    ).toBe(400);
    const put = await t.request('PUT', `/api/projects/${pid}/audit/settings`, {
      token: owner.token,
      body: { retention_days: 30, max_rows: 3 },
    });
    expect(put.body).toEqual({ retention_days: 30, max_rows: 3 });
    // Let the webhook consumer's cursor pass the current events: retention never outruns a consumer.
    await t.query(
      `UPDATE backendify.change_cursors SET xact_id = pg_snapshot_xmin(pg_current_snapshot()), event_id = 0`,
    );
    const deleted = await t.app.get(AuditService).enforceRetention();
    expect(deleted).toBeGreaterThan(0);
    const left = await t.request('GET', audit(), { token: owner.token });
    expect(left.body.total).toBe(3);
  });
});
