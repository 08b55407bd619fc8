import type { DropSchemaOp } from '../schema-op';
import { schemaRef } from './sql-parts';

export function renderDropSchema(op: DropSchemaOp): string[] {
  return [`DROP SCHEMA ${schemaRef(op.schema)}${op.cascade ? ' CASCADE' : ''}`];
}
