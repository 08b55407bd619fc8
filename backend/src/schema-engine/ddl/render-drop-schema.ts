import type { DropSchemaOp } from '../schema-op';
import { renderDropSqlRole } from '../sql-role';
import { schemaRef } from './sql-parts';

/** The schema, and with a cascade the project's SQL-console role whose rights lived in it. */
export function renderDropSchema(op: DropSchemaOp): string[] {
  const drop = `DROP SCHEMA ${schemaRef(op.schema)}${op.cascade ? ' CASCADE' : ''}`;
  return op.cascade ? [drop, ...renderDropSqlRole(op.schema)] : [drop];
}
