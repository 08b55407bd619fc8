import type { SetNotNullOp } from '../schema-op';
import { columnRef, tableRef } from './sql-parts';

export function renderSetNotNull(op: SetNotNullOp): string[] {
  return [
    `ALTER TABLE ${tableRef(op.schema, op.table)} ALTER COLUMN ${columnRef(op.column)} SET NOT NULL`,
  ];
}
