import { assertValidIdentifier, quoteIdent, quoteQualified } from '../identifiers';
import { assertValidObjectName, USERS_TABLE } from '../schema-op';

/** `"schema"."table"` after checking both names; `_users` is the one system table name allowed. */
export function tableRef(schema: string, table: string): string {
  assertValidIdentifier(schema, 'schema');
  if (table !== USERS_TABLE) assertValidIdentifier(table, 'collection');
  return quoteQualified(schema, table);
}

export function schemaRef(schema: string): string {
  assertValidIdentifier(schema, 'schema');
  return quoteIdent(schema);
}

export function columnRef(column: string): string {
  assertValidIdentifier(column, 'field');
  return quoteIdent(column);
}

/** Index and constraint names (derived by `objectName`, checked again here). */
export function objectRef(name: string): string {
  assertValidObjectName(name);
  return quoteIdent(name);
}

/** `"schema"."index"`: indexes live in the schema namespace. */
export function qualifiedObjectRef(schema: string, name: string): string {
  return `${schemaRef(schema)}.${objectRef(name)}`;
}

const BASE_COLUMN_TYPES = new Set([
  'text',
  'bigint',
  'integer',
  'smallint',
  'double precision',
  'real',
  'boolean',
  'date',
  'timestamptz',
  'timestamp with time zone',
  'uuid',
  'jsonb',
  'json',
  'numeric',
]);
const COLUMN_TYPE_PATTERN =
  /^(?<base>[a-z][a-z ]*?)(?<args>\(\d{1,5}(?:, ?\d{1,5})?\))?(?<array>\[\])?$/;
const TYPES_WITH_ARGS = new Set(['numeric', 'varchar', 'character varying']);

export class InvalidColumnTypeError extends Error {
  constructor(readonly columnType: string) {
    super(`Unsupported column type '${columnType}'`);
    this.name = 'InvalidColumnTypeError';
  }
}

/**
 * Column types come from the field-type registry, never from user text; this allow-list is the
 * second lock, because a type is the one piece of DDL that cannot be quoted.
 */
export function columnTypeSql(columnType: string): string {
  const match = COLUMN_TYPE_PATTERN.exec(columnType);
  const base = match?.groups?.base;
  const args = match?.groups?.args;
  const ok =
    base !== undefined &&
    (args === undefined ? BASE_COLUMN_TYPES.has(base) : TYPES_WITH_ARGS.has(base));
  if (!ok) throw new InvalidColumnTypeError(columnType);
  return columnType;
}

/**
 * A string literal exactly as node-postgres' `escapeLiteral` writes it: `'` doubled, and when a
 * backslash is present `\` doubled with an ` E` prefix.
 */
export function quoteLiteral(value: string): string {
  if (value.includes('\u0000')) throw new Error('literal contains a NUL character');
  let hasBackslash = false;
  let out = "'";
  for (const ch of value) {
    if (ch === "'") out += "''";
    else if (ch === '\\') {
      out += '\\\\';
      hasBackslash = true;
    } else out += ch;
  }
  out += "'";
  return hasBackslash ? ` E${out}` : out;
}

/** A default value: escaped literal plus an explicit cast to the column type. */
export function defaultSql(value: string, columnType: string): string {
  return `${quoteLiteral(value).trim()}::${columnTypeSql(columnType)}`;
}
