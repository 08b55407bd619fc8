import { AppError } from '../../../common/errors/app-error';
import { identifierProblem } from '../../../schema-engine/identifiers';
import { tablesInSchema } from '../../relations/relations.service';
import {
  ALIAS_DAYS,
  aliasExpiry,
  bad,
  str,
  type EvolutionOperationDefinition,
} from './evolution-operation';

interface RenameTableInput {
  newName: string;
  newDisplayName?: string;
}

/** `rename_collection`: renames the table; the old name answers as an alias for ALIAS_DAYS. */
export const RENAME_TABLE_OPERATION: EvolutionOperationDefinition<
  'rename_table',
  RenameTableInput
> = {
  type: 'rename_table',
  parse(params) {
    const newName = str(params.new_name);
    if (!newName) throw bad('new_name is required');
    return { newName, newDisplayName: str(params.new_display_name) };
  },
  plan({ catalog, collection: c }, { newName, newDisplayName }) {
    if (c.meta.isSystem)
      throw bad(`Collection '${c.meta.name}' is a system collection and cannot be renamed`);
    const problem = identifierProblem(newName);
    if (problem)
      throw AppError.validation(`Invalid collection name: ${newName} (${problem})`, [
        { field: 'new_name', rule: 'identifier', message: `Collection name ${problem}` },
      ]);
    if (newName === c.meta.name) throw bad('New name is the same as the current name');
    if (catalog.byName.has(newName) || tablesInSchema(catalog).has(newName)) {
      throw AppError.conflict(`A collection or table named '${newName}' already exists`);
    }
    const displayName = newDisplayName ?? c.meta.displayName;
    const oldName = c.meta.name;
    const expires = aliasExpiry();
    return {
      after: { ...c.meta, name: newName, table: newName, displayName },
      warnings: [`Old name '${oldName}' will be aliased for ${ALIAS_DAYS} days`],
      writeMetadata: async (meta) => {
        await meta.updateCollection(c.meta.id, {
          name: newName,
          sqlTableName: newName,
          displayName,
        });
        await meta.deleteAliasesNamed(null, newName);
        await meta.deleteAliasesNamed(null, oldName);
        await meta.insertCollectionAlias(c.meta.id, oldName, expires);
      },
      details: () => ({
        old_name: oldName,
        new_name: newName,
        alias_expires_at: expires.toISOString(),
      }),
    };
  },
};
