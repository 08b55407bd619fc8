import { visibleColumns } from './field-resolver';
import { resolveProjection } from './query-compiler';
import { createRowSerializer, serializeRows, serializerFor } from './serialize-row';
import { everyTypeCollection } from './test-collection.fixture';

const sut = everyTypeCollection();

describe('row serializer', () => {
  const row = {
    id: '9007199254740993',
    created_at: new Date('2024-01-01T00:00:00Z'),
    updated_at: new Date('2024-01-02T00:00:00Z'),
    created_by_user_id: null,
    created_by_app_user_id: 'u1',
    title: 't',
    body: null,
    qty: '42',
    ratio: 0.5,
    price: '1.10',
    active: true,
    day: new Date(2024, 0, 5),
    at: new Date('2024-01-01T10:00:00.500Z'),
    ref: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    meta: { a: [1] },
    status: 'draft',
    attachment: null,
    owner_id: '3',
    secret: 'hash',
    gone: 'old',
    __total: '5',
  };

  it('serializes every visible column by type and drops hidden, deleted and helper columns', () => {
    expect(serializerFor(sut)(row)).toEqual({
      id: '9007199254740993',
      created_at: '2024-01-01T00:00:00.000Z',
      updated_at: '2024-01-02T00:00:00.000Z',
      created_by_user_id: null,
      created_by_app_user_id: 'u1',
      title: 't',
      body: null,
      qty: 42,
      ratio: 0.5,
      price: '1.10',
      active: true,
      day: '2024-01-05',
      at: '2024-01-01T10:00:00.500Z',
      ref: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
      meta: { a: [1] },
      status: 'draft',
      attachment: null,
      owner_id: 3,
    });
  });

  it('is cached per collection', () => {
    expect(serializerFor(sut)).toBe(serializerFor(sut));
  });

  it('notices fields added to a meta in place', () => {
    const local = everyTypeCollection();
    expect(serializerFor(local)(row)).not.toHaveProperty('extra');
    local.fields.push({ ...local.fields[0], id: 'f_extra', name: 'extra', column: 'title' });
    expect(serializerFor(local)(row)).toMatchObject({ extra: 't' });
  });

  it('follows a projection', () => {
    expect(serializeRows([row], resolveProjection(sut, 'qty,owner'))).toEqual([
      { id: '9007199254740993', qty: 42, owner_id: 3 },
    ]);
  });

  it('never emits hidden columns even when handed them', () => {
    const all = [...visibleColumns(sut)];
    const hidden = { ...all[5], field: { ...all[5].field!, isHidden: true } };
    expect(createRowSerializer([hidden])(row)).toEqual({});
  });

  it('uses the field name for renamed non-relation columns', () => {
    const renamed = everyTypeCollection();
    renamed.fields[0] = { ...renamed.fields[0], name: 'headline', column: 'title' };
    expect(serializerFor(renamed)(row)).toMatchObject({ headline: 't' });
  });
});
