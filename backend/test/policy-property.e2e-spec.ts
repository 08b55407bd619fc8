import fc from 'fast-check';
import { CatalogService } from '../src/modules/catalog/catalog.service';
import { PolicyDecisionsService } from '../src/modules/policies/policy-decisions.service';
import type { AccessContext, DataPrincipal } from '../src/modules/access/access-context';
import { createTestApp, type TestApp } from './setup/test-app';
import {
  createAdmin,
  createApiKey,
  createProject,
  type TestAdmin,
} from './factories/admin.factory';
import { addField, createCollection, schemaOf } from './factories/schema.factory';

interface Caller {
  label: string;
  principal: DataPrincipal;
  headers: { token?: string; apiKey?: string };
}

const condition = fc.oneof(
  fc.constant(null),
  fc.integer({ min: 0, max: 9 }).map((k) => ({ n: { $gt: k } })),
  fc.integer({ min: 0, max: 9 }).map((k) => ({ n: { $lte: k } })),
  fc.constantFrom('a', 'b', 'c').map((v) => ({ tag: v })),
  fc.constant({ flag: true }),
  fc.constant({ created_by_app_user_id: '$current_app_user_id' }),
  fc.constant({ created_by_app_user_id: { $neq: '$current_app_user_id' } }),
  fc
    .tuple(fc.integer({ min: 0, max: 9 }), fc.constantFrom('a', 'b'))
    .map(([k, v]) => ({ $or: [{ n: { $lt: k } }, { tag: v }] })),
  fc.constantFrom('a', 'c').map((v) => ({ $not: { tag: v } })),
);
const policy = fc.record({
  effect: fc.constantFrom('allow', 'allow', 'deny'),
  priority: fc.integer({ min: 0, max: 5 }),
  principals: fc.subarray(['app_user', 'api_key', 'anonymous'], { minLength: 1 }),
  condition,
});

/** Random policies × principals × rows: list returns exactly the rows the in-memory evaluator allows. */
describe('policy property: list equals the in-memory evaluator', () => {
  let t: TestApp;
  let owner: TestAdmin;
  let pid: string;
  let callers: Caller[];
  const base = () => `/api/projects/${pid}/schema/collections/items/policies`;

  beforeAll(async () => {
    t = await createTestApp();
    owner = await createAdmin(t);
    pid = (await createProject(t, owner)).id;
    await createCollection(t, owner, pid, 'items');
    await addField(t, owner, pid, 'items', { name: 'n', field_type: 'int' });
    await addField(t, owner, pid, 'items', { name: 'tag', field_type: 'string' });
    await addField(t, owner, pid, 'items', { name: 'flag', field_type: 'bool' });
    const key = await createApiKey(t, owner, pid);
    callers = [
      {
        label: 'api key',
        principal: { kind: 'api_key', keyId: key.id, keyKind: 'public' },
        headers: { apiKey: key.api_key },
      },
      { label: 'anonymous', principal: { kind: 'anonymous' }, headers: {} },
    ];
    const users: string[] = [];
    for (let i = 0; i < 3; i++) {
      const email = `p${i}-${Date.now()}@example.com`;
      const reg = await t.request('POST', `/api/projects/${pid}/auth/register`, {
        body: { email, password: 'property password' },
      });
      const me = await t.request('GET', `/api/projects/${pid}/auth/me`, {
        token: reg.body.access_token,
      });
      users.push(me.body.id);
      callers.push({
        label: `user ${i}`,
        principal: { kind: 'app_user', userId: me.body.id, emailVerified: false, roles: [] },
        headers: { token: reg.body.access_token },
      });
    }
    const rows = fc.sample(
      fc.record({
        n: fc.option(fc.integer({ min: 0, max: 9 }), { nil: null }),
        tag: fc.option(fc.constantFrom('a', 'b', 'c'), { nil: null }),
        flag: fc.option(fc.boolean(), { nil: null }),
        owner: fc.option(fc.constantFrom(...users), { nil: null }),
      }),
      { numRuns: 25, seed: 42 },
    );
    for (const r of rows) {
      await t.query(
        `INSERT INTO ${schemaOf(pid)}.items (n, tag, flag, created_by_app_user_id) VALUES ($1, $2, $3, $4)`,
        [r.n, r.tag, r.flag, r.owner],
      );
    }
  });
  afterAll(() => t.close());

  it('holds for random policy sets', async () => {
    const policies = t.app.get(PolicyDecisionsService);
    const catalog = t.app.get(CatalogService);
    await fc.assert(
      fc.asyncProperty(fc.array(policy, { minLength: 0, maxLength: 3 }), async (set) => {
        const existing = await t.request('GET', `${base()}?include_inactive=true`, {
          token: owner.token,
        });
        for (const p of existing.body)
          await t.request('DELETE', `${base()}/${p.id}`, { token: owner.token });
        for (const [i, p] of set.entries()) {
          const res = await t.request('POST', base(), {
            token: owner.token,
            body: {
              name: `p${i}`,
              action: 'list',
              effect: p.effect,
              priority: p.priority,
              allowed_principals: p.principals,
              ...(p.condition ? { condition: p.condition } : {}),
            },
          });
          expect(res.status).toBe(201);
        }
        const meta = (await catalog.collectionByName(pid, 'items')).meta;
        const rows = await t.query<Record<string, unknown>>(`SELECT * FROM ${schemaOf(pid)}.items`);
        for (const caller of callers) {
          const access: AccessContext = {
            projectId: pid,
            principal: caller.principal,
            ip: null,
            userAgent: null,
          };
          let expected: string[] | 'denied';
          try {
            await policies.decide(access, meta, 'list');
            expected = [];
            for (const row of rows)
              if (await policies.allows(access, meta, 'list', row)) expected.push(String(row.id));
          } catch {
            expected = 'denied';
          }
          const res = await t.request(
            'GET',
            `/api/projects/${pid}/data/items?limit=1000`,
            caller.headers,
          );
          if (expected === 'denied') {
            expect([401, 403]).toContain(res.status);
          } else {
            expect(res.status).toBe(200);
            const got = res.body.records.map((r: { id: number }) => String(r.id)).sort();
            expect(got).toEqual(expected.sort());
          }
        }
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});
