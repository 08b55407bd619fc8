import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../src/bootstrap';
import { UsageRecorder } from '../src/modules/usage/usage-recorder';
import { bucketOf, LATENCY_BOUNDS_MS } from '../src/modules/usage/usage-aggregator';
import { createAdmin, createProject, type TestAdmin } from './factories/admin.factory';
import { addField, createCollection } from './factories/schema.factory';
import { upload } from './setup/files-helpers';
import { createTestApp, type TestApp } from './setup/test-app';
import { eventually, WebhookSink } from './setup/webhook-sink';

/**
 * Issue 15.5 (usage at a glance): each process counts its requests in memory and adds them to
 * `usage_minutes` on flush; the Overview reads `/usage` and `/stats`. Two apps on one database
 * flush into the same rows.
 */
describe('usage and stats', () => {
  let t: TestApp;
  let b: NestFastifyApplication;
  let bUrl: string;
  let sink: WebhookSink;
  let owner: TestAdmin;
  let viewer: TestAdmin;
  let outsider: TestAdmin;
  let pid: string;
  const api = (rest: string, p = pid) => `/api/projects/${p}${rest}`;
  const flushBoth = async () => {
    await t.app.get(UsageRecorder).flush();
    await b.get(UsageRecorder).flush();
  };

  beforeAll(async () => {
    sink = await new WebhookSink().start();
    t = await createTestApp({
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_RETRY_BASE_MS: '20',
      WEBHOOK_MAX_ATTEMPTS: '1',
      // Only the explicit flushes below write: the timer never fires within the test.
      USAGE_FLUSH_MS: '600000',
    });
    b = await createApp(t.config);
    await b.listen({ port: 0, host: '127.0.0.1' });
    const addr = b.getHttpServer().address();
    bUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    owner = await createAdmin(t);
    viewer = await createAdmin(t);
    outsider = await createAdmin(t);
    pid = (await createProject(t, owner, 'Usage home')).id;
    const added = await t.request('POST', api('/members'), {
      token: owner.token,
      body: { email: viewer.email, role: 'viewer' },
    });
    expect(added.status).toBe(201);
    await createCollection(t, owner, pid, 'notes');
    await addField(t, owner, pid, 'notes', { name: 'title', field_type: 'string' });
    await createCollection(t, owner, pid, 'empty_one');
  });
  afterAll(async () => {
    await b?.close();
    await t?.close();
    await sink?.stop();
  });

  it('counts requests, 4xx and p95 per route group from two processes', async () => {
    await flushBoth();
    await t.query(`DELETE FROM backendify.usage_minutes`);
    const created = await t.request('POST', api('/data/notes'), {
      token: owner.token,
      body: { title: 'first' },
    });
    expect(created.status).toBe(201);
    const client: number[] = [];
    const timed = async (base: string, path: string) => {
      const t0 = performance.now();
      const res = await fetch(base + path, { headers: { authorization: `Bearer ${owner.token}` } });
      await res.text();
      client.push(performance.now() - t0);
      return res.status;
    };
    for (let i = 0; i < 6; i++)
      expect(await timed(t.baseUrl, api(`/data/notes/${created.body.id}`))).toBe(200);
    for (let i = 0; i < 3; i++) expect(await timed(t.baseUrl, api('/data/notes/999999'))).toBe(404);
    for (let i = 0; i < 4; i++) expect(await timed(bUrl, api('/data/notes'))).toBe(200);
    for (let i = 0; i < 2; i++) expect(await timed(bUrl, api('/data/notes?nope__eq=1'))).toBe(400);
    // A request to an unknown project is not counted anywhere.
    expect(await timed(bUrl, api('/data/notes', '00000000-0000-4000-8000-000000000000'))).toBe(404);
    await flushBoth();

    const rows = await t.query(
      `SELECT route_group, sum(count)::int AS n FROM backendify.usage_minutes GROUP BY 1`,
    );
    expect(rows).toEqual([{ route_group: 'data', n: 16 }]);

    const res = await t.request('GET', api('/usage?range=1h'), { token: viewer.token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ range: '1h', step_seconds: 60 });
    expect(res.body.overall).toHaveLength(60);
    const data = res.body.groups.find((g: { group: string }) => g.group === 'data');
    // 1 create + 6 + 3 (404) on one app, 4 + 2 (400) on the other.
    expect(data).toMatchObject({ requests: 16, errors_4xx: 5, errors_5xx: 0, error_rate: 0.3125 });
    expect(res.body.totals.requests).toBe(16);
    const series = res.body.series.find((s: { group: string }) => s.group === 'data');
    expect(series.points).toHaveLength(60);
    expect(series.points.reduce((s: number, p: { requests: number }) => s + p.requests, 0)).toBe(
      16,
    );
    // The server's time is within what the client saw, so its p95 bucket is at most the client's.
    client.sort((x, y) => x - y);
    const clientP95 = client[Math.ceil(0.95 * client.length) - 1];
    expect(LATENCY_BOUNDS_MS).toContain(data.p95_ms);
    expect(data.p95_ms).toBeLessThanOrEqual(
      LATENCY_BOUNDS_MS[Math.min(bucketOf(clientP95), LATENCY_BOUNDS_MS.length - 1)],
    );

    // Both flush again into the same minute row: counts add up, never overwrite.
    await t.request('GET', api('/data/notes'), { token: owner.token });
    await fetch(bUrl + api('/data/notes'), { headers: { authorization: `Bearer ${owner.token}` } });
    await flushBoth();
    const again = await t.request('GET', api('/usage?range=24h'), { token: owner.token });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ range: '24h', step_seconds: 600 });
    expect(again.body.overall).toHaveLength(144);
    const data24 = again.body.groups.find((g: { group: string }) => g.group === 'data');
    expect(data24.requests).toBe(18);
    // The first /usage read is an admin request, counted too.
    expect(again.body.groups.find((g: { group: string }) => g.group === 'admin')?.requests).toBe(1);
  });

  it('reports records per collection, file bytes, webhook failures and workflow runs', async () => {
    const hook = await t.request('POST', api('/webhooks'), {
      token: owner.token,
      body: { name: 'down', url: `${sink.url}/down`, events: ['record.created'] },
    });
    expect(hook.status).toBe(201);
    sink.answer('/down', () => ({ status: 500, body: 'boom' }));
    for (const title of ['a', 'b'])
      expect(
        (await t.request('POST', api('/data/notes'), { token: owner.token, body: { title } }))
          .status,
      ).toBe(201);
    const bucket = await t.request('POST', api('/files/buckets'), {
      token: owner.token,
      body: { name: 'docs' },
    });
    expect(bucket.status).toBe(201);
    for (const body of ['x'.repeat(1000), 'y'.repeat(234)])
      expect(
        (await upload(t.baseUrl, pid, body, { bucket: 'docs', token: owner.token })).status,
      ).toBe(201);
    const wf = await t.request('POST', api('/workflows'), {
      token: owner.token,
      body: { name: 'noop', trigger_type: 'manual', steps: [] },
    });
    expect(wf.status).toBe(201);
    expect(
      (
        await t.request('POST', api(`/workflows/${wf.body.id}/run`), {
          token: owner.token,
          body: {},
        })
      ).status,
    ).toBe(202);

    const stats = await eventually(
      async () => {
        const r = await t.request('GET', api('/stats'), { token: viewer.token });
        expect(r.status).toBe(200);
        return r.body.webhook_deliveries.failed === 2 && r.body.workflow_runs.completed === 1
          ? r.body
          : null;
      },
      20_000,
      'failed deliveries and a completed run',
    );
    expect(stats.collections).toEqual([
      { name: 'empty_one', records: 0, estimate: false },
      { name: 'notes', records: 3, estimate: false },
    ]);
    expect(stats.storage).toMatchObject({
      files_bytes: 1234,
      files_count: 2,
      buckets: [{ bucket: 'docs', files: 2, bytes: 1234 }],
    });
    expect(stats.storage.database_bytes).toBeGreaterThan(0);
    expect(stats.webhook_deliveries).toEqual({ delivered: 0, failed: 2, pending: 0 });
    expect(stats.workflow_runs).toMatchObject({ completed: 1, failed: 0 });
  });

  it('flags the planner estimate for big tables', async () => {
    await createCollection(t, owner, pid, 'big');
    const schema = `p_${pid.replace(/-/g, '_')}`;
    await t.query(`INSERT INTO ${schema}.big DEFAULT VALUES`);
    await t.query(
      `INSERT INTO ${schema}.big (created_at) SELECT now() FROM generate_series(1, 12000)`,
    );
    await t.query(`ANALYZE ${schema}.big`);
    const r = await t.request('GET', api('/stats?range=1h'), { token: owner.token });
    expect(r.status).toBe(200);
    const big = r.body.collections.find((c: { name: string }) => c.name === 'big');
    expect(big.estimate).toBe(true);
    expect(big.records).toBeGreaterThan(10_000);
  });

  it('answers 404 to non-members, 401 without a token and 400 to a bad range', async () => {
    for (const path of ['/usage', '/stats']) {
      expect((await t.request('GET', api(path), { token: outsider.token })).status).toBe(404);
      expect((await t.request('GET', api(path))).status).toBe(401);
      const bad = await t.request('GET', api(`${path}?range=7d`), { token: owner.token });
      expect(bad.status).toBe(400);
      expect(bad.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
      expect(bad.body.errors[0].field).toBe('range');
    }
  });
});
