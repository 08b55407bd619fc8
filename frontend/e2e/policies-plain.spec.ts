import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { join } from 'node:path';
import { apiAs, signIn, uid } from './support';

// Issues 13.6 and 14.7: bucket policies edited in the console, policy templates and the
// list+read switch, denials that name the missing policy, and a roles page that says what each
// role grants. Every policy made in the UI is proven by calls as anonymous and app users.

const SCREENSHOTS = join(import.meta.dirname, '../../screenshots');
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);

interface AppUser {
  id: string;
  token: string;
}

/** Registers an app user of the project through its auth API. */
async function appUser(request: APIRequestContext, base: string): Promise<AppUser> {
  const res = await request.post(`${base}/auth/register`, {
    data: { email: `au-${uid()}@example.com`, password: 'app user password 1' },
  });
  expect(res.status(), await res.text()).toBe(201);
  const token = ((await res.json()) as { access_token: string }).access_token;
  const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as {
    sub: string;
  };
  return { id: claims.sub, token };
}

const bearer = (u: AppUser) => ({ authorization: `Bearer ${u.token}` });

async function dismissToasts(page: Page) {
  for (const button of await page.getByRole('button', { name: 'Dismiss notification' }).all()) {
    await button.click({ timeout: 1000 }).catch(() => undefined);
  }
}

test('a bucket gets an owner-only read+write policy in the UI; app users see only their files', async ({
  page,
}) => {
  const call = apiAs(page.request, await signIn(page, `bp-${uid()}@example.com`));
  const project = await call<{ id: string }>('POST', '/api/projects', { name: 'Avatars' });
  const base = `/api/projects/${project.id}`;

  await page.goto(`/projects/${project.id}/files`);
  await page.getByRole('button', { name: 'New bucket' }).click();
  const create = page.getByRole('dialog', { name: 'Create bucket' });
  await create.getByLabel('Name').fill('avatars');
  await create.getByRole('button', { name: 'Create bucket' }).click();
  await expect(create).toBeHidden();

  await page.getByRole('button', { name: 'Policies' }).click();
  const dialog = page.getByRole('dialog', { name: 'Bucket policies: avatars' });
  await expect(dialog).toContainText('No policies');
  await dialog.getByRole('button', { name: 'Add policy' }).click();
  const form = page.getByRole('dialog', { name: 'New bucket policy' });
  await form.getByRole('button', { name: 'Owner only', exact: true }).click();
  await expect(form.getByLabel('Name', { exact: true })).toHaveValue('owner only');
  await expect(form.getByRole('switch', { name: 'Read and write together' })).toHaveAttribute(
    'aria-checked',
    'true',
  );
  await expect(form.getByTestId('policy-pair-note')).toContainText('read and write');
  // The condition builder offers the file columns.
  await expect(form.getByLabel('Rule 1 field')).toHaveValue('created_by_app_user_id');
  await expect(form.getByLabel('Rule 1 field').locator('option')).toContainText([
    'content_type (string)',
    'size_bytes (int)',
  ]);
  await expect(form.getByTestId('condition-preview')).toContainText(
    '"$eq": "$current_app_user_id"',
  );
  await form.getByRole('button', { name: 'Create policy' }).click();
  const list = page.getByRole('dialog', { name: 'Bucket policies: avatars' });
  await expect(list.getByTestId('bucket-policy-row')).toHaveCount(2);
  await list.getByRole('button', { name: 'Close', exact: true }).click();

  const bucket = await call<{ policies: { action: string; condition: unknown }[] }>(
    'GET',
    `${base}/files/buckets/avatars`,
  );
  expect(bucket.policies.map((p) => p.action).sort()).toEqual(['read', 'write']);
  for (const p of bucket.policies)
    expect(p.condition).toEqual({ created_by_app_user_id: { $eq: '$current_app_user_id' } });

  const [alice, bob, carol] = [
    await appUser(page.request, base),
    await appUser(page.request, base),
    await appUser(page.request, base),
  ];
  const upload = async (u: AppUser, name: string) => {
    const res = await page.request.post(`${base}/files/upload`, {
      headers: bearer(u),
      multipart: { bucket: 'avatars', file: { name, mimeType: 'image/png', buffer: PNG } },
    });
    expect(res.status(), await res.text()).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };
  const aliceFile = await upload(alice, 'alice.png');
  await upload(bob, 'bob.png');
  const listAs = async (u: AppUser) => {
    const res = await page.request.get(`${base}/files?bucket=avatars`, { headers: bearer(u) });
    expect(res.status()).toBe(200);
    return ((await res.json()) as { original_filename: string }[]).map((f) => f.original_filename);
  };
  expect(await listAs(alice)).toEqual(['alice.png']);
  expect(await listAs(bob)).toEqual(['bob.png']);
  expect(await listAs(carol)).toEqual([]);
  expect(
    (await page.request.get(`${base}/files/${aliceFile}`, { headers: bearer(bob) })).status(),
  ).toBe(404);
  expect([403, 404]).toContain(
    (await page.request.delete(`${base}/files/${aliceFile}`, { headers: bearer(bob) })).status(),
  );
  expect((await page.request.get(`${base}/files?bucket=avatars`)).status()).toBe(401);
  // The member still sees both.
  expect(await call<unknown[]>('GET', `${base}/files?bucket=avatars`)).toHaveLength(2);
});

