import type { PoolClient } from 'pg';

import { quoteIdent, quoteQualified } from './identifiers';
import { USERS_TABLE } from './schema-op';

/** Columns of `_users` the SQL console never sees (DESIGN §4: the hash is never returned). */
const SECRET_USER_COLUMNS: ReadonlySet<string> = new Set(['password_hash']);

const SCHEMA_PATTERN = /^p_[0-9a-f]{8}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{12}$/;

/** Privileges of the console role on project tables: data, never DDL, TRUNCATE or TRIGGER. */
const TABLE_RIGHTS = 'SELECT, INSERT, UPDATE, DELETE';

/** The project's own PostgreSQL role for the SQL console: `<schema>_sql` (cluster-wide name). */
export function sqlRoleName(schema: string): string {
  if (!SCHEMA_PATTERN.test(schema)) throw new Error('not a project schema name');
  return `${schema}_sql`;
}

/**
 * Drops the console role of a project schema being dropped (after `DROP SCHEMA … CASCADE`, which
 * takes its grants and default privileges with it). Roles are cluster-wide: without this every
 * deleted project would leave one behind. Nothing for schemas that are not project schemas.
 */
export function renderDropSqlRole(schema: string): string[] {
  if (!SCHEMA_PATTERN.test(schema)) return [];
  return [`DROP ROLE IF EXISTS ${quoteIdent(sqlRoleName(schema))}`];
}

export interface SqlRoleSpec {
  schema: string;
  /** Every column of `_users` as it stands now; the secret ones are left out of the grant. */
  usersColumns: readonly string[];
}

/**
 * The statements that make the console role exist with exactly its rights: NOLOGIN, no
 * attributes, USAGE on the project schema (never CREATE), data rights on its tables and
 * sequences (present and future), `_users` readable column by column without the secrets and
 * never writable (app users change through the app-user routes). Idempotent. Pure.
 */
export function renderEnsureSqlRole(spec: SqlRoleSpec): string[] {
  const role = quoteIdent(sqlRoleName(spec.schema));
  const schema = quoteIdent(spec.schema);
  const users = quoteQualified(spec.schema, USERS_TABLE);
  const readable = spec.usersColumns.filter((c) => !SECRET_USER_COLUMNS.has(c));
  const attributes =
    'NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS';
  const statements = [
    // Two processes may create it at once; the loser's duplicate is the same role.
    `DO $backendify$ BEGIN CREATE ROLE ${role} ${attributes}; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $backendify$`,
    `ALTER ROLE ${role} ${attributes}`,
    `GRANT USAGE ON SCHEMA ${schema} TO ${role}`,
    `GRANT ${TABLE_RIGHTS} ON ALL TABLES IN SCHEMA ${schema} TO ${role}`,
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${schema} TO ${role}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT ${TABLE_RIGHTS} ON TABLES TO ${role}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT USAGE, SELECT ON SEQUENCES TO ${role}`,
    `REVOKE ALL ON TABLE ${users} FROM ${role}`,
  ];
  if (readable.length > 0) {
    const columns = readable.map((c) => quoteIdent(c)).join(', ');
    statements.push(`GRANT SELECT (${columns}) ON TABLE ${users} TO ${role}`);
  }
  return statements;
}

const LOCK_SQL = `SELECT pg_advisory_xact_lock(hashtextextended('backendify:schema:' || $1, 0))`;
const USERS_COLUMNS_SQL = `SELECT a.attname AS name FROM pg_catalog.pg_attribute a
  WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`;

/**
 * Applies `renderEnsureSqlRole` in the caller's transaction under the project's schema lock (the
 * one every schema change takes), so the grants always follow the tables as they are now and two
 * concurrent grants never collide on the catalog rows.
 */
export async function ensureSqlRole(
  client: PoolClient,
  projectId: string,
  schema: string,
): Promise<string> {
  await client.query(LOCK_SQL, [projectId]);
  const { rows } = await client.query<{ name: string }>(USERS_COLUMNS_SQL, [
    quoteQualified(schema, USERS_TABLE),
  ]);
  const statements = renderEnsureSqlRole({ schema, usersColumns: rows.map((r) => r.name) });
  for (const statement of statements) await client.query(statement);
  return sqlRoleName(schema);
}
