import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const SCREENSHOTS = join(import.meta.dirname, '../../screenshots');
const REVIEW = join(import.meta.dirname, '../test-results/review');

async function dismissToasts(page: Page) {
  for (const button of await page.getByRole('button', { name: 'Dismiss notification' }).all()) {
    await button.click({ timeout: 1000 }).catch(() => undefined);
  }
}

async function shot(page: Page, name: string, dir = SCREENSHOTS) {
  await dismissToasts(page);
  // Success toasts also leave by themselves after a few seconds.
  await expect(page.locator('[data-toast]')).toHaveCount(0, { timeout: 8000 });
  await page.screenshot({ path: join(dir, `${name}.png`) });
}

const uid = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const PASSWORD = 'correct-horse-battery';

async function adminToken(page: Page): Promise<string> {
  const raw = await page.evaluate(() => localStorage.getItem('backendify.tokens'));
  return (JSON.parse(raw ?? '{}') as { accessToken: string }).accessToken;
}

/** Calls the API as the signed-in admin (or with an API key) and fails loudly on errors. */
function apiAs(request: APIRequestContext, headers: Record<string, string>) {
  return async <T>(method: string, path: string, data?: unknown): Promise<T> => {
    const res = await request.fetch(path, { method, headers, data });
    expect(res.ok(), `${method} ${path} → ${res.status()} ${await res.text()}`).toBe(true);
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  };
}

