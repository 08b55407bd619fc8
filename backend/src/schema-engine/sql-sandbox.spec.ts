import { renderEnsureSqlRole, sqlRoleName } from './sql-role';
import { renderSandboxFunction } from './sql-sandbox';

const schema = 'p_0f0e0d0c_0b0a_4908_8706_050403020100';

describe('SQL console DDL', () => {
  it('names the role after the project schema and refuses anything else', () => {
    expect(sqlRoleName(schema)).toBe(`${schema}_sql`);
    expect(() => sqlRoleName('backendify')).toThrow();
    expect(() => sqlRoleName(`${schema}"; DROP ROLE postgres; --`)).toThrow();
  });

  it('grants data rights on the schema, never CREATE, and _users without the hash', () => {
    const sql = renderEnsureSqlRole({
      schema,
      usersColumns: ['id', 'email', 'password_hash', 'is_disabled'],
    });
    const role = `"${schema}_sql"`;
    expect(sql[0]).toContain(
      `CREATE ROLE ${role} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS`,
    );
    expect(sql).toContain(`GRANT USAGE ON SCHEMA "${schema}" TO ${role}`);
    expect(sql).toContain(
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "${schema}" TO ${role}`,
    );
    expect(sql.join('\n')).not.toMatch(/GRANT (ALL|CREATE)|TRUNCATE|TRIGGER/);
    expect(sql.at(-2)).toBe(`REVOKE ALL ON TABLE "${schema}"."_users" FROM ${role}`);
    expect(sql.at(-1)).toBe(
      `GRANT SELECT ("id", "email", "is_disabled") ON TABLE "${schema}"."_users" TO ${role}`,
    );
  });

  it('renders the row function: typed outputs, bound params, a fetch limit and the seal', () => {
    expect(
      renderSandboxFunction({
        schema,
        params: [{ sql: 'integer', pseudo: false }],
        columns: [
          { sql: 'character varying(20)', pseudo: false },
          { sql: 'void', pseudo: true },
        ],
        fetchLimit: 1001,
      }),
    )
      .toBe(`CREATE FUNCTION pg_temp.backendify_sql_run(q text, p text[]) RETURNS TABLE ("c1" character varying(20), "c2" text) LANGUAGE plpgsql SECURITY DEFINER SET search_path = "${schema}", pg_temp AS $backendify$
DECLARE backendify_n integer := 0;
BEGIN
  FOR "c1", "c2" IN EXECUTE q USING p[1]::integer LOOP
    RETURN NEXT;
    backendify_n := backendify_n + 1;
    EXIT WHEN backendify_n >= 1001;
  END LOOP;
  SET CONSTRAINTS ALL IMMEDIATE;
  EXECUTE 'CLOSE ALL';
END
$backendify$`);
  });

  it('renders the row-count function for statements without rows', () => {
    const sql = renderSandboxFunction({ schema, params: [], columns: null, fetchLimit: 1 });
    expect(sql).toContain('RETURNS bigint');
    expect(sql).toContain('EXECUTE q;');
    expect(sql).toContain('GET DIAGNOSTICS backendify_n = ROW_COUNT;');
  });

  it('refuses a type name that format_type would never produce', () => {
    expect(() =>
      renderSandboxFunction({
        schema,
        params: [{ sql: "int; DROP TABLE x; --'", pseudo: false }],
        columns: null,
        fetchLimit: 1,
      }),
    ).toThrow(/unexpected type name/);
  });
});
