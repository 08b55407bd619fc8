import type { AlterColumnTypeOp } from '../schema-op';
import { columnRef, columnTypeSql, tableRef } from './sql-parts';

export function renderAlterColumnType(op: AlterColumnTypeOp): string[] {
  const column = columnRef(op.column);
  const type = columnTypeSql(op.columnType);
  return [
    `ALTER TABLE ${tableRef(op.schema, op.table)} ALTER COLUMN ${column} TYPE ${type} USING ${column}::${type}`,
  ];
}
