#!/usr/bin/env node
// Sets up the todo app's project through the API, idempotently: an admin (signed in, or
// registered when new), the project (by name), the `todos` collection, owner-only policies for
// app users, and auth settings (password + e-mailed one-time code, public sign-up). Then writes
// `.env.local` (VITE_API_URL, VITE_PROJECT_ID) and `src/backendify.d.ts` (the project's types).
//
//   node seed.mjs            # reads .env.local / .env / the environment (see .env.example)
//   node seed.mjs --json     # prints {"project_id": …} and writes no files (used by the tests)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import bf from '@backendify/client';

const here = dirname(fileURLToPath(import.meta.url));
const json = process.argv.includes('--json');

/** KEY=value lines of the app's env files, under the real environment. */
function env() {
  const out = {};
  for (const name of ['.env', '.env.local']) {
    const file = join(here, name);
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const m = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
      if (m) out[m[1]] = m[2];
    }
  }
  return { ...out, ...process.env };
}

function fail(message) {
  process.stderr.write(`todo-app seed: ${message}\n`);
  process.exit(1);
}

const e = env();
const url = (e.BACKENDIFY_URL ?? e.VITE_API_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
const email = e.BACKENDIFY_EMAIL ?? 'admin@example.com';
const password = e.BACKENDIFY_PASSWORD ?? 'change-me-to-something-long';
const projectName = e.TODO_PROJECT_NAME ?? 'Todo app';
const OWNER = { created_by_app_user_id: '$current_app_user_id' };

async function main() {
  const client = bf.createClient({ url });
  try {
    await client.admin.auth.login({ email, password });
  } catch (err) {
    if (err?.status !== 401) throw err;
    // A new address: register it (a wrong password for an existing admin stays a 401 below).
    await client.admin.auth.register({ email, password }).catch((reg) => {
      throw reg?.status === 409 ? new Error(`wrong password for ${email}`) : reg;
    });
  }
  const projects = await client.admin.projects.list();
  const project =
    projects.find((p) => p.name === projectName) ??
    (await client.admin.projects.create({ name: projectName }));
  const schema = client.admin.schema(project.id);

  const collections = await schema.collections.list();
  if (!collections.some((c) => c.name === 'todos')) {
    await schema.collections.create({ name: 'todos', display_name: 'Todos' });
  }
  const fields = new Set((await schema.fields('todos').list()).map((f) => f.name));
  if (!fields.has('title')) {
    await schema.fields('todos').create({
      name: 'title',
      display_name: 'Title',
      field_type: 'string',
      is_required: true,
    });
  }
  if (!fields.has('completed')) {
    await schema.fields('todos').create({
      name: 'completed',
      display_name: 'Completed',
      field_type: 'bool',
      is_required: true,
      default_value: 'false',
    });
  }
  const todos = (await schema.collections.list()).find((c) => c.name === 'todos');
  if (!todos?.display_field) await schema.collections.update('todos', { display_field: 'title' });

  const policies = schema.policies('todos');
  const existing = new Set((await policies.list({ include_inactive: true })).map((p) => p.name));
  for (const action of ['list', 'read', 'create', 'update', 'delete']) {
    const name = `own todos: ${action}`;
    if (existing.has(name)) continue;
    await policies.create({
      name,
      action,
      allowed_principals: ['app_user'],
      // A create has no row yet: the server sets created_by_app_user_id itself.
      condition: action === 'create' ? null : OWNER,
    });
  }

  await client.admin.authSettings(project.id).update({
    enable_email_password: true,
    enable_otp: true,
    allow_public_signup: true,
    require_email_verification: false,
  });

  if (json) {
    process.stdout.write(`${JSON.stringify({ project_id: project.id, url })}\n`);
    return;
  }
  writeFileSync(join(here, '.env.local'), `VITE_API_URL=${url}\nVITE_PROJECT_ID=${project.id}\n`);
  writeFileSync(join(here, 'src/backendify.d.ts'), await client.project(project.id).types());
  process.stdout.write(
    `todo-app seed: project "${projectName}" (${project.id}) on ${url} is ready; wrote .env.local and src/backendify.d.ts\n`,
  );
}

main().catch((err) => {
  const hint =
    err?.status === 0 ? ` (is the server running at ${url}? start it with \`pnpm start\`)` : '';
  fail(`${err?.message ?? String(err)}${hint}`);
});
