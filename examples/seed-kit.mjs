// What both example seeds share: env files, an admin session, and "create unless it exists" for
// projects, collections, fields, relations and policies. Everything goes through the API.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** KEY=value lines of `dir`'s .env and .env.local, under the real environment. */
export function readEnv(dir) {
  const out = {};
  for (const name of ['.env', '.env.local']) {
    const file = join(dir, name);
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const m = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
      if (m) out[m[1]] = m[2];
    }
  }
  return { ...out, ...process.env };
}

/** Signs in as the admin, registering the address when it is new. */
export async function signInAdmin(client, email, password) {
  try {
    await client.admin.auth.login({ email, password });
  } catch (err) {
    if (err?.status !== 401) throw err;
    await client.admin.auth.register({ email, password }).catch((reg) => {
      throw reg?.status === 409 ? new Error(`wrong password for ${email}`) : reg;
    });
  }
}

export async function ensureProject(client, name) {
  const projects = await client.admin.projects.list();
  return projects.find((p) => p.name === name) ?? (await client.admin.projects.create({ name }));
}

/**
 * The collection with these fields (`{name, field_type, …}`) and many-to-one relations
 * (`{relation: name, target, on_delete}`), created where missing; answers the collection.
 */
export async function ensureCollection(schema, name, displayName, fields, displayField) {
  let collection = (await schema.collections.list()).find((c) => c.name === name);
  if (!collection)
    collection = await schema.collections.create({ name, display_name: displayName });
  const have = new Set((await schema.fields(name).list()).map((f) => f.name));
  for (const field of fields) {
    if (have.has(field.name ?? field.relation)) continue;
    if (field.relation) {
      const target = (await schema.collections.list()).find((c) => c.name === field.target);
      await schema.relations.create(collection.id, {
        name: field.relation,
        display_name: field.display_name,
        target_collection_id: target.id,
        on_delete: field.on_delete,
        display_field: field.display_field,
      });
    } else {
      await schema.fields(name).create({ display_name: field.name, ...field });
    }
  }
  if (displayField && collection.display_field !== displayField) {
    collection = await schema.collections.update(name, { display_field: displayField });
  }
  return collection;
}

/** Creates the policies (`{name, …}`) whose names the collection does not have yet. */
export async function ensurePolicies(policies, wanted) {
  const existing = new Set((await policies.list({ include_inactive: true })).map((p) => p.name));
  for (const policy of wanted) if (!existing.has(policy.name)) await policies.create(policy);
}

/** One line on stderr, exit 1: what a seed says when it cannot go on. */
export function failWith(prefix, url) {
  return (err) => {
    const hint =
      err?.status === 0 ? ` (is the server running at ${url}? start it with \`pnpm start\`)` : '';
    process.stderr.write(`${prefix}: ${err?.message ?? String(err)}${hint}\n`);
    process.exit(1);
  };
}

/**
 * The end of a seed: with `--json`, the project id on stdout and no files; otherwise the app's
 * `.env.local` (VITE_API_URL, VITE_PROJECT_ID) and `src/backendify.d.ts` (the project's types).
 */
export async function finishSeed({ client, project, dir, app, url }) {
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify({ project_id: project.id, url })}\n`);
    return;
  }
  writeFileSync(join(dir, '.env.local'), `VITE_API_URL=${url}\nVITE_PROJECT_ID=${project.id}\n`);
  writeFileSync(join(dir, 'src/backendify.d.ts'), await client.project(project.id).types());
  process.stdout.write(
    `${app} seed: project "${project.name}" (${project.id}) on ${url} is ready; wrote .env.local and src/backendify.d.ts\n`,
  );
}