test('templates and the list+read switch make working policies; roles say what they grant', async ({
  page,
}) => {
  const call = apiAs(page.request, await signIn(page, `pt-${uid()}@example.com`));
  const project = await call<{ id: string }>('POST', '/api/projects', { name: 'Plain words' });
  const base = `/api/projects/${project.id}`;
  for (const c of ['posts', 'drafts', 'members_only']) {
    await call('POST', `${base}/schema/collections`, { name: c });
    await call('POST', `${base}/schema/collections/${c}/fields`, {
      name: 'title',
      field_type: 'string',
    });
  }
  const editor = await call<{ id: string }>('POST', `${base}/rbac/roles`, {
    name: 'editor',
    description: 'Edits drafts',
  });
  await call('POST', `${base}/rbac/roles`, { name: 'unused' });
  const [writer, reader, stranger] = [
    await appUser(page.request, base),
    await appUser(page.request, base),
    await appUser(page.request, base),
  ];
  await call('POST', `${base}/rbac/users/${reader.id}/roles`, { role_ids: [editor.id] });
  for (const c of ['posts', 'drafts'])
    await call('POST', `${base}/schema/collections/${c}/policies`, {
      name: 'writers create',
      action: 'create',
      allowed_principals: 'app_user',
    });
  for (const c of ['posts', 'drafts']) {
    const res = await page.request.post(`${base}/data/${c}`, {
      headers: bearer(writer),
      data: { title: `hello ${c}` },
    });
    expect(res.status(), await res.text()).toBe(201);
  }

  const newPolicy = async (collection: string) => {
    await page.goto(`/projects/${project.id}/policies?collection=${collection}`);
    await expect(page.getByRole('heading', { name: collection })).toBeVisible();
    await page.getByRole('button', { name: 'New policy' }).click();
    return page.getByRole('dialog', { name: 'New policy' });
  };
  const policiesOf = (c: string) =>
    call<{ name: string; action: string; allowed_principals: string; allowed_roles: string }[]>(
      'GET',
      `${base}/schema/collections/${c}/policies`,
    );

  await test.step('"Public read" on posts: anonymous callers list and read, without the author', async () => {
    // Before any list policy, the denial names what is missing.
    const denied = await page.request.get(`${base}/data/posts`);
    expect(denied.status()).toBe(401);
    expect(((await denied.json()) as { detail: string }).detail).toBe(
      'Authentication required. No policy allows anonymous list on posts',
    );

    const dialog = await newPolicy('posts');
    await expect(dialog.getByTestId('policy-template')).toHaveCount(4);
    await dialog.getByRole('button', { name: 'Public read', exact: true }).click();
    await expect(dialog.getByLabel('Name', { exact: true })).toHaveValue('public read');
    await expect(dialog.getByRole('switch', { name: 'List and read together' })).toHaveAttribute(
      'aria-checked',
      'true',
    );
    // Readable fields say that anonymous callers do not see who wrote a row unless chosen.
    await dialog.getByText('All fields').first().click();
    await expect(dialog.getByLabel('Readable fields: created_by_app_user_id')).not.toBeChecked();
    await expect(dialog.getByLabel('Readable fields: title')).toBeChecked();
    await dialog.getByText('All fields').first().click();
    await dialog.getByRole('region', { name: 'Templates' }).scrollIntoViewIfNeeded();
    await dismissToasts(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'policies-templates.png') });
    await dialog.getByRole('button', { name: 'Create policy' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('policy-row').filter({ hasText: 'public read' })).toHaveCount(2);

    const made = (await policiesOf('posts')).filter((p) => p.name === 'public read');
    expect(made.map((p) => p.action).sort()).toEqual(['list', 'read']);
    const anon = await page.request.get(`${base}/data/posts`);
    expect(anon.status()).toBe(200);
    const rows = ((await anon.json()) as { records: Record<string, unknown>[] }).records;
    expect(rows.map((r) => r.title)).toEqual(['hello posts']);
    expect(rows[0]).not.toHaveProperty('created_by_app_user_id');
    const one = await page.request.get(`${base}/data/posts/${String(rows[0]!.id)}`);
    expect(one.status()).toBe(200);
    // App users pass too, and still see who wrote the row.
    const signedIn = await page.request.get(`${base}/data/posts`, { headers: bearer(stranger) });
    const seen = ((await signedIn.json()) as { records: Record<string, unknown>[] }).records;
    expect(seen[0]?.created_by_app_user_id).toBe(writer.id);
  });

  await test.step('"Read-only for a role" on drafts: only editors read', async () => {
    const dialog = await newPolicy('drafts');
    await expect(dialog.getByLabel('Template role')).toHaveValue('editor');
    await dialog.getByRole('button', { name: 'Read-only for a role', exact: true }).click();
    await expect(dialog.getByLabel('Name', { exact: true })).toHaveValue('read-only for editor');
    await expect(dialog.getByLabel('Allowed role editor')).toBeChecked();
    await dialog.getByRole('button', { name: 'Create policy' }).click();
    await expect(dialog).toBeHidden();

    const made = (await policiesOf('drafts')).filter((p) => p.name === 'read-only for editor');
    expect(made.map((p) => [p.action, p.allowed_roles]).sort()).toEqual([
      ['list', 'editor'],
      ['read', 'editor'],
    ]);
    const asEditor = await page.request.get(`${base}/data/drafts`, { headers: bearer(reader) });
    expect(asEditor.status()).toBe(200);
    expect(((await asEditor.json()) as { records: unknown[] }).records).toHaveLength(1);
    const asOther = await page.request.get(`${base}/data/drafts`, { headers: bearer(stranger) });
    expect(asOther.status()).toBe(403);
    expect(((await asOther.json()) as { detail: string; code: string }).detail).toBe(
      'Permission denied for action: list. No policy allows app_user list on drafts',
    );
    // Read-only: the editor cannot update.
    const id = ((await asEditor.json()) as { records: { id: number }[] }).records[0]!.id;
    const update = await page.request.patch(`${base}/data/drafts/${id}`, {
      headers: bearer(reader),
      data: { title: 'changed' },
    });
    expect(update.status()).toBe(403);
  });

  await test.step('"Signed-in users" and the switch by hand on members_only', async () => {
    let dialog = await newPolicy('members_only');
    await dialog.getByRole('button', { name: 'Signed-in users', exact: true }).click();
    await dialog.getByRole('switch', { name: 'List and read together' }).click();
    await expect(dialog.getByTestId('policy-pair-note')).toHaveCount(0);
    await dialog.getByRole('button', { name: 'Create policy' }).click();
    await expect(dialog).toBeHidden();
    expect((await policiesOf('members_only')).map((p) => p.action)).toEqual(['list']);

    dialog = await newPolicy('members_only');
    await dialog.getByLabel('Name', { exact: true }).fill('members read');
    await dialog.getByLabel('Action').selectOption('read');
    await expect(dialog.getByRole('switch', { name: 'List and read together' })).toHaveAttribute(
      'aria-checked',
      'false',
    );
    // The switch is offered for list and read only.
    await dialog.getByLabel('Action').selectOption('update');
    await expect(dialog.getByRole('switch', { name: 'List and read together' })).toHaveCount(0);
    await dialog.getByLabel('Action').selectOption('read');
    await dialog.getByRole('switch', { name: 'List and read together' }).click();
    await expect(dialog.getByTestId('policy-pair-note')).toContainText('list and read');
    await dialog.getByRole('button', { name: 'Create policy' }).click();
    await expect(dialog).toBeHidden();
    const all = await policiesOf('members_only');
    expect(
      all
        .filter((p) => p.name === 'members read')
        .map((p) => p.action)
        .sort(),
    ).toEqual(['list', 'read']);
    expect((await page.request.get(`${base}/data/members_only`)).status()).toBe(401);
    expect(
      (await page.request.get(`${base}/data/members_only`, { headers: bearer(stranger) })).status(),
    ).toBe(200);
  });

  await test.step('the roles page shows what each role grants and how many hold it', async () => {
    await page.goto(`/projects/${project.id}/rbac`);
    const editorRow = page.locator('[data-testid="role-row"][data-role-name="editor"]');
    await expect(editorRow.getByTestId('role-users')).toHaveText('1');
    await expect(editorRow.getByTestId('role-grants')).toContainText('may list on drafts');
    await expect(editorRow.getByTestId('role-grants')).toContainText('may read on drafts');
    const unused = page.locator('[data-testid="role-row"][data-role-name="unused"]');
    await expect(unused.getByTestId('role-users')).toHaveText('0');
    await expect(unused.getByTestId('role-grants')).toContainText(
      'a role grants nothing until a policy names it',
    );
    await editorRow.getByRole('link', { name: 'drafts' }).first().click();
    await expect(page).toHaveURL(/policies\?collection=drafts/);
  });
});
