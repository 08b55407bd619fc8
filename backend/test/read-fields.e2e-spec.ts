import { createTestApp, type TestApp } from './setup/test-app';
import { createAdmin, createProject, type TestAdmin } from './factories/admin.factory';
import { addField, createCollection } from './factories/schema.factory';

/**
 * Issue 8.3: `read_fields` hold on every path. A field outside them is absent from every answer
 * (list, get, create/update/bulk answers, expand, export JSON and CSV) and cannot be filtered,
 * sorted or searched on (400).
 */
describe('read_fields on every data path', () => {
  let t: TestApp;
  let owner: TestAdmin;
  let pid: string;
  let user: { token: string; id: string };
  let personId: number;
  const data = (c: string) => `/api/projects/${pid}/data/${c}`;
  const policies = (c: string) => `/api/projects/${pid}/schema/collections/${c}/policies`;
  const policy = async (c: string, body: Record<string, unknown>) => {
    const res = await t.request('POST', policies(c), {
      token: owner.token,
      body: { name: `${body.action as string} policy`, allowed_principals: 'app_user', ...body },
    });
    if (res.status !== 201) throw new Error(`policy: ${res.status} ${res.text}`);
  };
  const asUser = (method: string, path: string, body?: unknown) =>
    t.request(method, path, { token: user.token, ...(body === undefined ? {} : { body }) });

  beforeAll(async () => {
    t = await createTestApp();
    owner = await createAdmin(t);
    pid = (await createProject(t, owner)).id;
    const people = await createCollection(t, owner, pid, 'people');
    await createCollection(t, owner, pid, 'notes');
    await addField(t, owner, pid, 'people', { name: 'name', field_type: 'string' });
    await addField(t, owner, pid, 'people', { name: 'salary', field_type: 'int' });
    await addField(t, owner, pid, 'people', { name: 'nickname', field_type: 'string' });
    await addField(t, owner, pid, 'notes', { name: 'body', field_type: 'string' });
    const notes = (
      await t.request('GET', `/api/projects/${pid}/schema/collections/notes`, {
        token: owner.token,
      })
    ).body;
    const rel = await t.request(
      'POST',
      `/api/projects/${pid}/schema/relations/collections/${notes.id}/relations`,
      {
        token: owner.token,
        body: {
          name: 'person',
          display_name: 'person',
          target_collection_id: people.id,
          relation_type: 'many_to_one',
          on_delete: 'CASCADE',
        },
      },
    );
    expect(rel.status).toBe(201);
    personId = (
      await t.request('POST', data('people'), {
        token: owner.token,
        body: { name: 'Ann', salary: 100, nickname: 'annie' },
      })
    ).body.id;
    await t.request('POST', data('notes'), {
      token: owner.token,
      body: { body: 'hi', person: personId },
    });
    const readable = ['name'];
    for (const action of ['list', 'read'])
      await policy('people', { action, read_fields: readable });
    for (const action of ['create', 'update'])
      await policy('people', { action, write_fields: ['name', 'salary'] });
    for (const action of ['list', 'read']) await policy('notes', { action });
    const email = `rf-${Date.now()}@example.com`;
    const reg = await t.request('POST', `/api/projects/${pid}/auth/register`, {
      body: { email, password: 'read fields password' },
    });
    expect(reg.status).toBe(201);
    const me = await t.request('GET', `/api/projects/${pid}/auth/me`, {
      token: reg.body.access_token,
    });
    user = { token: reg.body.access_token, id: me.body.id };
  });
  afterAll(() => t.close());

  it('list and get leave out unreadable fields', async () => {
    const list = await asUser('GET', data('people'));
    expect(list.status).toBe(200);
    expect(list.body.records[0]).toMatchObject({ id: personId, name: 'Ann' });
    expect(list.body.records[0]).not.toHaveProperty('salary');
    expect(list.body.records[0]).not.toHaveProperty('nickname');
    const one = await asUser('GET', `${data('people')}/${personId}`);
    expect(one.status).toBe(200);
    expect(one.body).not.toHaveProperty('salary');
    const picked = await asUser('GET', `${data('people')}?fields=salary`);
    expect(picked.status).toBe(400);
    expect((await asUser('GET', `${data('people')}/${personId}?fields=name,salary`)).status).toBe(
      400,
    );
  });

  it.each([
    ['a field filter', 'salary__gt=1'],
    ['a JSON filter', `filter=${encodeURIComponent('{"field":"salary","op":"gte","value":100}')}`],
    ['a sort', 'sort=-salary'],
    ['a search (it covers nickname)', 'search=annie'],
  ])('%s on an unreadable field is a 400 on list and export', async (_label, qs) => {
    for (const path of [`${data('people')}?${qs}`, `${data('people')}/export?format=json&${qs}`]) {
      const res = await asUser('GET', path);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
  });

  it('export (JSON and CSV) carries only readable fields', async () => {
    const json = await asUser('GET', `${data('people')}/export?format=json`);
    expect(json.status).toBe(200);
    const rows = JSON.parse(json.text) as Record<string, unknown>[];
    expect(rows[0]).toMatchObject({ name: 'Ann' });
    expect(rows[0]).not.toHaveProperty('salary');
    expect(json.text).not.toContain('annie');
    const csv = await asUser('GET', `${data('people')}/export?format=csv`);
    expect(csv.status).toBe(200);
    const [header] = csv.text.split('\n');
    expect(header.split(',')).toContain('name');
    expect(header).not.toContain('salary');
    expect(csv.text).not.toContain('annie');
  });

  it('create, update and bulk answers carry only readable fields', async () => {
    const created = await asUser('POST', data('people'), { name: 'Bo', salary: 5 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Bo' });
    expect(created.body).not.toHaveProperty('salary');
    expect(created.body).not.toHaveProperty('nickname');
    const stored = await t.request('GET', `${data('people')}/${created.body.id}`, {
      token: owner.token,
    });
    expect(stored.body.salary).toBe(5);
    const updated = await asUser('PATCH', `${data('people')}/${created.body.id}`, { salary: 6 });
    expect(updated.status).toBe(200);
    expect(updated.body).not.toHaveProperty('salary');
    const bulk = await asUser('POST', `${data('people')}/bulk`, {
      create: [{ name: 'Cy', salary: 1 }],
      update: [{ id: created.body.id, salary: 7 }],
    });
    expect(bulk.status).toBe(200);
    for (const r of [...bulk.body.created, ...bulk.body.updated]) {
      expect(r).toHaveProperty('name');
      expect(r).not.toHaveProperty('salary');
    }
    // write_fields still hold: nickname is not writable.
    expect((await asUser('POST', data('people'), { name: 'x', nickname: 'y' })).status).toBe(403);
  });

  it('expanded records carry only the readable fields of their collection', async () => {
    const res = await asUser('GET', `${data('notes')}?expand=person`);
    expect(res.status).toBe(200);
    expect(res.body.records[0].person).toMatchObject({ id: personId, name: 'Ann' });
    expect(res.body.records[0].person).not.toHaveProperty('salary');
    expect(res.body.records[0].person).not.toHaveProperty('nickname');
    const one = await asUser('GET', `${data('notes')}/${res.body.records[0].id}?expand=person`);
    expect(one.body.person).not.toHaveProperty('salary');
    // The reverse relation groups by notes.person_id, which is readable there.
    const reverse = await asUser('GET', `${data('people')}/${personId}?expand=notes_via_person`);
    expect(reverse.status).toBe(200);
    expect(reverse.body.notes_via_person).toHaveLength(1);
  });

  it('a relation whose field is unreadable cannot be expanded (400 naming expand)', async () => {
    await policy('notes', { action: 'list', priority: 10, read_fields: ['body'] });
    const res = await asUser('GET', `${data('notes')}?expand=person`);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('expand');
    expect((await asUser('GET', `${data('notes')}?person_id=${personId}`)).status).toBe(400);
    const list = await asUser('GET', data('notes'));
    expect(list.status).toBe(200);
    expect(list.body.records[0]).not.toHaveProperty('person_id');
  });
});
