import { randomBytes } from 'node:crypto';
import type { HttpTarget } from '../setup/server-process';

export interface TestAdmin {
  email: string;
  password: string;
  token: string;
  refreshToken: string;
  id: string;
}

/**
 * A signed-up console admin. `verified` (default true) marks the address proven directly in the
 * database, as if the mailed link had been opened; the link flow itself is tested in auth.e2e-spec.
 */
export async function createAdmin(
  t: HttpTarget,
  email?: string,
  { verified = true }: { verified?: boolean } = {},
): Promise<TestAdmin> {
  const e = email ?? `admin-${randomBytes(4).toString('hex')}@example.com`;
  const password = 'correct horse battery';
  const res = await t.request('POST', '/api/auth/register', { body: { email: e, password } });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${res.text}`);
  const me = await t.request('GET', '/api/me', { token: res.body.access_token });
  if (verified)
    await t.query(`UPDATE backendify.users SET email_verified_at = now() WHERE id = $1`, [
      me.body.id,
    ]);
  return {
    email: e,
    password,
    token: res.body.access_token,
    refreshToken: res.body.refresh_token,
    id: me.body.id,
  };
}

export async function createProject(
  t: HttpTarget,
  admin: TestAdmin,
  name = 'Test project',
): Promise<{ id: string; name: string }> {
  const res = await t.request('POST', '/api/projects', { token: admin.token, body: { name } });
  if (res.status !== 201) throw new Error(`project create failed: ${res.status} ${res.text}`);
  return res.body;
}

/**
 * A `public` key unless asked otherwise: the principal `api_key` under policies, which is what
 * most suites exercise (the API's own default, `service`, passes policies; api-keys.e2e-spec).
 */
export async function createApiKey(
  t: HttpTarget,
  admin: TestAdmin,
  projectId: string,
  name = 'key',
  kind: 'public' | 'service' = 'public',
) {
  const res = await t.request('POST', `/api/projects/${projectId}/api-keys`, {
    token: admin.token,
    body: { name, kind },
  });
  if (res.status !== 201) throw new Error(`api key create failed: ${res.status} ${res.text}`);
  return res.body as { id: string; api_key: string; prefix: string; kind: string };
}
