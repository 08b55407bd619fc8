import fc from 'fast-check';
import { createTestApp, type TestApp } from './setup/test-app';
import { createAdmin, createProject, type TestAdmin } from './factories/admin.factory';
import { addField, createCollection, schemaOf } from './factories/schema.factory';

/**
 * Issue 9.10: a variable the caller lacks is SQL NULL, so a comparison with it is unknown and
 * neither an allow nor a deny policy holds by accident (`$neq` and NOT included).
 */
describe('policy variables the caller lacks are unknown (three-valued)', () => {
  let t: TestApp;
  let owner: TestAdmin;
  let pid: string;
  let author: { token: string; id: string };
  let other: { token: string; id: string };
  const data = (c: string) => `/api/projects/${pid}/data/${c}`;
  const policies = () => `/api/projects/${pid}/schema/collections/articles/policies`;
  const setPolicies = async (list: Record<string, unknown>[]) => {
    const existing = await t.request('GET', `${policies()}?include_inactive=true`, {
      token: owner.token,
    });
    for (const p of existing.body)
      await t.request('DELETE', `${policies()}/${p.id}`, { token: owner.token });
    for (const [i, p] of list.entries()) {
      const res = await t.request('POST', policies(), {
        token: owner.token,
        body: { name: `p${i}`, action: 'list', allowed_principals: 'app_user,anonymous', ...p },
      });
      if (res.status !== 201) throw new Error(`policy: ${res.status} ${res.text}`);
    }
  };
  const titles = async (headers: { token?: string }) => {
    const res = await t.request('GET', `${data('articles')}?limit=1000`, headers);
    expect(res.status).toBe(200);
    return (res.body.records as { title: string }[]).map((r) => r.title).sort();
  };
  const user = async (n: number) => {
    const reg = await t.request('POST', `/api/projects/${pid}/auth/register`, {
      body: { email: `null${n}-${Date.now()}@example.com`, password: 'null semantics pw' },
    });
    const me = await t.request('GET', `/api/projects/${pid}/auth/me`, {
      token: reg.body.access_token,
    });
    return { token: reg.body.access_token as string, id: me.body.id as string };
  };

  beforeAll(async () => {
    t = await createTestApp();
    owner = await createAdmin(t);
    pid = (await createProject(t, owner)).id;
    await createCollection(t, owner, pid, 'articles');
    await addField(t, owner, pid, 'articles', { name: 'title', field_type: 'string' });
    await addField(t, owner, pid, 'articles', { name: 'status', field_type: 'string' });
    author = await user(1);
    other = await user(2);
    for (const [title, status, by] of [
      ['published', 'live', author.id],
      ['draft by author', 'draft', author.id],
      ['draft by nobody', 'draft', null],
    ])
      await t.query(
        `INSERT INTO ${schemaOf(pid)}.articles (title, status, created_by_app_user_id) VALUES ($1, $2, $3)`,
        [title, status, by],
      );
  });
  afterAll(() => t.close());

  it('"drafts visible only to their author": anonymous callers see no drafts', async () => {
    await setPolicies([
      {
        effect: 'deny',
        priority: 10,
        condition: { status: 'draft', created_by_app_user_id: { $neq: '$current_app_user_id' } },
      },
      {},
    ]);
    expect(await titles({ token: author.token })).toEqual(['draft by author', 'published']);
    expect(await titles({ token: other.token })).toEqual(['published']);
    // Before: `$neq` with a missing variable was false, so the deny did not hold for anonymous.
    expect(await titles({})).toEqual(['published']);
  });

  it('an allow with a missing variable admits nothing, nor does its negation', async () => {
    await setPolicies([{ condition: { created_by_app_user_id: '$current_app_user_id' } }]);
    expect(await titles({})).toEqual([]);
    await setPolicies([
      { condition: { $not: { created_by_app_user_id: '$current_app_user_id' } } },
    ]);
    expect(await titles({})).toEqual([]);
    // A NULL column is still two-valued: "not mine" holds for a row nobody owns.
    expect(await titles({ token: other.token })).toEqual([
      'draft by author',
      'draft by nobody',
      'published',
    ]);
    await setPolicies([{ condition: { created_by_app_user_id: { $neq: '$current_user_id' } } }]);
    expect(await titles({})).toEqual([]);
  });

  it('property: for anonymous, every comparison with a variable is unknown (Kleene logic, first match)', async () => {
    type Truth = boolean | null;
    const leaf = fc.constantFrom<Record<string, unknown>>(
      { created_by_app_user_id: '$current_app_user_id' },
      { created_by_app_user_id: { $neq: '$current_app_user_id' } },
      { created_by_app_user_id: { $neq: '$current_user_id' } },
    );
    const plain = fc.constantFrom('draft', 'live').map((v) => ({ status: v }));
    const cond: fc.Arbitrary<Record<string, unknown>> = fc.letrec<{
      c: Record<string, unknown>;
    }>((tie) => ({
      c: fc.oneof(
        { depthSize: 'small' },
        leaf,
        plain,
        fc.tuple(tie('c'), tie('c')).map(([a, b]) => ({ $and: [a, b] })),
        fc.tuple(tie('c'), tie('c')).map(([a, b]) => ({ $or: [a, b] })),
        tie('c').map((a) => ({ $not: a })),
      ),
    })).c;
    // The oracle, written from the contract: variable leaves are unknown for anonymous callers.
    const truth = (c: Record<string, unknown>, status: string): Truth => {
      if ('$and' in c) {
        const [a, b] = (c.$and as Record<string, unknown>[]).map((x) => truth(x, status));
        return a === false || b === false ? false : a === null || b === null ? null : true;
      }
      if ('$or' in c) {
        const [a, b] = (c.$or as Record<string, unknown>[]).map((x) => truth(x, status));
        return a === true || b === true ? true : a === null || b === null ? null : false;
      }
      if ('$not' in c) {
        const a = truth(c.$not as Record<string, unknown>, status);
        return a === null ? null : !a;
      }
      if ('status' in c) return c.status === status;
      return null;
    };
    const policySet = fc.array(
      fc.record({ effect: fc.constantFrom('allow', 'deny'), condition: cond }),
      { minLength: 1, maxLength: 3 },
    );
    const rows = [
      { title: 'published', status: 'live' },
      { title: 'draft by author', status: 'draft' },
      { title: 'draft by nobody', status: 'draft' },
    ];
    await fc.assert(
      fc.asyncProperty(policySet, async (list) => {
        await setPolicies(list.map((p, i) => ({ ...p, priority: 10 - i })));
        const expected = rows
          .filter((r) => {
            let acc = false as Truth;
            for (let i = list.length - 1; i >= 0; i -= 1) {
              const c = truth(list[i].condition, r.status);
              if (list[i].effect === 'allow')
                acc = c === true || acc === true ? true : c === null || acc === null ? null : false;
              else {
                const n = c === null ? null : !c;
                acc =
                  n === false || acc === false ? false : n === null || acc === null ? null : true;
              }
            }
            return acc === true;
          })
          .map((r) => r.title)
          .sort();
        const res = await t.request('GET', `${data('articles')}?limit=1000`);
        if (res.status === 200) {
          expect((res.body.records as { title: string }[]).map((r) => r.title).sort()).toEqual(
            expected,
          );
        } else {
          // An unconditional deny decided first (8.2): nothing would have been shown.
          expect(res.status).toBe(401);
          expect(expected).toEqual([]);
        }
      }),
      { numRuns: 40 },
    );
  });
});
