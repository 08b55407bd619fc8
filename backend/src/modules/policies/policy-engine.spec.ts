import { makeCollection, makeField } from '../../query-engine/test-collection.fixture';
import type { DataPrincipal } from '../access/access-context';
import { parseCondition } from './condition';
import {
  conditionToFilter,
  decide,
  evaluateInMemory,
  filterToText,
  gateFailure,
  preparePolicies,
  varsOf,
  type PolicyDefinition,
} from './policy-engine';

const posts = makeCollection('posts', [
  makeField('title', 'string'),
  makeField('qty', 'int'),
  makeField('published', 'bool'),
  makeField('tier', 'string'),
  makeField('due', 'datetime'),
]);
const U1 = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11';
const NOW = new Date('2025-01-02T03:04:05.000Z');
const user = (roles: string[] = [], emailVerified = true): DataPrincipal => ({
  kind: 'app_user',
  userId: U1,
  emailVerified,
  roles,
});
const anon: DataPrincipal = { kind: 'anonymous' };
const key: DataPrincipal = { kind: 'api_key', keyId: 'k', keyKind: 'public' };
const admin: DataPrincipal = { kind: 'admin', userId: 'a', role: 'owner' };

let seq = 0;
function policy(p: Partial<PolicyDefinition>): PolicyDefinition {
  seq += 1;
  return {
    id: `p${String(seq).padStart(3, '0')}`,
    name: `p${seq}`,
    action: 'list',
    effect: 'allow',
    condition: null,
    isActive: true,
    priority: 0,
    allowedPrincipals: ['app_user', 'anonymous', 'api_key'],
    requireEmailVerified: false,
    allowedRoles: [],
    readFields: null,
    writeFields: null,
    createdAt: new Date(2020, 0, 1, 0, 0, seq),
    ...p,
  };
}
const prep = (...defs: PolicyDefinition[]) => preparePolicies(defs, posts);
const filterOf = (c: unknown, p: DataPrincipal = user(['editor'])) =>
  conditionToFilter(parseCondition(c, posts), varsOf(p, NOW));

describe('conditionToFilter', () => {
  it('owner → NULL-safe equality with the caller id', () => {
    expect(filterOf({ type: 'owner' })).toMatchInlineSnapshot(`
{
  "children": [
    {
      "field": "created_by_app_user_id",
      "kind": "cond",
      "op": "isnull",
      "value": false,
    },
    {
      "field": "created_by_app_user_id",
      "kind": "cond",
      "op": "eq",
      "value": "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
    },
  ],
  "kind": "and",
}
`);
  });

  it('$neq and $nin are true on NULL columns', () => {
    expect(filterOf({ title: { $neq: 'x' }, qty: { $nin: [1, 2] } })).toMatchInlineSnapshot(`
{
  "children": [
    {
      "children": [
        {
          "field": "title",
          "kind": "cond",
          "op": "isnull",
          "value": true,
        },
        {
          "field": "title",
          "kind": "cond",
          "op": "neq",
          "value": "x",
        },
      ],
      "kind": "or",
    },
    {
      "children": [
        {
          "field": "qty",
          "kind": "cond",
          "op": "isnull",
          "value": true,
        },
        {
          "field": "qty",
          "kind": "cond",
          "op": "notin",
          "value": [
            1,
            2,
          ],
        },
      ],
      "kind": "or",
    },
  ],
  "kind": "and",
}
`);
  });

  it('variables: roles list, $now, and missing ones become constants', () => {
    expect(filterOf({ tier: { $in: '$current_user_roles' }, due: { $lt: '$now' } }))
      .toMatchInlineSnapshot(`
{
  "children": [
    {
      "field": "tier",
      "kind": "cond",
      "op": "isnull",
      "value": false,
    },
    {
      "field": "tier",
      "kind": "cond",
      "op": "in",
      "value": [
        "editor",
      ],
    },
    {
      "field": "due",
      "kind": "cond",
      "op": "isnull",
      "value": false,
    },
    {
      "field": "due",
      "kind": "cond",
      "op": "lt",
      "value": "2025-01-02T03:04:05.000Z",
    },
  ],
  "kind": "and",
}
`);
    expect(filterOf({ tier: { $in: '$current_user_roles' } }, user([]))).toMatchInlineSnapshot(`
{
  "kind": "literal",
  "value": false,
}
`);
    expect(filterOf({ tier: { $nin: '$current_user_roles' } }, anon)).toMatchInlineSnapshot(`
{
  "kind": "literal",
  "value": null,
}
`);
    expect(filterOf({ $not: { type: 'owner' } }, anon)).toMatchInlineSnapshot(`
{
  "kind": "literal",
  "value": null,
}
`);
    expect(filterOf({ type: 'authenticated' }, anon)).toMatchInlineSnapshot(`
{
  "kind": "literal",
  "value": false,
}
`);
  });

  it('and/or/not nest and simplify', () => {
    expect(
      filterOf({
        type: 'or',
        conditions: [
          { type: 'authenticated' },
          { type: 'not', condition: { type: 'field_equals', field: 'qty', value: 3 } },
        ],
      }),
    ).toMatchInlineSnapshot(`
{
  "kind": "literal",
  "value": true,
}
`);
    expect(filterOf({ $or: [{ published: true }, { $not: { title: null } }] }))
      .toMatchInlineSnapshot(`
{
  "children": [
    {
      "children": [
        {
          "field": "published",
          "kind": "cond",
          "op": "isnull",
          "value": false,
        },
        {
          "field": "published",
          "kind": "cond",
          "op": "eq",
          "value": true,
        },
      ],
      "kind": "and",
    },
    {
      "child": {
        "field": "title",
        "kind": "cond",
        "op": "isnull",
        "value": true,
      },
      "kind": "not",
    },
  ],
  "kind": "or",
}
`);
  });
});

