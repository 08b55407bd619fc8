import type { DropNotNullOp } from '../schema-op';
import { columnRef, tableRef } from './sql-parts';

export function renderDropNotNull(op: DropNotNullOp): string[] {
  return [
    `ALTER TABLE ${tableRef(op.schema, op.table)} ALTER COLUMN ${columnRef(op.column)} DROP NOT NULL`,
  ];
}
