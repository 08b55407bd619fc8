import {
  bad,
  findField,
  str,
  truthy,
  type EvolutionOperationDefinition,
} from './evolution-operation';

/** `hard_delete_field`: drops the column and its data; the field must be soft-deleted first unless forced. */
export const DROP_COLUMN_OPERATION: EvolutionOperationDefinition<
  'drop_column',
  { fieldId: string; force: boolean }
> = {
  type: 'drop_column',
  parse(params) {
    const fieldId = str(params.field_id);
    if (!fieldId) throw bad('field_id is required');
    return { fieldId, force: truthy(params.force) };
  },
  plan({ catalog, collection: c }, { fieldId, force }) {
    const f = findField(c, fieldId);
    if (f.isSystem) throw bad(`Field '${f.name}' is a system field and cannot be deleted`);
    if (!f.isDeleted && !force) {
      throw bad('Field must be soft-deleted first. Use force=true to skip.');
    }
    return {
      after: { ...c.meta, fields: c.meta.fields.filter((x) => x.id !== f.id) },
      warnings: ['THIS WILL PERMANENTLY DELETE ALL DATA IN THIS COLUMN'],
      writeMetadata: async (meta) => {
        await meta.deleteField(f.id);
        if (c.record.displayField === f.name) {
          await meta.updateCollection(c.meta.id, { displayField: null });
        }
        await meta.retargetDisplayFields(catalog, c.meta.id, f.name, null);
      },
      details: () => ({ field_id: f.id, field_name: f.name, dropped: true }),
    };
  },
};
