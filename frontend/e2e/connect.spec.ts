import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { apiAs, PASSWORD, signIn, uid } from './support';

// Issue 14.3: the Connect panel's snippets, read from the page and run as written (bash for
// curl, node for fetch and @backendify/client), for a service key, a public key and an app user.

const SCREENSHOTS = join(import.meta.dirname, '../../screenshots');
const APP_USER = { email: `reader-${uid()}@example.com`, password: PASSWORD };

interface Run {
  dir: string;
  env: Record<string, string>;
}

const workDirs: string[] = [];
test.afterAll(() => workDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function run(command: string, args: string[], { dir, env }: Run): string {
  try {
    return execFileSync(command, args, {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: dir, ...env },
      encoding: 'utf8',
      timeout: 60_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    const e = err as { status: number | null; stdout?: string; stderr?: string };
    throw new Error(`${command} exited ${e.status}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

/** Writes the shown text to a file and runs it: bash (failing on any error) or node. */
function runSnippet(code: string, language: string, target: Run): string {
  const file = language === 'curl' ? 'connect.sh' : 'connect.mjs';
  writeFileSync(join(target.dir, file), code);
  return language === 'curl'
    ? run('bash', ['-euo', 'pipefail', file], target)
    : run(process.execPath, [file], target);
}

const codeOf = (panel: Locator) =>
  panel.getByTestId('connect-code').locator('pre code').textContent();

async function choose(panel: Locator, group: string, option: string) {
  await panel.getByRole('group', { name: group }).getByRole('button', { name: option }).click();
  await expect(
    panel.getByRole('group', { name: group }).getByRole('button', { name: option }),
  ).toHaveAttribute('aria-pressed', 'true');
}

/** Runs the panel's curl, fetch and client snippets; answers what each printed. */
async function runAll(panel: Locator, env: Record<string, string>) {
  const out: Record<string, string> = {};
  for (const [language, label] of [
    ['curl', 'curl'],
    ['fetch', 'fetch'],
    ['client', '@backendify/client'],
  ] as const) {
    await choose(panel, 'Language', label);
    await expect(panel.getByTestId('connect-code')).toHaveAttribute('data-language', language);
    const dir = mkdtempSync(join(tmpdir(), 'bf-connect-'));
    workDirs.push(dir);
    const target = { dir, env };
    if (language === 'client') {
      const install = await panel.getByTestId('connect-install').locator('pre code').textContent();
      expect(install).toMatch(/^npm install \//);
      run('bash', ['-euo', 'pipefail', '-c', `${install} --no-audit --no-fund --offline`], target);
    }
    out[language] = runSnippet((await codeOf(panel)) ?? '', language, target);
  }
  return out;
}

function expectRan(out: Record<string, string>) {
  // curl prints the list, then the created record; node prints "created <id>".
  expect(out.curl).toContain('"records"');
  expect(out.curl).toMatch(/"id":\s*\d+/);
  expect(out.fetch).toMatch(/created \d+/);
  expect(out.client).toMatch(/created \d+/);
}

async function setUp(page: Page) {
  const call = apiAs(page.request, await signIn(page, `connect-${uid()}@example.com`));
  const project = await call<{ id: string }>('POST', '/api/projects', { name: 'Connect blog' });
  const base = `/api/projects/${project.id}`;
  await call('POST', `${base}/schema/collections`, { name: 'posts', display_name: 'Posts' });
  const fields = [
    { name: 'title', field_type: 'string', is_required: true },
    {
      name: 'status',
      field_type: 'enum',
      is_required: true,
      options: { values: ['draft', 'live'] },
    },
    { name: 'view_count', field_type: 'int' },
    { name: 'slug', field_type: 'string', is_required: true, is_unique: true },
  ];
  for (const f of fields) await call('POST', `${base}/schema/collections/posts/fields`, f);
  for (const action of ['list', 'create'])
    await call('POST', `${base}/schema/collections/posts/policies`, {
      name: `Apps ${action}`,
      action,
      allowed_principals: ['api_key', 'app_user'],
    });
  await call('POST', `${base}/settings/auth/users`, { ...APP_USER, is_email_verified: true });
  return { call, base, projectUrl: `/projects/${project.id}` };
}

test('Connect: every snippet runs as shown, for a service key, a public key and an app user', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.emulateMedia({ colorScheme: 'light' });
  const { call, base, projectUrl } = await setUp(page);

  await test.step('service key: the key-created dialog connects with the new key inlined', async () => {
    await page.goto(`${projectUrl}/api-keys`);
    await page.getByRole('button', { name: 'Create API key' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Create API key' });
    await dialog.getByLabel('Name').fill('Connect server');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    const key = await page.getByTestId('plaintext-key').inputValue();
    await page.getByRole('button', { name: 'Connect with this key' }).click();
    const panel = page.getByTestId('connect-panel');
    await expect(panel.getByRole('button', { name: 'Service key' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    const curl = (await codeOf(panel)) ?? '';
    expect(curl).toContain(key);
    // Schema-aware: a filter on a real field, and every required field in the create.
    expect(curl).toContain('title__icontains=hello');
    expect(curl).toMatch(
      /"title":"Hello from Backendify","status":"draft","slug":"Hello from Backendify \w+"/,
    );
    // No environment at all: the inlined key is enough.
    expectRan(await runAll(panel, {}));
    await page.keyboard.press('Escape');
  });

  await test.step('public key: from the Data page, with the key in BACKENDIFY_PUBLIC_KEY', async () => {
    const created = await call<{ api_key: string }>('POST', `${base}/api-keys`, {
      name: 'Connect app',
      kind: 'public',
    });
    await page.goto(`${projectUrl}/data?collection=posts`);
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    const panel = page.getByTestId('connect-panel');
    await choose(panel, 'Call as', 'Public key');
    await expect(panel.getByLabel('Collection')).toHaveValue('posts');
    expectRan(await runAll(panel, { BACKENDIFY_PUBLIC_KEY: created.api_key }));

    // The same snippet with a wrong key fails loudly: the runs above are not vacuous.
    await choose(panel, 'Language', 'curl');
    const dir = mkdtempSync(join(tmpdir(), 'bf-connect-'));
    workDirs.push(dir);
    const curl = (await codeOf(panel)) ?? '';
    expect(() =>
      runSnippet(curl, 'curl', { dir, env: { BACKENDIFY_PUBLIC_KEY: 'bk_wrong' } }),
    ).toThrow(/exited 22/);
    await page.keyboard.press('Escape');
  });

  await test.step('app user: from the Overview, signing in with APP_USER_EMAIL/PASSWORD', async () => {
    await page.goto(projectUrl);
    await page.getByRole('button', { name: 'Connect', exact: true }).first().click();
    const panel = page.getByTestId('connect-panel');
    await choose(panel, 'Call as', 'App user');
    const out = await runAll(panel, {
      APP_USER_EMAIL: APP_USER.email,
      APP_USER_PASSWORD: APP_USER.password,
    });
    expectRan(out);
    await choose(panel, 'Language', '@backendify/client');
    await page.screenshot({ path: join(SCREENSHOTS, 'connect.png') });
    await page.keyboard.press('Escape');

    // The three app-user creates are theirs.
    const mine = await call<{ total: number }>(
      'GET',
      `${base}/data/posts?created_by_app_user_id__isnull=false&limit=1`,
    );
    expect(mine.total).toBe(3);
  });

  await test.step('the Overview is a getting-started checklist with counts', async () => {
    await page.reload();
    const list = page.getByRole('list', { name: 'Getting started' });
    await expect(list).toBeVisible();
    await expect(page.getByTestId('count-collections')).toHaveText('1 collection');
    // 3 runs × 3 credentials, one record each.
    await expect(page.getByTestId('count-records')).toHaveText('9 records');
    await expect(page.getByTestId('count-keys')).toHaveText('2 active keys');
    await expect(page.getByTestId('count-app-users')).toHaveText('1 app user');
    for (const id of ['collections', 'records', 'keys', 'app-users'])
      await expect(page.getByTestId(`checklist-${id}`)).toHaveAttribute('data-done', 'true');
    // No more module cards repeating the sidebar.
    await expect(page.getByRole('list', { name: 'Project modules' })).toHaveCount(0);
  });
});

test('Connect on an empty project says to create a collection first', async ({ page }) => {
  const call = apiAs(page.request, await signIn(page, `connect-empty-${uid()}@example.com`));
  const project = await call<{ id: string }>('POST', '/api/projects', { name: 'Empty' });
  await page.goto(`/projects/${project.id}`);
  await expect(page.getByTestId('checklist-collections')).toHaveAttribute('data-done', 'false');
  await expect(page.getByTestId('count-collections')).toHaveText('0 collections');
  await page.getByRole('button', { name: 'Connect', exact: true }).first().click();
  await expect(page.getByTestId('connect-no-collection')).toContainText('Create a collection');
});
