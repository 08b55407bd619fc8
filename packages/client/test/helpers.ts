import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient, type BackendifyClient, type ClientOptions } from '../src';
import { serverUrl } from './setup/server';

export const PASSWORD = 'correct horse battery';

export const uniqueEmail = (tag = 'admin'): string =>
  `${tag}-${randomBytes(6).toString('hex')}@example.com`;

/** A client for the test server (no session). */
export const newClient = (options: Omit<ClientOptions, 'url'> = {}): BackendifyClient =>
  createClient({ url: serverUrl(), ...options });

/** The token of the verification link the server mailed to `email` (kept in DATA_DIR/mailbox). */
async function mailedVerificationToken(email: string): Promise<string> {
  const dir = join(process.env.BACKENDIFY_TEST_DATA_DIR ?? '', 'mailbox');
  const deadline = Date.now() + 10_000;
  for (;;) {
    for (const file of existsSync(dir) ? readdirSync(dir) : []) {
      if (!file.includes('-admin_verify_email-')) continue;
      const raw = readFileSync(join(dir, file), 'utf8');
      const token = /[?&]token=([A-Za-z0-9_-]+)/.exec(raw)?.[1];
      if (raw.includes(`To: ${email}\n`) && token) return token;
    }
    if (Date.now() > deadline) throw new Error(`no verification mail to ${email}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A freshly registered administrator with its session kept in the client; by default it also
 * opens its mailed verification link (only verified admins invite or are added directly).
 */
export async function newAdmin(
  options: Omit<ClientOptions, 'url'> & { verified?: boolean } = {},
): Promise<{ client: BackendifyClient; email: string }> {
  const { verified = true, ...clientOptions } = options;
  const client = newClient(clientOptions);
  const email = uniqueEmail();
  await client.admin.auth.register({ email, password: PASSWORD });
  if (verified) await client.admin.auth.verifyEmail(await mailedVerificationToken(email));
  return { client, email };
}

/** Resolves to the error a promise rejects with; fails when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the promise to reject');
}

/** A new project owned by a freshly registered administrator. */
export async function newProject(
  name = 'Project',
): Promise<{ admin: BackendifyClient; projectId: string }> {
  const { client } = await newAdmin();
  const project = await client.admin.projects.create({ name });
  return { admin: client, projectId: project.id };
}

/** A freshly registered app user of a project, its session kept in a new client. */
export async function newAppUser(
  projectId: string,
  options: Omit<ClientOptions, 'url'> = {},
): Promise<{ client: BackendifyClient; email: string }> {
  const client = newClient(options);
  const email = uniqueEmail('user');
  await client.project(projectId).auth.register({ email, password: PASSWORD });
  return { client, email };
}
