import type { HttpTarget } from '../setup/server-process';
import type { TestAdmin } from './admin.factory';

export async function createCollection(
  t: HttpTarget,
  admin: TestAdmin,
  projectId: string,
  name: string,
  extra: Record<string, unknown> = {},
) {
  const res = await t.request('POST', `/api/projects/${projectId}/schema/collections`, {
    token: admin.token,
    body: { name, display_name: name, ...extra },
  });
  if (res.status !== 201) throw new Error(`collection create failed: ${res.status} ${res.text}`);
  return res.body as { id: string; name: string };
}

export async function addField(
  t: HttpTarget,
  admin: TestAdmin,
  projectId: string,
  collection: string,
  body: Record<string, unknown>,
) {
  const res = await t.request(
    'POST',
    `/api/projects/${projectId}/schema/collections/${collection}/fields`,
    {
      token: admin.token,
      body: { display_name: String(body.name), ...body },
    },
  );
  if (res.status !== 201) throw new Error(`field create failed: ${res.status} ${res.text}`);
  return res.body as { id: string; name: string };
}

export const schemaOf = (projectId: string) => `p_${projectId.replace(/-/g, '_')}`;
