import type { FieldMeta } from '../../../schema-engine/catalog.types';
import {
  bad,
  findField,
  replaceField,
  str,
  type EvolutionOperationDefinition,
} from './evolution-operation';

/** `soft_delete_field`: hides the field and makes it read-only; its column and data stay. */
export const SOFT_DELETE_COLUMN_OPERATION: EvolutionOperationDefinition<
  'soft_delete_column',
  { fieldId: string }
> = {
  type: 'soft_delete_column',
  parse(params) {
    const fieldId = str(params.field_id);
    if (!fieldId) throw bad('field_id is required');
    return { fieldId };
  },
  plan({ collection: c }, { fieldId }) {
    const f = findField(c, fieldId);
    if (f.isSystem) throw bad(`Field '${f.name}' is a system field and cannot be deleted`);
    if (f.isDeleted) throw bad('Field is already deleted');
    const next: FieldMeta = { ...f, isDeleted: true };
    return {
      after: replaceField(c, next),
      warnings: ['The field will be hidden and read-only; its data is kept until a hard delete'],
      writeMetadata: (meta) => meta.updateField(next),
      logicalOp: { payload: { field_id: f.id, field_name: f.name, sql_column_name: f.column } },
      details: (fresh) => {
        const rec = fresh.byId.get(c.meta.id)?.fieldRecords.get(f.id);
        return {
          field_id: f.id,
          field_name: f.name,
          deleted_at: (rec?.deletedAt ?? new Date()).toISOString(),
        };
      },
    };
  },
};
