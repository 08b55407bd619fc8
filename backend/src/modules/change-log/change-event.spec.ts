import { makeCollection, makeField } from '../../query-engine/test-collection.fixture';
import {
  adminChange,
  changedFields,
  compileAppend,
  recordChange,
  redactMeta,
  stripHidden,
  updateMeta,
} from './change-event';

const users = makeCollection('_users', [
  makeField('email', 'string'),
  makeField('password_hash', 'string', { isHidden: true, isSystem: true }),
  makeField('nickname', 'string', { isHidden: true, column: 'nick_col' }),
]);

describe('change events', () => {
  it('never carries hidden fields, by name or by column', () => {
    expect(
      stripHidden(users, { id: 1, email: 'a@x', password_hash: 'h', nickname: 'n', nick_col: 'n' }),
    ).toEqual({ id: 1, email: 'a@x' });
    // password_hash is secret even where a collection forgets to mark it
    expect(stripHidden(makeCollection('t', []), { id: 1, password_hash: 'h' })).toEqual({ id: 1 });
  });

  it.each([
    [{ a: 1, b: 2 }, { a: 1, b: 3 }, ['b']],
    [{ a: 1 }, { a: 1, c: null }, []],
    [{ a: [1, 2] }, { a: [2, 1] }, ['a']],
    [{ a: 1, updated_at: 'x' }, { a: 1, updated_at: 'y' }, []],
    [null, { a: 1 }, ['a']],
  ])('changed fields of %j → %j', (before, after, expected) => {
    expect(changedFields(before, after)).toEqual(expected);
  });

  it('builds create, update and delete events', () => {
    const created = recordChange(
      'p',
      users,
      'create',
      { id: 'u1', email: 'a', password_hash: 'h' },
      null,
    );
    expect(created).toMatchObject({
      kind: 'record',
      action: 'create',
      collection: '_users',
      recordId: 'u1',
      record: { id: 'u1', email: 'a' },
      oldRecord: null,
      changed: null,
    });
    const updated = recordChange(
      'p',
      users,
      'update',
      { id: 'u1', email: 'b' },
      { id: 'u1', email: 'a' },
    );
    expect(updated.changed).toEqual(['email']);
    const deleted = recordChange('p', users, 'delete', null, {
      id: 'u1',
      email: 'b',
      password_hash: 'h',
    });
    expect(deleted).toMatchObject({
      recordId: 'u1',
      record: null,
      oldRecord: { id: 'u1', email: 'b' },
    });
  });

  it('redacts secret-looking keys of auth and admin payloads at any depth', () => {
    expect(
      redactMeta({
        email: 'a@x',
        password: 'p',
        client_secret: 's',
        nested: { refresh_token: 't', ok: 1, list: [{ api_key: 'k', name: 'n' }] },
        enable_otp: true,
        otp: 123456,
      }),
    ).toEqual({ email: 'a@x', nested: { ok: 1, list: [{ name: 'n' }] }, enable_otp: true });
  });

  it('makes an admin action an admin event of its collection, with no record', () => {
    expect(
      adminChange('p', 'policy.create', { policy_id: 'x' }, { id: 'c1', name: 'posts' }),
    ).toEqual({
      projectId: 'p',
      kind: 'admin',
      action: 'policy.create',
      collection: 'posts',
      collectionId: 'c1',
      recordId: null,
      meta: { policy_id: 'x' },
    });
    expect(adminChange('p', 'api_key.create', {})).toMatchObject({
      collection: null,
      collectionId: null,
    });
  });

  it('describes an admin update by its changed fields and their previous values', () => {
    expect(updateMeta({ id: 'r', name: 'a', n: 1 }, { id: 'r', name: 'b', n: 1 })).toEqual({
      id: 'r',
      name: 'b',
      n: 1,
      changed: ['name'],
      previous: { name: 'a' },
    });
    // A replaced secret counts as changed without either value appearing.
    expect(updateMeta({ set: true }, { set: true }, ['client_secret'])).toEqual({
      set: true,
      changed: ['client_secret'],
      previous: {},
    });
  });

  it('appends with one statement and no NOTIFY (the hint leaves after commit, outside the transaction)', () => {
    const q = compileAppend(
      {
        projectId: 'p',
        kind: 'admin',
        action: 'webhook.create',
        meta: { secret: 'whsec_x', name: 'n' },
      },
      { type: 'admin', id: 'u' },
    );
    expect(q.text).not.toContain('pg_notify');
    expect(q.values).not.toContain(expect.stringContaining('whsec_x'));
    expect(q.values[15]).toBe(JSON.stringify({ name: 'n' }));
  });
});
