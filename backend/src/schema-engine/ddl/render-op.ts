import type { SchemaOp } from '../schema-op';
import { renderAddColumn } from './render-add-column';
import { renderAddForeignKey } from './render-add-foreign-key';
import { renderAlterColumnType } from './render-alter-column-type';
import { renderCreateIndex } from './render-create-index';
import { renderCreateJunctionTable } from './render-create-junction-table';
import { renderCreateSchema } from './render-create-schema';
import { renderCreateTable } from './render-create-table';
import { renderCreateUsersTable } from './render-create-users-table';
import { renderDropColumn } from './render-drop-column';
import { renderDropConstraint } from './render-drop-constraint';
import { renderDropDefault } from './render-drop-default';
import { renderDropIndex } from './render-drop-index';
import { renderDropNotNull } from './render-drop-not-null';
import { renderDropSchema } from './render-drop-schema';
import { renderDropTable } from './render-drop-table';
import { renderEnsureExtension } from './render-ensure-extension';
import { renderRenameColumn } from './render-rename-column';
import { renderRenameConstraint } from './render-rename-constraint';
import { renderRenameIndex } from './render-rename-index';
import { renderRenameTable } from './render-rename-table';
import { renderSetDefault } from './render-set-default';
import { renderSetNotNull } from './render-set-not-null';

/** The SQL statements of one op, in order. Pure: validates names and types, touches no database. */
export function renderOp(op: SchemaOp): string[] {
  switch (op.kind) {
    case 'createSchema':
      return renderCreateSchema(op);
    case 'dropSchema':
      return renderDropSchema(op);
    case 'createTable':
      return renderCreateTable(op);
    case 'createUsersTable':
      return renderCreateUsersTable(op);
    case 'dropTable':
      return renderDropTable(op);
    case 'renameTable':
      return renderRenameTable(op);
    case 'addColumn':
      return renderAddColumn(op);
    case 'dropColumn':
      return renderDropColumn(op);
    case 'renameColumn':
      return renderRenameColumn(op);
    case 'alterColumnType':
      return renderAlterColumnType(op);
    case 'setNotNull':
      return renderSetNotNull(op);
    case 'dropNotNull':
      return renderDropNotNull(op);
    case 'setDefault':
      return renderSetDefault(op);
    case 'dropDefault':
      return renderDropDefault(op);
    case 'createIndex':
      return renderCreateIndex(op);
    case 'dropIndex':
      return renderDropIndex(op);
    case 'renameIndex':
      return renderRenameIndex(op);
    case 'addForeignKey':
      return renderAddForeignKey(op);
    case 'dropConstraint':
      return renderDropConstraint(op);
    case 'renameConstraint':
      return renderRenameConstraint(op);
    case 'createJunctionTable':
      return renderCreateJunctionTable(op);
    case 'ensureExtension':
      return renderEnsureExtension(op);
  }
}
