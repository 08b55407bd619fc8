import fc from 'fast-check';
import { makeCollection, makeField } from '../../query-engine/test-collection.fixture';
import type { DataPrincipal } from '../access/access-context';
import {
  decide,
  evaluateInMemory,
  preparePolicies,
  type PolicyDefinition,
} from '../policies/policy-engine';
import { EventView, type FeedEvent } from './event-view';

const posts = makeCollection('posts', [
  makeField('title', 'string'),
  makeField('published', 'bool'),
  makeField('note', 'string'),
  makeField('secret', 'string', { isHidden: true }),
]);

let seq = 0;
const event = (
  action: 'create' | 'update' | 'delete',
  record: Record<string, unknown> | null,
  oldRecord: Record<string, unknown> | null = null,
): FeedEvent => {
  seq += 1;
  return {
    id: String(seq),
    xactId: String(seq),
    projectId: 'p',
    kind: 'record',
    action,
    collection: 'posts',
    collectionId: posts.id,
    record,
    oldRecord,
    pos: { xact: BigInt(seq), id: BigInt(seq) },
  };
};
const published = { kind: 'cond', field: 'published', op: 'eq', value: true } as const;
const parse = (m: { type: string; tail: string } | null): Record<string, unknown> | null =>
  m && { type: m.type, ...(JSON.parse(`{${m.tail.slice(1)}`) as Record<string, unknown>) };

describe('EventView', () => {
  const sut = new EventView(posts, published, new Set(['title', 'published']));

  it('shows readable fields only, never hidden ones', () => {
    const m = parse(
      sut.messageFor(
        event('create', {
          id: 1,
          title: 'a',
          published: true,
          note: 'n',
          secret: 's',
          password_hash: 'x',
        }),
        null,
      ),
    );
    expect(m).toEqual({
      type: 'record.created',
      event_id: String(seq),
      collection: 'posts',
      record: { id: 1, title: 'a', published: true },
    });
  });

  it('drops who wrote the row unless the readable set names it (anonymous callers, 14.7)', () => {
    const row = { id: 2, title: 'b', published: true, created_by_app_user_id: 'u1' };
    const without = parse(sut.messageFor(event('create', row), null));
    expect(without?.record).toEqual({ id: 2, title: 'b', published: true });
    const named = new EventView(posts, null, new Set(['title', 'created_by_app_user_id']));
    expect(parse(named.messageFor(event('create', row), null))?.record).toEqual({
      id: 2,
      title: 'b',
      created_by_app_user_id: 'u1',
    });
    const all = new EventView(posts, null, null);
    expect(parse(all.messageFor(event('create', row), null))?.record).toMatchObject({
      created_by_app_user_id: 'u1',
    });
  });

  it.each([
    ['stays in view', true, true, 'record.updated', true, undefined],
    ['enters the view', false, true, 'record.updated', false, undefined],
    ['leaves the view', true, false, 'record.deleted', false, 'left_view'],
  ])('an update that %s', (_l, before, after, type, withOld, reason) => {
    const m = parse(
      sut.messageFor(
        event(
          'update',
          { id: 1, title: 'new', published: after },
          { id: 1, title: 'old', published: before },
        ),
        null,
      ),
    );
    expect(m?.type).toBe(type);
    expect('old_record' in (m ?? {})).toBe(withOld);
    expect(m?.reason).toBe(reason);
    // A leave shows the version that was visible, never the new one.
    if (type === 'record.deleted')
      expect(m?.record).toEqual({ id: 1, title: 'old', published: true });
  });

  it('an update outside the view both times, and a delete out of view, send nothing', () => {
    expect(
      sut.messageFor(
        event('update', { id: 1, published: false }, { id: 1, published: false }),
        null,
      ),
    ).toBeNull();
    expect(sut.messageFor(event('delete', null, { id: 1, published: false }), null)).toBeNull();
    expect(
      parse(sut.messageFor(event('delete', null, { id: 1, published: true }), null)),
    ).toMatchObject({
      type: 'record.deleted',
      record: { id: 1, published: true },
    });
  });

  it('a subscription filter works like the row filter: leaving it is a leave', () => {
    const filter = { kind: 'cond', field: 'title', op: 'startswith', value: 'a' } as const;
    const e = event(
      'update',
      { id: 1, title: 'b', published: true },
      { id: 1, title: 'a', published: true },
    );
    expect(parse(sut.messageFor(e, filter))).toMatchObject({
      type: 'record.deleted',
      reason: 'left_view',
    });
    expect(parse(sut.messageFor(e, null))).toMatchObject({ type: 'record.updated' });
  });
});

