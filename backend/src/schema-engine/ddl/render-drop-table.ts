import type { DropTableOp } from '../schema-op';
import { tableRef } from './sql-parts';

/** No CASCADE: a table other tables still reference must fail, not take their FKs with it. */
export function renderDropTable(op: DropTableOp): string[] {
  return [`DROP TABLE ${tableRef(op.schema, op.table)}`];
}
