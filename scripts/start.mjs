// `pnpm start`: builds what changed since the last build (client, API, console), then runs the
// API in this process's place. Ctrl-C (or SIGTERM) goes to the server, which stops PostgreSQL
// and exits 0; this script exits with it, so pnpm has no failed command to report.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const force = process.argv.includes('--rebuild');
// `--build-only`: build what changed and exit (scripts/two-nodes.mjs starts its own processes).
const buildOnly = process.argv.includes('--build-only');

/** What each build reads, and the file whose presence means it has been built. */
const TARGETS = [
  {
    name: '@backendify/client',
    inputs: [
      'packages/client/src',
      'packages/client/package.json',
      'packages/client/tsconfig.build.json',
      'packages/client/build-esm.mjs',
    ],
    output: 'packages/client/dist/index.js',
  },
  {
    name: '@backendify/backend',
    inputs: [
      'backend/src',
      'backend/package.json',
      'backend/tsconfig.build.json',
      'backend/tsconfig.json',
    ],
    output: 'backend/dist/main.js',
  },
  {
    name: '@backendify/frontend',
    // The console bundles the client from its sources.
    inputs: [
      'frontend/src',
      'frontend/public',
      'frontend/index.html',
      'frontend/vite.config.ts',
      'frontend/package.json',
      'packages/client/src',
    ],
    output: 'frontend/dist/index.html',
  },
];

/** A fingerprint of the inputs (path, size, mtime) and of the installed dependencies. */
function fingerprint(inputs) {
  const hash = createHash('sha256');
  const walk = (path) => {
    if (!existsSync(path)) return;
    const st = statSync(path);
    if (st.isDirectory()) {
      for (const entry of readdirSync(path).sort()) walk(join(path, entry));
    } else {
      hash.update(`${path}\0${st.size}\0${st.mtimeMs}\n`);
    }
  };
  for (const input of inputs) walk(join(root, input));
  const lock = join(root, 'pnpm-lock.yaml');
  if (existsSync(lock)) hash.update(readFileSync(lock));
  return hash.digest('hex');
}

const pnpm = process.env.npm_execpath
  ? [process.execPath, [process.env.npm_execpath]]
  : ['npx', ['-y', 'pnpm@10']];

for (const target of TARGETS) {
  const stamp = join(root, dirname(target.output), '.build-fingerprint');
  const print = fingerprint(target.inputs);
  const built =
    !force &&
    existsSync(join(root, target.output)) &&
    existsSync(stamp) &&
    readFileSync(stamp, 'utf8') === print;
  if (built) {
    process.stdout.write(`${target.name}: up to date, not rebuilt\n`);
    continue;
  }
  const [cmd, pre] = pnpm;
  const res = spawnSync(cmd, [...pre, '--filter', target.name, 'build'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (res.status !== 0) {
    process.stderr.write(`${target.name}: build failed\n`);
    process.exit(res.status ?? 1);
  }
  writeFileSync(stamp, print);
}

if (buildOnly) process.exit(0);

const server = spawn(process.execPath, [join(root, 'backend/dist/main.js')], {
  cwd: join(root, 'backend'),
  stdio: 'inherit',
});
// The terminal sends Ctrl-C to the whole process group: the server gets it too and shuts down;
// a SIGTERM sent to this script alone is passed on.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => server.kill('SIGTERM'));
server.on('exit', (code, signal) => process.exit(signal ? 0 : (code ?? 0)));
