import type { DropIndexOp } from '../schema-op';
import { qualifiedObjectRef } from './sql-parts';

export function renderDropIndex(op: DropIndexOp): string[] {
  return [`DROP INDEX ${qualifiedObjectRef(op.schema, op.name)}`];
}