/**
 * The event check uses the read decision's SQL row filter, evaluated in memory; for random
 * policies, principals and rows it admits exactly what the policy engine's own in-memory twin
 * (itself property-tested against PostgreSQL) admits.
 */
describe('row filter in memory ≡ evaluateInMemory', () => {
  const items = makeCollection('items', [
    makeField('title', 'string'),
    makeField('qty', 'int'),
    makeField('tier', 'string'),
  ]);
  const USERS = ['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12'];
  const NOW = new Date('2025-06-01T12:00:00Z');
  const leaf = fc.oneof(
    fc.constant({ created_by_app_user_id: '$current_app_user_id' }),
    fc.constant({ created_by_app_user_id: { $neq: '$current_app_user_id' } }),
    fc.constant({ type: 'authenticated' }),
    fc.constantFrom('$in', '$nin').map((op) => ({ tier: { [op]: '$current_user_roles' } })),
    fc
      .tuple(fc.constantFrom('$eq', '$neq', '$gt', '$lte'), fc.integer({ min: -1, max: 2 }))
      .map(([op, v]) => ({ qty: { [op]: v } })),
    fc
      .tuple(fc.constantFrom('$eq', '$contains', '$startswith'), fc.constantFrom('a', 'ab', 'b'))
      .map(([op, v]) => ({ title: { [op]: v } })),
    fc.boolean().map((b) => ({ tier: { $isnull: b } })),
  );
  const condition = fc.letrec<{ c: unknown }>((tie) => ({
    c: fc.oneof(
      { depthSize: 'small' },
      leaf,
      fc.array(tie('c'), { minLength: 1, maxLength: 3 }).map((cs) => ({ $and: cs })),
      fc.array(tie('c'), { minLength: 1, maxLength: 3 }).map((cs) => ({ $or: cs })),
      tie('c').map((c) => ({ $not: c })),
    ),
  })).c;
  const policy = fc.record({
    action: fc.constant('read' as const),
    effect: fc.constantFrom('allow' as const, 'deny' as const),
    condition: fc.option(condition, { nil: null, freq: 3 }),
    isActive: fc.constant(true),
    priority: fc.integer({ min: 0, max: 3 }),
    allowedPrincipals: fc.subarray(['app_user', 'anonymous', 'api_key'] as (
      'app_user' | 'anonymous' | 'api_key'
    )[]),
    requireEmailVerified: fc.boolean(),
    allowedRoles: fc.subarray(['editor']),
    readFields: fc.constant(null),
    writeFields: fc.constant(null),
  });
  const principal = fc.oneof(
    fc.constant<DataPrincipal>({ kind: 'anonymous' }),
    fc.constant<DataPrincipal>({ kind: 'api_key', keyId: 'k', keyKind: 'public' }),
    fc
      .record({
        userId: fc.constantFrom(...USERS),
        emailVerified: fc.boolean(),
        roles: fc.subarray(['editor', 'viewer']),
      })
      .map((u): DataPrincipal => ({ kind: 'app_user', ...u })),
  );
  const row = fc.record({
    id: fc.constant(1),
    title: fc.option(fc.constantFrom('a', 'ab', 'b'), { nil: null }),
    qty: fc.option(fc.integer({ min: -1, max: 2 }), { nil: null }),
    tier: fc.option(fc.constantFrom('editor', 'viewer', 'x'), { nil: null }),
    created_by_app_user_id: fc.option(fc.constantFrom(...USERS), { nil: null }),
  });

  it('agrees on random policies, principals and rows', () => {
    fc.assert(
      fc.property(fc.array(policy, { maxLength: 4 }), principal, row, (defs, p, r) => {
        const policies = preparePolicies(
          defs.map((d, i) => ({
            ...d,
            id: `p${i}`,
            name: `p${i}`,
            createdAt: new Date(2020, 0, 1, 0, 0, i),
          })) as PolicyDefinition[],
          items,
        );
        const d = decide(policies, p, 'read', NOW);
        const expected = evaluateInMemory(policies, p, r, 'read', NOW);
        if (d.kind === 'deny') return expect(expected).toBe(false);
        const view = new EventView(items, d.kind === 'all' ? null : d.filter, null);
        seq += 1;
        const e: FeedEvent = {
          id: String(seq),
          xactId: String(seq),
          projectId: 'p',
          kind: 'record',
          action: 'create',
          collection: 'items',
          collectionId: items.id,
          record: r,
          oldRecord: null,
          pos: { xact: BigInt(seq), id: BigInt(seq) },
        };
        expect(view.messageFor(e, null) !== null).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });
});
