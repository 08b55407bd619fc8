import { quoteIdent } from './identifiers';

/** The per-run function the console's statement executes inside; temporary, per connection. */
export const SANDBOX_FUNCTION = 'pg_temp.backendify_sql_run';

/** A type as `format_type` spells it (PostgreSQL's own quoting), or a pseudo-type. */
export interface SandboxType {
  sql: string;
  /** `typtype = 'p'` (void, record, …): no PL/pgSQL variable can have it, so it travels as text. */
  pseudo: boolean;
}

export interface SandboxSpec {
  schema: string;
  params: readonly SandboxType[];
  /** The result columns; null (or none) when it returns no rows (DML without RETURNING, utility). */
  columns: readonly SandboxType[] | null;
  /** Rows fetched at most; one more than the cap tells the caller the answer was truncated. */
  fetchLimit: number;
}

/**
 * Still inside the security-definer frame: fire deferred triggers now and drop the statement's
 * cursors, so no code it left behind runs at COMMIT, outside the frame, as the session user.
 */
const SEAL = `  SET CONSTRAINTS ALL IMMEDIATE;
  EXECUTE 'CLOSE ALL';`;

const TYPE_SQL = /^[A-Za-z0-9_ ."(),[\]]+$/;

function typeSql(t: SandboxType): string {
  if (t.pseudo) return 'text';
  // format_type output only; anything else is a bug upstream, not a name to paste.
  if (!TYPE_SQL.test(t.sql)) throw new Error(`unexpected type name ${JSON.stringify(t.sql)}`);
  return t.sql;
}

/**
 * `CREATE FUNCTION pg_temp.backendify_sql_run(q text, p text[])`: SECURITY DEFINER, created by
 * the project's console role, so the user's statement runs as that role inside a security-definer
 * frame, where PostgreSQL refuses every change of `role` and `session_authorization` (SET, RESET,
 * set_config) and every transaction command. It fetches at most `fetchLimit` rows. The text holds
 * no user input: the statement and its values arrive as arguments. Pure.
 */
export function renderSandboxFunction(spec: SandboxSpec): string {
  if (!Number.isInteger(spec.fetchLimit) || spec.fetchLimit < 1) throw new Error('bad fetchLimit');
  const using = spec.params.length
    ? ` USING ${spec.params.map((t, i) => `p[${i + 1}]::${typeSql(t)}`).join(', ')}`
    : '';
  const head = `CREATE FUNCTION ${SANDBOX_FUNCTION}(q text, p text[])`;
  const tail = `LANGUAGE plpgsql SECURITY DEFINER SET search_path = ${quoteIdent(spec.schema)}, pg_temp`;
  if (spec.columns === null || spec.columns.length === 0) {
    return `${head} RETURNS bigint ${tail} AS $backendify$
DECLARE backendify_n bigint;
BEGIN
  EXECUTE q${using};
  GET DIAGNOSTICS backendify_n = ROW_COUNT;
${SEAL}
  RETURN backendify_n;
END
$backendify$`;
  }
  const outs = spec.columns.map((_, i) => quoteIdent(`c${i + 1}`));
  const table = spec.columns.map((t, i) => `${outs[i]} ${typeSql(t)}`).join(', ');
  return `${head} RETURNS TABLE (${table}) ${tail} AS $backendify$
DECLARE backendify_n integer := 0;
BEGIN
  FOR ${outs.join(', ')} IN EXECUTE q${using} LOOP
    RETURN NEXT;
    backendify_n := backendify_n + 1;
    EXIT WHEN backendify_n >= ${spec.fetchLimit};
  END LOOP;
${SEAL}
END
$backendify$`;
}
