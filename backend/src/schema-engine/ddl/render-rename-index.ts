import type { RenameIndexOp } from '../schema-op';
import { objectRef, qualifiedObjectRef } from './sql-parts';

export function renderRenameIndex(op: RenameIndexOp): string[] {
  return [`ALTER INDEX ${qualifiedObjectRef(op.schema, op.from)} RENAME TO ${objectRef(op.to)}`];
}
