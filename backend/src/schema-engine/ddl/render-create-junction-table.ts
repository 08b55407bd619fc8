import { quoteIdent } from '../identifiers';
import {
  foreignKeyName,
  indexName,
  primaryKeyName,
  type CreateJunctionTableOp,
  type JunctionSide,
} from '../schema-op';
import { columnRef, objectRef, tableRef } from './sql-parts';

export function renderCreateJunctionTable(op: CreateJunctionTableOp): string[] {
  const ref = tableRef(op.schema, op.table);
  if (op.source.column === op.target.column) {
    throw new Error('junction columns must differ');
  }
  const side = (s: JunctionSide): string =>
    `${columnRef(s.column)} ${s.idType} NOT NULL CONSTRAINT ${objectRef(foreignKeyName(op.table, s.column))} REFERENCES ${tableRef(op.schema, s.table)} (${quoteIdent('id')}) ON DELETE CASCADE`;
  const lines = [
    side(op.source),
    side(op.target),
    `CONSTRAINT ${objectRef(primaryKeyName(op.table))} PRIMARY KEY (${columnRef(op.source.column)}, ${columnRef(op.target.column)})`,
  ];
  return [
    `CREATE TABLE ${ref} (\n  ${lines.join(',\n  ')}\n)`,
    `CREATE INDEX ${objectRef(indexName(op.table, op.target.column, 'btree'))} ON ${ref} (${columnRef(op.target.column)})`,
  ];
}
