import { makeCollection, makeField } from '../../query-engine/test-collection.fixture';
import {
  changedFields,
  compileAppend,
  recordChange,
  redactMeta,
  stripHidden,
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
      }),
    ).toEqual({ email: 'a@x', nested: { ok: 1, list: [{ name: 'n' }] } });
  });

  it('appends with one statement that also notifies', () => {
    const q = compileAppend(
      {
        projectId: 'p',
        kind: 'admin',
        action: 'webhook.create',
        meta: { secret: 'whsec_x', name: 'n' },
      },
      { type: 'admin', id: 'u' },
    );
    expect(q.text).toContain('pg_notify');
    expect(q.values).not.toContain(expect.stringContaining('whsec_x'));
    expect(q.values[15]).toBe(JSON.stringify({ name: 'n' }));
  });
});
