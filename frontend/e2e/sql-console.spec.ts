import { expect, test, type Page } from '@playwright/test';
import { join } from 'node:path';
import { apiAs, signIn, uid } from './support';

const SCREENSHOTS = join(import.meta.dirname, '../../screenshots');

async function shot(page: Page, name: string) {
  for (const button of await page.getByRole('button', { name: 'Dismiss notification' }).all()) {
    await button.click({ timeout: 1000 }).catch(() => undefined);
  }
  await expect(page.locator('[data-toast]')).toHaveCount(0, { timeout: 8000 });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

test('SQL console: completion offers a table, a query shows results, history lists it, writes need the switch', async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  await page.emulateMedia({ colorScheme: 'light' });
  const token = await signIn(page, `sql-${uid()}@example.com`);
  const api = apiAs(request, token);
  const project = await api<{ id: string }>('POST', '/api/projects', { name: 'SQL demo' });
  const base = `/api/projects/${project.id}`;
  await api('POST', `${base}/schema/collections`, { name: 'products', display_name: 'Products' });
  await api('POST', `${base}/schema/collections/products/fields`, {
    name: 'title',
    display_name: 'Title',
    field_type: 'string',
  });
  await api('POST', `${base}/schema/collections/products/fields`, {
    name: 'price',
    display_name: 'Price',
    field_type: 'int',
  });
  for (const [title, price] of [
    ['Lamp', 30],
    ['Desk', 250],
    ['Chair', 120],
  ] as const) {
    await api('POST', `${base}/data/products`, { title, price });
  }

  await page.goto(`/projects/${project.id}/sql`);
  await expect(page.getByRole('heading', { name: 'SQL' })).toBeVisible();
  await expect(page.getByTestId('sql-mode')).toHaveText('read-only');

  const editor = page.getByRole('textbox', { name: 'SQL statement' });
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  await page.keyboard.type('SELECT title, price FROM prod');
  const option = page.locator('.cm-tooltip-autocomplete li', { hasText: /^products/ }).first();
  await expect(option).toBeVisible();
  await option.click();
  await page.keyboard.type(' WHERE price > 100 ORDER BY price DESC');
  await page.getByRole('button', { name: 'Run' }).click();

  const results = page.getByRole('region', { name: 'Results' });
  await expect(page.getByTestId('sql-row-count')).toHaveText('2 rows');
  await expect(results.getByRole('columnheader', { name: /title/ })).toBeVisible();
  await expect(results.getByRole('cell', { name: 'Desk' })).toBeVisible();
  await expect(results.getByRole('cell', { name: 'Chair' })).toBeVisible();
  await expect(page.getByTestId('sql-history')).toContainText(
    'SELECT title, price FROM products WHERE price > 100',
  );

  // Read-only by default: PostgreSQL refuses the write and the page shows its words.
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type("UPDATE products SET price = 1 WHERE title = 'Lamp'");
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(
    page.getByText('cannot execute UPDATE in a read-only transaction', { exact: true }),
  ).toBeVisible();
  await page.getByRole('switch', { name: 'Allow writes' }).click();
  await expect(page.getByTestId('sql-mode')).toHaveText('read-write');
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByTestId('sql-row-count')).toHaveText('1 row');
  await page.getByRole('switch', { name: 'Allow writes' }).click();

  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('SELECT title, price FROM products ORDER BY price');
  await page.keyboard.press('Escape');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(page.getByTestId('sql-row-count')).toHaveText('3 rows');
  await expect(results.getByRole('cell', { name: '1', exact: true })).toBeVisible();
  await shot(page, 'sql-console');
});
