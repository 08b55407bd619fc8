#!/usr/bin/env node
// Proves the README quick start from a fresh clone in a private (0700) directory, on the embedded
// PostgreSQL: install, start, /ready, Ctrl-C stops cleanly, data survives, a kill -9 is recovered.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEADLINE = Date.now() + 12 * 60_000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const say = (s) => process.stdout.write(`[fresh-start] ${s}\n`);
const secs = (t0) => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

const started = [];
function run(cmd, args, cwd, env) {
  let out = '';
  // Its own process group, like a terminal job: a signal to the group is what Ctrl-C sends.
  const child = spawn(cmd, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exit = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
  started.push(child.pid);
  return { child, exit, output: () => out };
}

async function groupGone(pgid, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!alive(-pgid)) return true;
    await sleep(100);
  }
  return false;
}

let tail = () => '';
function fail(msg) {
  const out = tail();
  if (out) process.stderr.write(`--- last output ---\n${out.split('\n').slice(-40).join('\n')}\n`);
  throw new Error(msg);
}

async function waitReady(port, proc, timeoutMs) {
  const until = Math.min(Date.now() + timeoutMs, DEADLINE);
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/ready`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (proc.child.exitCode !== null || proc.child.signalCode !== null)
      fail(`the server exited before /ready answered 200`);
    if (Date.now() > until) fail(`/ready did not answer 200 within ${timeoutMs / 1000} s`);
    await sleep(250);
  }
}

async function api(port, path, body) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return res.status;
}

const postmasters = [];
function postmasterPid(pgDir) {
  const pid = Number(readFileSync(join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  postmasters.push(pid);
  return pid;
}

async function main() {
  const dirty = execFileSync('git', ['-C', REPO, 'status', '--porcelain', '--untracked-files=no'])
    .toString()
    .trim();
  if (dirty) say('note: uncommitted changes are not part of the clone; testing HEAD');
  const base = mkdtempSync(join(tmpdir(), 'bf-fresh-'));
  chmodSync(base, 0o700);
  const clone = join(base, 'backendify');
  try {
    execFileSync('git', ['clone', '--quiet', REPO, clone], { stdio: 'inherit' });
    const port = await freePort();
    const env = { ...process.env, PORT: String(port), LOG_LEVEL: 'warn' };
    for (const k of ['DATABASE_URL', 'DATA_DIR', 'NODE_ENV', 'PGDATA', 'INIT_CWD', 'REDIS_URL'])
      delete env[k];
    const uid = process.getuid();
    say(`uid ${uid}, clone in ${clone} (parent mode ${(statSync(base).mode & 0o777).toString(8)})`);

    // 1. The README's two commands, exactly.
    let t0 = Date.now();
    const install = run('npx', ['-y', 'pnpm@10', 'install'], clone, env);
    tail = install.output;
    const ins = await install.exit;
    if (ins.code !== 0) fail(`npx -y pnpm@10 install failed (${ins.code ?? ins.signal})`);
    say(`install: ${secs(t0)}`);
    t0 = Date.now();
    const first = run('npx', ['-y', 'pnpm@10', 'start'], clone, env);
    tail = first.output;
    await waitReady(port, first, 8 * 60_000);
    const server = /Backendify ready .* in (\d+) ms/.exec(first.output())?.[1];
    say(
      `start (build + embedded PostgreSQL initialised + /ready): ${secs(t0)}, server ${server} ms`,
    );
    const pgDir = join(clone, 'data', 'pg');
    if (!existsSync(join(pgDir, 'PG_VERSION'))) fail(`no cluster in ${pgDir}`);
    if (uid === 0 && statSync(pgDir).uid === 0) fail(`${pgDir} is owned by root`);
    const account = { email: 'fresh@example.com', password: 'long enough pw' };
    if ((await api(port, '/api/auth/register', account)) !== 201) fail('register failed');
    let pm = postmasterPid(pgDir);
    process.kill(-first.child.pid, 'SIGINT');
    if (!(await groupGone(first.child.pid, 30_000)))
      fail('Ctrl-C: the server did not stop within 30 s');
    if (alive(pm)) fail(`Ctrl-C: PostgreSQL (process ${pm}) is still running`);
    if (existsSync(join(pgDir, 'postmaster.pid')))
      fail('Ctrl-C: PostgreSQL did not shut down cleanly');
    if (!first.output().includes('SIGINT received, shutting down'))
      fail('Ctrl-C: no orderly shutdown');
    if (/ERR_PNPM|ELIFECYCLE|Command failed/.test(first.output()))
      fail('Ctrl-C: pnpm reported a failed command for a clean stop');
    say('Ctrl-C: server and PostgreSQL stopped cleanly, no pnpm error lines');

    // 1b. Started again with nothing changed: no rebuild, the same data.
    t0 = Date.now();
    const again = run('npx', ['-y', 'pnpm@10', 'start'], clone, env);
    tail = again.output;
    await waitReady(port, again, 90_000);
    const upToDate = again.output().match(/up to date, not rebuilt/g)?.length ?? 0;
    if (upToDate !== 3) fail(`second pnpm start rebuilt something (${upToDate}/3 up to date)`);
    if ((await api(port, '/api/auth/login', account)) !== 200) fail('data lost on restart');
    say(`pnpm start again (nothing rebuilt): ${secs(t0)}`);
    pm = postmasterPid(pgDir);
    process.kill(-again.child.pid, 'SIGINT');
    if (!(await groupGone(again.child.pid, 30_000)) || alive(pm))
      fail('Ctrl-C (second start): did not stop cleanly');

    // 2. A second start reuses the data; then the server is killed with SIGKILL.
    t0 = Date.now();
    const second = run(process.execPath, ['backend/dist/main.js'], clone, env);
    tail = second.output;
    await waitReady(port, second, 90_000);
    say(`second start (existing data): ${secs(t0)}`);
    if ((await api(port, '/api/auth/login', account)) !== 200)
      fail('data did not survive a restart');
    pm = postmasterPid(pgDir);
    process.kill(second.child.pid, 'SIGKILL');
    await second.exit;
    if (!alive(pm)) fail('kill -9: expected the postmaster to be left running');

    // 3. A start after kill -9 takes over from the leftover postmaster; SIGTERM stops cleanly.
    t0 = Date.now();
    const third = run(process.execPath, ['backend/dist/main.js'], clone, env);
    tail = third.output;
    await waitReady(port, third, 90_000);
    if (alive(pm)) fail(`kill -9: the leftover postmaster ${pm} is still running`);
    say(`start after kill -9 (leftover postmaster stopped): ${secs(t0)}`);
    if ((await api(port, '/api/auth/login', account)) !== 200) fail('data lost after kill -9');
    pm = postmasterPid(pgDir);
    process.kill(third.child.pid, 'SIGTERM');
    const { code } = await third.exit;
    if (code !== 0) fail(`SIGTERM: exit code ${code}`);
    if (!(await groupGone(third.child.pid, 10_000)) || alive(pm))
      fail('SIGTERM: PostgreSQL still running');
    if (existsSync(join(pgDir, 'postmaster.pid')))
      fail('SIGTERM: PostgreSQL did not shut down cleanly');
    say('SIGTERM: stopped cleanly; OK');
  } finally {
    for (const pid of started) if (alive(-pid)) process.kill(-pid, 'SIGKILL');
    for (const pid of postmasters) if (alive(pid)) process.kill(pid, 'SIGQUIT');
    rmSync(base, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`[fresh-start] FAILED: ${err.message}\n`);
  process.exit(1);
});