describe('decide (first match wins, as a row filter)', () => {
  it('admins are always allowed; no policies → admins and API keys only', () => {
    expect(decide(prep(), admin, 'list')).toEqual({ kind: 'all', deciding: [] });
    expect(decide(prep(), key, 'list')).toEqual({ kind: 'all', deciding: [] });
    expect(decide(prep(), user(), 'list')).toMatchObject({ kind: 'deny' });
    expect(decide(prep(), anon, 'list')).toMatchObject({ kind: 'deny' });
    // Inactive policies do not count.
    expect(decide(prep(policy({ isActive: false })), user(), 'list')).toMatchObject({
      kind: 'deny',
    });
  });

  it('API keys lose actions without a policy once any exists', () => {
    expect(decide(prep(policy({ action: 'read' })), key, 'list')).toMatchObject({ kind: 'deny' });
  });

  it('orders by priority desc and folds allow/deny', () => {
    const ps = prep(
      policy({ priority: 1, condition: { type: 'owner' } }),
      policy({ priority: 5, effect: 'deny', condition: { published: false } }),
      policy({ priority: 0 }),
    );
    const d = decide(ps, user(), 'list', NOW);
    expect(d.kind === 'filter' && filterToText(d.filter)).toBe(
      'NOT ((published IS NOT NULL AND published = false))',
    );
    const ps2 = prep(
      policy({ priority: 1, condition: { type: 'owner' } }),
      policy({ priority: 5, effect: 'deny', condition: { published: false } }),
    );
    const d2 = decide(ps2, user(), 'list', NOW);
    expect(d2.kind === 'filter' && filterToText(d2.filter)).toMatchInlineSnapshot(
      `"(NOT ((published IS NOT NULL AND published = false)) AND created_by_app_user_id IS NOT NULL AND created_by_app_user_id = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11')"`,
    );
  });

  it('an unconditional deny after conditional allows keeps only those', () => {
    const ps = prep(
      policy({ priority: 9, condition: { qty: { $gt: 10 } } }),
      policy({ priority: 1, effect: 'deny' }),
      policy({ priority: 0 }),
    );
    const d = decide(ps, user(), 'list', NOW);
    expect(d.kind === 'filter' && filterToText(d.filter)).toMatchInlineSnapshot(
      `"(qty IS NOT NULL AND qty > 10)"`,
    );
  });

  it('a condition unknown for the principal is returned as a filter (lists empty), not thrown', () => {
    const d = decide(prep(policy({ condition: { type: 'owner' } })), anon, 'list', NOW);
    expect(d).toMatchObject({ kind: 'filter', filter: { kind: 'literal', value: null } });
  });

  it('an unconditional deny that decides before any allow denies the action (§8.2)', () => {
    const ps = prep(
      policy({ effect: 'deny', priority: 5 }),
      policy({ condition: { type: 'owner' } }),
    );
    expect(decide(ps, anon, 'list', NOW)).toMatchObject({ kind: 'deny' });
    // An allow that can admit some row first keeps it a row filter.
    const mixed = prep(
      policy({ priority: 9, condition: { qty: { $gt: 1 } } }),
      policy({ effect: 'deny', priority: 5 }),
    );
    expect(decide(mixed, anon, 'list', NOW)).toMatchObject({ kind: 'filter' });
  });

  it('gates: principals, email verification, roles', () => {
    const p = policy({ allowedPrincipals: [], requireEmailVerified: false });
    expect(gateFailure(p, key)).toBeNull();
    expect(gateFailure(p, user())).toContain('allowed_principals');
    const v = policy({ requireEmailVerified: true });
    expect(gateFailure(v, user([], false))).toContain('verified');
    expect(gateFailure(v, key)).toContain('verified');
    const r = policy({ allowedRoles: ['editor'] });
    expect(gateFailure(r, user(['editor']))).toBeNull();
    expect(gateFailure(r, user(['viewer']))).toContain('editor');
    expect(gateFailure(r, anon)).toContain('editor');
    expect(gateFailure(r, key)).toBeNull();
  });

  it('stored conditions that no longer validate fail closed', () => {
    const allow = prep(policy({ condition: { removed_field: 1 } }));
    expect(allow[0].invalid).toBeTruthy();
    expect(decide(allow, user(), 'list', NOW)).toMatchObject({
      kind: 'filter',
      filter: { value: false },
    });
    const deny = prep(
      policy({ effect: 'deny', priority: 5, condition: { removed_field: 1 } }),
      policy({}),
    );
    // An invalid deny holds for every row: an unconditional deny decides, so the action is denied.
    expect(decide(deny, user(), 'list', NOW)).toMatchObject({ kind: 'deny' });
    expect(evaluateInMemory(deny, user(), {}, 'list', NOW)).toBe(false);
  });

  it('deciding allow policies stop at the first unconditional one', () => {
    const ps = prep(
      policy({ priority: 3, condition: { qty: 1 }, readFields: ['title'] }),
      policy({ priority: 2, readFields: ['qty'] }),
      policy({ priority: 1, readFields: null }),
    );
    const d = decide(ps, user(), 'list', NOW);
    expect(d.kind === 'all' && d.deciding.map((p) => p.readFields)).toEqual([['title'], ['qty']]);
  });
});

