import { newProject, rejection } from './helpers';

async function notesProject() {
  const { admin, projectId } = await newProject('Evolution');
  const schema = admin.admin.schema(projectId);
  const notes = await schema.collections.create({ name: 'notes' });
  const title = await schema.fields('notes').create({ name: 'title', field_type: 'string' });
  return { schema, notes, title };
}

describe('admin schema evolution', () => {
  it('previews and applies a rename at once, keeping the old name as an alias', async () => {
    const { schema, notes, title } = await notesProject();
    const { evolution } = schema;

    const preview = await evolution.preview(notes.id, {
      operation: 'rename_column',
      params: { field_id: title.id, new_name: 'headline' },
    });
    expect(preview.steps.join(' ')).toMatch(/RENAME COLUMN/i);
    expect((await schema.fields('notes').list()).map((f) => f.name)).toContain('title');

    const result = await evolution.renameField(notes.id, title.id, { new_name: 'headline' });
    expect(result).toMatchObject({ success: true, operation: 'rename_column' });
    expect((await schema.fields('notes').list()).map((f) => f.name)).toContain('headline');
    const aliases = await evolution.aliases();
    expect(aliases.field_aliases).toEqual([
      expect.objectContaining({ old_name: 'title', field_id: title.id }),
    ]);

    const history = await evolution.history({ collection_id: notes.id, op_type: 'rename_column' });
    expect(history).toEqual([
      expect.objectContaining({ op_type: 'rename_column', status: 'applied' }),
    ]);
  });

  it('queues, applies and discards pending changes', async () => {
    const { schema, notes, title } = await notesProject();
    const { evolution } = schema;

    const queued = await evolution.queue({
      collection_id: notes.id,
      operation: 'soft_delete_column',
      params: { field_id: title.id },
    });
    expect(queued).toMatchObject({ status: 'pending', operation: 'soft_delete_column' });
    expect((await evolution.pending()).map((p) => p.id)).toEqual([queued.id]);

    const applied = await evolution.apply();
    expect(applied).toMatchObject({ success: true, failed: null });
    expect(applied.applied.map((a) => a.id)).toEqual([queued.id]);
    const fields = await schema.fields('notes').list({ include_deleted: true });
    expect(fields.find((f) => f.id === title.id)).toMatchObject({ is_deleted: true });

    const restore = await evolution.queue({
      collection_id: notes.id,
      operation: 'restore_column',
      params: { field_id: title.id },
    });
    await evolution.discard(restore.id);
    expect(await evolution.pending()).toEqual([]);
  });

  it('changes a type along a safe conversion and drops a field', async () => {
    const { schema, notes, title } = await notesProject();
    const { evolution } = schema;
    const { safe_conversions } = await evolution.safeConversions();
    expect(safe_conversions).toEqual(
      expect.arrayContaining([expect.objectContaining({ from: 'string', to: 'text' })]),
    );

    await evolution.changeFieldType(notes.id, title.id, { new_type: 'text' });
    expect(await schema.fields('notes').get('title')).toMatchObject({ field_type: 'text' });

    await evolution.softDeleteField(notes.id, title.id);
    await evolution.restoreField(notes.id, title.id);
    await evolution.dropField(notes.id, title.id, { force: true });
    expect(await rejection(schema.fields('notes').get('title'))).toMatchObject({ status: 404 });
  });

  it('renames a collection', async () => {
    const { schema, notes } = await notesProject();

    await schema.evolution.renameCollection(notes.id, { new_name: 'memos' });

    const names = (await schema.collections.list()).map((c) => c.name);
    expect(names).toContain('memos');
    expect(names).not.toContain('notes');
  });
});
