import { quoteIdent } from '../identifiers';
import type { RenameTableOp } from '../schema-op';
import { tableRef } from './sql-parts';

export function renderRenameTable(op: RenameTableOp): string[] {
  tableRef(op.schema, op.to);
  return [`ALTER TABLE ${tableRef(op.schema, op.from)} RENAME TO ${quoteIdent(op.to)}`];
}
