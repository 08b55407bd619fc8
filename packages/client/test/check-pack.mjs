// The package as npm would install it: `pnpm pack`, unpacked into a temp node_modules (its
// dependencies linked from this package's), then imported from an ES module, required from
// CommonJS, and type-checked from TypeScript under moduleResolution bundler and node16.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = createRequire(import.meta.url)('../package.json');
const tsc = createRequire(join(pkgDir, 'package.json')).resolve('typescript/bin/tsc');
const dir = mkdtempSync(join(tmpdir(), 'bf-client-pack-'));
const run = (cmd, args, cwd = dir) => execFileSync(cmd, args, { cwd, encoding: 'utf8' });
const fail = (message) => {
  process.stderr.write(`check-pack: ${message}\n`);
  process.exitCode = 1;
};

try {
  const out = run('npm', ['pack', '--json', '--pack-destination', dir], pkgDir);
  const [{ filename, files }] = JSON.parse(out);
  const paths = files.map((f) => f.path);
  for (const must of ['dist/index.js', 'dist/index.mjs', 'dist/index.d.ts', 'dist/index.d.mts']) {
    if (!paths.includes(must)) fail(`the tarball lacks ${must}`);
  }
  if (paths.some((p) => p.startsWith('src/') || p.startsWith('test/'))) fail('sources are packed');

  const installed = join(dir, 'node_modules/@backendify/client');
  mkdirSync(installed, { recursive: true });
  run('tar', ['-xzf', join(dir, filename), '-C', installed, '--strip-components=1']);
  for (const dep of Object.keys(pkg.dependencies ?? {})) {
    const target = join(dir, 'node_modules', dep);
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(join(pkgDir, 'node_modules', dep), target, 'dir');
  }

  writeFileSync(
    join(dir, 'esm.mjs'),
    `import { createClient, BackendifyError } from '@backendify/client';
if (typeof createClient !== 'function' || typeof BackendifyError !== 'function') process.exit(1);
createClient({ url: 'http://127.0.0.1:1' }).project('p').collection('c');\n`,
  );
  run(process.execPath, ['esm.mjs']);
  writeFileSync(
    join(dir, 'cjs.cjs'),
    `const { createClient } = require('@backendify/client');
if (typeof createClient !== 'function') process.exit(1);\n`,
  );
  run(process.execPath, ['cjs.cjs']);

  const source = `import { createClient, BackendifyError } from '@backendify/client';
type Todo = { id: number; title: string; done: boolean };
interface Database {
  collections: { todos: { Row: Todo; Insert: { title: string }; Update: Partial<Todo>; Relations: {} } };
}
const bf = createClient<Database>({ url: 'http://127.0.0.1:3000' });
export async function first(): Promise<string | undefined> {
  const { records } = await bf.project('p').collection('todos').list({ limit: 1 });
  return records[0]?.title;
}
export const wrong = async () =>
  // @ts-expect-error rows are typed: no such field
  (await bf.project('p').collection('todos').list()).records[0]?.nope;
export const isError = (e: unknown): boolean => e instanceof BackendifyError;
`;
  writeFileSync(join(dir, 'app.ts'), source);
  writeFileSync(join(dir, 'app.mts'), source);
  const common = ['--noEmit', '--strict', '--target', 'es2022', '--skipLibCheck', 'false'];
  const configs = [
    ['app.ts', '--module', 'esnext', '--moduleResolution', 'bundler'],
    ['app.mts', '--module', 'node16', '--moduleResolution', 'node16'],
    ['app.ts', '--module', 'node16', '--moduleResolution', 'node16'],
  ];
  for (const [file, ...flags] of configs) {
    try {
      run(process.execPath, [tsc, ...common, ...flags, file]);
    } catch (error) {
      fail(`tsc ${flags.join(' ')} ${file}:\n${error.stdout}`);
    }
  }
  if (!process.exitCode) process.stdout.write(`check-pack: ${filename} imports and type-checks\n`);
} catch (error) {
  fail(error.stderr?.trim() || error.message);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