describe('evaluateInMemory', () => {
  const ps = prep(
    policy({ priority: 5, effect: 'deny', condition: { published: false } }),
    policy({ priority: 1, condition: { type: 'owner' } }),
    policy({
      priority: 0,
      action: 'create',
      condition: { created_by_app_user_id: '$current_user_id' },
    }),
  );
  it.each<[string, Record<string, unknown>, DataPrincipal, boolean]>([
    ['own published row', { published: true, created_by_app_user_id: U1 }, user(), true],
    ['own draft (deny first)', { published: false, created_by_app_user_id: U1 }, user(), false],
    ['own row, published NULL', { published: null, created_by_app_user_id: U1 }, user(), true],
    ['someone else', { published: true, created_by_app_user_id: 'x' }, user(), false],
    ['anonymous', { published: true, created_by_app_user_id: U1 }, anon, false],
    ['admin', { published: false }, admin, true],
  ])('%s', (_l, row, p, expected) => {
    expect(evaluateInMemory(ps, p, row, 'list', NOW)).toBe(expected);
  });
  it('create checks the new row', () => {
    expect(evaluateInMemory(ps, user(), { created_by_app_user_id: U1 }, 'create', NOW)).toBe(true);
    expect(evaluateInMemory(ps, user(), { created_by_app_user_id: 'x' }, 'create', NOW)).toBe(
      false,
    );
  });
});
