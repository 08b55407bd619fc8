import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findFreePort } from '../src/database/embedded-postgres';

const BACKEND = resolve(__dirname, '..');

function startServer(env: Record<string, string | undefined>): {
  child: ChildProcess;
  output: () => string;
} {
  let out = '';
  const fullEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...env }))
    if (v !== undefined) fullEnv[k] = v;
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], {
    cwd: BACKEND,
    env: fullEnv,
  });
  child.stdout?.on('data', (d) => (out += String(d)));
  child.stderr?.on('data', (d) => (out += String(d)));
  return { child, output: () => out };
}

async function waitReady(port: number, timeoutMs = 90_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
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

describe('the server process', () => {
  it('fails fast with one line naming a bad variable', async () => {
    const { child, output } = startServer({ PORT: 'abc', DATABASE_URL: undefined });
    expect(await exited(child)).toBe(1);
    expect(output().trim().split('\n')).toHaveLength(1);
    expect(output()).toContain('PORT');
    const prod = startServer({ NODE_ENV: 'production', JWT_SECRET: undefined });
    expect(await exited(prod.child)).toBe(1);
    expect(prod.output()).toContain('JWT_SECRET');
  });

  it('starts embedded PostgreSQL once, keeps data across restarts and stops cleanly on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'bf-proc-'));
    const port = await findFreePort();
    const env = {
      DATABASE_URL: undefined,
      DATA_DIR: dataDir,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      RATE_LIMIT: 'off',
    };
    try {
      const first = startServer(env);
      await waitReady(port);
      const reg = await fetch(`http://127.0.0.1:${port}/api/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'keep@example.com', password: 'long enough pw' }),
      });
      expect(reg.status).toBe(201);
      const versionFile = statSync(join(dataDir, 'pg', 'PG_VERSION')).mtimeMs;
      const secretFile = statSync(join(dataDir, 'jwt-secret')).mtimeMs;
      first.child.kill('SIGTERM');
      expect(await exited(first.child)).toBe(0);

      const second = startServer(env);
      await waitReady(port);
      const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'keep@example.com', password: 'long enough pw' }),
      });
      expect(login.status).toBe(200);
      expect(statSync(join(dataDir, 'pg', 'PG_VERSION')).mtimeMs).toBe(versionFile);
      expect(statSync(join(dataDir, 'jwt-secret')).mtimeMs).toBe(secretFile);
      second.child.kill('SIGINT');
      expect(await exited(second.child)).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
