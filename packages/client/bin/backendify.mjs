#!/usr/bin/env node
// `backendify types --project <id> [--out src/backendify.d.ts]`: writes a project's TypeScript
// types (GET /api/projects/{id}/types.ts) for `createClient<Database>()`.
//
// Credentials: --key (or BACKENDIFY_API_KEY, a service key), --token (or BACKENDIFY_TOKEN, an
// admin access token), or --email/--password (or BACKENDIFY_EMAIL/BACKENDIFY_PASSWORD) to sign in
// as a member. Server: --url (or BACKENDIFY_URL), default http://127.0.0.1:3000.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import client from '../dist/index.js';

const USAGE = `usage: backendify types --project <id> [--out <file>] [--url <server>]
                       [--key <service key> | --token <admin token> | --email <e> --password <p>]`;

function fail(message) {
  process.stderr.write(`backendify: ${message}\n`);
  process.exit(1);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      project: { type: 'string', short: 'p' },
      out: { type: 'string', short: 'o' },
      url: { type: 'string' },
      key: { type: 'string' },
      token: { type: 'string' },
      email: { type: 'string' },
      password: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
} catch (err) {
  fail(`${err.message}\n${USAGE}`);
}
const { values: opts, positionals } = parsed;
if (opts.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (positionals[0] !== 'types')
  fail(`unknown command ${JSON.stringify(positionals[0] ?? '')}\n${USAGE}`);
if (!opts.project) fail(`--project is required\n${USAGE}`);

const env = process.env;
const url = opts.url ?? env.BACKENDIFY_URL ?? 'http://127.0.0.1:3000';
const apiKey = opts.key ?? env.BACKENDIFY_API_KEY;
const accessToken = opts.token ?? env.BACKENDIFY_TOKEN;
const email = opts.email ?? env.BACKENDIFY_EMAIL;
const password = opts.password ?? env.BACKENDIFY_PASSWORD;
if (!apiKey && !accessToken && !(email && password)) {
  fail(
    'no credentials: pass --key <service key>, --token <admin token>, or --email and --password',
  );
}

try {
  const bf = client.createClient({ url, apiKey, accessToken });
  if (!apiKey && !accessToken) await bf.admin.auth.login({ email, password });
  const text = await bf.project(opts.project).types();
  if (opts.out) {
    // `pnpm backendify` runs in the workspace root; a relative --out is where the user typed it.
    const file = resolve(env.INIT_CWD ?? process.cwd(), opts.out);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    const count = (text.match(/^ {4}\w+: \{ Row:/gm) ?? []).length;
    process.stdout.write(`wrote ${opts.out} (${count} collections)\n`);
  } else {
    process.stdout.write(text);
  }
} catch (err) {
  const status = err && typeof err === 'object' && 'status' in err ? ` (HTTP ${err.status})` : '';
  fail(`${err instanceof Error ? err.message : String(err)}${status}`);
}
