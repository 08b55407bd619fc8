/** The one rule for every identifier Backendify puts into SQL, and the one helper that quotes it. */

const IDENTIFIER_PATTERN = /^[a-z][a-z0-9_]{0,62}$/;

/** SQL keywords and names that would confuse readers of the schema or clash with PostgreSQL. */
export const RESERVED_WORDS: ReadonlySet<string> = new Set([
  'all',
  'alter',
  'analyse',
  'analyze',
  'and',
  'any',
  'array',
  'as',
  'asc',
  'asymmetric',
  'authorization',
  'between',
  'binary',
  'both',
  'by',
  'case',
  'cast',
  'check',
  'collate',
  'column',
  'concurrently',
  'constraint',
  'create',
  'cross',
  'current_catalog',
  'current_date',
  'current_role',
  'current_schema',
  'current_time',
  'current_timestamp',
  'current_user',
  'database',
  'default',
  'deferrable',
  'delete',
  'desc',
  'distinct',
  'do',
  'drop',
  'else',
  'end',
  'except',
  'false',
  'fetch',
  'for',
  'foreign',
  'freeze',
  'from',
  'full',
  'grant',
  'group',
  'having',
  'ilike',
  'in',
  'index',
  'information_schema',
  'initially',
  'inner',
  'insert',
  'intersect',
  'into',
  'is',
  'isnull',
  'join',
  'key',
  'lateral',
  'leading',
  'left',
  'like',
  'limit',
  'localtime',
  'localtimestamp',
  'natural',
  'not',
  'notnull',
  'null',
  'offset',
  'oid',
  'on',
  'only',
  'or',
  'order',
  'outer',
  'overlaps',
  'pg_catalog',
  'placing',
  'primary',
  'public',
  'references',
  'returning',
  'revoke',
  'right',
  'role',
  'schema',
  'select',
  'session_user',
  'set',
  'similar',
  'some',
  'symmetric',
  'system_user',
  'table',
  'tablesample',
  'then',
  'to',
  'trailing',
  'true',
  'union',
  'unique',
  'update',
  'user',
  'using',
  'variadic',
  'verbose',
  'when',
  'where',
  'window',
  'with',
  'xmin',
  'xmax',
  'ctid',
  'cmin',
  'cmax',
  'tableoid',
]);

export type IdentifierKind = 'collection' | 'field' | 'relation' | 'view' | 'role' | 'schema';

export class InvalidIdentifierError extends Error {
  constructor(
    readonly kind: IdentifierKind,
    readonly identifier: string,
    readonly reason: string,
  ) {
    super(`Invalid ${kind} name '${identifier}': ${reason}`);
    this.name = 'InvalidIdentifierError';
  }
}

/** Returns why `name` is not a valid identifier, or null when it is. Never rewrites the name. */
export function identifierProblem(name: unknown): string | null {
  if (typeof name !== 'string') return 'must be a string';
  if (!IDENTIFIER_PATTERN.test(name)) {
    return 'must start with a lowercase letter and contain only lowercase letters, digits and underscores (at most 63 characters)';
  }
  if (RESERVED_WORDS.has(name)) return 'is a reserved word';
  if (name.startsWith('pg_')) return "must not start with 'pg_'";
  return null;
}

/** Rejects (never strips) a name that breaks the identifier rule. */
export function assertValidIdentifier(name: unknown, kind: IdentifierKind): asserts name is string {
  const problem = identifierProblem(name);
  if (problem) throw new InvalidIdentifierError(kind, String(name), problem);
}

/** Quotes an identifier the way PostgreSQL's `escapeIdentifier` does: wrap in `"` and double any `"`. */
export function quoteIdent(name: string): string {
  if (name.includes('\u0000')) throw new Error('identifier contains a NUL character');
  return `"${name.replace(/"/g, '""')}"`;
}

/** `"schema"."table"` */
export function quoteQualified(schema: string, table: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(table)}`;
}

/** Schema name of a project: `p_` + the project uuid with `-` replaced by `_`. */
export function projectSchemaName(projectId: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(projectId)) {
    throw new Error('project id must be a lowercase uuid');
  }
  return `p_${projectId.replace(/-/g, '_')}`;
}
