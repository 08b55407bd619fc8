import { newProject, rejection } from './helpers';

describe('relation options and JSON-text import', () => {
  it('lists relation types and on-delete actions with labels', async () => {
    const { admin, projectId } = await newProject('Options');

    const options = await admin.admin.schema(projectId).relations.options();

    expect(options.relation_types.map((o) => o.value)).toEqual(
      expect.arrayContaining(['many_to_one', 'many_to_many']),
    );
    expect(options.on_delete_actions.map((o) => o.value)).toEqual(
      expect.arrayContaining(['RESTRICT', 'CASCADE', 'SET NULL']),
    );
    expect(options.on_delete_actions[0]).toEqual({
      value: expect.any(String),
      label: expect.any(String),
      description: expect.any(String),
    });
  });

  it('imports JSON text as read from a file and reports unparsable text as 400', async () => {
    const { admin, projectId } = await newProject('Import');
    await admin.admin.schema(projectId).collections.create({ name: 'notes' });
    await admin.admin
      .schema(projectId)
      .fields('notes')
      .create({ name: 'body', field_type: 'text' });
    const notes = admin.project(projectId).collection<{ body: string }>('notes');

    const result = await notes.import('[{"body":"one"},{"body":"two"}]', { format: 'json' });

    expect(result).toEqual({ inserted: 2 });
    expect((await notes.list({ sort: 'body' })).records.map((r) => r.body)).toEqual(['one', 'two']);
    const err = await rejection(notes.import('[{"body":', { format: 'json' }));
    expect(err).toMatchObject({ status: 400 });
  });
});
