import { quoteIdent } from '../identifiers';
import type { AddForeignKeyOp } from '../schema-op';
import { columnRef, objectRef, tableRef } from './sql-parts';
import { onDeleteSql } from './on-delete';

export function renderAddForeignKey(op: AddForeignKeyOp): string[] {
  return [
    `ALTER TABLE ${tableRef(op.schema, op.table)} ADD CONSTRAINT ${objectRef(op.name)} FOREIGN KEY (${columnRef(op.column)}) REFERENCES ${tableRef(op.schema, op.targetTable)} (${quoteIdent('id')}) ON DELETE ${onDeleteSql(op.onDelete)}`,
  ];
}
