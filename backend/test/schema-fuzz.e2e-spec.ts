import fc from 'fast-check';
import { createTestApp, type TestApp } from './setup/test-app';
import { createAdmin, createProject, type TestAdmin } from './factories/admin.factory';
import { addField, createCollection } from './factories/schema.factory';

const hostile = fc.oneof(
  fc.string({ maxLength: 70 }),
  fc.constantFrom(
    'x"; DROP TABLE y; --',
    "'; select pg_sleep(5); --",
    'a\u0000b',
    'pg_class',
    'select',
    '_users',
    'ÄÖÜ',
    'a'.repeat(64),
    '1abc',
    'id',
    'created_at',
  ),
);
const anyJson = fc.oneof(
  fc.json({ maxDepth: 2 }).map((j) => JSON.parse(j) as unknown),
  hostile,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const fieldType = fc.oneof(
  fc.constantFrom(
    'string',
    'text',
    'int',
    'float',
    'decimal',
    'bool',
    'boolean',
    'date',
    'datetime',
    'uuid',
    'json',
    'enum',
    'file',
    'relation',
  ),
  hostile,
);

/** Hostile names, defaults, options and payloads at the schema and data routes: 4xx, never 500. */
describe('schema and data fuzzing', () => {
  let t: TestApp;
  let admin: TestAdmin;
  let pid: string;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await createAdmin(t);
    pid = (await createProject(t, admin)).id;
    await createCollection(t, admin, pid, 'fuzz');
    for (const [name, field_type, options] of [
      ['f_int', 'int', {}],
      ['f_text', 'text', {}],
      ['f_dec', 'decimal', { precision: 6, scale: 2 }],
      ['f_date', 'date', {}],
      ['f_ts', 'datetime', {}],
      ['f_json', 'json', {}],
      ['f_enum', 'enum', { values: ['a', 'b'] }],
      ['f_uuid', 'uuid', {}],
      ['f_bool', 'bool', {}],
      ['f_uniq', 'string', {}],
    ] as const) {
      await addField(t, admin, pid, 'fuzz', {
        name,
        field_type,
        options,
        is_unique: name === 'f_uniq',
      });
    }
  });
  afterAll(() => t.close());

  const noLeak = (res: { status: number; text: string }) => {
    expect(res.status).toBeLessThan(500);
    expect(res.text).not.toMatch(/syntax error|ALTER TABLE|CREATE TABLE|node_modules|at \w+ \(/);
  };

  it('a NUL character in a display name is a 400, not a 500 (found by this fuzzer)', async () => {
    const res = await t.request('POST', `/api/projects/${pid}/schema/collections`, {
      token: admin.token,
      body: { name: 'nul_display', display_name: 'a\u0000b' },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it('collection names', async () => {
    await fc.assert(
      fc.asyncProperty(hostile, anyJson, async (name, display) => {
        noLeak(
          await t.request('POST', `/api/projects/${pid}/schema/collections`, {
            token: admin.token,
            body: { name, display_name: display },
          }),
        );
      }),
      { numRuns: 60 },
    );
  });

  it('field names, types, defaults and options', async () => {
    await fc.assert(
      fc.asyncProperty(
        hostile,
        fieldType,
        anyJson,
        fc.option(
          fc.dictionary(
            fc.constantFrom('values', 'precision', 'scale', 'max_length', 'bucket', 'evil'),
            anyJson,
          ),
          { nil: undefined },
        ),
        fc.boolean(),
        async (name, field_type, default_value, options, is_required) => {
          const res = await t.request(
            'POST',
            `/api/projects/${pid}/schema/collections/fuzz/fields`,
            {
              token: admin.token,
              body: { name, field_type, default_value, options, is_required },
            },
          );
          noLeak(res);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('record payloads against every field that was created', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.oneof(
            hostile,
            fc.constantFrom(
              'f_int',
              'f_text',
              'f_dec',
              'f_date',
              'f_ts',
              'f_json',
              'f_enum',
              'f_uuid',
              'f_bool',
              'f_uniq',
            ),
          ),
          anyJson,
        ),
        async (payload) => {
          const created = await t.request('POST', `/api/projects/${pid}/data/fuzz`, {
            token: admin.token,
            body: payload,
          });
          noLeak(created);
          if (created.status === 201) {
            noLeak(
              await t.request('PATCH', `/api/projects/${pid}/data/fuzz/${created.body.id}`, {
                token: admin.token,
                body: payload,
              }),
            );
          }
        },
      ),
      { numRuns: 80 },
    );
  });
});
