import { quoteIdent } from '../identifiers';
import { createdByIndexName, primaryKeyName, type CreateTableOp, type IdType } from '../schema-op';
import { objectRef, tableRef } from './sql-parts';

const ID_COLUMN: Record<IdType, string> = {
  bigint: 'bigint GENERATED ALWAYS AS IDENTITY',
  uuid: 'uuid DEFAULT gen_random_uuid()',
};

/** Column lines shared by every collection table, after `id`. */
export const AUDIT_COLUMN_LINES = [
  `${quoteIdent('created_at')} timestamptz NOT NULL DEFAULT now()`,
  `${quoteIdent('updated_at')} timestamptz NOT NULL DEFAULT now()`,
  `${quoteIdent('created_by_user_id')} text`,
  `${quoteIdent('created_by_app_user_id')} text`,
];

/** `CREATE TABLE` with `id` + audit columns + `extraLines`, then the `created_by_app_user_id` index. */
export function renderCollectionTable(
  schema: string,
  table: string,
  idType: IdType,
  extraLines: readonly string[] = [],
): string[] {
  const ref = tableRef(schema, table);
  const lines = [
    `${quoteIdent('id')} ${ID_COLUMN[idType]}`,
    ...extraLines,
    ...AUDIT_COLUMN_LINES,
    `CONSTRAINT ${objectRef(primaryKeyName(table))} PRIMARY KEY (${quoteIdent('id')})`,
  ];
  return [
    `CREATE TABLE ${ref} (\n  ${lines.join(',\n  ')}\n)`,
    `CREATE INDEX ${objectRef(createdByIndexName(table))} ON ${ref} (${quoteIdent('created_by_app_user_id')})`,
  ];
}

export function renderCreateTable(op: CreateTableOp): string[] {
  return renderCollectionTable(op.schema, op.table, op.idType);
}
