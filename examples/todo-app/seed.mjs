#!/usr/bin/env node
// Sets up the todo app's project through the API, idempotently: an admin (signed in, or
// registered when new), the project (by name), the `todos` collection, owner-only policies for
// app users, and auth settings (password + e-mailed one-time code, public sign-up). Then writes
// `.env.local` (VITE_API_URL, VITE_PROJECT_ID) and `src/backendify.d.ts` (the project's types).
//
//   node seed.mjs            # reads .env.local / .env / the environment (see .env.example)
//   node seed.mjs --json     # prints {"project_id": …} and writes no files (used by the tests)
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@backendify/client';
import {
  ensureCollection,
  ensurePolicies,
  ensureProject,
  failWith,
  finishSeed,
  readEnv,
  signInAdmin,
} from '../seed-kit.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const e = readEnv(here);
const url = (e.BACKENDIFY_URL ?? e.VITE_API_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
const OWNER = { created_by_app_user_id: '$current_app_user_id' };

async function main() {
  const client = createClient({ url });
  await signInAdmin(
    client,
    e.BACKENDIFY_EMAIL ?? 'admin@example.com',
    e.BACKENDIFY_PASSWORD ?? 'change-me-to-something-long',
  );
  const projectName = e.TODO_PROJECT_NAME ?? 'Todo app';
  const project = await ensureProject(client, projectName);
  const schema = client.admin.schema(project.id);
  await ensureCollection(
    schema,
    'todos',
    'Todos',
    [
      { name: 'title', display_name: 'Title', field_type: 'string', is_required: true },
      {
        name: 'completed',
        display_name: 'Completed',
        field_type: 'bool',
        is_required: true,
        default_value: 'false',
      },
    ],
    'title',
  );
  await ensurePolicies(
    schema.policies('todos'),
    ['list', 'read', 'create', 'update', 'delete'].map((action) => ({
      name: `own todos: ${action}`,
      action,
      allowed_principals: ['app_user'],
      // A create has no row yet: the server sets created_by_app_user_id itself.
      condition: action === 'create' ? null : OWNER,
    })),
  );
  await client.admin.authSettings(project.id).update({
    enable_email_password: true,
    enable_otp: true,
    allow_public_signup: true,
    require_email_verification: false,
  });

  await finishSeed({ client, project, dir: here, app: 'todo-app', url });
}

main().catch(failWith('todo-app seed', url));
