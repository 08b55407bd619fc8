import type { DropConstraintOp } from '../schema-op';
import { objectRef, tableRef } from './sql-parts';

export function renderDropConstraint(op: DropConstraintOp): string[] {
  return [`ALTER TABLE ${tableRef(op.schema, op.table)} DROP CONSTRAINT ${objectRef(op.name)}`];
}
