import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const SCREENSHOTS = join(import.meta.dirname, '../../screenshots');
const PASSWORD = 'correct-horse-battery';
const uid = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

async function dismissToasts(page: Page) {
  for (const button of await page.getByRole('button', { name: 'Dismiss notification' }).all()) {
    await button.click({ timeout: 1000 }).catch(() => undefined);
  }
}

async function shot(page: Page, name: string) {
  await dismissToasts(page);
  await expect(page.locator('[data-toast]')).toHaveCount(0, { timeout: 10_000 });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

async function adminToken(page: Page): Promise<string> {
  const raw = await page.evaluate(() => localStorage.getItem('backendify.tokens'));
  return (JSON.parse(raw ?? '{}') as { accessToken: string }).accessToken;
}

async function openModule(page: Page, label: string) {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: label, exact: true })
    .click();
  await expect(page.getByRole('heading', { name: label, level: 1 })).toBeVisible();
}

interface Session {
  access_token: string;
  refresh_token: string;
}

async function signUp(request: APIRequestContext, api: string, email: string): Promise<Session> {
  const reg = await request.post(`${api}/auth/register`, { data: { email, password: PASSWORD } });
  expect(reg.status(), await reg.text()).toBe(201);
  const login = await request.post(`${api}/auth/login`, { data: { email, password: PASSWORD } });
  expect(login.status(), await login.text()).toBe(200);
  return (await login.json()) as Session;
}

