import type { CreateSchemaOp } from '../schema-op';
import { schemaRef } from './sql-parts';

export function renderCreateSchema(op: CreateSchemaOp): string[] {
  return [`CREATE SCHEMA IF NOT EXISTS ${schemaRef(op.schema)}`];
}
