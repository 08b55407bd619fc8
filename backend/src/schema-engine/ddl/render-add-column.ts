import type { AddColumnOp } from '../schema-op';
import { columnRef, columnTypeSql, defaultSql, tableRef } from './sql-parts';

export function renderAddColumn(op: AddColumnOp): string[] {
  let sql = `ALTER TABLE ${tableRef(op.schema, op.table)} ADD COLUMN ${columnRef(op.column)} ${columnTypeSql(op.columnType)}`;
  if (op.notNull) sql += ' NOT NULL';
  if (op.defaultValue !== null) sql += ` DEFAULT ${defaultSql(op.defaultValue, op.columnType)}`;
  return [sql];
}
