import { patchAssignments } from './patch-assignments';

describe('patchAssignments', () => {
  it('numbers defined keys after the values already there, in key order, JSON cast to jsonb', () => {
    const values: unknown[] = ['project', 'id'];
    const sets = patchAssignments(
      { steps: [{ a: 1 }], name: 'n', is_active: undefined },
      ['name', 'is_active', 'steps'] as const,
      values,
      new Set(['steps']),
    );
    expect(sets).toEqual(['name = $3', 'steps = $4::jsonb']);
    expect(values).toEqual(['project', 'id', 'n', '[{"a":1}]']);
  });

  it('keeps null (a column set to NULL) and skips only undefined', () => {
    const values: unknown[] = [];
    expect(patchAssignments({ url: null }, ['url', 'name'] as const, values)).toEqual(['url = $1']);
    expect(values).toEqual([null]);
  });
});
