import type { SetDefaultOp } from '../schema-op';
import { columnRef, defaultSql, tableRef } from './sql-parts';

export function renderSetDefault(op: SetDefaultOp): string[] {
  return [
    `ALTER TABLE ${tableRef(op.schema, op.table)} ALTER COLUMN ${columnRef(op.column)} SET DEFAULT ${defaultSql(op.value, op.columnType)}`,
  ];
}