test.describe('audit log and record history', () => {
  test.beforeEach(async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light' });
  });

  test('changes made through the API appear in the audit log, filter, diff, export; a record reverts from its history', async ({
    page,
  }) => {
    test.setTimeout(180_000);
    await page.goto('/register');
    await page.getByLabel('Email').fill(`audit-${uid()}@example.com`);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page).toHaveURL(/\/projects$/);
    await page.getByRole('button', { name: 'New project' }).first().click();
    const projectDialog = page.getByRole('dialog', { name: 'Create project' });
    await projectDialog.getByLabel('Project name').fill('Audit demo');
    await projectDialog.getByRole('button', { name: 'Create project' }).click();
    await expect(page).toHaveURL(/\/projects\/[^/?]+$/);
    const projectId = new URL(page.url()).pathname.split('/')[2] ?? '';
    const base = `/api/projects/${projectId}`;
    const admin = apiAs(page.request, { authorization: `Bearer ${await adminToken(page)}` });

    let keyPrefix = '';
    await test.step('make changes through the API: schema, records as admin and as an API key', async () => {
      await admin('POST', `${base}/schema/collections`, { name: 'posts' });
      await admin('POST', `${base}/schema/collections/posts/fields`, {
        name: 'title',
        field_type: 'string',
      });
      await admin('POST', `${base}/schema/collections/posts/fields`, {
        name: 'views',
        field_type: 'int',
      });
      await admin('POST', `${base}/data/posts`, { title: 'Hello', views: 1 });
      await admin('PATCH', `${base}/data/posts/1`, { title: 'Hello world', views: 2 });
      await admin('POST', `${base}/data/posts`, { title: 'Doomed', views: 0 });
      await admin('DELETE', `${base}/data/posts/2`);
      const key = await admin<{ api_key: string; prefix: string }>('POST', `${base}/api-keys`, {
        name: 'Importer',
      });
      keyPrefix = key.prefix;
      const asKey = apiAs(page.request, { 'x-api-key': key.api_key });
      // Enough rows that the log needs a second page (50 per page).
      await asKey('POST', `${base}/data/posts/bulk`, {
        create: Array.from({ length: 55 }, (_, i) => ({ title: `Imported ${i + 1}`, views: i })),
      });
    });

    const total = (await admin<{ total: number }>('GET', `${base}/audit/events?limit=1`)).total;
    expect(total).toBeGreaterThanOrEqual(62);

    await test.step('the audit log lists them newest first, 50 at a time', async () => {
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Audit Logs', exact: true })
        .click();
      await expect(page.getByRole('heading', { name: 'Audit Logs', level: 1 })).toBeVisible();
      const rows = page.getByTestId('audit-row');
      await expect(rows).toHaveCount(50);
      await expect(page.getByTestId('audit-count')).toHaveText(`Showing 50 of ${total} events`);
      await expect(rows.first().getByTestId('actor-chip')).toContainText(`API key ${keyPrefix}`);
      await expect(rows.first().getByTestId('action-chip')).toHaveText('create');
      await page.getByRole('button', { name: 'Load more' }).click();
      await expect(rows).toHaveCount(total);
      await expect(page.getByRole('button', { name: 'Load more' })).toBeHidden();
    });

    await test.step('filters live in the URL', async () => {
      await page.getByLabel('Actor type').selectOption('admin');
      await expect(page).toHaveURL(/actor_type=admin/);
      await page.getByLabel('Action').fill('update');
      await page.getByLabel('Action').press('Enter');
      await expect(page).toHaveURL(/action=update/);
      const rows = page.getByTestId('audit-row');
      await expect(rows).toHaveCount(1);
      await expect(page.getByTestId('audit-count')).toHaveText('Showing 1 of 1 event');

      // A reload keeps the view.
      await page.reload();
      await expect(page.getByLabel('Action')).toHaveValue('update');
      await expect(page.getByTestId('audit-row')).toHaveCount(1);

      await page.getByRole('button', { name: 'Clear' }).click();
      await page.getByLabel('Action').fill('schema.*');
      await page.getByLabel('Action').press('Enter');
      const schemaEvents = await admin<{ total: number }>(
        'GET',
        `${base}/audit/events?action=schema.*&limit=1`,
      );
      expect(schemaEvents.total).toBeGreaterThanOrEqual(3);
      await expect(page.getByTestId('audit-row')).toHaveCount(schemaEvents.total);
      for (const chip of await page.getByTestId('action-chip').all()) {
        await expect(chip).toHaveAttribute('data-kind', 'schema');
      }
      await page.getByRole('button', { name: 'Clear' }).click();
      await page.getByLabel('Record id').fill('2');
      await page.getByLabel('Record id').press('Enter');
      await expect(page).toHaveURL(/record_id=2/);
      await expect(page.getByTestId('audit-row')).toHaveCount(2);
      await expect(page.getByTestId('action-chip')).toHaveText(['delete', 'create']);
      await page.getByRole('button', { name: 'Clear' }).click();
      await expect(page.getByTestId('audit-row')).toHaveCount(50);
    });

    await test.step('a row opens the change with a before/after diff', async () => {
      await page.getByLabel('Action').fill('update');
      await page.getByLabel('Action').press('Enter');
      await expect(page.getByTestId('audit-row')).toHaveCount(1);
      await page
        .getByRole('button', { name: /^Open update event/ })
        .first()
        .click();
      const dialog = page.getByRole('dialog', { name: 'update posts #1' });
      await expect(dialog).toBeVisible();
      const diff = dialog.getByTestId('record-diff');
      await expect(diff.locator('[data-field="title"]')).toHaveAttribute('data-kind', 'changed');
      await expect(diff.locator('[data-field="title"] td').first()).toHaveText('Hello');
      await expect(diff.locator('[data-field="title"] td').last()).toHaveText('Hello world');
      await expect(diff.locator('[data-field="views"]')).toHaveAttribute('data-kind', 'changed');
      await expect(diff.locator('[data-field="id"]')).toHaveAttribute('data-kind', 'same');
      await page.screenshot({ path: join(REVIEW, 'audit-diff.png') });

      await dialog.getByRole('button', { name: 'All changes of this record' }).click();
      await expect(dialog).toBeHidden();
      await expect(page).toHaveURL(/collection=posts/);
      await expect(page).toHaveURL(/record_id=1/);
      await expect(page).not.toHaveURL(/action=/);
      await expect(page.getByTestId('action-chip')).toHaveText(['update', 'create']);
    });

    await test.step('export the filtered view as CSV with the admin token', async () => {
      const downloadPromise = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Export' }).click();
      await page.getByRole('menuitem', { name: 'Export filtered view as CSV' }).click();
      const download = await downloadPromise;
      expect(download.suggestedFilename()).toBe(`audit-${projectId}.csv`);
      const csv = readFileSync((await download.path()) ?? '', 'utf8');
      const lines = csv.trim().split(/\r\n/);
      expect(lines[0]).toMatch(/^id,created_at,action,kind,collection,record_id,actor_type/);
      expect(lines).toHaveLength(3);
      expect(lines[1]).toContain(',update,record,posts,1,admin,');
      expect(lines[2]).toContain(',create,record,posts,1,admin,');
    });

    await test.step('retention settings', async () => {
      await page.getByRole('button', { name: 'Clear' }).click();
      await expect(page.getByTestId('retention-summary')).toHaveText('Kept forever');
      await page.getByRole('button', { name: 'Kept forever' }).click();
      const dialog = page.getByRole('dialog', { name: 'Audit retention' });
      await dialog.getByLabel('Keep events for (days)').fill('90');
      await dialog.getByRole('button', { name: 'Save retention' }).click();
      await expect(dialog).toBeHidden();
      await expect(page.getByTestId('retention-summary')).toHaveText('Kept 90 days');
      expect(await admin('GET', `${base}/audit/settings`)).toEqual({
        retention_days: 90,
        max_rows: null,
      });
      await expect(page.getByText('Audit retention saved')).toBeVisible();
      await expect(page.getByTestId('audit-row')).toHaveCount(50);
      // The admin's own changes: schema, create, update and delete side by side.
      const byAdmin = await admin<{ total: number }>(
        'GET',
        `${base}/audit/events?actor_type=admin&limit=1`,
      );
      await page.getByLabel('Actor type').selectOption('admin');
      await expect(page.getByTestId('audit-row')).toHaveCount(Math.min(byAdmin.total, 50));
      await shot(page, 'audit');
    });

    await test.step('the record dialog shows the history and reverts to a version', async () => {
      await page.goto(`/projects/${projectId}/data?collection=posts&sort=id`);
      await page.getByRole('button', { name: 'Open record 1', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Edit record 1' });
      await expect(dialog.getByLabel(/^title/i)).toHaveValue('Hello world');
      await dialog.getByRole('tab', { name: 'History' }).click();
      const versions = dialog.getByTestId('history-version');
      await expect(versions).toHaveCount(2);
      await expect(versions.nth(0)).toContainText('Changed title, views');
      await expect(versions.nth(0)).toContainText('Current');
      await expect(versions.nth(1)).toContainText('Created');
      await expect(versions.nth(0).getByTestId('actor-chip')).toHaveAttribute(
        'data-actor-type',
        'admin',
      );

      // The newest version is what the record is: nothing to revert to.
      await expect(dialog.getByRole('button', { name: 'Revert to this version' })).toBeHidden();
      await expect(
        dialog.getByTestId('record-diff').locator('[data-field="title"]'),
      ).toHaveAttribute('data-kind', 'changed');

      await versions.nth(1).click();
      await dialog.getByRole('button', { name: 'Revert to this version' }).click();
      const confirm = dialog.getByRole('group', { name: 'Confirm revert' });
      await expect(confirm).toContainText('Revert record 1 to version');
      const preview = dialog.getByRole('table', { name: 'Changes the revert makes' });
      await expect(preview.locator('[data-field="title"] td').last()).toHaveText('Hello');
      await expect(preview.locator('[data-field="views"] td').last()).toHaveText('1');
      await shot(page, 'record-history');

      await confirm.getByRole('button', { name: 'Revert record' }).click();
      await expect(page.getByText(/Record 1 reverted to version/)).toBeVisible();
      await expect(versions).toHaveCount(3);
      await expect(versions.nth(0)).toContainText('Changed title, views');

      const record = await admin<{ title: string; views: number }>('GET', `${base}/data/posts/1`);
      expect(record).toMatchObject({ title: 'Hello', views: 1 });

      // The form shows the record as the revert left it.
      await dialog.getByRole('tab', { name: 'Edit' }).click();
      await expect(dialog.getByLabel(/^title/i)).toHaveValue('Hello');
      await expect(dialog.getByLabel(/^views/i)).toHaveValue('1');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await expect(dialog).toBeHidden();
    });

    await test.step('the revert is itself in the audit log', async () => {
      await page.goto(`/projects/${projectId}/logs?collection=posts&record_id=1`);
      await expect(page.getByTestId('action-chip')).toHaveText(['update', 'update', 'create']);
    });
  });
});
