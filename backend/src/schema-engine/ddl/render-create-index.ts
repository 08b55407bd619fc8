import type { CreateIndexOp } from '../schema-op';
import { columnRef, objectRef, tableRef } from './sql-parts';

export function renderCreateIndex(op: CreateIndexOp): string[] {
  const table = tableRef(op.schema, op.table);
  const name = objectRef(op.name);
  const column = columnRef(op.column);
  switch (op.method) {
    case 'btree':
      return [`CREATE INDEX ${name} ON ${table} (${column})`];
    case 'unique':
      return [`CREATE UNIQUE INDEX ${name} ON ${table} (${column})`];
    case 'trigram':
      return [`CREATE INDEX ${name} ON ${table} USING gin (${column} gin_trgm_ops)`];
  }
}
