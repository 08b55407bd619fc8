import type { DropDefaultOp } from '../schema-op';
import { columnRef, tableRef } from './sql-parts';

export function renderDropDefault(op: DropDefaultOp): string[] {
  return [
    `ALTER TABLE ${tableRef(op.schema, op.table)} ALTER COLUMN ${columnRef(op.column)} DROP DEFAULT`,
  ];
}
