import { createTestApp, type TestApp } from './setup/test-app';
import { createAdmin, createProject, type TestAdmin } from './factories/admin.factory';
import { addField, createCollection, schemaOf } from './factories/schema.factory';

const DAY = 24 * 60 * 60 * 1000;

describe('schema evolution', () => {
  let t: TestApp;
  let admin: TestAdmin;
  let pid: string;
  const evo = () => `/api/projects/${pid}/schema/evolution`;
  const col = (cid: string) => `${evo()}/collections/${cid}`;
  const fld = (cid: string, fid: string) => `${col(cid)}/fields/${fid}`;
  const post = (path: string, body?: unknown) =>
    t.request('POST', path, { token: admin.token, body: body ?? {} });

  const columns = async (table: string) =>
    t.query<{ column_name: string; data_type: string; is_nullable: string }>(
      `SELECT column_name, data_type, is_nullable FROM information_schema.columns
       WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
      [schemaOf(pid), table],
    );
  const columnOf = async (table: string, name: string) =>
    (await columns(table)).find((c) => c.column_name === name);
  const indexes = async (table: string) =>
    (
      await t.query<{ indexname: string; indexdef: string }>(
        `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = $2 ORDER BY indexname`,
        [schemaOf(pid), table],
      )
    ).map((r) => r.indexname);
  const fieldRow = async (id: string) =>
    (await t.query(`SELECT * FROM backendify.fields WHERE id = $1`, [id]))[0];
  const sql = (text: string, params: unknown[] = []) =>
    t.query(text.replace(/\$S/g, `"${schemaOf(pid)}"`), params);
  const usersId = async () =>
    (
      await t.request('GET', `/api/projects/${pid}/schema/collections/_users`, {
        token: admin.token,
      })
    ).body.id as string;
  const fieldsOf = async (name: string) =>
    (
      await t.request(
        'GET',
        `/api/projects/${pid}/schema/collections/${name}/fields?include_deleted=true`,
        { token: admin.token },
      )
    ).body as { id: string; name: string; field_type: string; is_deleted: boolean }[];

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createAdmin(t);
    pid = (await createProject(t, admin)).id;
  });
  afterAll(() => t.close());

  describe('rename collection', () => {
    it('renames the table, records a 30-day alias and logs rename_table', async () => {
      const c = await createCollection(t, admin, pid, 'articles');
      await addField(t, admin, pid, 'articles', {
        name: 'title',
        field_type: 'string',
        is_indexed: true,
      });
      await sql(`INSERT INTO $S.articles (title) VALUES ('hello')`);
      const res = await post(`${col(c.id)}/rename`, {
        new_name: 'posts',
        new_display_name: 'Posts',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        success: true,
        operation: 'rename_collection',
        details: { old_name: 'articles', new_name: 'posts' },
      });
      const expires = Date.parse(res.body.details.alias_expires_at);
      expect(Math.abs(expires - Date.now() - 30 * DAY)).toBeLessThan(60_000);
      expect(await columns('articles')).toEqual([]);
      expect((await columns('posts')).map((x) => x.column_name)).toContain('title');
      expect(await sql(`SELECT title FROM $S.posts`)).toEqual([{ title: 'hello' }]);
      // Index names follow the table so a later "articles" collection cannot collide.
      expect((await indexes('posts')).every((n) => !n.startsWith('articles_'))).toBe(true);
      const meta = await t.request('GET', `/api/projects/${pid}/schema/collections/posts`, {
        token: admin.token,
      });
      expect(meta.body).toMatchObject({
        name: 'posts',
        sql_table_name: 'posts',
        display_name: 'Posts',
      });
      const alias = await t.query(
        `SELECT old_name, expires_at FROM backendify.collection_aliases WHERE collection_id = $1`,
        [c.id],
      );
      expect(alias).toHaveLength(1);
      expect(alias[0].old_name).toBe('articles');
      const aliases = await t.request('GET', `${evo()}/aliases`, { token: admin.token });
      expect(aliases.status).toBe(200);
      expect(aliases.body.collection_aliases).toEqual([
        { old_name: 'articles', collection_id: c.id, expires_at: expect.any(String) },
      ]);
      const ops = await t.request(
        'GET',
        `/api/projects/${pid}/audit/schema-ops?op_type=rename_table`,
        {
          token: admin.token,
        },
      );
      expect(ops.status).toBe(200);
      expect(ops.body[0]).toMatchObject({
        op_type: 'rename_table',
        status: 'applied',
        collection_id: c.id,
        actor_user_id: admin.id,
      });
      expect(typeof ops.body[0].payload_json).toBe('string');
      expect(JSON.parse(ops.body[0].payload_json)).toMatchObject({ from: 'articles', to: 'posts' });
      expect(ops.body[0].sql).toContain('RENAME TO');
    });

    it('a new collection may take the old name; its alias is then dropped', async () => {
      await createCollection(t, admin, pid, 'articles');
      const aliases = await t.request('GET', `${evo()}/aliases`, { token: admin.token });
      expect(aliases.body.collection_aliases).toEqual([]);
    });

    it.each([
      [{ new_name: 'Bad Name' }, 400],
      [{ new_name: 'select' }, 400],
      [{ new_name: 'x'.repeat(64) }, 400],
      [{ new_name: 'articles' }, 409],
      [{ new_name: 'posts' }, 400],
      [{}, 400],
      [{ new_name: 'ok_name', extra: true }, 400],
    ])('refuses %j', async (body, status) => {
      const posts = await t.request('GET', `/api/projects/${pid}/schema/collections/posts`, {
        token: admin.token,
      });
      const res = await post(`${col(posts.body.id)}/rename`, body);
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    });

    it('refuses to rename the _users system collection', async () => {
      const res = await post(`${col(await usersId())}/rename`, { new_name: 'members' });
      expect(res.status).toBe(400);
      expect(await columns('_users')).not.toEqual([]);
    });
  });

  describe('fields', () => {
    let cid: string;
    beforeAll(async () => {
      cid = (await createCollection(t, admin, pid, 'items')).id;
    });

    it('renames a field with an alias; relation columns keep the _id suffix', async () => {
      const f = await addField(t, admin, pid, 'items', { name: 'label', field_type: 'string' });
      const res = await post(`${fld(cid, f.id)}/rename`, { new_name: 'title' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        success: true,
        operation: 'rename_field',
        details: { old_name: 'label', new_name: 'title', alias_expires_at: expect.any(String) },
      });
      expect(await columnOf('items', 'label')).toBeUndefined();
      expect(await columnOf('items', 'title')).toBeDefined();
      const aliases = await t.request('GET', `${evo()}/aliases`, { token: admin.token });
      expect(aliases.body.field_aliases).toEqual([
        { old_name: 'label', field_id: f.id, collection_id: cid, expires_at: expect.any(String) },
      ]);
      const exp = Date.parse(aliases.body.field_aliases[0].expires_at);
      expect(Math.abs(exp - Date.now() - 30 * DAY)).toBeLessThan(60_000);

      const owner = await t.request(
        'POST',
        `/api/projects/${pid}/schema/relations/collections/${cid}/relations`,
        {
          token: admin.token,
          body: { name: 'owner', display_name: 'Owner', target_collection_id: await usersId() },
        },
      );
      expect(owner.status).toBe(201);
      const renamed = await post(`${fld(cid, owner.body.id)}/rename`, { new_name: 'author' });
      expect(renamed.status).toBe(200);
      expect(await columnOf('items', 'author_id')).toMatchObject({ data_type: 'uuid' });
      expect((await fieldRow(owner.body.id)).sql_column_name).toBe('author_id');
      const fkName = await t.query(
        `SELECT conname FROM pg_constraint WHERE contype = 'f' AND conrelid = $1::regclass`,
        [`${schemaOf(pid)}.items`],
      );
      expect(fkName.map((r) => r.conname)).toEqual(['items_author_id_fkey']);
    });

    it.each([
      ['duplicate name', 'author', 409],
      ['name equal to a relation column', 'author_id', 409],
      ['system column', 'created_at', 400],
      ['bad identifier', '9lives', 400],
      ['same name', 'title', 400],
    ])('refuses a field rename to a %s', async (_label, newName, status) => {
      const title = (await fieldsOf('items')).find((f) => f.name === 'title')!;
      const res = await post(`${fld(cid, title.id)}/rename`, { new_name: newName });
      expect(res.status).toBe(status);
    });

    it('refuses renaming, retyping or deleting system fields of _users', async () => {
      const uid = await usersId();
      const email = (await fieldsOf('_users')).find((f) => f.name === 'email')!;
      expect((await post(`${fld(uid, email.id)}/rename`, { new_name: 'mail' })).status).toBe(400);
      expect((await post(`${fld(uid, email.id)}/change-type`, { new_type: 'text' })).status).toBe(
        400,
      );
      expect((await post(`${fld(uid, email.id)}/soft-delete`)).status).toBe(400);
      expect((await post(`${fld(uid, email.id)}/hard-delete?force=true`)).status).toBe(400);
      const hash = await t.query(
        `SELECT f.id FROM backendify.fields f WHERE f.collection_id = $1 AND f.name = 'password_hash'`,
        [uid],
      );
      expect((await post(`${fld(uid, hash[0].id)}/rename`, { new_name: 'pw' })).status).toBe(404);
    });

    it('soft-deletes (nullable, data kept, logged), restores, and refuses repeats', async () => {
      const f = await addField(t, admin, pid, 'items', {
        name: 'sku',
        field_type: 'string',
        is_required: true,
        default_value: 'none',
      });
      await sql(`INSERT INTO $S.items (sku) VALUES ('A1')`);
      const res = await post(`${fld(cid, f.id)}/soft-delete`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        success: true,
        operation: 'soft_delete_field',
        details: { field_id: f.id, field_name: 'sku', deleted_at: expect.any(String) },
      });
      expect(await columnOf('items', 'sku')).toMatchObject({ is_nullable: 'YES' });
      expect(await sql(`SELECT sku FROM $S.items`)).toEqual([{ sku: 'A1' }]);
      expect((await fieldRow(f.id)).is_deleted).toBe(true);
      const visible = await t.request(
        'GET',
        `/api/projects/${pid}/schema/collections/items/fields`,
        {
          token: admin.token,
        },
      );
      expect(visible.body.map((x: { name: string }) => x.name)).not.toContain('sku');
      expect((await post(`${fld(cid, f.id)}/soft-delete`)).body.detail).toBe(
        'Field is already deleted',
      );
      const logged = await t.query(
        `SELECT op_type FROM backendify.schema_ops WHERE project_id = $1 AND op_type = 'soft_delete_column'`,
        [pid],
      );
      expect(logged).toHaveLength(1);

      const restored = await post(`${fld(cid, f.id)}/restore`);
      expect(restored.status).toBe(200);
      expect(restored.body).toEqual({
        success: true,
        operation: 'restore_field',
        details: { field_id: f.id, field_name: 'sku', restored: true },
      });
      expect(await columnOf('items', 'sku')).toMatchObject({ is_nullable: 'NO' });
      const again = await post(`${fld(cid, f.id)}/restore`);
      expect(again.status).toBe(400);
      expect(again.body.detail).toBe('Field is not deleted');
    });

    it('hard delete needs a soft delete first unless forced; rules and aliases go with it', async () => {
      const f = await addField(t, admin, pid, 'items', {
        name: 'code',
        field_type: 'int',
        is_unique: true,
      });
      await post(`${fld(cid, f.id)}/rename`, { new_name: 'code2' });
      await t.query(
        `INSERT INTO backendify.validation_rules (field_id, rule_type, config) VALUES ($1, 'min', '{"value":1}')`,
        [f.id],
      );
      const refused = await post(`${fld(cid, f.id)}/hard-delete`);
      expect(refused.status).toBe(400);
      expect(refused.body.detail).toBe('Field must be soft-deleted first. Use force=true to skip.');
      expect((await post(`${fld(cid, f.id)}/hard-delete?force=maybe`)).status).toBe(400);
      const res = await post(`${fld(cid, f.id)}/hard-delete?force=true`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        success: true,
        operation: 'hard_delete_field',
        details: { field_id: f.id, field_name: 'code2', dropped: true },
      });
      expect(await columnOf('items', 'code2')).toBeUndefined();
      expect((await indexes('items')).some((n) => n.includes('code'))).toBe(false);
      expect(await fieldRow(f.id)).toBeUndefined();
      expect(
        await t.query(`SELECT 1 FROM backendify.validation_rules WHERE field_id = $1`, [f.id]),
      ).toEqual([]);
      expect(
        await t.query(`SELECT 1 FROM backendify.field_aliases WHERE field_id = $1`, [f.id]),
      ).toEqual([]);

      const g = await addField(t, admin, pid, 'items', { name: 'gone', field_type: 'string' });
      expect((await post(`${fld(cid, g.id)}/soft-delete`)).status).toBe(200);
      expect((await post(`${fld(cid, g.id)}/hard-delete`)).status).toBe(200);
      expect(await columnOf('items', 'gone')).toBeUndefined();
    });

    it('hard-deleting a relation field drops its FK', async () => {
      const rel = (await fieldsOf('items')).find((f) => f.name === 'author')!;
      const res = await post(`${fld(cid, rel.id)}/hard-delete?force=true`);
      expect(res.status).toBe(200);
      expect(await columnOf('items', 'author_id')).toBeUndefined();
      const fks = await t.query(
        `SELECT 1 FROM pg_constraint WHERE contype = 'f' AND conrelid = $1::regclass`,
        [`${schemaOf(pid)}.items`],
      );
      expect(fks).toEqual([]);
    });

    it('answers 404 for unknown collection or field, and for a field of another collection', async () => {
      const unknown = '00000000-0000-0000-0000-000000000000';
      expect((await post(`${col(unknown)}/rename`, { new_name: 'zzz' })).status).toBe(404);
      expect((await post(`${fld(cid, unknown)}/soft-delete`)).status).toBe(404);
      const users = (await fieldsOf('_users'))[0];
      expect((await post(`${fld(cid, users.id)}/soft-delete`)).status).toBe(404);
    });
  });

  describe('change type', () => {
    let cid: string;
    beforeAll(async () => {
      cid = (await createCollection(t, admin, pid, 'metrics')).id;
    });

    it.each([
      ['int', 'float', '7', 'double precision', '7'],
      ['int', 'decimal', '7', 'numeric', '7.00'],
      ['string', 'text', "'abc'", 'text', 'abc'],
      [
        'date',
        'datetime',
        "'2024-05-06'",
        'timestamp with time zone',
        expect.stringMatching(/^2024-05-06 00:00:00/),
      ],
      ['bool', 'string', 'true', 'text', 'true'],
      ['int', 'text', '42', 'text', '42'],
    ])('converts %s to %s and keeps the data', async (from, to, literal, pgType, value) => {
      const name = `${from}_to_${to}`;
      const f = await addField(t, admin, pid, 'metrics', { name, field_type: from });
      await sql(`INSERT INTO $S.metrics (${name}) VALUES (${literal})`);
      const res = await post(`${fld(cid, f.id)}/change-type`, { new_type: to });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        success: true,
        operation: 'change_field_type',
        details: { field_id: f.id, field_name: name, old_type: from, new_type: to },
      });
      expect((await columnOf('metrics', name))?.data_type).toBe(pgType);
      const rows = await sql(`SELECT ${name}::text AS v FROM $S.metrics WHERE ${name} IS NOT NULL`);
      expect(rows.map((r) => r.v)).toEqual([value]);
      expect((await fieldRow(f.id)).field_type).toBe(to);
    });

    it.each([
      ['float', 'int'],
      ['string', 'int'],
      ['text', 'bool'],
      ['datetime', 'date'],
    ])('refuses the unsafe conversion %s to %s', async (from, to) => {
      const f = await addField(t, admin, pid, 'metrics', {
        name: `unsafe_${from}_${to}`,
        field_type: from,
      });
      const res = await post(`${fld(cid, f.id)}/change-type`, { new_type: to });
      expect(res.status).toBe(400);
      expect(res.body.detail).toBe(
        `Unsafe type conversion from ${from} to ${to}. Use the migration wizard for complex conversions.`,
      );
    });

    it('refuses the same type and unknown types', async () => {
      const f = await addField(t, admin, pid, 'metrics', { name: 'same', field_type: 'int' });
      const same = await post(`${fld(cid, f.id)}/change-type`, { new_type: 'int' });
      expect(same.status).toBe(400);
      expect(same.body.detail).toBe('New type is the same as current type');
      expect((await post(`${fld(cid, f.id)}/change-type`, { new_type: 'bogus' })).status).toBe(400);
      expect((await post(`${fld(cid, f.id)}/change-type`, {})).status).toBe(400);
    });

    it('a value that cannot convert fails the whole multi-op change and changes nothing', async () => {
      const f = await addField(t, admin, pid, 'metrics', {
        name: 'amount',
        field_type: 'int',
        is_indexed: true,
        default_value: 5,
      });
      await sql(`INSERT INTO $S.metrics (amount) VALUES (123456)`);
      const before = {
        cols: await columns('metrics'),
        idx: await indexes('metrics'),
        row: await fieldRow(f.id),
        def: await sql(
          `SELECT column_default FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'metrics' AND column_name = 'amount'`,
          [schemaOf(pid)],
        ),
      };
      const preview = await post(`${col(cid)}/preview-migration`, {
        operation: 'change_column_type',
        params: { field_id: f.id, new_type: 'decimal', options: { precision: 4, scale: 2 } },
      });
      // drop default, drop index, alter type, set default, create index
      expect(preview.body.steps.length).toBeGreaterThanOrEqual(4);
      const res = await post(`${fld(cid, f.id)}/change-type`, {
        new_type: 'decimal',
        options: { precision: 4, scale: 2 },
      });
      expect(res.status).toBe(400);
      expect(res.body.detail).toMatch(/out of range|cannot be converted/);
      expect(res.body.detail).not.toMatch(/ALTER|numeric/);
      expect(await columns('metrics')).toEqual(before.cols);
      expect(await indexes('metrics')).toEqual(before.idx);
      expect(await fieldRow(f.id)).toEqual(before.row);
      expect(
        await sql(
          `SELECT column_default FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'metrics' AND column_name = 'amount'`,
          [schemaOf(pid)],
        ),
      ).toEqual(before.def);
      const failed = await t.request(
        'GET',
        `/api/projects/${pid}/audit/schema-ops?collection_id=${cid}&limit=1`,
        { token: admin.token },
      );
      expect(failed.body[0]).toMatchObject({ status: 'failed', error: expect.any(String) });
    });
  });

  describe('preview-migration', () => {
    let cid: string;
    let fid: string;
    beforeAll(async () => {
      cid = (await createCollection(t, admin, pid, 'drafts')).id;
      fid = (await addField(t, admin, pid, 'drafts', { name: 'body', field_type: 'string' })).id;
    });

    it('returns SQL steps and warnings without applying anything', async () => {
      const res = await post(`${col(cid)}/preview-migration`, {
        operation: 'rename_collection',
        params: { new_name: 'notes' },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        operation: 'rename_collection',
        collection: 'drafts',
        params: { new_name: 'notes' },
        warnings: ["Old name 'drafts' will be aliased for 30 days"],
      });
      expect(res.body.steps[0]).toMatch(/ALTER TABLE .*"drafts" RENAME TO "notes"/);
      expect(await columns('notes')).toEqual([]);

      const drop = await post(`${col(cid)}/preview-migration`, {
        operation: 'hard_delete',
        params: { field_id: fid, force: true },
      });
      expect(drop.status).toBe(200);
      expect(drop.body.warnings).toContain('THIS WILL PERMANENTLY DELETE ALL DATA IN THIS COLUMN');
      expect(drop.body.steps.join('\n')).toContain('DROP COLUMN "body"');
      expect(await columnOf('drafts', 'body')).toBeDefined();

      const rename = await post(`${col(cid)}/preview-migration`, {
        operation: 'rename_field',
        params: { field_id: fid, new_name: 'content' },
      });
      expect(rename.body.steps[0]).toContain('RENAME COLUMN "body" TO "content"');
      const retype = await post(`${col(cid)}/preview-migration`, {
        operation: 'change_type',
        params: { field_id: fid, new_type: 'text' },
      });
      expect(retype.status).toBe(200);
    });

    it.each([
      [{ operation: 'explode', params: {} }, 'Unknown operation: explode'],
      [{ operation: 'rename_collection', params: {} }, 'new_name is required'],
      [
        { operation: 'rename_field', params: { new_name: 'x' } },
        'field_id and new_name are required',
      ],
      [{ operation: 'soft_delete', params: {} }, 'field_id is required'],
      [
        { operation: 'change_type', params: { field_id: 'x' } },
        'field_id and new_type are required',
      ],
      [
        { operation: 'soft_delete', params: { field_id: '00000000-0000-0000-0000-000000000000' } },
        'Field not found',
      ],
    ])('refuses %j', async (body, detail) => {
      const res = await post(`${col(cid)}/preview-migration`, body);
      expect(res.status).toBe(detail === 'Field not found' ? 404 : 400);
      expect(res.body.detail).toBe(detail);
    });
  });

  describe('pending → preview → apply', () => {
    let cid: string;
    let qty: string;
    let note: string;
    beforeAll(async () => {
      cid = (await createCollection(t, admin, pid, 'orders')).id;
      qty = (
        await addField(t, admin, pid, 'orders', {
          name: 'qty',
          field_type: 'int',
          is_indexed: true,
        })
      ).id;
      note = (await addField(t, admin, pid, 'orders', { name: 'note', field_type: 'string' })).id;
      await sql(`INSERT INTO $S.orders (qty, note) VALUES (99999, 'n')`);
    });

    it('validates at submit and lists changes with their SQL', async () => {
      const bad = await post(`${evo()}/pending`, {
        operation: 'change_type',
        collection_id: cid,
        params: { field_id: qty, new_type: 'bool' },
      });
      expect(bad.status).toBe(400);
      const unknown = await post(`${evo()}/pending`, {
        operation: 'rename_collection',
        collection_id: '00000000-0000-0000-0000-000000000000',
        params: { new_name: 'x' },
      });
      expect(unknown.status).toBe(404);
      const res = await post(`${evo()}/pending`, {
        operation: 'rename_field',
        collection_id: cid,
        params: { field_id: note, new_name: 'remark' },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        operation: 'rename_column',
        collection_id: cid,
        status: 'pending',
        params: { field_id: note, new_name: 'remark' },
      });
      expect(res.body.steps[0]).toContain('RENAME COLUMN "note" TO "remark"');
      const list = await t.request('GET', `${evo()}/pending`, { token: admin.token });
      expect(list.status).toBe(200);
      expect(list.body.map((p: { id: string }) => p.id)).toEqual([res.body.id]);
      // Nothing applied yet.
      expect(await columnOf('orders', 'note')).toBeDefined();
    });

    it('discards a pending change', async () => {
      const res = await post(`${evo()}/pending`, {
        operation: 'soft_delete',
        collection_id: cid,
        params: { field_id: note },
      });
      expect(
        (await t.request('DELETE', `${evo()}/pending/${res.body.id}`, { token: admin.token }))
          .status,
      ).toBe(204);
      expect(
        (await t.request('DELETE', `${evo()}/pending/${res.body.id}`, { token: admin.token }))
          .status,
      ).toBe(404);
      const list = await t.request('GET', `${evo()}/pending`, { token: admin.token });
      expect(list.body.map((p: { id: string }) => p.id)).not.toContain(res.body.id);
    });

    it('applies in order, stops at the first failure, and the failed change leaves no trace', async () => {
      const retype = await post(`${evo()}/pending`, {
        operation: 'change_column_type',
        collection_id: cid,
        params: { field_id: qty, new_type: 'decimal', options: { precision: 3, scale: 0 } },
      });
      expect(retype.status).toBe(201);
      const later = await post(`${evo()}/pending`, {
        operation: 'rename_collection',
        collection_id: cid,
        params: { new_name: 'purchases' },
      });
      const before = {
        idx: await indexes('orders'),
        qty: await columnOf('orders', 'qty'),
        row: await fieldRow(qty),
      };
      const res = await post(`${evo()}/apply`, {});
      expect(res.status).toBe(200);
      expect(res.body.success).toBe(false);
      expect(res.body.applied).toEqual([
        expect.objectContaining({ success: true, operation: 'rename_field' }),
      ]);
      expect(res.body.failed).toMatchObject({
        id: retype.body.id,
        operation: 'change_column_type',
        error: expect.stringMatching(/out of range|cannot be converted/),
      });
      expect(res.body.not_attempted).toEqual([later.body.id]);
      // First change committed; the failing one changed nothing; the third never ran.
      expect(await columnOf('orders', 'remark')).toBeDefined();
      expect(await columnOf('orders', 'qty')).toEqual(before.qty);
      expect(await indexes('orders')).toEqual(before.idx);
      expect(await fieldRow(qty)).toEqual(before.row);
      expect(await columns('purchases')).toEqual([]);
      const failed = await t.request('GET', `${evo()}/pending?status=failed`, {
        token: admin.token,
      });
      expect(failed.body).toEqual([
        expect.objectContaining({
          id: retype.body.id,
          status: 'failed',
          error: expect.any(String),
        }),
      ]);
      const pending = await t.request('GET', `${evo()}/pending`, { token: admin.token });
      expect(pending.body.map((p: { id: string }) => p.id)).toEqual([later.body.id]);
    });

    it('applies selected ids only', async () => {
      const soft = await post(`${evo()}/pending`, {
        operation: 'soft_delete_column',
        collection_id: cid,
        params: { field_id: note },
      });
      const pendingBefore = await t.request('GET', `${evo()}/pending`, { token: admin.token });
      expect(pendingBefore.body).toHaveLength(2);
      const res = await post(`${evo()}/apply`, { ids: [soft.body.id] });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ success: true, failed: null, not_attempted: [] });
      expect(res.body.applied).toHaveLength(1);
      expect((await fieldRow(note)).is_deleted).toBe(true);
      expect(await columns('orders')).not.toEqual([]);
      const unknown = await post(`${evo()}/apply`, { ids: [soft.body.id] });
      expect(unknown.status).toBe(404);
      expect((await post(`${evo()}/apply`, { ids: ['nope'] })).status).toBe(400);
      const all = await post(`${evo()}/apply`, {});
      expect(all.body.success).toBe(true);
      expect(await columns('purchases')).not.toEqual([]);
      const applied = await t.request('GET', `${evo()}/pending?status=applied`, {
        token: admin.token,
      });
      expect(applied.body.every((p: { applied_at: string | null }) => p.applied_at)).toBe(true);
    });
  });

  describe('safe conversions, audit and auth', () => {
    it('lists safe conversions (admin only)', async () => {
      const res = await t.request('GET', `${evo()}/safe-conversions`, { token: admin.token });
      expect(res.status).toBe(200);
      expect(res.body.safe_conversions).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ from: 'int', to: 'float' }),
          expect.objectContaining({ from: 'string', to: 'text' }),
          expect.objectContaining({ from: 'date', to: 'datetime' }),
          expect.objectContaining({ from: 'int', to: 'decimal' }),
        ]),
      );
      expect((await t.request('GET', `${evo()}/safe-conversions`)).status).toBe(401);
    });

    it('filters and pages schema ops', async () => {
      const all = await t.request('GET', `/api/projects/${pid}/audit/schema-ops?limit=1000`, {
        token: admin.token,
      });
      expect(all.status).toBe(200);
      expect(all.body.length).toBeGreaterThan(5);
      const page = await t.request(
        'GET',
        `/api/projects/${pid}/audit/schema-ops?limit=2&offset=1`,
        {
          token: admin.token,
        },
      );
      expect(page.body).toEqual(all.body.slice(1, 3));
      for (const q of ['limit=0', 'limit=1001', 'offset=-1', 'collection_id=nope']) {
        expect(
          (
            await t.request('GET', `/api/projects/${pid}/audit/schema-ops?${q}`, {
              token: admin.token,
            })
          ).status,
        ).toBe(400);
      }
      expect(Object.keys(all.body[0]).sort()).toEqual(
        [
          'actor_user_id',
          'collection_id',
          'created_at',
          'error',
          'id',
          'op_type',
          'payload_json',
          'project_id',
          'sql',
          'status',
        ].sort(),
      );
    });

    it('requires an admin token (401) and membership (404) everywhere', async () => {
      const stranger = await createAdmin(t);
      const cid = (await createCollection(t, admin, pid, 'guarded')).id;
      const routes: [string, string][] = [
        ['POST', `${col(cid)}/rename`],
        ['POST', `${col(cid)}/preview-migration`],
        ['GET', `${evo()}/aliases`],
        ['GET', `${evo()}/safe-conversions`],
        ['GET', `${evo()}/pending`],
        ['POST', `${evo()}/pending`],
        ['POST', `${evo()}/apply`],
        ['GET', `/api/projects/${pid}/audit/schema-ops`],
      ];
      for (const [method, path] of routes) {
        const body = method === 'GET' ? undefined : {};
        expect((await t.request(method, path, { body })).status).toBe(401);
        expect((await t.request(method, path, { token: stranger.token, body })).status).toBe(404);
      }
      const rename = await t.request('POST', `${col(cid)}/rename`, {
        token: stranger.token,
        body: { new_name: 'stolen' },
      });
      expect(rename.status).toBe(404);
      expect(await columns('guarded')).not.toEqual([]);
    });
  });
});
