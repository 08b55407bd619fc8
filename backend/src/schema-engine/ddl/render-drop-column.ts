import type { DropColumnOp } from '../schema-op';
import { columnRef, tableRef } from './sql-parts';

export function renderDropColumn(op: DropColumnOp): string[] {
  return [`ALTER TABLE ${tableRef(op.schema, op.table)} DROP COLUMN ${columnRef(op.column)}`];
}
