import {
  createAdmin,
  createApiKey,
  createProject,
  type TestAdmin,
} from './factories/admin.factory';
import { addField, createCollection, schemaOf } from './factories/schema.factory';
import { createTestApp, type TestApp } from './setup/test-app';
import { eventually, WebhookSink } from './setup/webhook-sink';
import { WorkflowEngine } from '../src/modules/workflows/workflow-engine.service';
import { WorkflowTriggers } from '../src/modules/workflows/workflow-triggers.service';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API bodies are read as JSON
type Json = Record<string, any>;

const FINISHED = ['completed', 'failed', 'cancelled'];

describe('workflows and functions', () => {
  let t: TestApp;
  let sink: WebhookSink;
  let owner: TestAdmin;
  let viewer: TestAdmin;
  let developer: TestAdmin;
  let pid: string;
  let apiKey: string;
  let n = 0;
  const wf = (path = '') => `/api/projects/${pid}/workflows${path}`;
  const data = (c: string, path = '') => `/api/projects/${pid}/data/${c}${path}`;
  const fn = (slug: string) => `/api/projects/${pid}/functions/${slug}`;

  beforeAll(async () => {
    sink = await new WebhookSink().start();
    t = await createTestApp({
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WORKFLOW_RETRY_BASE_MS: '50',
      WORKFLOW_MAX_DEPTH: '3',
      WORKFLOW_FUNCTION_TIMEOUT_MS: '10000',
    });
    owner = await createAdmin(t);
    viewer = await createAdmin(t);
    developer = await createAdmin(t);
    pid = (await createProject(t, owner)).id;
    for (const [who, role] of [
      [viewer, 'viewer'],
      [developer, 'developer'],
    ] as const) {
      const added = await t.request('POST', `/api/projects/${pid}/members`, {
        token: owner.token,
        body: { email: who.email, role },
      });
      expect([200, 201]).toContain(added.status);
    }
    apiKey = (await createApiKey(t, owner, pid)).api_key;
    await createCollection(t, owner, pid, 'orders');
    await addField(t, owner, pid, 'orders', { name: 'title', field_type: 'string' });
    await addField(t, owner, pid, 'orders', { name: 'qty', field_type: 'int' });
    await createCollection(t, owner, pid, 'log');
    await addField(t, owner, pid, 'log', { name: 'note', field_type: 'string', is_required: true });
    await addField(t, owner, pid, 'log', { name: 'n', field_type: 'int' });
    await createCollection(t, owner, pid, 'loops');
    await addField(t, owner, pid, 'loops', { name: 'gen', field_type: 'int' });
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  const create = async (body: Json, token = owner.token) => {
    const res = await t.request('POST', wf(), {
      token,
      body: { name: `wf ${++n}`, trigger_type: 'manual', steps: [], ...body },
    });
    if (res.status !== 201) throw new Error(`workflow create: ${res.status} ${res.text}`);
    return res.body as Json;
  };
  const runOf = async (wid: string, runId: string) =>
    (await t.request('GET', wf(`/${wid}/runs/${runId}`), { token: owner.token })).body as Json;
  const finished = (wid: string, runId: string, timeoutMs = 20_000) =>
    eventually(
      async () => {
        const r = await runOf(wid, runId);
        return FINISHED.includes(r.status) ? r : null;
      },
      timeoutMs,
      `run ${runId} to finish`,
    );
  const start = async (wid: string, input?: unknown) => {
    const res = await t.request('POST', wf(`/${wid}/run`), {
      token: owner.token,
      body: input === undefined ? {} : { input },
    });
    expect(res.status).toBe(202);
    return res.body.run_id as string;
  };
  const runsOf = async (wid: string, qs = '') =>
    (await t.request('GET', wf(`/${wid}/runs${qs}`), { token: owner.token })).body as Json;
  /** Waits until the workflow has `count` runs, all finished; returns them oldest first. */
  const settledRuns = async (wid: string, count: number) => {
    await eventually(
      async () => {
        const page = await runsOf(wid, '?limit=200');
        return page.total >= count && page.runs.every((r: Json) => FINISHED.includes(r.status));
      },
      20_000,
      `${count} finished runs of ${wid}`,
    );
    // Let a duplicate show itself before counting.
    await new Promise((r) => setTimeout(r, 300));
    const page = await runsOf(wid, '?limit=200');
    // Oldest first; runs started by events in the order of their events.
    return (page.runs as Json[])
      .reverse()
      .sort((a, b) => Number(a.trigger?.event_id ?? 0) - Number(b.trigger?.event_id ?? 0));
  };
  const order = async (title: string, qty: number) => {
    const res = await t.request('POST', data('orders'), {
      token: owner.token,
      body: { title, qty },
    });
    expect(res.status).toBe(201);
    return res.body as Json;
  };

  describe('definitions', () => {
    it('creates, lists, reads, changes and deletes a workflow, each audited', async () => {
      const res = await t.request('POST', wf(), {
        token: owner.token,
        body: {
          name: 'On order',
          description: 'notify',
          trigger_type: 'record.created',
          trigger_config: { collection: 'orders', condition: { qty: { $gte: 5 } } },
          steps: [{ action: 'transform', template: { t: '{{trigger.record.title}}' } }],
        },
      });
      expect(res.status).toBe(201);
      const w = res.body as Json;
      expect(w).toMatchObject({
        project_id: pid,
        name: 'On order',
        description: 'notify',
        is_active: true,
        trigger_type: 'record.created',
        trigger_config: { collection: 'orders', condition: { qty: { $gte: 5 } } },
        steps: [{ action: 'transform', template: { t: '{{trigger.record.title}}' } }],
        next_run_at: null,
        function_url: null,
      });
      for (const k of ['id', 'created_at', 'updated_at']) expect(w[k]).toBeTruthy();

      const list = await t.request('GET', wf(), { token: owner.token });
      expect(list.status).toBe(200);
      expect(Array.isArray(list.body)).toBe(true);
      expect((list.body as Json[]).map((x) => x.id)).toContain(w.id);
      expect((await t.request('GET', wf(`/${w.id}`), { token: viewer.token })).body.name).toBe(
        'On order',
      );

      const patched = await t.request('PATCH', wf(`/${w.id}`), {
        token: developer.token,
        body: { name: 'On big order', is_active: false },
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ name: 'On big order', is_active: false });
      expect(patched.body.trigger_config.collection).toBe('orders');

      expect((await t.request('DELETE', wf(`/${w.id}`), { token: owner.token })).status).toBe(204);
      const gone = await t.request('GET', wf(`/${w.id}`), { token: owner.token });
      expect(gone.status).toBe(404);
      expect(gone.body.detail).toBe('Workflow not found');
      expect((await t.request('DELETE', wf(`/${w.id}`), { token: owner.token })).status).toBe(404);
      expect(
        (await t.request('PATCH', wf(`/${w.id}`), { token: owner.token, body: {} })).status,
      ).toBe(404);

      const audit = await t.request('GET', `/api/projects/${pid}/audit/events?action=workflow.*`, {
        token: owner.token,
      });
      const actions = (audit.body.events as Json[])
        .filter((e) => e.meta?.workflow_id === w.id)
        .map((e) => e.action);
      expect(actions).toEqual(['workflow.delete', 'workflow.update', 'workflow.create']);
    });

    it('answers schedules with next_run_at and functions with their absolute URL', async () => {
      const s = await create({
        trigger_type: 'schedule',
        trigger_config: { cron: '0 9 * * *', timezone: 'Europe/Paris' },
      });
      expect(s.trigger_config).toEqual({ cron: '0 9 * * *', timezone: 'Europe/Paris' });
      const next = new Date(s.next_run_at);
      expect(next.getTime()).toBeGreaterThan(Date.now());
      expect(
        new Intl.DateTimeFormat('en-GB', {
          timeZone: 'Europe/Paris',
          hour: '2-digit',
          minute: '2-digit',
        }).format(next),
      ).toBe('09:00');
      const paused = await t.request('PATCH', wf(`/${s.id}`), {
        token: owner.token,
        body: { is_active: false },
      });
      expect(paused.body.next_run_at).toBeNull();

      const slug = `hello-${n}`;
      const f = await create({ trigger_type: 'http', trigger_config: { slug } });
      expect(f.trigger_config).toEqual({
        slug,
        allowed_principals: ['admin', 'api_key'],
        async: false,
      });
      expect(f.function_url).toBe(`${t.config.publicUrl}/api/projects/${pid}/functions/${slug}`);
    });

    const step = (s: Json) => ({ trigger_type: 'manual', steps: [s] });
    it.each<[string, Json, string]>([
      ['an unknown trigger type', { trigger_type: 'record.touched' }, 'trigger_type'],
      ['an unknown action', step({ action: 'launch_rocket' }), 'steps[0].action'],
      ['a missing url', step({ action: 'http_request' }), 'steps[0].url'],
      [
        'a missing create collection',
        step({ action: 'create_record', data: {} }),
        'steps[0].collection',
      ],
      [
        'an unknown step key',
        step({ action: 'delay', seconds: 1, minutes: 2 }),
        'steps[0].minutes',
      ],
      ['a delay out of range', step({ action: 'delay', seconds: 0 }), 'steps[0].seconds'],
      [
        'an unknown step collection',
        step({ action: 'query_records', collection: 'nope' }),
        'steps[0].collection',
      ],
      [
        'a bad limit',
        step({ action: 'query_records', collection: 'orders', limit: 5000 }),
        'steps[0].limit',
      ],
      [
        'too many retries',
        step({ action: 'transform', template: 1, retries: 11 }),
        'steps[0].retries',
      ],
      [
        'a script timeout over 10 s',
        step({ action: 'script', code: 'return 1', timeout_ms: 20000 }),
        'steps[0].timeout_ms',
      ],
      [
        'a script memory over 128 MB',
        step({ action: 'script', code: 'return 1', memory_mb: 512 }),
        'steps[0].memory_mb',
      ],
      [
        'an email without a body',
        step({ action: 'send_email', to: 'a@b.co', subject: 's' }),
        'steps[0].text',
      ],
      [
        'a template naming a later step',
        {
          trigger_type: 'manual',
          steps: [
            { action: 'transform', template: '{{steps.1.output}}' },
            { action: 'transform', template: 1 },
          ],
        },
        'steps[0]',
      ],
      [
        'a template naming itself',
        step({ action: 'transform', template: '{{steps.0.output}}' }),
        'steps[0]',
      ],
      [
        'an unknown template root',
        step({ action: 'transform', template: '{{secrets.X}}' }),
        'steps[0]',
      ],
      [
        'a branch out of range',
        step({ action: 'condition', condition: { 'input.x': 1 }, then: 7 }),
        'steps[0].then',
      ],
      [
        'a branch backwards',
        {
          trigger_type: 'manual',
          steps: [
            { action: 'transform', template: 1 },
            { action: 'condition', condition: { 'input.x': 1 }, else: 0 },
          ],
        },
        'steps[1].else',
      ],
      [
        'a bad context condition',
        step({ action: 'condition', condition: { 'input.x': { $regex: 'a' } } }),
        'steps[0].condition',
      ],
      [
        'a record trigger without collection',
        { trigger_type: 'record.created' },
        'trigger_config.collection',
      ],
      [
        'an unknown trigger collection',
        { trigger_type: 'record.updated', trigger_config: { collection: 'nope' } },
        'trigger_config.collection',
      ],
      [
        'a condition on an unknown field',
        {
          trigger_type: 'record.created',
          trigger_config: { collection: 'orders', condition: { price: 3 } },
        },
        'trigger_config.condition',
      ],
      [
        'a condition with a bad value',
        {
          trigger_type: 'record.created',
          trigger_config: { collection: 'orders', condition: { qty: { $gt: 'lots' } } },
        },
        'trigger_config.condition',
      ],
      [
        'a cron with 6 fields',
        { trigger_type: 'schedule', trigger_config: { cron: '* * * * * *' } },
        'trigger_config.cron',
      ],
      [
        'a bad cron',
        { trigger_type: 'schedule', trigger_config: { cron: '61 * * * *' } },
        'trigger_config.cron',
      ],
      [
        'an unknown timezone',
        {
          trigger_type: 'schedule',
          trigger_config: { cron: '* * * * *', timezone: 'Mars/Olympus' },
        },
        'trigger_config.timezone',
      ],
      [
        'a bad slug',
        { trigger_type: 'http', trigger_config: { slug: 'Hello World' } },
        'trigger_config.slug',
      ],
      [
        'an unknown principal',
        { trigger_type: 'http', trigger_config: { slug: 'x', allowed_principals: ['root'] } },
        'trigger_config.allowed_principals',
      ],
      [
        'a key of another trigger',
        { trigger_type: 'manual', trigger_config: { cron: '* * * * *' } },
        'trigger_config.cron',
      ],
      [
        'steps that are not a list',
        { trigger_type: 'manual', steps: { action: 'delay' } },
        'steps',
      ],
    ])('refuses %s with 400 naming %s', async (_what, body, field) => {
      const res = await t.request('POST', wf(), {
        token: owner.token,
        body: { name: 'bad', steps: [], ...body },
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      const fields = (res.body.errors as Json[]).map((e) => String(e.field));
      expect(fields.some((f) => f === field || f.startsWith(`${field}.`))).toBe(true);
      expect(res.text).not.toMatch(/at .*\.ts:\d+|SELECT|INSERT/);
    });

    it('refuses a duplicate function slug, also when patched in', async () => {
      const slug = `dup-${n}`;
      await create({ trigger_type: 'http', trigger_config: { slug } });
      const again = await t.request('POST', wf(), {
        token: owner.token,
        body: { name: 'x', trigger_type: 'http', trigger_config: { slug } },
      });
      expect(again.status).toBe(400);
      expect(again.body.errors).toEqual([
        expect.objectContaining({ field: 'trigger_config.slug', rule: 'unique' }),
      ]);
      const other = await create({ trigger_type: 'http', trigger_config: { slug: `${slug}-2` } });
      const patched = await t.request('PATCH', wf(`/${other.id}`), {
        token: owner.token,
        body: { trigger_config: { slug } },
      });
      expect(patched.status).toBe(400);
      // Its own slug is not a duplicate of itself.
      const same = await t.request('PATCH', wf(`/${other.id}`), {
        token: owner.token,
        body: { trigger_config: { slug: `${slug}-2`, async: true } },
      });
      expect(same.status).toBe(200);
    });

    it('refuses unknown keys, bad ids and other projects’ workflows', async () => {
      const extra = await t.request('POST', wf(), {
        token: owner.token,
        body: { name: 'x', trigger_type: 'manual', colour: 'red' },
      });
      expect(extra.status).toBe(400);
      expect((await t.request('GET', wf('/not-a-uuid'), { token: owner.token })).status).toBe(400);
      const w = await create({});
      const stranger = await createAdmin(t);
      expect((await t.request('GET', wf(`/${w.id}`), { token: stranger.token })).status).toBe(404);
      const otherPid = (await createProject(t, stranger)).id;
      const cross = await t.request('GET', `/api/projects/${otherPid}/workflows/${w.id}`, {
        token: stranger.token,
      });
      expect(cross.status).toBe(404);
      expect((await t.request('GET', wf())).status).toBe(401);
    });

    it('lets viewers read but not write or run', async () => {
      const w = await create({ steps: [{ action: 'transform', template: 1 }] });
      const runId = await start(w.id);
      await finished(w.id, runId);
      for (const path of [
        wf(),
        wf(`/${w.id}`),
        wf(`/${w.id}/runs`),
        wf(`/${w.id}/runs/${runId}`),
        wf('/secrets'),
      ])
        expect((await t.request('GET', path, { token: viewer.token })).status).toBe(200);
      const preview = await t.request('POST', wf('/cron-preview'), {
        token: viewer.token,
        body: { cron: '*/5 * * * *' },
      });
      expect(preview.status).toBe(200);
      const writes: [string, string, Json?][] = [
        ['POST', wf(), { name: 'v', trigger_type: 'manual' }],
        ['PATCH', wf(`/${w.id}`), { name: 'v' }],
        ['DELETE', wf(`/${w.id}`)],
        ['POST', wf(`/${w.id}/run`), {}],
        ['POST', wf(`/${w.id}/runs/${runId}/cancel`)],
        ['POST', wf(`/${w.id}/runs/${runId}/retry`)],
        ['PUT', wf('/secrets/VIEWER_SECRET'), { value: 'x' }],
        ['DELETE', wf('/secrets/VIEWER_SECRET')],
      ];
      for (const [method, path, body] of writes) {
        const res = await t.request(method, path, { token: viewer.token, body });
        expect([method, path, res.status]).toEqual([method, path, 403]);
      }
      expect((await t.request('GET', wf(`/${w.id}`), { token: owner.token })).body.name).toBe(
        w.name,
      );
    });

    it('previews the next five cron times in a time zone; a bad cron or zone is 400', async () => {
      const res = await t.request('POST', wf('/cron-preview'), {
        token: owner.token,
        body: { cron: '30 8 * * 1-5', timezone: 'America/New_York' },
      });
      expect(res.status).toBe(200);
      const next = (res.body.next as string[]).map((s) => new Date(s));
      expect(next).toHaveLength(5);
      for (let i = 1; i < 5; i++) expect(next[i].getTime()).toBeGreaterThan(next[i - 1].getTime());
      for (const d of next) {
        const local = new Intl.DateTimeFormat('en-US', {
          timeZone: 'America/New_York',
          weekday: 'short',
          hour: '2-digit',
          minute: '2-digit',
          hour12: false,
        }).format(d);
        expect(local).toMatch(/^(Mon|Tue|Wed|Thu|Fri),? 08:30$/);
      }
      for (const body of [
        { cron: 'every day' },
        { cron: '* * * *' },
        { cron: '* * * * *', timezone: 'Nowhere/Land' },
      ]) {
        const bad = await t.request('POST', wf('/cron-preview'), { token: owner.token, body });
        expect(bad.status).toBe(400);
        expect(bad.body.code).toBe('VALIDATION_FAILED');
      }
    });
  });

  describe('secrets', () => {
    it('stores values encrypted and never returns them', async () => {
      const value = 'sk_live_very_secret_value_123';
      expect(
        (await t.request('PUT', wf('/secrets/API_TOKEN'), { token: owner.token, body: { value } }))
          .status,
      ).toBe(204);
      expect(
        (
          await t.request('PUT', wf('/secrets/API_TOKEN'), {
            token: developer.token,
            body: { value },
          })
        ).status,
      ).toBe(204);
      const list = await t.request('GET', wf('/secrets'), { token: owner.token });
      expect(list.status).toBe(200);
      expect(list.body).toEqual([
        { name: 'API_TOKEN', created_at: expect.any(String), updated_at: expect.any(String) },
      ]);
      expect(list.text).not.toContain(value);
      const [row] = await t.query(
        `SELECT value_sealed FROM backendify.workflow_secrets WHERE project_id = $1 AND name = 'API_TOKEN'`,
        [pid],
      );
      expect(row.value_sealed).not.toContain(value);
      expect(row.value_sealed).toMatch(/^v1:/);
      const audit = await t.request(
        'GET',
        `/api/projects/${pid}/audit/events?action=workflow_secret.*`,
        {
          token: owner.token,
        },
      );
      expect(audit.body.events.length).toBeGreaterThanOrEqual(2);
      expect(audit.text).not.toContain(value);

      for (const name of ['api_token', '1ABC', 'A-B', 'X'.repeat(65)]) {
        const bad = await t.request('PUT', wf(`/secrets/${name}`), {
          token: owner.token,
          body: { value: 'v' },
        });
        expect([name, bad.status]).toEqual([name, 400]);
      }
      expect(
        (await t.request('PUT', wf('/secrets/EMPTY'), { token: owner.token, body: { value: '' } }))
          .status,
      ).toBe(400);
      await t.request('PUT', wf('/secrets/GONE_SOON'), {
        token: owner.token,
        body: { value: 'x' },
      });
      expect(
        (await t.request('DELETE', wf('/secrets/GONE_SOON'), { token: owner.token })).status,
      ).toBe(204);
      expect(
        (await t.request('DELETE', wf('/secrets/GONE_SOON'), { token: owner.token })).status,
      ).toBe(404);
    });
  });

  describe('runs and steps', () => {
    it('runs a manual workflow with input; templates flow across steps and env secrets stay hidden', async () => {
      const value = 'tok_abc_987654321';
      await t.request('PUT', wf('/secrets/SINK_TOKEN'), { token: owner.token, body: { value } });
      const w = await create({
        steps: [
          {
            name: 'greet',
            action: 'transform',
            template: {
              greeting: 'Hello {{input.name}}',
              n: '{{input.n}}',
              missing: '{{input.nope}}',
            },
          },
          {
            name: 'call',
            action: 'http_request',
            url: `${sink.url}/manual?q={{input.name}}`,
            headers: { authorization: 'Bearer {{env.SINK_TOKEN}}', 'x-n': '{{steps.0.output.n}}' },
            body: {
              text: '{{steps.0.output.greeting}}',
              n: '{{steps.0.output.n}}',
              all: '{{steps.0.output}}',
            },
          },
          {
            action: 'transform',
            template: {
              status: '{{steps.1.output.status}}',
              echoed: '{{steps.1.output.body}}',
              line: 'got {{steps.1.output.status}}',
            },
          },
        ],
      });
      sink.answer('/manual?q=Ada', () => ({
        status: 201,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ok: true }),
      }));
      const runId = await start(w.id, { name: 'Ada', n: 3 });
      const run = await finished(w.id, runId);
      expect(run).toMatchObject({
        id: runId,
        workflow_id: w.id,
        status: 'completed',
        trigger_type: 'manual',
        trigger: { event: 'manual' },
        input: { name: 'Ada', n: 3 },
        output: { status: 201, echoed: { ok: true }, line: 'got 201' },
        error: null,
        depth: 0,
      });
      expect(run.steps.map((s: Json) => [s.index, s.name, s.action, s.status, s.attempts])).toEqual(
        [
          [0, 'greet', 'transform', 'completed', 1],
          [1, 'call', 'http_request', 'completed', 1],
          [2, null, 'transform', 'completed', 1],
        ],
      );
      expect(run.steps[0].output).toEqual({ greeting: 'Hello Ada', n: 3, missing: null });
      const [hit] = sink.at('/manual?q=Ada');
      expect(hit.headers.authorization).toBe(`Bearer ${value}`);
      expect(hit.headers['x-n']).toBe('3');
      expect(JSON.parse(hit.body)).toEqual({
        text: 'Hello Ada',
        n: 3,
        all: { greeting: 'Hello Ada', n: 3, missing: null },
      });
      // The step log shows the rendered request with the secret masked.
      expect(run.steps[1].input.headers.authorization).toBe('Bearer ***');
      const detail = await t.request('GET', wf(`/${w.id}/runs/${runId}`), { token: owner.token });
      expect(detail.text).not.toContain(value);
      for (const k of ['created_at', 'started_at', 'finished_at']) expect(run[k]).toBeTruthy();

      const page = await runsOf(w.id);
      expect(page).toMatchObject({ total: 1, limit: 50, offset: 0 });
      expect(page.runs[0]).not.toHaveProperty('steps');
      expect((await runsOf(w.id, '?status=failed')).total).toBe(0);
      expect((await runsOf(w.id, '?status=completed')).total).toBe(1);
      expect(
        (await t.request('GET', wf(`/${w.id}/runs?status=nope`), { token: owner.token })).status,
      ).toBe(400);
      expect(
        (await t.request('GET', wf(`/${w.id}/runs?limit=500`), { token: owner.token })).status,
      ).toBe(400);
      expect(
        (
          await t.request('GET', wf(`/${w.id}/runs/00000000-0000-4000-8000-000000000000`), {
            token: owner.token,
          })
        ).status,
      ).toBe(404);
    });

    it('runs record steps as the workflow (validations apply, the change log names it) and queries', async () => {
      const w = await create({
        steps: [
          { action: 'create_record', collection: 'log', data: { note: '{{input.note}}', n: 1 } },
          {
            action: 'update_record',
            collection: 'log',
            id: '{{steps.0.output.id}}',
            data: { n: '{{input.n}}' },
          },
          {
            action: 'query_records',
            collection: 'log',
            filter: { note: '{{input.note}}' },
            sort: '-id',
            limit: 10,
          },
          {
            action: 'query_records',
            collection: 'log',
            filter: { field: 'n', op: 'gte', value: 5 },
          },
          { action: 'delete_record', collection: 'log', id: '{{steps.0.output.id}}' },
        ],
      });
      const runId = await start(w.id, { note: 'from-flow', n: 7 });
      const run = await finished(w.id, runId);
      expect(run.status).toBe('completed');
      const [created, updated, queried, byTree, deleted] = run.steps.map((s: Json) => s.output);
      expect(created).toMatchObject({ note: 'from-flow', n: 1 });
      expect(updated).toMatchObject({ id: created.id, note: 'from-flow', n: 7 });
      expect(queried).toMatchObject({
        count: 1,
        records: [expect.objectContaining({ id: created.id, n: 7 })],
      });
      expect(byTree.records.map((r: Json) => r.id)).toContain(created.id);
      expect(deleted).toEqual({ deleted: true, id: created.id });
      const events = await t.query(
        `SELECT action, actor_type, actor_id, meta FROM backendify.change_events
          WHERE project_id = $1 AND collection = 'log' AND record_id = $2 ORDER BY id`,
        [pid, String(created.id)],
      );
      expect(events.map((e) => [e.action, e.actor_type, e.actor_id])).toEqual([
        ['create', 'workflow', w.id],
        ['update', 'workflow', w.id],
        ['delete', 'workflow', w.id],
      ]);
      expect(events[0].meta).toMatchObject({ workflow_id: w.id, workflow_run_id: runId, depth: 0 });
      // The audit log shows the workflow as the actor.
      const audit = await t.request(
        'GET',
        `/api/projects/${pid}/audit/events?actor_type=workflow`,
        {
          token: owner.token,
        },
      );
      expect(audit.status).toBe(200);
      expect(audit.body.events.length).toBeGreaterThanOrEqual(3);

      // Validations apply: `note` is required, so the step fails after its retries.
      const bad = await create({
        steps: [{ action: 'create_record', collection: 'log', data: { n: 1 }, retries: 1 }],
      });
      const failedRun = await finished(bad.id, await start(bad.id));
      expect(failedRun.status).toBe('failed');
      expect(failedRun.steps[0]).toMatchObject({ status: 'failed', attempts: 2 });
      expect(failedRun.steps[0].error).toMatch(/note/);
      expect(failedRun.error).toMatch(/^Step 0 create_record failed after 2 attempts: /);
    });

    it('sends e-mail through the mail module (the dev mailbox without SMTP)', async () => {
      const w = await create({
        steps: [
          {
            action: 'send_email',
            to: '{{input.to}}',
            subject: 'Order {{input.id}}',
            text: 'Thanks, {{input.name}}!',
            html: '<p>Thanks</p>',
          },
        ],
      });
      const run = await finished(
        w.id,
        await start(w.id, { to: 'buyer@example.com', id: 42, name: 'Bo' }),
      );
      expect(run.status).toBe('completed');
      expect(run.output).toEqual({ queued: true, message_id: expect.any(String) });
      const box = await t.request('GET', `/api/projects/${pid}/mailbox`, { token: owner.token });
      const mail = (box.body.messages as Json[]).find((m) => m.id === run.output.message_id);
      expect(mail).toMatchObject({
        to: 'buyer@example.com',
        subject: 'Order 42',
        text: 'Thanks, Bo!',
        html: '<p>Thanks</p>',
        kind: 'workflow',
      });
      const badTo = await create({
        steps: [{ action: 'send_email', to: '{{input.to}}', subject: 's', text: 't', retries: 0 }],
      });
      const failed = await finished(badTo.id, await start(badTo.id, { to: 'not-an-address' }));
      expect(failed.status).toBe('failed');
      expect(failed.steps[0].error).toMatch(/e-mail address/);
    });

    it('branches on a condition step, skipping the other way; null ends the run', async () => {
      const w = await create({
        steps: [
          { action: 'transform', template: { qty: '{{input.qty}}' } },
          {
            action: 'condition',
            condition: { 'steps.0.output.qty': { $gte: 10 } },
            then: 3,
            else: 2,
          },
          { name: 'small', action: 'transform', template: 'small' },
          { name: 'big', action: 'transform', template: 'big' },
          { action: 'condition', condition: { 'input.stop': true }, then: null },
          { name: 'after', action: 'transform', template: 'after' },
        ],
      });
      const big = await finished(w.id, await start(w.id, { qty: 12, stop: true }));
      expect(big.steps.map((s: Json) => s.status)).toEqual([
        'completed',
        'completed',
        'skipped',
        'completed',
        'completed',
        'skipped',
      ]);
      expect(big.steps[1].output).toEqual({ result: true });
      expect(big.output).toEqual({ result: true });
      const small = await finished(w.id, await start(w.id, { qty: 3, stop: false }));
      // small (2) falls through to big (3): else jumps to 2, and 2 goes on to 3.
      expect(small.steps.map((s: Json) => s.status)).toEqual([
        'completed',
        'completed',
        'completed',
        'completed',
        'completed',
        'completed',
      ]);
      expect(small.steps[1].output).toEqual({ result: false });
      expect(small.output).toBe('after');
    });

    it('delays durably (a waiting step and run), then goes on', async () => {
      const w = await create({
        steps: [
          { action: 'delay', seconds: 1 },
          { action: 'transform', template: '{{steps.0.output.delayed_until}}' },
        ],
      });
      const started = Date.now();
      const runId = await start(w.id);
      const waiting = await eventually(
        async () => {
          const r = await runOf(w.id, runId);
          return r.status === 'waiting' ? r : null;
        },
        5000,
        'a waiting run',
      );
      expect(waiting.steps[0].status).toBe('waiting');
      const until = waiting.steps[0].output.delayed_until;
      const jobs = await t.query(`SELECT run_at FROM graphile_worker.jobs WHERE key = $1`, [
        `wf:${runId}:0`,
      ]);
      expect(jobs).toHaveLength(1);
      const run = await finished(w.id, runId);
      expect(run.status).toBe('completed');
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      expect(run.output).toBe(until);
      expect(run.steps[0]).toMatchObject({ status: 'completed', output: { delayed_until: until } });
    });

    it('runs scripts in the sandbox; an endless loop fails the step, not the server', async () => {
      const w = await create({
        steps: [
          { action: 'transform', template: { a: '{{input.a}}' } },
          {
            action: 'script',
            code: 'return { sum: steps["0"].output.a + input.b, ev: trigger.event };',
          },
        ],
      });
      const run = await finished(w.id, await start(w.id, { a: 2, b: 40 }));
      expect(run.status).toBe('completed');
      expect(run.output).toEqual({ sum: 42, ev: 'manual' });
      const loop = await create({
        steps: [{ action: 'script', code: 'while (true) {}', timeout_ms: 200, retries: 0 }],
      });
      const failed = await finished(loop.id, await start(loop.id));
      expect(failed.status).toBe('failed');
      expect(failed.steps[0].error).toBeTruthy();
      expect((await t.request('GET', '/health')).status).toBe(200);
    });

    it('retries a failing step with backoff, then fails the run; retry resumes at the failed step', async () => {
      let healthy = false;
      sink.answer('/flaky', () =>
        healthy ? { status: 200, body: 'fine' } : { status: 503, body: 'down' },
      );
      const w = await create({
        steps: [
          { action: 'http_request', url: `${sink.url}/before`, body: { run: '{{input.k}}' } },
          { action: 'http_request', url: `${sink.url}/flaky`, retries: 2 },
          { action: 'transform', template: 'done' },
        ],
      });
      const runId = await start(w.id, { k: 'r1' });
      const failed = await finished(w.id, runId);
      expect(failed.status).toBe('failed');
      expect(failed.steps.map((s: Json) => [s.status, s.attempts])).toEqual([
        ['completed', 1],
        ['failed', 3],
        ['pending', 0],
      ]);
      expect(failed.steps[1].error).toMatch(/HTTP 503/);
      expect(failed.error).toMatch(/^Step 1 http_request failed after 3 attempts: HTTP 503/);
      const tries = sink.at('/flaky');
      expect(tries).toHaveLength(3);
      // 50 ms, then 100 ms between attempts.
      expect(tries[1].at - tries[0].at).toBeGreaterThanOrEqual(40);
      expect(tries[2].at - tries[1].at).toBeGreaterThanOrEqual(90);
      expect(
        (await t.request('POST', wf(`/${w.id}/runs/${runId}/cancel`), { token: owner.token }))
          .status,
      ).toBe(409);

      healthy = true;
      const retried = await t.request('POST', wf(`/${w.id}/runs/${runId}/retry`), {
        token: developer.token,
      });
      expect(retried.status).toBe(200);
      expect(retried.body.id).toBe(runId);
      expect(['queued', 'running', 'completed']).toContain(retried.body.status);
      const done = await finished(w.id, runId);
      expect(done.status).toBe('completed');
      expect(done.output).toBe('done');
      expect(done.error).toBeNull();
      expect(sink.at('/flaky')).toHaveLength(4);
      // The step that had completed did not run again.
      expect(sink.at('/before').filter((h) => JSON.parse(h.body).run === 'r1')).toHaveLength(1);
      expect(
        (await t.request('POST', wf(`/${w.id}/runs/${runId}/retry`), { token: owner.token }))
          .status,
      ).toBe(409);
    });

    it('cancels a run: no further step starts; a finished run answers 409', async () => {
      const w = await create({
        steps: [
          { action: 'delay', seconds: 1 },
          { action: 'http_request', url: `${sink.url}/after-cancel` },
        ],
      });
      const runId = await start(w.id);
      await eventually(
        async () => (await runOf(w.id, runId)).status === 'waiting',
        5000,
        'waiting',
      );
      const res = await t.request('POST', wf(`/${w.id}/runs/${runId}/cancel`), {
        token: owner.token,
      });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('cancelled');
      expect(res.body.steps.map((s: Json) => s.status)).toEqual(['cancelled', 'cancelled']);
      expect(res.body.finished_at).toBeTruthy();
      await new Promise((r) => setTimeout(r, 1800));
      expect(sink.at('/after-cancel')).toHaveLength(0);
      expect((await runOf(w.id, runId)).status).toBe('cancelled');
      expect(
        (await t.request('POST', wf(`/${w.id}/runs/${runId}/cancel`), { token: owner.token }))
          .status,
      ).toBe(409);
      expect(
        (await t.request('POST', wf(`/${w.id}/runs/${runId}/retry`), { token: owner.token }))
          .status,
      ).toBe(409);
    });

    it('prunes finished runs past WORKFLOW_RUN_RETENTION_DAYS, keeping newer ones', async () => {
      const w = await create({ steps: [{ action: 'transform', template: 1 }] });
      const old = await start(w.id);
      const recent = await start(w.id);
      await finished(w.id, old);
      await finished(w.id, recent);
      await t.query(
        `UPDATE backendify.workflow_runs SET finished_at = now() - interval '31 days' WHERE id = $1`,
        [old],
      );
      const pruned = await t.app.get(WorkflowEngine).prune();
      expect(pruned).toBeGreaterThanOrEqual(1);
      expect(
        (await t.request('GET', wf(`/${w.id}/runs/${old}`), { token: owner.token })).status,
      ).toBe(404);
      expect((await runOf(w.id, recent)).status).toBe('completed');
      expect(
        await t.query(`SELECT 1 FROM backendify.workflow_steps WHERE run_id = $1`, [old]),
      ).toHaveLength(0);
    });
  });

  describe('triggers', () => {
    it('starts on single creates, updates and deletes, with and without a condition', async () => {
      const created = await create({
        trigger_type: 'record.created',
        trigger_config: { collection: 'orders' },
        steps: [
          {
            action: 'transform',
            template: { title: '{{trigger.record.title}}', ev: '{{trigger.event}}' },
          },
        ],
      });
      const big = await create({
        trigger_type: 'record.created',
        trigger_config: { collection: 'orders', condition: { qty: { $gte: 5 } } },
        steps: [{ action: 'transform', template: '{{trigger.record.qty}}' }],
      });
      const updated = await create({
        trigger_type: 'record.updated',
        trigger_config: { collection: 'orders', condition: { title: { $startswith: 'paid' } } },
        steps: [
          {
            action: 'transform',
            template: { was: '{{trigger.old_record.title}}', now: '{{trigger.record.title}}' },
          },
        ],
      });
      const deleted = await create({
        trigger_type: 'record.deleted',
        trigger_config: { collection: 'orders', condition: { qty: 1 } },
        steps: [{ action: 'transform', template: '{{trigger.old_record.title}}' }],
      });
      const a = await order('small', 1);
      await order('large', 9);
      await t.request('PATCH', data('orders', `/${a.id}`), {
        token: owner.token,
        body: { title: 'paid small' },
      });
      await t.request('PATCH', data('orders', `/${a.id}`), {
        token: owner.token,
        body: { qty: 2 },
      });
      const b = await order('gone', 1);
      expect(
        (await t.request('DELETE', data('orders', `/${b.id}`), { token: owner.token })).status,
      ).toBe(204);
      const c = await order('kept', 3);
      expect(
        (await t.request('DELETE', data('orders', `/${c.id}`), { token: owner.token })).status,
      ).toBe(204);

      const onCreate = await settledRuns(created.id, 4);
      expect(onCreate.map((r) => r.output)).toEqual([
        { title: 'small', ev: 'record.created' },
        { title: 'large', ev: 'record.created' },
        { title: 'gone', ev: 'record.created' },
        { title: 'kept', ev: 'record.created' },
      ]);
      expect(onCreate[0].trigger).toMatchObject({
        event: 'record.created',
        collection: 'orders',
        record: { id: a.id, title: 'small', qty: 1 },
        event_id: expect.any(String),
      });
      expect((await settledRuns(big.id, 1)).map((r) => r.output)).toEqual([9]);
      // 'paid small' matched; the second update ('paid small' with qty 2) too; nothing else.
      expect((await settledRuns(updated.id, 2)).map((r) => r.output)).toEqual([
        { was: 'small', now: 'paid small' },
        { was: 'paid small', now: 'paid small' },
      ]);
      // The condition of a delete holds on the old record: qty 1 ('gone'), not qty 3 ('kept').
      expect((await settledRuns(deleted.id, 1)).map((r) => r.output)).toEqual(['gone']);

      // An inactive workflow starts nothing.
      await t.request('PATCH', wf(`/${created.id}`), {
        token: owner.token,
        body: { is_active: false },
      });
      await order('while paused', 1);
      await new Promise((r) => setTimeout(r, 800));
      expect((await runsOf(created.id)).total).toBe(4);
    });

    it('starts once per record on bulk writes and imports', async () => {
      await createCollection(t, owner, pid, 'items');
      await addField(t, owner, pid, 'items', { name: 'sku', field_type: 'string' });
      await addField(t, owner, pid, 'items', { name: 'stock', field_type: 'int' });
      const onCreate = await create({
        trigger_type: 'record.created',
        trigger_config: { collection: 'items' },
        steps: [{ action: 'transform', template: '{{trigger.record.sku}}' }],
      });
      const lowStock = await create({
        trigger_type: 'record.updated',
        trigger_config: { collection: 'items', condition: { stock: { $lt: 5 } } },
        steps: [{ action: 'transform', template: '{{trigger.record.sku}}' }],
      });
      const onDelete = await create({
        trigger_type: 'record.deleted',
        trigger_config: { collection: 'items' },
        steps: [{ action: 'transform', template: '{{trigger.old_record.sku}}' }],
      });
      const bulk = await t.request('POST', data('items', '/bulk'), {
        apiKey,
        body: {
          create: [
            { sku: 'a', stock: 10 },
            { sku: 'b', stock: 10 },
            { sku: 'c', stock: 10 },
          ],
        },
      });
      expect(bulk.status).toBe(200);
      const [ia, ib, ic] = bulk.body.created as Json[];
      const bulk2 = await t.request('POST', data('items', '/bulk'), {
        apiKey,
        body: {
          update: [
            { id: ia.id, stock: 1 },
            { id: ib.id, stock: 50 },
          ],
          delete: [ic.id],
        },
      });
      expect(bulk2.status).toBe(200);
      const imported = await t.request('POST', data('items', '/import'), {
        token: owner.token,
        rawBody: 'sku,stock\nx,1\ny,2\n',
        headers: { 'content-type': 'text/csv' },
      });
      expect(imported.body).toEqual({ inserted: 2 });
      const json = await t.request('POST', data('items', '/import'), {
        apiKey,
        body: [{ sku: 'z', stock: 3 }],
      });
      expect(json.body).toEqual({ inserted: 1 });
      const created = await settledRuns(onCreate.id, 6);
      expect(created.map((r) => r.output).sort()).toEqual(['a', 'b', 'c', 'x', 'y', 'z']);
      expect((await settledRuns(lowStock.id, 1)).map((r) => r.output)).toEqual(['a']);
      expect((await settledRuns(onDelete.id, 1)).map((r) => r.output)).toEqual(['c']);
      // Exactly once per event.
      const perEvent = await t.query(
        `SELECT workflow_id, event_id, count(*)::int AS n FROM backendify.workflow_runs
          WHERE workflow_id = ANY($1::uuid[]) GROUP BY 1, 2 HAVING count(*) > 1`,
        [[onCreate.id, lowStock.id, onDelete.id]],
      );
      expect(perEvent).toEqual([]);
    });

    it('stops a loop at WORKFLOW_MAX_DEPTH and says so in the audit log', async () => {
      const loop = await create({
        trigger_type: 'record.created',
        trigger_config: { collection: 'loops' },
        steps: [
          { action: 'create_record', collection: 'loops', data: { gen: '{{trigger.record.gen}}' } },
        ],
      });
      const first = await t.request('POST', data('loops'), {
        token: owner.token,
        body: { gen: 0 },
      });
      expect(first.status).toBe(201);
      // Depths 0, 1 and 2 run (max 3); the record the depth-2 run writes starts nothing.
      const runs = await settledRuns(loop.id, 3);
      expect(runs.map((r) => r.depth)).toEqual([0, 1, 2]);
      expect(runs.every((r) => r.status === 'completed')).toBe(true);
      await eventually(
        async () =>
          (
            await t.query(
              `SELECT 1 FROM backendify.change_events WHERE project_id = $1 AND action = 'workflow.depth_limit'`,
              [pid],
            )
          ).length > 0,
        10_000,
        'the depth-limit event',
      );
      await new Promise((r) => setTimeout(r, 500));
      expect((await runsOf(loop.id)).total).toBe(3);
      const rows = await t.query(`SELECT count(*)::int AS n FROM "${schemaOf(pid)}".loops`);
      expect(rows[0].n).toBe(4);
      const audit = await t.request(
        'GET',
        `/api/projects/${pid}/audit/events?action=workflow.depth_limit`,
        {
          token: owner.token,
        },
      );
      expect(audit.body.events[0].meta).toMatchObject({
        workflow_id: loop.id,
        depth: 3,
        max_depth: 3,
      });
    });

    it('fires a due schedule once per tick, and a missed tick once, not once per missed minute', async () => {
      const s = await create({
        trigger_type: 'schedule',
        trigger_config: { cron: '* * * * *' },
        steps: [{ action: 'transform', template: '{{trigger.scheduled_for}}' }],
      });
      const triggers = t.app.get(WorkflowTriggers);
      await t.query(
        `UPDATE backendify.workflows SET next_run_at = date_trunc('minute', now()) - interval '3 hours' WHERE id = $1`,
        [s.id],
      );
      // Two ticks at once (as two processes would): one run.
      await Promise.all([triggers.tick(), triggers.tick()]);
      await triggers.tick();
      const [run] = await settledRuns(s.id, 1);
      expect(run.trigger).toMatchObject({ event: 'schedule', missed: 180 });
      expect((await runsOf(s.id)).total).toBe(1);
      const after = (await t.request('GET', wf(`/${s.id}`), { token: owner.token })).body;
      expect(new Date(after.next_run_at).getTime()).toBeGreaterThan(Date.now());
      expect(new Date(after.next_run_at).getTime()).toBeLessThanOrEqual(Date.now() + 60_000);
    });
  });

  describe('functions', () => {
    let appUserToken: string;
    beforeAll(async () => {
      const res = await t.request('POST', `/api/projects/${pid}/auth/register`, {
        body: { email: `fn-user-${Date.now()}@example.com`, password: 'correct horse battery' },
      });
      expect(res.status).toBe(201);
      appUserToken = res.body.access_token;
    });

    it('answers the last step output synchronously to an API key and an admin', async () => {
      await create({
        trigger_type: 'http',
        trigger_config: { slug: 'quote' },
        steps: [
          { action: 'transform', template: { qty: '{{input.qty}}' } },
          {
            action: 'script',
            code: 'return { total: steps["0"].output.qty * 5, who: trigger.caller.kind };',
          },
        ],
      });
      const res = await t.request('POST', fn('quote'), { apiKey, body: { qty: 3 } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ total: 15, who: 'api_key' });
      const admin = await t.request('POST', fn('quote'), {
        token: developer.token,
        body: { qty: 1 },
      });
      expect(admin.status).toBe(200);
      expect(admin.body).toEqual({ total: 5, who: 'admin' });
      // Viewers do not run functions (they write).
      expect((await t.request('POST', fn('quote'), { token: viewer.token, body: {} })).status).toBe(
        403,
      );
    });

    it('answers 202 {run_id, status} when async', async () => {
      const w = await create({
        trigger_type: 'http',
        trigger_config: { slug: 'later', async: true, allowed_principals: ['anonymous'] },
        steps: [{ action: 'transform', template: '{{input.v}}' }],
      });
      const res = await t.request('POST', fn('later'), { body: { v: 'x' } });
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ run_id: expect.any(String), status: 'queued' });
      const run = await finished(w.id, res.body.run_id);
      expect(run.output).toBe('x');
      expect(run.trigger).toMatchObject({
        event: 'http',
        slug: 'later',
        caller: { kind: 'anonymous', id: null },
      });
    });

    it('refuses principals it does not allow, unknown and inactive slugs', async () => {
      const w = await create({
        trigger_type: 'http',
        trigger_config: { slug: 'members', allowed_principals: ['app_user'] },
        steps: [{ action: 'transform', template: '{{trigger.caller}}' }],
      });
      const anon = await t.request('POST', fn('members'), { body: {} });
      expect(anon.status).toBe(403);
      expect((await t.request('POST', fn('members'), { apiKey, body: {} })).status).toBe(403);
      const user = await t.request('POST', fn('members'), { token: appUserToken, body: {} });
      expect(user.status).toBe(200);
      expect(user.body.kind).toBe('app_user');
      // The default principals are admin and api_key.
      await create({ trigger_type: 'http', trigger_config: { slug: 'defaults' } });
      expect((await t.request('POST', fn('defaults'), { body: {} })).status).toBe(403);
      expect(
        (await t.request('POST', fn('defaults'), { token: appUserToken, body: {} })).status,
      ).toBe(403);
      expect((await t.request('POST', fn('defaults'), { apiKey, body: {} })).status).toBe(200);

      const unknown = await t.request('POST', fn('no-such-fn'), { apiKey, body: {} });
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('NOT_FOUND');
      await t.request('PATCH', wf(`/${w.id}`), { token: owner.token, body: { is_active: false } });
      expect(
        (await t.request('POST', fn('members'), { token: appUserToken, body: {} })).status,
      ).toBe(404);
      expect(
        (await t.request('POST', fn('members'), { apiKey: 'bf_wrong', body: {} })).status,
      ).toBe(401);
    });

    it('answers 502 FUNCTION_FAILED with the run id when the run fails', async () => {
      const w = await create({
        trigger_type: 'http',
        trigger_config: { slug: 'broken' },
        steps: [{ action: 'script', code: 'throw new Error("nope")', retries: 0 }],
      });
      const res = await t.request('POST', fn('broken'), { apiKey, body: {} });
      expect(res.status).toBe(502);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body).toMatchObject({
        code: 'FUNCTION_FAILED',
        status: 502,
        run_id: expect.any(String),
      });
      expect((await runOf(w.id, res.body.run_id)).status).toBe('failed');
    });

    it('answers app origins with CORS like the data routes', async () => {
      await create({
        trigger_type: 'http',
        trigger_config: { slug: 'cors', allowed_principals: ['anonymous'] },
        steps: [{ action: 'transform', template: 'hi' }],
      });
      const pre = await fetch(`${t.baseUrl}${fn('cors')}`, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://app.example.com',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,authorization',
        },
      });
      expect(pre.status).toBeLessThan(300);
      expect(pre.headers.get('access-control-allow-origin')).toBe('*');
      const res = await fetch(`${t.baseUrl}${fn('cors')}`, {
        method: 'POST',
        headers: { origin: 'https://app.example.com', 'content-type': 'application/json' },
        body: '{}',
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toBe('hi');
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
    });

    it('is documented in the OpenAPI description', async () => {
      const doc = await t.request('GET', '/docs/openapi.json');
      const paths = Object.keys(doc.body.paths);
      for (const p of [
        '/api/projects/{projectId}/workflows',
        '/api/projects/{projectId}/workflows/{workflowId}/runs/{runId}/retry',
        '/api/projects/{projectId}/workflows/cron-preview',
        '/api/projects/{projectId}/workflows/secrets/{name}',
        '/api/projects/{projectId}/functions/{slug}',
      ])
        expect(paths).toContain(p);
    });
  });
});

