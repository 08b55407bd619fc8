import type { RenameColumnOp } from '../schema-op';
import { columnRef, tableRef } from './sql-parts';

export function renderRenameColumn(op: RenameColumnOp): string[] {
  return [
    `ALTER TABLE ${tableRef(op.schema, op.table)} RENAME COLUMN ${columnRef(op.from)} TO ${columnRef(op.to)}`,
  ];
}
