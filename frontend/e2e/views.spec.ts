import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { join } from 'node:path';

const SCREENSHOTS = join(import.meta.dirname, '../../screenshots');
const uid = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const PASSWORD = 'correct-horse-battery';

async function shot(page: Page, name: string) {
  for (const button of await page.getByRole('button', { name: 'Dismiss notification' }).all()) {
    await button.click({ timeout: 1000 }).catch(() => undefined);
  }
  await expect(page.locator('[data-toast]')).toHaveCount(0, { timeout: 8000 });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

function apiAs(request: APIRequestContext, token: string) {
  return async <T>(method: string, path: string, data?: unknown): Promise<T> => {
    const res = await request.fetch(path, {
      method,
      headers: { authorization: `Bearer ${token}` },
      data,
    });
    expect(res.ok(), `${method} ${path} → ${res.status()} ${await res.text()}`).toBe(true);
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  };
}

test('views: build a view with a join and an aggregate, preview rows and SQL, save, edit, roll back', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/register');
  await page.getByLabel('Email').fill(`views-${uid()}@example.com`);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/projects$/);
  await page.getByRole('button', { name: 'New project' }).first().click();
  const projectDialog = page.getByRole('dialog', { name: 'Create project' });
  await projectDialog.getByLabel('Project name').fill('Blog');
  await projectDialog.getByRole('button', { name: 'Create project' }).click();
  await expect(page).toHaveURL(/\/projects\/[^/?]+$/);
  const projectId = new URL(page.url()).pathname.split('/')[2] ?? '';
  const base = `/api/projects/${projectId}`;
  const raw = await page.evaluate(() => localStorage.getItem('backendify.tokens'));
  const admin = apiAs(
    page.request,
    (JSON.parse(raw ?? '{}') as { accessToken: string }).accessToken,
  );

  const categories = await admin<{ id: string }>('POST', `${base}/schema/collections`, {
    name: 'categories',
  });
  const posts = await admin<{ id: string }>('POST', `${base}/schema/collections`, {
    name: 'posts',
  });
  await admin('POST', `${base}/schema/collections/categories/fields`, {
    name: 'name',
    field_type: 'string',
  });
  await admin('POST', `${base}/schema/collections/posts/fields`, {
    name: 'title',
    field_type: 'string',
  });
  await admin('POST', `${base}/schema/collections/posts/fields`, {
    name: 'price',
    field_type: 'int',
  });
  await admin('POST', `${base}/schema/relations/collections/${posts.id}/relations`, {
    name: 'category',
    display_name: 'Category',
    target_collection_id: categories.id,
    relation_type: 'many_to_one',
    on_delete: 'SET NULL',
  });
  const news = await admin<{ id: number }>('POST', `${base}/data/categories`, { name: 'News' });
  const tech = await admin<{ id: number }>('POST', `${base}/data/categories`, { name: 'Tech' });
  for (const [title, price, category] of [
    ['hello', 10, news.id],
    ['again', 20, news.id],
    ['chips', 30, tech.id],
  ] as const)
    await admin('POST', `${base}/data/posts`, { title, price, category });

  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Views', exact: true })
    .click();
  await expect(page.getByRole('heading', { name: 'Views', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'New view' }).first().click();

  await page.getByLabel('Name', { exact: true }).fill('posts_by_category');
  await page.getByLabel('Base collection').selectOption('posts');
  await page.getByLabel('Join category → categories').check();
  await page.getByRole('checkbox', { name: 'category.name', exact: true }).check();
  await page.getByRole('checkbox', { name: 'Group by category.name' }).check();
  await page.getByRole('button', { name: 'Add aggregate' }).click();
  await page.getByLabel('Aggregate 1 name').fill('post_count');
  await page.getByRole('button', { name: 'Add aggregate' }).click();
  await page.getByLabel('Aggregate 2 function').selectOption('sum');
  await page.getByLabel('Aggregate 2 field').selectOption('price');
  await page.getByLabel('Aggregate 2 name').fill('total');

  const preview = page.getByRole('region', { name: 'Preview rows' });
  await expect(page.getByTestId('preview-total')).toHaveText('2 rows');
  await expect(preview.getByRole('row', { name: /News 2 30/ })).toBeVisible();
  await expect(preview.getByRole('row', { name: /Tech 1 30/ })).toBeVisible();
  const sql = page.getByRole('region', { name: 'Generated SQL' });
  await expect(sql).toContainText('LEFT JOIN "p_');
  await expect(sql).toContainText('GROUP BY "t1"."name"');
  await expect(sql).toContainText('sum("t0"."price") AS "total"');
  await page.getByRole('heading', { name: 'Views', level: 1 }).scrollIntoViewIfNeeded();
  await shot(page, 'views');

  await page.getByRole('button', { name: 'Save view' }).click();
  await expect(page.getByText('View “posts_by_category” saved (version 1)')).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Views list' })).toContainText(
    'posts_by_category',
  );
  await expect(page.getByRole('region', { name: 'Preview rows' })).toContainText('News');

  // Edit: a filter makes version 2.
  await page.getByRole('button', { name: 'Edit' }).click();
  await page.getByRole('button', { name: 'Add filter' }).click();
  await page.getByLabel('Filter 1 field').selectOption('price');
  await page.getByLabel('Filter 1 operator').selectOption('gte');
  await page.getByLabel('Filter 1 value').fill('15');
  await expect(
    page.getByRole('region', { name: 'Preview rows' }).getByRole('row', { name: /News 1 20/ }),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Save new version' }).click();
  await expect(page.getByText('View “posts_by_category” saved (version 2)')).toBeVisible();
  const versions = page.getByRole('table', { name: 'Versions' });
  await expect(versions.getByRole('row')).toHaveCount(3);

  // Roll back to version 1: written back as version 3.
  await page.getByRole('button', { name: 'Roll back to version 1' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Roll back' }).click();
  await expect(page.getByText('now version 3')).toBeVisible();
  await expect(versions.getByRole('row')).toHaveCount(4);
  await expect(
    page.getByRole('region', { name: 'Preview rows' }).getByRole('row', { name: /News 2 30/ }),
  ).toBeVisible();

  const run = await admin<{ data: unknown[]; view_version: number }>(
    'POST',
    `${base}/views/posts_by_category/execute`,
    {},
  );
  expect(run.view_version).toBe(3);
  expect(run.data).toHaveLength(2);
});
