import type { FieldDef } from '@/lib/schema-meta';

/** Who the snippet calls as: a service key, a public key, or a signed-in app user. */
export type Credential = 'service' | 'public' | 'app_user';
export type SnippetLanguage = 'curl' | 'fetch' | 'client';

export interface SnippetInput {
  origin: string;
  projectId: string;
  collection: string;
  fields: FieldDef[];
  credential: Credential;
  /** The plaintext key, when the console has it (right after creating one); else an env var. */
  apiKey?: string;
  /** Where `npm install` finds `@backendify/client` (not published to npm). */
  clientPackageDir: string;
}

export interface Snippet {
  /** Shell lines to run first (`npm install …`), or null. */
  install: string | null;
  code: string;
  /** How to run the code, shown under it. */
  run: string;
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
interface Condition {
  field: string;
  op: string;
  value: string | number | boolean;
}

const SAMPLE_TEXT = 'Hello from Backendify';
const userFields = (fields: FieldDef[]) =>
  fields.filter((f) => !f.is_system && !f.is_hidden && !f.is_deleted);

/** A filter on one of the collection's own fields, that the created record also matches. */
export function sampleFilter(fields: FieldDef[]): Condition {
  for (const f of userFields(fields)) {
    if (f.field_type === 'string' || f.field_type === 'text')
      return { field: f.name, op: 'icontains', value: 'hello' };
    if (f.field_type === 'int' || f.field_type === 'float' || f.field_type === 'decimal')
      return { field: f.name, op: 'gte', value: 0 };
    if (f.field_type === 'bool') return { field: f.name, op: 'eq', value: true };
    if (f.field_type === 'enum' && f.options?.values?.[0])
      return { field: f.name, op: 'eq', value: f.options.values[0] };
  }
  return { field: 'created_at', op: 'gte', value: '2000-01-01T00:00:00Z' };
}

function sampleValue(f: FieldDef, unique: string): Json | undefined {
  switch (f.field_type) {
    case 'string':
    case 'text': {
      const text = f.is_unique ? `${SAMPLE_TEXT} ${unique}` : SAMPLE_TEXT;
      return f.options?.max_length ? text.slice(0, f.options.max_length) : text;
    }
    case 'int':
      return 1;
    case 'float':
    case 'decimal':
      return 1.5;
    case 'bool':
      return true;
    case 'date':
      return '2026-01-01';
    case 'datetime':
      return '2026-01-01T12:00:00Z';
    case 'uuid':
      return crypto.randomUUID();
    case 'json':
      return { hello: 'world' };
    case 'enum':
      return f.options?.values?.[0] ?? null;
    case 'relation':
      return 1;
    default:
      return undefined;
  }
}

/**
 * The body of the sample create: every required field without a default (with a value of its
 * type), or else the first text field, so the call shows the collection's real shape.
 */
export function sampleRecord(fields: FieldDef[], unique = Date.now().toString(36)) {
  const own = userFields(fields).filter(
    (f) =>
      f.field_type !== 'file' &&
      !(f.field_type === 'relation' && f.relation_type !== 'many_to_one'),
  );
  const required = own.filter((f) => f.is_required && f.default_value == null);
  const chosen = required.length
    ? required
    : own.filter((f) => f.field_type === 'string' || f.field_type === 'text').slice(0, 1);
  const body: Record<string, Json> = {};
  for (const f of chosen) {
    const name = f.field_type === 'relation' ? f.sql_column_name : f.name;
    const value = sampleValue(f, unique);
    if (value !== undefined) body[name] = value;
  }
  return body;
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const js = (value: unknown) => JSON.stringify(value);

function queryString(filter: Condition) {
  const params = new URLSearchParams({
    [`${filter.field}__${filter.op}`]: String(filter.value),
    sort: '-created_at',
    limit: '10',
  });
  return params.toString();
}

const keyEnv = (c: Credential) => (c === 'public' ? 'BACKENDIFY_PUBLIC_KEY' : 'BACKENDIFY_API_KEY');
const keyLabel = (c: Credential) => (c === 'public' ? 'public key' : 'service key');

/** Lines that say where the credentials come from, as comments of the given prefix. */
function credentialNote(input: SnippetInput, comment: string, runner: 'shell' | 'node') {
  if (input.credential === 'app_user') {
    return [
      `${comment} Signs in as an app user (App Users page) and calls as them: they see what your policies allow.`,
      runner === 'shell'
        ? `${comment} Set APP_USER_EMAIL and APP_USER_PASSWORD first.`
        : `${comment} Run with APP_USER_EMAIL and APP_USER_PASSWORD set.`,
    ];
  }
  const note =
    input.credential === 'public'
      ? `${comment} A public key is safe in apps: it reaches what your policies allow “API key”.`
      : `${comment} A service key passes every policy: keep it on your server.`;
  if (input.apiKey && runner === 'shell') return [note];
  return [
    note,
    input.apiKey
      ? `${comment} Your new ${keyLabel(input.credential)} is written below; better keep it in ${keyEnv(input.credential)}.`
      : `${comment} Set ${keyEnv(input.credential)} to your ${keyLabel(input.credential)} (API Keys page) first.`,
  ];
}

export function curlSnippet(input: SnippetInput): Snippet {
  const base = `${input.origin}/api/projects/${input.projectId}`;
  const filter = sampleFilter(input.fields);
  const body = JSON.stringify(sampleRecord(input.fields));
  const lines = [...credentialNote(input, '#', 'shell')];
  let auth: string;
  if (input.credential === 'app_user') {
    lines.push(
      `TOKEN=$(curl -sS --fail-with-body -X POST "${base}/auth/login" \\`,
      `  -H "Content-Type: application/json" \\`,
      `  -d "{\\"email\\": \\"$APP_USER_EMAIL\\", \\"password\\": \\"$APP_USER_PASSWORD\\"}" \\`,
      `  | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')`,
      '',
    );
    auth = `-H "Authorization: Bearer $TOKEN"`;
  } else {
    const env = keyEnv(input.credential);
    if (input.apiKey) lines.push(`export ${env}=${shellQuote(input.apiKey)}`, '');
    auth = `-H "X-API-Key: $${env}"`;
  }
  lines.push(
    `# List ${input.collection} where ${filter.field} ${filter.op} ${String(filter.value)}`,
    `curl -sS --fail-with-body "${base}/data/${input.collection}?${queryString(filter)}" \\`,
    `  ${auth}`,
    '',
    `# Create a record`,
    `curl -sS --fail-with-body -X POST "${base}/data/${input.collection}" \\`,
    `  ${auth} \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d ${shellQuote(body)}`,
  );
  return { install: null, code: lines.join('\n'), run: 'Paste into a terminal (bash or zsh).' };
}

function nodeCredentials(input: SnippetInput): string {
  if (input.credential === 'app_user') return '';
  return input.apiKey ? js(input.apiKey) : `process.env.${keyEnv(input.credential)}`;
}

export function fetchSnippet(input: SnippetInput): Snippet {
  const filter = sampleFilter(input.fields);
  const body = sampleRecord(input.fields);
  const lines = [
    ...credentialNote(input, '//', 'node'),
    `const base = ${js(`${input.origin}/api/projects/${input.projectId}`)};`,
  ];
  if (input.credential === 'app_user') {
    lines.push(
      `const headers = { 'Content-Type': 'application/json' };`,
      '',
      'async function call(method, path, body) {',
      '  const res = await fetch(base + path, { method, headers, body: body && JSON.stringify(body) });',
      '  const data = await res.json();',
      '  if (!res.ok) throw new Error(`${res.status}: ${data.detail}`);',
      '  return data;',
      '}',
      '',
      `const { access_token } = await call('POST', '/auth/login', {`,
      '  email: process.env.APP_USER_EMAIL,',
      '  password: process.env.APP_USER_PASSWORD,',
      '});',
      'headers.Authorization = `Bearer ${access_token}`;',
    );
  } else {
    lines.push(
      `const headers = { 'X-API-Key': ${nodeCredentials(input)}, 'Content-Type': 'application/json' };`,
      '',
      'async function call(method, path, body) {',
      '  const res = await fetch(base + path, { method, headers, body: body && JSON.stringify(body) });',
      '  const data = await res.json();',
      '  if (!res.ok) throw new Error(`${res.status}: ${data.detail}`);',
      '  return data;',
      '}',
    );
  }
  lines.push(
    '',
    `const page = await call('GET', ${js(`/data/${input.collection}?${queryString(filter)}`)});`,
    `console.log(page.total, ${js(`${input.collection} where ${filter.field} ${filter.op} ${String(filter.value)}`)});`,
    '',
    `const created = await call('POST', ${js(`/data/${input.collection}`)}, ${js(body)});`,
    `console.log('created', created.id);`,
  );
  return {
    install: null,
    code: lines.join('\n'),
    run: 'Save as connect.mjs and run `node connect.mjs` (Node 18 or later; no packages needed).',
  };
}

export function clientSnippet(input: SnippetInput): Snippet {
  const filter = sampleFilter(input.fields);
  const body = sampleRecord(input.fields);
  const lines = [
    ...credentialNote(input, '//', 'node'),
    `import { createClient } from '@backendify/client';`,
    '',
  ];
  if (input.credential === 'app_user') {
    lines.push(
      `const app = createClient({ url: ${js(input.origin)} }).project(${js(input.projectId)});`,
      'await app.auth.login({',
      '  email: process.env.APP_USER_EMAIL,',
      '  password: process.env.APP_USER_PASSWORD,',
      '});',
    );
  } else {
    lines.push(
      `const bf = createClient({ url: ${js(input.origin)}, apiKey: ${nodeCredentials(input)} });`,
      `const app = bf.project(${js(input.projectId)});`,
    );
  }
  lines.push(
    `const records = app.collection(${js(input.collection)});`,
    '',
    `const page = await records.list({ ${filter.field}__${filter.op}: ${js(filter.value)}, sort: '-created_at', limit: 10 });`,
    `console.log(page.total, ${js(`${input.collection} where ${filter.field} ${filter.op} ${String(filter.value)}`)});`,
    '',
    `const created = await records.create(${js(body)});`,
    `console.log('created', created.id);`,
  );
  return {
    install: `npm install ${input.clientPackageDir}`,
    code: lines.join('\n'),
    run: 'Save as connect.mjs beside the install and run `node connect.mjs`.',
  };
}

export function buildSnippet(language: SnippetLanguage, input: SnippetInput): Snippet {
  if (language === 'curl') return curlSnippet(input);
  if (language === 'fetch') return fetchSnippet(input);
  return clientSnippet(input);
}
