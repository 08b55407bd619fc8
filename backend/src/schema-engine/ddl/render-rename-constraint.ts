import type { RenameConstraintOp } from '../schema-op';
import { objectRef, tableRef } from './sql-parts';

export function renderRenameConstraint(op: RenameConstraintOp): string[] {
  return [
    `ALTER TABLE ${tableRef(op.schema, op.table)} RENAME CONSTRAINT ${objectRef(op.from)} TO ${objectRef(op.to)}`,
  ];
}
