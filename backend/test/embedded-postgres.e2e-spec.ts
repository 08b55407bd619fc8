import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findFreePort } from '../src/database/embedded-postgres';

const BACKEND = resolve(__dirname, '..');

function startServer(env: Record<string, string>): ChildProcess {
  const fullEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...env }))
    if (v !== undefined && k !== 'DATABASE_URL') fullEnv[k] = v;
  return spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], {
    cwd: BACKEND,
    env: fullEnv,
    stdio: 'ignore',
  });
}

async function waitReady(port: number, child: ChildProcess): Promise<void> {
  const until = Date.now() + 90_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/ready`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('server did not become ready');
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((r) =>
    child.exitCode !== null ? r(child.exitCode) : child.once('exit', (code) => r(code)),
  );

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const postmaster = (dataDir: string) =>
  Number(readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);

describe('embedded PostgreSQL', () => {
  it('runs in a private (0700) directory, survives a kill -9 of the server and stops cleanly', async () => {
    // mkdtemp makes a 0700 directory: as root, PostgreSQL's own OS user cannot walk into it.
    const dataDir = mkdtempSync(join(tmpdir(), 'bf-embedded-'));
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    const port = await findFreePort();
    const env = { DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', RATE_LIMIT: 'off' };
    const account = JSON.stringify({ email: 'kept@example.com', password: 'long enough pw' });
    const post = (path: string) =>
      fetch(`http://127.0.0.1:${port}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: account,
      });
    let leftover = 0;
    try {
      const first = startServer(env);
      await waitReady(port, first);
      expect((await post('/api/auth/register')).status).toBe(201);
      if (process.getuid?.() === 0) expect(statSync(join(dataDir, 'pg')).uid).not.toBe(0);
      leftover = postmaster(dataDir);
      first.kill('SIGKILL');
      await exited(first);
      // The killed server could not stop its PostgreSQL: the next start must deal with it.
      expect(alive(leftover)).toBe(true);

      const second = startServer(env);
      await waitReady(port, second);
      expect(alive(leftover)).toBe(false);
      expect((await post('/api/auth/login')).status).toBe(200);
      const pm = postmaster(dataDir);
      second.kill('SIGTERM');
      expect(await exited(second)).toBe(0);
      expect(alive(pm)).toBe(false);
      // PostgreSQL removes its lock file only on a clean shutdown.
      expect(existsSync(join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
    } finally {
      if (leftover && alive(leftover)) process.kill(leftover, 'SIGQUIT');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 240_000);
});
