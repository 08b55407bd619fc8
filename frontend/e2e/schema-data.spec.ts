import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const SCREENSHOTS = join(import.meta.dirname, '../../screenshots');
async function dismissToasts(page: Page) {
  for (const button of await page.getByRole('button', { name: 'Dismiss notification' }).all()) {
    await button.click({ timeout: 1000 }).catch(() => undefined);
  }
}

async function shot(page: Page, name: string, { keepToasts = false } = {}) {
  if (!keepToasts) await dismissToasts(page);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

const uid = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const PASSWORD = 'correct-horse-battery';

async function adminToken(page: Page): Promise<string> {
  const raw = await page.evaluate(() => localStorage.getItem('backendify.tokens'));
  return (JSON.parse(raw ?? '{}') as { accessToken: string }).accessToken;
}

async function createCollection(page: Page, name: string) {
  await page.getByRole('button', { name: 'New collection' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Create collection' });
  await dialog.getByLabel('Name', { exact: true }).fill(name);
  await dialog.getByRole('button', { name: 'Create collection' }).click();
  await expect(dialog).toBeHidden();
  await expect(page).toHaveURL(new RegExp(`collection=${name}`));
  await expect(
    page.getByTestId('collection-detail').getByRole('heading', { level: 2 }),
  ).toBeVisible();
}

interface FieldSpec {
  name: string;
  type: string;
  required?: boolean;
  defaultValue?: string;
}

async function addField(page: Page, spec: FieldSpec) {
  await page
    .getByTestId('collection-detail')
    .getByRole('button', { name: 'Add field' })
    .first()
    .click();
  const dialog = page.getByRole('dialog', { name: 'Add field' });
  await dialog.getByLabel('Name', { exact: true }).fill(spec.name);
  await dialog.getByRole('radio', { name: spec.type, exact: true }).click();
  if (spec.required) await dialog.getByRole('switch', { name: 'Required' }).click();
  if (spec.defaultValue !== undefined) {
    await dialog.getByLabel('Default value').selectOption(spec.defaultValue);
  }
  await dialog.getByRole('button', { name: 'Add field' }).click();
  await expect(dialog).toBeHidden();
  await expect(
    page.locator(`[data-testid="field-row"][data-field-name="${spec.name}"]`),
  ).toBeVisible();
}

test.describe('schema builder and data explorer', () => {
  test.beforeEach(async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light' });
  });

  test('build a blog schema, then browse, filter, sort, page, edit, import and export', async ({
    page,
  }) => {
    test.setTimeout(240_000);
    const email = `blog-${uid()}@example.com`;

    await page.goto('/register');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page).toHaveURL(/\/projects$/);
    await page.getByRole('button', { name: 'New project' }).first().click();
    const projectDialog = page.getByRole('dialog', { name: 'Create project' });
    await projectDialog.getByLabel('Project name').fill('Acme Blog');
    await projectDialog.getByRole('button', { name: 'Create project' }).click();
    await expect(page).toHaveURL(/\/projects\/[^/?]+$/);
    const projectId = new URL(page.url()).pathname.split('/')[2] ?? '';
    const api = `/api/projects/${projectId}`;

    await test.step('empty schema invites a first collection; names are checked client-side', async () => {
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Schema', exact: true })
        .click();
      await expect(page.getByRole('heading', { name: 'Schema', level: 1 })).toBeVisible();
      await expect(page.getByText('Create your first collection')).toBeVisible();

      await page.getByRole('button', { name: 'New collection' }).first().click();
      const dialog = page.getByRole('dialog', { name: 'Create collection' });
      await dialog.getByLabel('Name', { exact: true }).fill('1posts');
      await expect(dialog.getByText('Must start with a lowercase letter.')).toBeVisible();
      await dialog.getByLabel('Name', { exact: true }).fill('Blog Posts');
      await expect(dialog.getByText('Must start with a lowercase letter.')).toBeVisible();
      await dialog.getByLabel('Name', { exact: true }).fill('blog posts');
      await expect(
        dialog.getByText('Use only lowercase letters, digits and underscores.'),
      ).toBeVisible();
      await expect(dialog.getByRole('button', { name: 'Create collection' })).toBeDisabled();
      await dialog.getByRole('button', { name: 'Cancel' }).click();
    });

    await test.step('categories, posts and comments', async () => {
      await createCollection(page, 'categories');
      await addField(page, { name: 'name', type: 'String', required: true });

      await createCollection(page, 'posts');
      await addField(page, { name: 'title', type: 'String', required: true });
      await addField(page, { name: 'body', type: 'Text' });
      await addField(page, { name: 'published', type: 'Boolean', defaultValue: 'false' });
      await addField(page, { name: 'views', type: 'Integer' });

      await createCollection(page, 'comments');
      await addField(page, { name: 'body', type: 'Text', required: true });
    });

    await test.step('server errors are shown in the dialog', async () => {
      await page
        .getByTestId('collection-detail')
        .getByRole('button', { name: 'Add field' })
        .first()
        .click();
      const dialog = page.getByRole('dialog', { name: 'Add field' });
      await dialog.getByLabel('Name', { exact: true }).fill('body');
      await dialog.getByRole('button', { name: 'Add field' }).click();
      await expect(dialog.getByRole('alert').first()).toContainText('already exists');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await expect(dialog).toBeHidden();
    });

    await test.step('edit a collection; delete one by typing its name', async () => {
      await page
        .getByRole('navigation', { name: 'Collections' })
        .getByRole('button', { name: 'Categories' })
        .click();
      await page.getByRole('button', { name: 'Collection actions' }).click();
      await page.getByRole('menuitem', { name: 'Edit collection' }).click();
      const edit = page.getByRole('dialog', { name: 'Edit collection' });
      await edit.getByLabel('Description').fill('Groups of posts');
      await edit.getByRole('button', { name: 'tag', exact: true }).click();
      await edit.getByLabel('Display field').selectOption('name');
      await edit.getByRole('button', { name: 'Save changes' }).click();
      await expect(edit).toBeHidden();
      const detail = page.getByTestId('collection-detail');
      await expect(detail).toContainText('Groups of posts');
      await expect(detail).toContainText('display field name');

      await createCollection(page, 'scratch');
      await page.getByRole('button', { name: 'Collection actions' }).click();
      await page.getByRole('menuitem', { name: 'Delete collection' }).click();
      const del = page.getByRole('dialog', { name: 'Delete collection' });
      const confirm = del.getByRole('button', { name: 'Delete collection' });
      await expect(confirm).toBeDisabled();
      await del.getByLabel(/to confirm/).fill('scratc');
      await expect(confirm).toBeDisabled();
      await del.getByLabel(/to confirm/).fill('scratch');
      await confirm.click();
      await expect(del).toBeHidden();
      await expect(
        page
          .getByRole('navigation', { name: 'Collections' })
          .getByRole('button', { name: 'Scratch' }),
      ).toHaveCount(0);
    });

    await test.step('add, edit and delete an enum field', async () => {
      await page
        .getByRole('navigation', { name: 'Collections' })
        .getByRole('button', { name: 'Posts' })
        .click();
      await expect(page).toHaveURL(/collection=posts/);
      await page
        .getByTestId('collection-detail')
        .getByRole('button', { name: 'Add field' })
        .first()
        .click();
      const dialog = page.getByRole('dialog', { name: 'Add field' });
      await dialog.getByLabel('Name', { exact: true }).fill('status');
      await dialog.getByLabel('Display name').fill('Status');
      await dialog.getByRole('radio', { name: 'Enum', exact: true }).click();
      for (const value of ['draft', 'review', 'live']) {
        await dialog.getByLabel('Enum values', { exact: true }).fill(value);
        await dialog.getByLabel('Enum values', { exact: true }).press('Enter');
      }
      await dialog.getByLabel('Default value').selectOption('draft');
      await dialog.getByRole('switch', { name: 'Indexed' }).click();
      await shot(page, 'field-dialog');
      await dialog.getByRole('button', { name: 'Add field' }).click();
      await expect(dialog).toBeHidden();
      const row = page.locator('[data-testid="field-row"][data-field-name="status"]');
      await expect(row).toContainText('draft · review · live');
      await expect(row).toContainText('indexed');

      await page.getByRole('button', { name: 'Edit field status' }).click();
      const edit = page.getByRole('dialog', { name: 'Edit field' });
      await expect(edit.getByLabel('Name', { exact: true })).toBeDisabled();
      await edit.getByLabel('Display name').fill('Workflow status');
      await edit.getByRole('button', { name: 'Remove review' }).click();
      await edit.getByRole('button', { name: 'Save field' }).click();
      await expect(edit).toBeHidden();
      await expect(row).toContainText('Workflow status');
      await expect(row).toContainText('draft · live');

      await page.getByRole('button', { name: 'Delete field status' }).click();
      await page
        .getByRole('dialog', { name: 'Delete field' })
        .getByRole('button', { name: 'Delete field' })
        .click();
      await expect(row).toHaveCount(0);
    });

    await test.step('a relation from posts to categories (made through the API)', async () => {
      const token = await adminToken(page);
      const res = await page.request.post(`${api}/schema/relations`, {
        headers: { Authorization: `Bearer ${token}` },
        data: {
          source_collection: 'posts',
          target_collection: 'categories',
          relation_type: 'many_to_one',
          source_field: 'category',
          display_field: 'name',
        },
      });
      expect(res.status(), await res.text()).toBe(201);
      await page.reload();
      await expect(
        page.locator('[data-testid="field-row"][data-field-name="category"]'),
      ).toContainText('Relation');
      await expect(page.getByRole('button', { name: 'Edit field title' })).toBeVisible();
      await shot(page, 'schema-builder');
    });

    await test.step('the _users system collection is locked but accepts new fields', async () => {
      const nav = page.getByRole('navigation', { name: 'Collections' });
      await nav.getByRole('button', { name: /users/i }).click();
      await expect(page).toHaveURL(/collection=_users/);
      const emailRow = page.locator('[data-testid="field-row"][data-field-name="email"]');
      await expect(emailRow).toContainText('system');
      await expect(page.getByRole('button', { name: 'Delete field email' })).toHaveCount(0);
      await page.getByRole('button', { name: 'Edit field email' }).click();
      const edit = page.getByRole('dialog', { name: 'Edit field' });
      await expect(edit.getByText('Only its display name can be changed.')).toBeVisible();
      await expect(edit.getByRole('switch', { name: 'Required' })).toHaveCount(0);
      await edit.getByRole('button', { name: 'Cancel' }).click();
      await expect(page.getByRole('button', { name: 'Collection actions' })).toBeVisible();
    });

    await test.step('create categories in the Data Explorer', async () => {
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Data', exact: true })
        .click();
      await expect(page.getByRole('heading', { name: 'Data', level: 1 })).toBeVisible();
      await page
        .getByRole('navigation', { name: 'Collections' })
        .getByRole('button', { name: 'Categories' })
        .click();
      await expect(page).toHaveURL(/collection=categories/);
      await expect(page.getByText('No records in Categories yet')).toBeVisible();
      for (const name of ['Engineering', 'Design']) {
        await page.getByRole('button', { name: 'New record' }).first().click();
        const dialog = page.getByRole('dialog', { name: 'New record' });
        await dialog.getByLabel(/^name/i).fill(name);
        await dialog.getByRole('button', { name: 'Create record' }).click();
        await expect(dialog).toBeHidden();
      }
      await expect(page.getByTestId('record-total')).toHaveText('2 records');
    });

    await test.step('seed 60 posts through the bulk API, create one in the dialog', async () => {
      const token = await adminToken(page);
      const headers = { Authorization: `Bearer ${token}` };
      const cats = (await (
        await page.request.get(`${api}/data/categories?sort=name`, { headers })
      ).json()) as { records: { id: number; name: string }[] };
      const [design, engineering] = cats.records;
      const create = Array.from({ length: 60 }, (_, i) => ({
        title: `Post ${String(i + 1).padStart(2, '0')}`,
        body: `Body of post ${i + 1}`,
        published: i % 2 === 0,
        views: (i + 1) * 10,
        category_id: i % 3 === 0 ? design?.id : engineering?.id,
      }));
      const res = await page.request.post(`${api}/data/posts/bulk`, { headers, data: { create } });
      expect(res.ok(), await res.text()).toBe(true);

      await page
        .getByRole('navigation', { name: 'Collections' })
        .getByRole('button', { name: 'Posts' })
        .click();
      await expect(page.getByTestId('record-total')).toHaveText('60 records');
      await page.getByRole('button', { name: 'New record' }).first().click();
      const dialog = page.getByRole('dialog', { name: 'New record' });
      await dialog.getByLabel(/^title/i).fill('Hello world');
      await dialog.getByLabel(/^views/i).fill('12345');
      await dialog.getByRole('switch', { name: /^published/i }).click();
      await dialog.getByLabel(/^category/i).fill('Des');
      await dialog
        .getByRole('option')
        .getByRole('button', { name: /Design/ })
        .click();
      await expect(dialog.getByTestId('picked-record')).toContainText(
        `Design #${String(design?.id)}`,
      );
      await shot(page, 'data-record-dialog');
      await dialog.getByRole('button', { name: 'Create record' }).click();
      await expect(dialog).toBeHidden();
      await expect(page.getByTestId('record-total')).toHaveText('61 records');
    });

    const grid = page.getByRole('grid', { name: 'Records' });
    const firstCell = (column: string) =>
      grid.locator('[data-testid="record-row"]').first().locator(`[data-column="${column}"]`);

    await test.step('sort by clicking a column header', async () => {
      await grid.getByRole('button', { name: 'Sort by views' }).click();
      await expect(page).toHaveURL(/sort=views/);
      await expect(firstCell('views')).toHaveText('10');
      await grid.getByRole('button', { name: 'Sort by views' }).click();
      await expect(page).toHaveURL(/sort=-views/);
      await expect(firstCell('views')).toHaveText('12345');
      await expect(firstCell('category_id')).toContainText('Design');
      await expect(firstCell('published').getByLabel('true')).toBeVisible();
    });

    await test.step('paginate with page size and total', async () => {
      await expect(page.getByTestId('page-range')).toHaveText('1–25 of 61');
      await page.getByRole('button', { name: 'Next page' }).click();
      await expect(page).toHaveURL(/offset=25/);
      await expect(page.getByTestId('page-range')).toHaveText('26–50 of 61');
      await page.getByLabel('Rows per page').selectOption('50');
      await expect(page).toHaveURL(/limit=50/);
      await expect(page.getByTestId('page-range')).toHaveText('1–50 of 61');
      await page.getByRole('button', { name: 'Next page' }).click();
      await expect(page.getByTestId('page-range')).toHaveText('51–61 of 61');
      await expect(page.getByRole('button', { name: 'Next page' })).toBeDisabled();
      await page.getByRole('button', { name: 'Previous page' }).click();
    });

    await test.step('edit a cell inline; Escape cancels', async () => {
      // Clicking the views header scrolled the grid sideways; start from its left edge.
      await grid.evaluate((el) => el.scrollTo({ left: 0 }));
      const cell = firstCell('title');
      await cell.dblclick();
      const editor = grid.getByLabel('Edit title');
      await editor.fill('Discarded');
      await editor.press('Escape');
      await expect(editor).toHaveCount(0);
      await expect(cell).toHaveText('Hello world');

      await cell.dblclick();
      await grid.getByLabel('Edit title').fill('Hello, inline world');
      await grid.getByLabel('Edit title').press('Enter');
      await expect(grid.getByLabel('Edit title')).toHaveCount(0);
      await expect(cell).toHaveText('Hello, inline world');
      await expect(cell).toBeFocused();

      await cell.press('ArrowRight');
      await expect(firstCell('body')).toBeFocused();
      await page.keyboard.press('Enter');
      await grid.getByLabel('Edit body').fill('Edited from the keyboard');
      await page.keyboard.press('Enter');
      await expect(firstCell('body')).toHaveText('Edited from the keyboard');
      await shot(page, 'data-explorer');
    });

    await test.step('filter views ≥ 400 (filters live in the URL)', async () => {
      await page.getByRole('button', { name: /^Filter/ }).click();
      const popover = page.getByRole('dialog', { name: 'Add filter' });
      await popover.getByLabel('Field').selectOption('views');
      await expect(popover.getByLabel('Operator').locator('option')).toHaveText([
        'equals',
        'not equal',
        'greater than',
        'at least',
        'less than',
        'at most',
        'is one of',
        'is none of',
        'is empty',
        'between',
      ]);
      await popover.getByLabel('Operator').selectOption('gte');
      await popover.getByLabel('Value').fill('400');
      await popover.getByRole('button', { name: 'Add filter' }).click();
      await expect(page).toHaveURL(/views__gte%3D400|views__gte=400/);
      // Posts 40…60 (21) and the 12345-view post.
      await expect(page.getByTestId('record-total')).toHaveText('22 records');
      await expect(page.getByTestId('filter-chip')).toContainText('views≥ 400');

      await page.getByRole('button', { name: /^Filter/ }).click();
      await popover.getByLabel('Field').selectOption('published');
      await expect(popover.getByLabel('Operator').locator('option')).toHaveText([
        'equals',
        'not equal',
        'is empty',
      ]);
      await popover.getByLabel('Value').selectOption('true');
      await popover.getByRole('button', { name: 'Add filter' }).click();
      await expect(page.getByTestId('filter-chip')).toHaveCount(2);
      await expect(page.getByTestId('record-total')).toHaveText('11 records');
      await dismissToasts(page);
      await page.getByRole('button', { name: /^Filter/ }).click();
      await popover.getByLabel('Field').selectOption('title');
      await popover.getByLabel('Operator').selectOption('startswith');
      await popover.getByLabel('Value').fill('Post');
      // Clicking a toast away would close the popover, so they were dismissed before it opened.
      await shot(page, 'data-filter', { keepToasts: true });
      await popover.getByRole('button', { name: 'Cancel' }).click();

      // Filters survive a reload because they are in the URL.
      await page.reload();
      await expect(page.getByTestId('filter-chip')).toHaveCount(2);
      await expect(page.getByTestId('record-total')).toHaveText('11 records');
      await page.getByRole('button', { name: 'Remove filter on published' }).click();
      await expect(page.getByTestId('record-total')).toHaveText('22 records');
      await page.getByRole('button', { name: 'Remove filter on views' }).click();
      await expect(page.getByTestId('record-total')).toHaveText('61 records');
    });

    await test.step('import a CSV: bad rows are listed, a good file is imported', async () => {
      await page.getByRole('button', { name: 'Import' }).first().click();
      const dialog = page.getByRole('dialog', { name: 'Import records' });
      await dialog.getByLabel('File to import').setInputFiles({
        name: 'posts-bad.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from('title,views,published\nGood row,5,true\n,7,false\nThird,many,true\n'),
      });
      await dialog.getByRole('button', { name: 'Import', exact: true }).click();
      const errors = dialog.getByTestId('import-errors');
      await expect(errors).toBeVisible();
      await expect(errors.locator('tbody tr')).not.toHaveCount(0);
      await shot(page, 'data-import');

      await dialog.getByLabel('File to import').setInputFiles({
        name: 'posts.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(
          'title,views,published\nImported one,1,true\nImported two,2,false\nImported three,3,true\n',
        ),
      });
      await dialog.getByRole('button', { name: 'Import', exact: true }).click();
      await expect(dialog.getByText('Imported 3 records')).toBeVisible();
      await dialog.getByRole('button', { name: 'Close', exact: true }).click();
      await expect(page.getByTestId('record-total')).toHaveText('64 records');
    });

    await test.step('export CSV and JSON', async () => {
      const csvDownload = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Export' }).click();
      await page.getByRole('menuitem', { name: 'Export as CSV' }).click();
      const csv = await csvDownload;
      expect(csv.suggestedFilename()).toMatch(/posts.*\.csv$/);
      const csvText = readFileSync(await csv.path(), 'utf8');
      expect(csvText.split('\n')[0]).toContain('title');
      expect(csvText).toContain('Imported two');

      const jsonDownload = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Export' }).click();
      await page.getByRole('menuitem', { name: 'Export as JSON' }).click();
      const json = JSON.parse(readFileSync(await (await jsonDownload).path(), 'utf8')) as unknown[];
      expect(json).toHaveLength(64);
    });

    await test.step('bulk select and delete', async () => {
      const rows = grid.locator('[data-testid="record-row"]');
      await rows.nth(0).getByRole('checkbox').check();
      await rows.nth(1).getByRole('checkbox').check();
      await expect(page.getByTestId('bulk-bar')).toContainText('2 selected');
      await page.getByRole('button', { name: 'Delete selected' }).click();
      await page
        .getByRole('dialog', { name: 'Delete 2 records' })
        .getByRole('button', { name: 'Delete records' })
        .click();
      await expect(page.getByTestId('record-total')).toHaveText('62 records');
    });
  });
});
