import { quoteIdent } from '../identifiers';
import { indexName, USERS_TABLE, type CreateUsersTableOp } from '../schema-op';
import { renderCollectionTable } from './render-create-table';
import { objectRef, tableRef } from './sql-parts';

export function renderCreateUsersTable(op: CreateUsersTableOp): string[] {
  const statements = renderCollectionTable(op.schema, USERS_TABLE, 'uuid', [
    `${quoteIdent('email')} text NOT NULL`,
    `${quoteIdent('password_hash')} text`,
    `${quoteIdent('is_email_verified')} boolean NOT NULL DEFAULT false`,
    `${quoteIdent('is_disabled')} boolean NOT NULL DEFAULT false`,
  ]);
  const emailIndex = objectRef(indexName(USERS_TABLE, 'email', 'unique'));
  return [
    ...statements,
    `CREATE UNIQUE INDEX ${emailIndex} ON ${tableRef(op.schema, USERS_TABLE)} (${quoteIdent('email')})`,
  ];
}
