import { randomBytes } from 'node:crypto';
import { createClient, type BackendifyClient, type ClientOptions } from '../src';
import { serverUrl } from './setup/server';

export const PASSWORD = 'correct horse battery';

export const uniqueEmail = (tag = 'admin'): string =>
  `${tag}-${randomBytes(6).toString('hex')}@example.com`;

/** A client for the test server (no session). */
export const newClient = (options: Omit<ClientOptions, 'url'> = {}): BackendifyClient =>
  createClient({ url: serverUrl(), ...options });

/** A freshly registered administrator with its session kept in the client. */
export async function newAdmin(
  options: Omit<ClientOptions, 'url'> = {},
): Promise<{ client: BackendifyClient; email: string }> {
  const client = newClient(options);
  const email = uniqueEmail();
  await client.admin.auth.register({ email, password: PASSWORD });
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