test.describe('access control console', () => {
  test.beforeEach(async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light' });
  });

  test('auth settings, owner-only policies built visually, app users, roles, mailbox', async ({
    page,
  }) => {
    test.setTimeout(240_000);
    await page.goto('/register');
    await page.getByLabel('Email').fill(`owner-${uid()}@example.com`);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page).toHaveURL(/\/projects$/);
    await page.getByRole('button', { name: 'New project' }).first().click();
    const projectDialog = page.getByRole('dialog', { name: 'Create project' });
    await projectDialog.getByLabel('Project name').fill('Todo App');
    await projectDialog.getByRole('button', { name: 'Create project' }).click();
    await expect(page).toHaveURL(/\/projects\/[^/?]+$/);
    const projectId = new URL(page.url()).pathname.split('/')[2] ?? '';
    const api = `/api/projects/${projectId}`;
    const admin = { Authorization: `Bearer ${await adminToken(page)}` };

    await test.step('todos collection with a title field (admin API)', async () => {
      const c = await page.request.post(`${api}/schema/collections`, {
        headers: admin,
        data: { name: 'todos' },
      });
      expect(c.status(), await c.text()).toBe(201);
      const f = await page.request.post(`${api}/schema/collections/todos/fields`, {
        headers: admin,
        data: { name: 'title', field_type: 'string' },
      });
      expect(f.status(), await f.text()).toBe(201);
    });

    await test.step('authentication settings', async () => {
      await openModule(page, 'Authentication');
      await expect(page.getByRole('switch', { name: 'Public signup' })).toHaveAttribute(
        'aria-checked',
        'true',
      );
      await page.getByRole('switch', { name: 'One-time code' }).click();
      await page.getByLabel('Access token lifetime (minutes)').fill('2000');
      await expect(
        page.getByText('Access token lifetime must be between 1 and 1440'),
      ).toBeVisible();
      await expect(page.getByRole('button', { name: 'Save settings' })).toBeDisabled();
      await page.getByLabel('Access token lifetime (minutes)').fill('30');
      await page.getByLabel('New redirect URI').fill('http://localhost:5173/auth/callback');
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      const github = page.getByRole('region', { name: 'GitHub provider' });
      await github.getByRole('switch', { name: 'GitHub' }).click();
      await github.getByLabel('Client ID').fill('gh-client-123');
      await github.getByLabel('Client secret').fill('gh-secret-xyz');
      await page.getByRole('button', { name: 'Save settings' }).click();
      await expect(page.getByText('Authentication settings saved')).toBeVisible();
      await expect(github.getByTestId('oauth-github-secret-state')).toHaveText('Set');

      const saved = await page.request.get(`${api}/settings/auth`, { headers: admin });
      const body = (await saved.json()) as Record<string, unknown> & {
        oauth_providers: { github: { client_secret_set: boolean; client_id: string } };
      };
      expect(body.enable_otp).toBe(true);
      expect(body.access_ttl_minutes).toBe(30);
      expect(body.allow_public_signup).toBe(true);
      expect(body.allowed_redirect_uris).toEqual(['http://localhost:5173/auth/callback']);
      expect(body.oauth_providers.github).toMatchObject({
        client_id: 'gh-client-123',
        client_secret_set: true,
      });
      await page.reload();
      await expect(page.getByLabel('Access token lifetime (minutes)')).toHaveValue('30');
      await shot(page, 'auth-settings');

      await page.getByRole('tab', { name: 'Developer' }).click();
      await expect(page).toHaveURL(/tab=developer/);
      await expect(
        page
          .getByText(`${new URL(page.url()).origin}/api/projects/${projectId}/auth/register`)
          .first(),
      ).toBeVisible();
    });

    await test.step('owner-only list and read policies built with the visual builder', async () => {
      await openModule(page, 'Policies');
      await expect(page.getByRole('heading', { name: 'todos' })).toBeVisible();
      for (const action of ['list', 'read'] as const) {
        await page.getByRole('button', { name: 'New policy' }).click();
        const dialog = page.getByRole('dialog', { name: 'New policy' });
        await dialog.getByLabel('Name', { exact: true }).fill(`owner can ${action}`);
        await dialog.getByLabel('Action').selectOption(action);
        await dialog.getByRole('button', { name: 'Add rule' }).click();
        await dialog.getByLabel('Rule 1 field').selectOption('created_by_app_user_id');
        await dialog.getByLabel('Rule 1 operator').selectOption('$eq');
        await dialog.getByLabel('Rule 1 value source').selectOption('$current_app_user_id');
        await expect(dialog.getByTestId('condition-preview')).toContainText(
          '"created_by_app_user_id": {',
        );
        await expect(dialog.getByTestId('condition-preview')).toContainText(
          '"$eq": "$current_app_user_id"',
        );
        if (action === 'list') {
          await dialog.getByTestId('condition-preview').scrollIntoViewIfNeeded();
          await shot(page, 'policy-builder');
        }
        await dialog.getByRole('button', { name: 'Create policy' }).click();
        await expect(dialog).toBeHidden();
      }

      // A bad condition is refused by the server and its field errors are shown.
      await page.getByRole('button', { name: 'New policy' }).click();
      const bad = page.getByRole('dialog', { name: 'New policy' });
      await bad.getByLabel('Name', { exact: true }).fill('broken');
      await bad.getByRole('tab', { name: 'JSON' }).click();
      await bad.getByLabel('Condition JSON').fill('{"nope": {"$eq": 1}}');
      await bad.getByRole('button', { name: 'Create policy' }).click();
      await expect(bad.getByTestId('problem-errors')).toContainText("Unknown field 'nope'");
      await bad.getByRole('button', { name: 'Cancel' }).click();

      await page.getByRole('button', { name: 'New policy' }).click();
      const create = page.getByRole('dialog', { name: 'New policy' });
      await create.getByLabel('Name', { exact: true }).fill('app users can create');
      await create.getByLabel('Action').selectOption('create');
      await create.getByRole('button', { name: 'Create policy' }).click();
      await expect(create).toBeHidden();
      await expect(page.getByTestId('policy-row')).toHaveCount(3);

      const policies = (await (
        await page.request.get(`${api}/schema/collections/todos/policies`, { headers: admin })
      ).json()) as { name: string; condition: unknown; allowed_principals: string }[];
      const list = policies.find((p) => p.name === 'owner can list');
      expect(list?.condition).toEqual({
        created_by_app_user_id: { $eq: '$current_app_user_id' },
      });
      expect(list?.allowed_principals).toBe('app_user');
    });

    const alice = `alice-${uid()}@example.com`;
    const bob = `bob-${uid()}@example.com`;
    let aliceId = '';

    await test.step('two app users see only their own todos', async () => {
      const a = await signUp(page.request, api, alice);
      const b = await signUp(page.request, api, bob);
      const as = (s: Session) => ({ Authorization: `Bearer ${s.access_token}` });
      for (const [s, titles] of [
        [a, ['Alice: buy milk', 'Alice: call mom']],
        [b, ['Bob: fix bike']],
      ] as const) {
        for (const title of titles) {
          const r = await page.request.post(`${api}/data/todos`, {
            headers: as(s),
            data: { title },
          });
          expect(r.status(), await r.text()).toBe(201);
        }
      }
      const aliceList = (await (
        await page.request.get(`${api}/data/todos`, { headers: as(a) })
      ).json()) as { records: { title: string; id: string }[]; total: number };
      expect(aliceList.records.map((r) => r.title).sort()).toEqual([
        'Alice: buy milk',
        'Alice: call mom',
      ]);
      const bobList = (await (
        await page.request.get(`${api}/data/todos`, { headers: as(b) })
      ).json()) as { records: { title: string }[] };
      expect(bobList.records.map((r) => r.title)).toEqual(['Bob: fix bike']);
      // Bob cannot read Alice's row by id either.
      const stolen = await page.request.get(`${api}/data/todos/${aliceList.records[0]?.id}`, {
        headers: as(b),
      });
      expect(stolen.status()).toBe(404);
      // Anonymous visitors get nothing.
      const anon = await page.request.get(`${api}/data/todos`);
      expect([401, 403]).toContain(anon.status());
      const me = (await (await page.request.get(`${api}/auth/me`, { headers: as(a) })).json()) as {
        id: string;
      };
      aliceId = me.id;
    });

    await test.step('developer snippets run exactly as shown', async () => {
      await page.goto(`/projects/${projectId}/auth?tab=developer`);
      const code = (section: string) =>
        page.getByRole('region', { name: section }).locator('pre code').innerText();
      const bash = (script: string) => execFileSync('bash', ['-c', script], { encoding: 'utf8' });
      expect(bash(await code('Register'))).toContain('"access_token"');
      const out = bash(
        [await code('Log in'), await code('Current user'), await code('Refresh')].join('\n'),
      );
      expect(out).toContain('"email":"ada@example.com"');
      expect(out).toContain('"refresh_token"');

      await page.getByRole('tab', { name: 'JavaScript fetch' }).click();
      const snippet = await code('Data call');
      const total = await page.evaluate(async (source) => {
        const logged: unknown[] = [];
        const console = { log: (...args: unknown[]) => logged.push(args) };
        await new Function('console', `return (async () => { ${source} })();`)(console);
        return (logged[0] as unknown[])[0];
      }, snippet);
      // ada sees only her own todo: the one the snippet just created.
      expect(total).toBe(1);
    });

    await test.step('explain the decision for each principal', async () => {
      await openModule(page, 'Policies');
      const explain = page.getByTestId('explain-panel');
      await explain.getByLabel('Action').selectOption('list');
      await explain.getByLabel('As').selectOption({ label: alice });
      await explain.getByRole('button', { name: 'Explain' }).click();
      await expect(explain.getByTestId('explain-decision')).toHaveText('Allowed: filtered rows');
      await expect(explain.getByTestId('explain-row-filter')).toContainText(aliceId);
      await expect(explain.getByTestId('explain-step')).toHaveCount(1);
      await shot(page, 'policy-explain');
      await explain.getByLabel('As').selectOption('anonymous');
      await explain.getByRole('button', { name: 'Explain' }).click();
      await expect(explain.getByTestId('explain-decision')).toHaveText('Denied');
    });

    await test.step('roles', async () => {
      await openModule(page, 'Roles');
      await page.getByRole('button', { name: 'New role' }).first().click();
      const dialog = page.getByRole('dialog', { name: 'New role' });
      await dialog.getByLabel('Name', { exact: true }).fill('bad name');
      await expect(dialog.getByText('Use 1-63 letters')).toBeVisible();
      await dialog.getByLabel('Name', { exact: true }).fill('editor');
      await dialog.getByLabel('Display name').fill('Editor');
      await dialog.getByLabel('Description').fill('Can edit every todo');
      await dialog.getByRole('button', { name: 'Create role' }).click();
      await expect(dialog).toBeHidden();
      await expect(page.locator('[data-testid="role-row"][data-role-name="editor"]')).toBeVisible();
      await page.getByRole('button', { name: 'Initialize defaults' }).click();
      await expect(page.getByText(/default role|already exist/).first()).toBeVisible();
      await shot(page, 'roles');
    });

    await test.step('app users: search, detail with roles, sessions and todos', async () => {
      await openModule(page, 'App Users');
      await expect(page.getByTestId('app-user-row')).toHaveCount(3); // alice, bob, ada (snippets)
      await page.getByLabel('Search app users by email').fill('alice');
      await expect(page).toHaveURL(/q=alice/);
      await expect(page.getByTestId('app-user-row')).toHaveCount(1);
      await page.getByRole('button', { name: alice }).click();
      await expect(page).toHaveURL(/user=/);
      const dialog = page.getByRole('dialog', { name: 'App user' });
      await expect(dialog.getByLabel('Email', { exact: true })).toHaveValue(alice);
      // register and login each start a session
      await expect(dialog.getByTestId('user-sessions').locator('li')).toHaveCount(2);
      await expect(dialog.getByTestId('user-record')).toHaveCount(2);
      await expect(dialog.getByText('Alice: buy milk')).toBeVisible();
      await expect(dialog.getByText('Bob: fix bike')).toHaveCount(0);
      await dialog.getByLabel('Role to assign').selectOption({ label: 'Editor (editor)' });
      await dialog.getByRole('button', { name: 'Assign' }).click();
      await expect(dialog.getByTestId('user-roles')).toContainText('editor');
      await dialog.getByRole('switch', { name: 'Email verified' }).click();
      await dialog.getByRole('button', { name: 'Save changes' }).click();
      await expect(page.getByText(`App user ${alice} saved`)).toBeVisible();
      await dialog
        .getByRole('region', { name: 'Records created by this user' })
        .scrollIntoViewIfNeeded();
      await shot(page, 'app-users');
      await dialog.getByRole('button', { name: 'Close dialog' }).click();
      await expect(page).not.toHaveURL(/user=/);

      await page.getByLabel('Search app users by email').fill('');
      await expect(page.getByTestId('app-user-row')).toHaveCount(3); // alice, bob, ada (snippets)
      await page.getByRole('button', { name: 'New app user' }).click();
      const create = page.getByRole('dialog', { name: 'New app user' });
      const carol = `carol-${uid()}@example.com`;
      await create.getByLabel('Email', { exact: true }).fill(carol);
      await create.getByRole('button', { name: 'Create user' }).click();
      await expect(create).toBeHidden();
      const detail = page.getByRole('dialog', { name: 'App user' });
      await expect(detail.getByLabel('Email', { exact: true })).toHaveValue(carol);
      await detail.getByRole('button', { name: 'Delete user' }).click();
      await page
        .getByRole('dialog', { name: 'Delete app user' })
        .getByRole('button', { name: 'Delete user' })
        .click();
      await expect(page.getByTestId('app-user-row')).toHaveCount(3); // alice, bob, ada (snippets)
    });

    await test.step('mailbox shows the password reset mail', async () => {
      const reset = await page.request.post(`${api}/auth/password/reset/send`, {
        data: { email: alice },
      });
      expect(reset.status(), await reset.text()).toBe(200);
      await openModule(page, 'Mailbox');
      await expect(page.getByTestId('mailbox-message').first()).toBeVisible();
      await expect(page.getByTestId('mailbox-message').first()).toContainText(alice);
      await page.getByTestId('mailbox-message').first().click();
      await expect(page.getByTestId('mailbox-subject')).toBeVisible();
      const frame = page.locator('iframe[sandbox=""]');
      if ((await frame.count()) > 0) await expect(frame).toHaveAttribute('srcdoc', /.+/);
      await shot(page, 'mailbox');
    });
  });
});
