import type { SchemaOp } from '../schema-op';

const INDEX_KIND = {
  btree: 'an index',
  unique: 'a unique index',
  trigram: 'a trigram search index',
};

/** One human sentence per op, for change previews in the console. Names are shown, never SQL. */
export function describeOp(op: SchemaOp): string {
  switch (op.kind) {
    case 'createSchema':
      return `Create schema ${op.schema} if it does not exist.`;
    case 'dropSchema':
      return `Drop schema ${op.schema}${op.cascade ? ' and everything in it' : ''}.`;
    case 'createTable':
      return `Create table ${op.table} with the system columns.`;
    case 'createUsersTable':
      return 'Create the _users table for app users.';
    case 'dropTable':
      return `Drop table ${op.table} and all its rows.`;
    case 'renameTable':
      return `Rename table ${op.from} to ${op.to}.`;
    case 'addColumn': {
      const flags = [op.notNull ? 'required' : 'optional'];
      if (op.defaultValue !== null) flags.push(`default ${JSON.stringify(op.defaultValue)}`);
      return `Add ${op.relation ? 'relation ' : ''}column ${op.column} (${op.columnType}, ${flags.join(', ')}) to ${op.table}.`;
    }
    case 'dropColumn':
      return `Drop column ${op.column} from ${op.table} and its data.`;
    case 'renameColumn':
      return `Rename column ${op.from} of ${op.table} to ${op.to}.`;
    case 'alterColumnType':
      return `Change the type of ${op.table}.${op.column} to ${op.columnType}, converting existing values.`;
    case 'setNotNull':
      return `Make ${op.table}.${op.column} required.`;
    case 'dropNotNull':
      return `Make ${op.table}.${op.column} optional.`;
    case 'setDefault':
      return `Set the default of ${op.table}.${op.column} to ${JSON.stringify(op.value)}.`;
    case 'dropDefault':
      return `Remove the default of ${op.table}.${op.column}.`;
    case 'createIndex':
      return `Create ${INDEX_KIND[op.method]} on ${op.table}.${op.column}.`;
    case 'dropIndex':
      return `Drop index ${op.name}.`;
    case 'renameIndex':
      return `Rename index ${op.from} to ${op.to}.`;
    case 'addForeignKey':
      return `Make ${op.table}.${op.column} reference ${op.targetTable} (on delete ${op.onDelete.toLowerCase()}).`;
    case 'dropConstraint':
      return `Drop constraint ${op.name} from ${op.table}.`;
    case 'renameConstraint':
      return `Rename constraint ${op.from} of ${op.table} to ${op.to}.`;
    case 'createJunctionTable':
      return `Create junction table ${op.table} linking ${op.source.table} and ${op.target.table}.`;
    case 'ensureExtension':
      return `Install the ${op.name} extension if it is missing.`;
  }
}
