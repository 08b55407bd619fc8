import type { FieldMeta } from '../../../schema-engine/catalog.types';
import {
  bad,
  findField,
  replaceField,
  str,
  type EvolutionOperationDefinition,
} from './evolution-operation';

/** `restore_field`: brings a soft-deleted field back with its data. */
export const RESTORE_COLUMN_OPERATION: EvolutionOperationDefinition<
  'restore_column',
  { fieldId: string }
> = {
  type: 'restore_column',
  parse(params) {
    const fieldId = str(params.field_id);
    if (!fieldId) throw bad('field_id is required');
    return { fieldId };
  },
  plan({ collection: c }, { fieldId }) {
    const f = findField(c, fieldId);
    if (f.isSystem) throw bad(`Field '${f.name}' is a system field and cannot be restored`);
    if (!f.isDeleted) throw bad('Field is not deleted');
    const next: FieldMeta = { ...f, isDeleted: false };
    return {
      after: replaceField(c, next),
      warnings: f.isRequired
        ? ['The field is required again; this fails if rows written meanwhile have no value']
        : [],
      writeMetadata: (meta) => meta.updateField(next),
      logicalOp: { payload: { field_id: f.id, field_name: f.name } },
      details: () => ({ field_id: f.id, field_name: f.name, restored: true }),
    };
  },
};
