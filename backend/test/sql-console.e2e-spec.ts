import { existsSync } from 'node:fs';
import { createTestApp, type TestApp } from './setup/test-app';
import { createAdmin, createProject, type TestAdmin } from './factories/admin.factory';
import { addField, createCollection, schemaOf } from './factories/schema.factory';

/**
 * Issue 15.3 (SQL console): the route runs one statement as the project's own PostgreSQL role,
 * inside a security-definer frame, READ ONLY unless an owner asks, under a 5 s timeout and a
 * 1000-row cap. The test app connects as the superuser `postgres`, so every refusal below is
 * PostgreSQL's own, not a keyword filter of ours.
 */
describe('SQL console', () => {
  let t: TestApp;
  let owner: TestAdmin;
  let admin: TestAdmin;
  let developer: TestAdmin;
  let outsider: TestAdmin;
  let pid: string;
  let otherPid: string;
  let schema: string;
  let otherSchema: string;
  const answers: { attempt: string; sql: string; mode: string; answer: string }[] = [];
  const sql = (p = pid) => `/api/projects/${p}/sql`;
  const run = (who: TestAdmin, body: Record<string, unknown>, p = pid) =>
    t.request('POST', sql(p), { token: who.token, body });

  beforeAll(async () => {
    t = await createTestApp();
    owner = await createAdmin(t);
    admin = await createAdmin(t);
    developer = await createAdmin(t);
    outsider = await createAdmin(t);
    pid = (await createProject(t, owner, 'SQL home')).id;
    otherPid = (await createProject(t, outsider, 'Someone else')).id;
    schema = schemaOf(pid);
    otherSchema = schemaOf(otherPid);
    for (const [who, role] of [
      [admin, 'admin'],
      [developer, 'developer'],
    ] as const) {
      const res = await t.request('POST', `/api/projects/${pid}/members`, {
        token: owner.token,
        body: { email: who.email, role },
      });
      expect(res.status).toBe(201);
    }
    for (const [p, who] of [
      [pid, owner],
      [otherPid, outsider],
    ] as const) {
      await createCollection(t, who, p, 'notes');
      await addField(t, who, p, 'notes', { name: 'title', field_type: 'string' });
      const res = await t.request('POST', `/api/projects/${p}/data/notes`, {
        token: who.token,
        body: { title: p === pid ? 'mine' : 'their secret' },
      });
      expect(res.status).toBe(201);
    }
    const reg = await t.request('POST', `/api/projects/${pid}/auth/register`, {
      body: { email: 'reader@example.com', password: 'sql console password 1' },
    });
    expect(reg.status).toBe(201);
  });

  afterAll(async () => {
    if (answers.length) {
      const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
      const lines = [
        '| # | attempt | mode | statement | answer |',
        '|---|---|---|---|---|',
        ...answers.map(
          (a, i) =>
            `| ${i + 1} | ${cell(a.attempt)} | ${a.mode} | \`${cell(a.sql)}\` | ${cell(a.answer)} |`,
        ),
      ];
      process.stdout.write(
        `\nSQL console escape attempts (${answers.length}):\n${lines.join('\n')}\n`,
      );
    }
    await t?.close();
  });

  describe('escape attempts, all refused by PostgreSQL', () => {
    /** [attempt, statement, expected SQLSTATE(s), write mode] */
    const attempts: [string, () => string, string[], boolean?][] = [
      ['other project: table', () => `SELECT * FROM ${otherSchema}.notes`, ['42501']],
      ['other project: app users', () => `SELECT email FROM ${otherSchema}._users`, ['42501']],
      ['other project: write', () => `DELETE FROM ${otherSchema}.notes`, ['42501'], true],
      ['system table backendify.users', () => 'SELECT * FROM backendify.users', ['42501']],
      ['system table backendify.api_keys', () => 'SELECT * FROM backendify.api_keys', ['42501']],
      ['system change log', () => 'SELECT * FROM backendify.change_events', ['42501']],
      ['write a system table', () => "UPDATE backendify.projects SET name = 'x'", ['42501'], true],
      ['SET ROLE postgres', () => 'SET ROLE postgres', ['42501']],
      ['RESET ROLE', () => 'RESET ROLE', ['42501']],
      ['SET ROLE NONE', () => 'SET ROLE NONE', ['42501']],
      ['set_config(role)', () => "SELECT set_config('role', 'postgres', false)", ['42501']],
      ['set_config(role, none)', () => "SELECT set_config('role', 'none', true)", ['42501']],
      ['SET SESSION AUTHORIZATION', () => 'SET SESSION AUTHORIZATION postgres', ['42501']],
      ['RESET SESSION AUTHORIZATION', () => 'RESET SESSION AUTHORIZATION', ['42501']],
      [
        'set_config(session_authorization)',
        () => "SELECT set_config('session_authorization', 'postgres', false)",
        ['42501'],
      ],
      [
        'COPY … TO PROGRAM',
        () => "COPY (SELECT 1) TO PROGRAM 'touch /tmp/backendify-sql-pwned'",
        ['42501'],
        true,
      ],
      ['COPY … TO file', () => "COPY notes TO '/tmp/backendify-sql-copy.csv'", ['42501'], true],
      ['COPY … FROM file', () => "COPY notes (title) FROM '/etc/passwd'", ['42501'], true],
      ['dblink', () => "SELECT dblink_connect('host=127.0.0.1 user=postgres')", ['42883']],
      ['CREATE EXTENSION (read-only)', () => 'CREATE EXTENSION dblink', ['25006']],
      ['CREATE EXTENSION (write)', () => 'CREATE EXTENSION dblink', ['42501', '0A000'], true],
      [
        'data-modifying CTE under read-only',
        () => 'WITH d AS (DELETE FROM notes RETURNING *) SELECT count(*) FROM d',
        ['25006'],
      ],
      ['INSERT under read-only', () => "INSERT INTO notes (title) VALUES ('x')", ['25006']],
      ['read-only switched off', () => 'SET transaction_read_only = off', ['25001']],
      [
        'set_config(transaction_read_only)',
        () => "SELECT set_config('transaction_read_only', 'off', true)",
        ['25001'],
      ],
      ['pg_sleep(10) beyond the timeout', () => 'SELECT pg_sleep(10)', ['57014']],
      [
        'timeout switched off, then sleep',
        () => "SELECT set_config('statement_timeout', '0', false), pg_sleep(10)",
        ['57014'],
      ],
      [
        'function in the system schema',
        () => "CREATE FUNCTION backendify.f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
        ['42501'],
        true,
      ],
      [
        'function in public',
        () => "CREATE FUNCTION public.f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
        ['42501'],
        true,
      ],
      [
        'function in another project',
        () => `CREATE FUNCTION ${otherSchema}.f() RETURNS int LANGUAGE sql AS 'SELECT 1'`,
        ['42501'],
        true,
      ],
      [
        'SECURITY DEFINER function (own schema)',
        () =>
          "CREATE FUNCTION notes_sd() RETURNS text LANGUAGE sql SECURITY DEFINER AS 'SELECT current_user::text'",
        ['42501'],
        true,
      ],
      [
        'CREATE TABLE (DDL outside the schema engine)',
        () => 'CREATE TABLE x (id int)',
        ['42501'],
        true,
      ],
      ['DROP TABLE', () => 'DROP TABLE notes', ['42501'], true],
      ['TRUNCATE', () => 'TRUNCATE notes', ['42501'], true],
      ['ALTER TABLE', () => 'ALTER TABLE notes ADD COLUMN x int', ['42501'], true],
      ['CREATE SCHEMA', () => 'CREATE SCHEMA evil', ['42501'], true],
      ['pg_read_file', () => "SELECT pg_read_file('/etc/passwd')", ['42501']],
      ['pg_read_binary_file', () => "SELECT pg_read_binary_file('/etc/passwd')", ['42501']],
      ['pg_ls_dir', () => "SELECT pg_ls_dir('.')", ['42501']],
      ['pg_stat_file', () => "SELECT pg_stat_file('postgresql.conf')", ['42501']],
      ['lo_import', () => "SELECT lo_import('/etc/passwd')", ['42501'], true],
      ['lo_export', () => "SELECT lo_export(1, '/tmp/backendify-sql-lo')", ['42501'], true],
      ['ALTER ROLE … SUPERUSER', () => 'ALTER ROLE CURRENT_USER SUPERUSER', ['42501'], true],
      ['CREATE ROLE', () => 'CREATE ROLE evil SUPERUSER LOGIN', ['42501'], true],
      ['GRANT a server role', () => 'GRANT pg_read_server_files TO CURRENT_USER', ['42501'], true],
      ['GRANT on a system table', () => 'GRANT ALL ON backendify.users TO PUBLIC', ['42501'], true],
      [
        'pg_terminate_backend',
        () =>
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'backendify'",
        ['42501'],
      ],
      [
        'pg_cancel_backend',
        () =>
          "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'backendify'",
        ['42501'],
      ],
      ['COMMIT', () => 'COMMIT', ['0A000']],
      ['COMMIT; … escaping the transaction', () => 'COMMIT; SET ROLE postgres', ['42601']],
      ['multiple statements', () => 'SELECT 1; SELECT 2', ['42601']],
      ['ROLLBACK', () => 'ROLLBACK', ['0A000']],
      ['BEGIN', () => 'BEGIN', ['0A000']],
      [
        'DO block: set_config(role)',
        () => "DO $$ BEGIN PERFORM set_config('role', 'postgres', true); END $$",
        ['42501'],
      ],
      [
        'DO block: EXECUTE SET ROLE',
        () => "DO $$ BEGIN EXECUTE 'SET ROLE postgres'; END $$",
        ['42501'],
      ],
      [
        'deferred trigger that would fire at COMMIT',
        () => `DO $$ BEGIN
  CREATE TEMP TABLE tt (x int);
  CREATE FUNCTION pg_temp.later() RETURNS trigger LANGUAGE plpgsql AS $f$
    BEGIN PERFORM set_config('role', 'postgres', true); UPDATE backendify.projects SET name = 'pwned'; RETURN NULL; END $f$;
  CREATE CONSTRAINT TRIGGER later AFTER INSERT ON pg_temp.tt DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION pg_temp.later();
  INSERT INTO pg_temp.tt VALUES (1);
END $$`,
        ['42501'],
        true,
      ],
      ['pg_authid', () => 'SELECT rolname, rolpassword FROM pg_authid', ['42501']],
      ['pg_shadow', () => 'SELECT usename, passwd FROM pg_shadow', ['42501']],
      ['pg_user_mappings secrets', () => 'SELECT * FROM pg_user_mapping', ['42501']],
      [
        'current_setting(data_directory)',
        () => "SELECT current_setting('data_directory')",
        ['42501'],
      ],
      ['current_setting(hba_file)', () => "SELECT current_setting('hba_file')", ['42501']],
      ['SHOW config_file', () => 'SHOW config_file', ['42501']],
      ['pg_file_settings', () => 'SELECT * FROM pg_file_settings', ['42501']],
      ['app users password hashes', () => 'SELECT password_hash FROM _users', ['42501']],
      ['SELECT * FROM _users (hash column)', () => 'SELECT * FROM _users', ['42501']],
      ['write app users', () => 'UPDATE _users SET is_disabled = true', ['42501'], true],
      ['pg_reload_conf', () => 'SELECT pg_reload_conf()', ['42501']],
      ['ALTER SYSTEM', () => "ALTER SYSTEM SET work_mem = '1GB'", ['42501', '25001'], true],
      ['LOAD a library', () => "LOAD 'auto_explain'", ['42501', '58P01']],
      ['session_replication_role', () => 'SET session_replication_role = replica', ['42501']],
      ['VACUUM', () => 'VACUUM notes', ['25001']],
      ['CHECKPOINT', () => 'CHECKPOINT', ['42501']],
    ];

    it.each(attempts.map(([name, text, codes, write]) => ({ name, text, codes, write })))(
      '$name',
      async ({ name, text, codes, write }) => {
        const query = text();
        const started = Date.now();
        const res = await run(owner, { query, ...(write ? { read_only: false } : {}) });
        const rule = res.body?.errors?.[0]?.rule as string | undefined;
        answers.push({
          attempt: name,
          sql: query,
          mode: write ? 'write' : 'read-only',
          answer: `${res.status} ${res.body?.code ?? ''} ${rule ?? ''}: ${res.body?.detail ?? res.text}`,
        });
        expect(res.status).toBe(400);
        expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
        expect(res.body.code).toBe('SQL_ERROR');
        expect(codes).toContain(rule);
        expect(res.text).not.toMatch(/backendify_sql_run|stack|at .*\.ts:/);
        expect(Date.now() - started).toBeLessThan(9000);
      },
    );

    it('caps a huge result at 1000 rows (truncated) instead of reading ten million', async () => {
      const query = 'SELECT g FROM generate_series(1, 1e7) g';
      const started = Date.now();
      const res = await run(owner, { query });
      answers.push({
        attempt: 'huge result',
        sql: query,
        mode: 'read-only',
        answer: `${res.status}: ${res.body.row_count} rows, truncated=${res.body.truncated}`,
      });
      expect(res.status).toBe(200);
      expect(res.body.rows).toHaveLength(1000);
      expect(res.body).toMatchObject({ row_count: 1000, truncated: true });
      expect(Date.now() - started).toBeLessThan(4000);
    });

    it('closes a WITH HOLD cursor before COMMIT, so its query never runs as the session user', async () => {
      const query = `DO $$ BEGIN
  CREATE FUNCTION pg_temp.at_commit() RETURNS int LANGUAGE plpgsql AS $f$
    BEGIN UPDATE backendify.projects SET name = 'pwned'; RETURN 1; END $f$;
  EXECUTE 'DECLARE c CURSOR WITH HOLD FOR SELECT pg_temp.at_commit()';
END $$`;
      const res = await run(owner, { query, read_only: false });
      answers.push({
        attempt: 'WITH HOLD cursor materialised at COMMIT',
        sql: query,
        mode: 'write',
        answer: `${res.status}: cursor closed inside the frame before COMMIT; project names unchanged`,
      });
      expect(res.status).toBe(200);
      const names = await t.query(`SELECT name FROM backendify.projects ORDER BY name`);
      expect(names.map((r) => r.name)).toEqual(['SQL home', 'Someone else']);
    });

    it('left everything as it was', async () => {
      expect(existsSync('/tmp/backendify-sql-pwned')).toBe(false);
      expect(existsSync('/tmp/backendify-sql-copy.csv')).toBe(false);
      const names = await t.query(`SELECT name FROM backendify.projects ORDER BY name`);
      expect(names.map((r) => r.name)).toEqual(['SQL home', 'Someone else']);
      const theirs = await t.query(`SELECT title FROM "${otherSchema}".notes`);
      expect(theirs).toEqual([{ title: 'their secret' }]);
      const roles = await t.query(
        `SELECT rolsuper, rolcanlogin, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles WHERE rolname = $1`,
        [`${schema}_sql`],
      );
      expect(roles).toEqual([
        {
          rolsuper: false,
          rolcanlogin: false,
          rolcreaterole: false,
          rolcreatedb: false,
          rolbypassrls: false,
        },
      ]);
      const evil = await t.query(`SELECT 1 FROM pg_roles WHERE rolname = 'evil'`);
      expect(evil).toEqual([]);
      expect(answers.length).toBeGreaterThanOrEqual(40);
    });
  });

  describe('running statements', () => {
    it('selects with bound params and answers columns, rows, row_count, truncated, duration_ms', async () => {
      const res = await run(owner, {
        query: 'SELECT id, title, $1::int + 1 AS next, created_at FROM notes WHERE title = $2',
        params: [41, 'mine'],
      });
      expect(res.status).toBe(200);
      expect(res.body.columns).toEqual([
        { name: 'id', type: 'bigint' },
        { name: 'title', type: expect.stringMatching(/^(text|character varying.*)$/) },
        { name: 'next', type: 'integer' },
        { name: 'created_at', type: 'timestamp with time zone' },
      ]);
      expect(res.body.rows).toEqual([
        { id: expect.any(String), title: 'mine', next: 42, created_at: expect.any(String) },
      ]);
      expect(res.body).toMatchObject({ row_count: 1, truncated: false });
      expect(typeof res.body.duration_ms).toBe('number');
    });

    it('runs as the project role, in its schema, read-only by default', async () => {
      const res = await run(owner, {
        query: `SELECT current_user AS who, current_setting('transaction_read_only') AS ro,
          current_setting('statement_timeout') AS timeout, 1 AS a, 2 AS a`,
      });
      expect(res.status).toBe(200);
      expect(res.body.rows[0]).toEqual({
        who: `${schema}_sql`,
        ro: 'on',
        timeout: '5s',
        a: 1,
        a_2: 2,
      });
      const users = await run(owner, { query: 'SELECT email, is_disabled FROM _users' });
      expect(users.status).toBe(200);
      expect(users.body.rows).toEqual([{ email: 'reader@example.com', is_disabled: false }]);
    });

    it('refuses a parameter count that does not match the statement (400)', async () => {
      const res = await run(owner, { query: 'SELECT $1::int', params: [] });
      expect(res.status).toBe(400);
      expect(res.body.errors[0]).toMatchObject({ field: 'params', rule: 'count' });
    });

    it('validates the body (400 with field details)', async () => {
      for (const body of [
        {},
        { query: '' },
        { query: 'SELECT 1', read_only: 'no' },
        { query: 'SELECT 1', params: [{ a: 1 }] },
        { query: 'SELECT 1', write: true },
      ]) {
        const res = await run(owner, body);
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
        expect(res.body.errors.length).toBeGreaterThan(0);
      }
    });

    it('writes with the switch as owner; the audit row lands in the same transaction', async () => {
      const res = await run(owner, {
        query: 'INSERT INTO notes (title) VALUES ($1) RETURNING id, title',
        params: ['from sql'],
        read_only: false,
      });
      expect(res.status).toBe(200);
      expect(res.body.rows).toEqual([{ id: expect.any(String), title: 'from sql' }]);
      const list = await t.request('GET', `/api/projects/${pid}/data/notes?title=from sql`, {
        token: owner.token,
      });
      expect(list.body.records.map((r: { title: string }) => r.title)).toEqual(['from sql']);
      const [row] = await t.query(`SELECT xmin::text AS x FROM "${schema}".notes WHERE id = $1`, [
        res.body.rows[0].id,
      ]);
      const events = await t.query(
        `SELECT xmin::text AS x, actor_type, actor_id, meta FROM backendify.change_events
         WHERE project_id = $1 AND action = 'sql.execute' AND meta->>'query' LIKE 'INSERT INTO notes (title) VALUES ($1)%'`,
        [pid],
      );
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        x: row.x,
        actor_type: 'admin',
        actor_id: owner.id,
        meta: expect.objectContaining({ read_only: false, status: 'ok', row_count: 1 }),
      });
      const update = await run(owner, {
        query: "UPDATE notes SET title = 'changed' WHERE title = 'from sql'",
        read_only: false,
      });
      expect(update.status).toBe(200);
      expect(update.body).toMatchObject({ columns: [], rows: [], row_count: 1 });
    });

    it('refuses the write switch to a non-owner (403) and the console to developers (403)', async () => {
      const asAdmin = await run(admin, { query: 'SELECT 1 AS one' });
      expect(asAdmin.status).toBe(200);
      const write = await run(admin, { query: 'DELETE FROM notes', read_only: false });
      expect(write.status).toBe(403);
      expect(write.body.code).toBe('FORBIDDEN');
      const dev = await run(developer, { query: 'SELECT 1' });
      expect(dev.status).toBe(403);
      const devHistory = await t.request('GET', `${sql()}/history`, { token: developer.token });
      expect(devHistory.status).toBe(403);
      const stranger = await run(outsider, { query: 'SELECT 1' });
      expect(stranger.status).toBe(404);
      const anonymous = await t.request('POST', sql(), { body: { query: 'SELECT 1' } });
      expect(anonymous.status).toBe(401);
      const notes = await t.query(`SELECT count(*)::int AS n FROM "${schema}".notes`);
      expect(notes[0].n).toBe(2);
    });

    it('keeps each member its own history, newest first, failures included', async () => {
      const res = await t.request('GET', `${sql()}/history?limit=3`, { token: admin.token });
      expect(res.status).toBe(200);
      expect(res.body.history).toHaveLength(1);
      expect(res.body.history[0]).toMatchObject({
        query: 'SELECT 1 AS one',
        status: 'ok',
        read_only: true,
        row_count: 1,
      });
      const mine = await t.request('GET', `${sql()}/history?limit=200`, { token: owner.token });
      expect(mine.status).toBe(200);
      const queries = mine.body.history.map((h: { query: string }) => h.query);
      expect(queries[0]).toBe("UPDATE notes SET title = 'changed' WHERE title = 'from sql'");
      expect(queries).not.toContain('SELECT 1 AS one');
      const refused = mine.body.history.find((h: { query: string }) => h.query === 'RESET ROLE');
      expect(refused).toMatchObject({ status: 'error', error_code: '42501' });
      const bad = await t.request('GET', `${sql()}/history?limit=0`, { token: owner.token });
      expect(bad.status).toBe(400);
    });

    it('drops the project role with the project (roles are cluster-wide)', async () => {
      const doomed = (await createProject(t, owner, 'Short-lived')).id;
      await createCollection(t, owner, doomed, 'scratch');
      expect((await run(owner, { query: 'SELECT 1 AS one' }, doomed)).status).toBe(200);
      const role = `${schemaOf(doomed)}_sql`;
      const exists = async () =>
        (await t.query('SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1', [role])).length;
      expect(await exists()).toBe(1);
      const del = await t.request('DELETE', `/api/projects/${doomed}`, { token: owner.token });
      expect(del.status).toBe(204);
      expect(await exists()).toBe(0);
      // The other projects' roles stay.
      expect(
        (await t.query('SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1', [`${schema}_sql`]))
          .length,
      ).toBe(1);
    });

    it('audits refused runs too, with the query text', async () => {
      const events = await t.query(
        `SELECT meta FROM backendify.change_events
         WHERE project_id = $1 AND action = 'sql.execute' AND meta->>'query' = 'RESET ROLE'`,
        [pid],
      );
      expect(events).toHaveLength(1);
      expect(events[0].meta).toMatchObject({ status: 'error', sqlstate: '42501' });
    });
  });
});
