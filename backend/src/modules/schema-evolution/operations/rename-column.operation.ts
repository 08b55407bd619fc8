import { AppError } from '../../../common/errors/app-error';
import { SYSTEM_COLUMNS, type FieldMeta } from '../../../schema-engine/catalog.types';
import { identifierProblem } from '../../../schema-engine/identifiers';
import {
  ALIAS_DAYS,
  aliasExpiry,
  bad,
  findField,
  replaceField,
  str,
  type EvolutionOperationDefinition,
} from './evolution-operation';

interface RenameColumnInput {
  fieldId: string;
  newName: string;
  newDisplayName?: string;
}

/** `rename_field`: renames the column; the old name answers as an alias for ALIAS_DAYS. */
export const RENAME_COLUMN_OPERATION: EvolutionOperationDefinition<
  'rename_column',
  RenameColumnInput
> = {
  type: 'rename_column',
  parse(params) {
    const newName = str(params.new_name);
    const fieldId = str(params.field_id);
    if (!newName || !fieldId) throw bad('field_id and new_name are required');
    return { fieldId, newName, newDisplayName: str(params.new_display_name) };
  },
  plan({ catalog, collection: c }, { fieldId, newName, newDisplayName }) {
    const f = findField(c, fieldId);
    if (f.isSystem) throw bad(`Field '${f.name}' is a system field and cannot be renamed`);
    const problem = identifierProblem(newName);
    if (problem)
      throw AppError.validation(`Invalid field name: ${newName} (${problem})`, [
        { field: 'new_name', rule: 'identifier', message: `Field name ${problem}` },
      ]);
    if (newName === f.name) throw bad('New name is the same as the current name');
    // many_to_many fields have no column of their own; their junction table keeps its name.
    const column = f.relation?.kind === 'many_to_one' ? `${newName}_id` : newName;
    if (identifierProblem(column))
      throw bad(`Invalid field name: ${newName} (column ${column} is too long)`);
    for (const name of new Set([newName, column])) {
      if ((SYSTEM_COLUMNS as readonly string[]).includes(name)) {
        throw bad(`'${name}' is a system column of every collection`);
      }
      const clash = c.meta.fields.find(
        (x) => x.id !== f.id && (x.name === name || x.column === name),
      );
      if (clash) throw AppError.conflict(`Field with the name '${name}' already exists`);
    }
    const next: FieldMeta = {
      ...f,
      name: newName,
      column,
      displayName: newDisplayName ?? f.displayName,
    };
    const oldName = f.name;
    const expires = aliasExpiry();
    return {
      after: replaceField(c, next),
      warnings: [`Old name '${oldName}' will be aliased for ${ALIAS_DAYS} days`],
      writeMetadata: async (meta) => {
        await meta.updateField(next);
        await meta.deleteAliasesNamed(c.meta.id, newName);
        await meta.deleteAliasesNamed(c.meta.id, oldName);
        await meta.insertFieldAlias(c.meta.id, f.id, oldName, expires);
        if (c.record.displayField === oldName) {
          await meta.updateCollection(c.meta.id, { displayField: newName });
        }
        await meta.retargetDisplayFields(catalog, c.meta.id, oldName, newName);
      },
      details: () => ({
        old_name: oldName,
        new_name: newName,
        alias_expires_at: expires.toISOString(),
      }),
    };
  },
};
