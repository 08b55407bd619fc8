import { expect, test, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { apiAs, PASSWORD, uid } from './support';

const SCREENSHOTS = join(import.meta.dirname, '../../screenshots');
const TITLES = ['First post', 'Second post', 'Third post'];

/** A signed-in admin with a project holding `posts` and three records; answers its id and API. */
async function projectWithPosts(page: Page) {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/register');
  await page.getByLabel('Email').fill(`backups-${uid()}@example.com`);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/projects$/);
  await page.getByRole('button', { name: 'New project' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Create project' });
  await dialog.getByLabel('Project name').fill('Archived blog');
  await dialog.getByRole('button', { name: 'Create project' }).click();
  await expect(page).toHaveURL(/\/projects\/[^/?]+$/);
  const projectId = new URL(page.url()).pathname.split('/')[2] ?? '';
  const raw = await page.evaluate(() => localStorage.getItem('backendify.tokens'));
  const admin = apiAs(
    page.request,
    (JSON.parse(raw ?? '{}') as { accessToken: string }).accessToken,
  );
  const base = `/api/projects/${projectId}`;
  await admin('POST', `${base}/schema/collections`, { name: 'posts' });
  await admin('POST', `${base}/schema/collections/posts/fields`, {
    name: 'title',
    field_type: 'string',
  });
  for (const title of TITLES) await admin('POST', `${base}/data/posts`, { title });
  return { projectId, admin, base };
}

async function expectGzip(path: string | null) {
  expect(path).toBeTruthy();
  const bytes = await readFile(path ?? '');
  expect(bytes.length).toBeGreaterThan(0);
  expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
}

test('backups: back up now, list, download, schedule survives a reload', async ({ page }) => {
  test.setTimeout(120_000);
  const { projectId } = await projectWithPosts(page);
  await page.goto(`/projects/${projectId}/settings`);
  const backups = page.getByRole('table', { name: 'Stored backups' });
  await expect(page.getByText('No stored backups yet')).toBeVisible();

  await page.getByRole('button', { name: 'Back up now' }).click();
  const row = backups.getByTestId('backup-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Manual');
  await expect(row).toContainText('ready');

  // The current archive: fetched with the token, handed to the browser as a download.
  const current = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download current' }).click();
  const download = await current;
  expect(download.suggestedFilename()).toMatch(/^backup-.*\.tar\.gz$/);
  await expectGzip(await download.path());

  const stored = page.waitForEvent('download');
  await row.getByRole('button', { name: /^Download backup of/ }).click();
  await expectGzip(await (await stored).path());

  // The schedule.
  const enabled = page.getByRole('switch', { name: 'Scheduled backups' });
  await expect(enabled).toHaveAttribute('aria-checked', 'false');
  await enabled.click();
  await page.getByLabel('Frequency').selectOption('weekly');
  await page.getByLabel('Keep last').fill('5');
  await page.getByRole('button', { name: 'Save schedule' }).click();
  await expect(page.getByText('Backup schedule saved')).toBeVisible();

  await page.reload();
  await expect(page.getByRole('switch', { name: 'Scheduled backups' })).toHaveAttribute(
    'aria-checked',
    'true',
  );
  await expect(page.getByLabel('Frequency')).toHaveValue('weekly');
  await expect(page.getByLabel('Keep last')).toHaveValue('5');
  await expect(page.getByText(/^Next run /)).toBeVisible();

  // A bad cron is refused inline.
  await page.getByLabel('Frequency').selectOption('custom');
  await page.getByLabel('Cron expression').fill('not a cron');
  await page.getByRole('button', { name: 'Save schedule' }).click();
  await expect(page.getByRole('alert').first()).toBeVisible();
  await page.getByLabel('Frequency').selectOption('weekly');

  for (const button of await page.getByRole('button', { name: 'Dismiss notification' }).all()) {
    await button.click({ timeout: 1000 }).catch(() => undefined);
  }
  await expect(page.locator('[data-toast]')).toHaveCount(0, { timeout: 8000 });
  await page.getByRole('heading', { name: 'Backups', exact: true }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SCREENSHOTS, 'backups.png') });

  // Delete, after a confirmation.
  await row.getByRole('button', { name: /^Delete backup of/ }).click();
  await page
    .getByRole('dialog', { name: 'Delete backup' })
    .getByRole('button', {
      name: 'Delete backup',
    })
    .click();
  await expect(page.getByText('No stored backups yet')).toBeVisible();
});

test('backups: restore a stored backup into a new project with its records', async ({ page }) => {
  test.setTimeout(120_000);
  const { projectId, admin, base } = await projectWithPosts(page);
  await admin('POST', `${base}/backups`, {});
  await page.goto(`/projects/${projectId}/settings`);
  const row = page.getByRole('table', { name: 'Stored backups' }).getByTestId('backup-row');
  await expect(row).toContainText('ready');
  await row.getByRole('button', { name: /^Restore backup of/ }).click();
  await page
    .getByRole('dialog', { name: 'Restore backup' })
    .getByRole('button', { name: 'Restore into a new project' })
    .click();
  await expect(page).toHaveURL(/\/projects\/[^/?]+$/);
  const restoredId = new URL(page.url()).pathname.split('/')[2] ?? '';
  expect(restoredId).not.toBe(projectId);

  await page.goto(`/projects/${restoredId}/data?collection=posts`);
  for (const title of TITLES) await expect(page.getByText(title)).toBeVisible();
});