describe('workflow HTTP steps and private addresses', () => {
  let t: TestApp;
  let owner: TestAdmin;
  let pid: string;
  beforeAll(async () => {
    t = await createTestApp({ WORKFLOW_RETRY_BASE_MS: '20' });
    owner = await createAdmin(t);
    pid = (await createProject(t, owner)).id;
  });
  afterAll(() => t.close());

  it('refuses a loopback URL at save and a templated one at send unless WEBHOOK_ALLOW_PRIVATE', async () => {
    const saved = await t.request('POST', `/api/projects/${pid}/workflows`, {
      token: owner.token,
      body: {
        name: 'ssrf',
        trigger_type: 'manual',
        steps: [{ action: 'http_request', url: 'http://127.0.0.1:9/x' }],
      },
    });
    expect(saved.status).toBe(400);
    expect(saved.body.errors[0]).toMatchObject({ field: 'steps[0].url', rule: 'public_address' });
    const w = await t.request('POST', `/api/projects/${pid}/workflows`, {
      token: owner.token,
      body: {
        name: 'ssrf later',
        trigger_type: 'manual',
        steps: [{ action: 'http_request', url: '{{input.url}}', retries: 0 }],
      },
    });
    expect(w.status).toBe(201);
    const run = await t.request('POST', `/api/projects/${pid}/workflows/${w.body.id}/run`, {
      token: owner.token,
      body: { input: { url: 'http://169.254.169.254/latest/meta-data' } },
    });
    const done = await eventually(async () => {
      const r = await t.request(
        'GET',
        `/api/projects/${pid}/workflows/${w.body.id}/runs/${run.body.run_id}`,
        {
          token: owner.token,
        },
      );
      return FINISHED.includes(r.body.status) ? r.body : null;
    });
    expect(done.status).toBe('failed');
    expect(done.steps[0].error).toMatch(/link-local|private|metadata|address/);
  });
});
