import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { apiAs, signIn, uid } from './support';

// Issue 14.4, 14.5 and 14.9: the record form knows the schema, Relation is a field type in Add
// field, and import previews and maps columns; an export imports back as is.

const SCREENSHOTS = join(import.meta.dirname, '../../screenshots');

type Call = ReturnType<typeof apiAs>;
interface Row {
  id: number;
  [key: string]: unknown;
}

async function blogProject(call: Call) {
  const project = await call<{ id: string }>('POST', '/api/projects', { name: `Forms ${uid()}` });
  const base = `/api/projects/${project.id}`;
  const field = (collection: string, body: Record<string, unknown>) =>
    call('POST', `${base}/schema/collections/${collection}/fields`, body);
  const categories = await call<{ id: string }>('POST', `${base}/schema/collections`, {
    name: 'categories',
    display_name: 'Categories',
  });
  await field('categories', { name: 'name', display_name: 'Name', field_type: 'string' });
  await call('PATCH', `${base}/schema/collections/categories`, { display_field: 'name' });
  const posts = await call<{ id: string }>('POST', `${base}/schema/collections`, {
    name: 'posts',
    display_name: 'Posts',
  });
  await field('posts', {
    name: 'title',
    display_name: 'Headline',
    field_type: 'string',
    is_required: true,
  });
  await field('posts', {
    name: 'views',
    display_name: 'View count',
    field_type: 'int',
    default_value: 7,
  });
  await field('posts', { name: 'rating', display_name: 'Rating', field_type: 'float' });
  await field('posts', {
    name: 'price',
    display_name: 'Price',
    field_type: 'decimal',
    options: { precision: 8, scale: 2 },
  });
  await field('posts', {
    name: 'published',
    display_name: 'Published',
    field_type: 'bool',
    default_value: true,
  });
  await field('posts', {
    name: 'status',
    display_name: 'Status',
    field_type: 'enum',
    options: { values: ['draft', 'live'] },
    default_value: 'draft',
  });
  await field('posts', { name: 'day', display_name: 'Day', field_type: 'date' });
  await field('posts', { name: 'at', display_name: 'Published at', field_type: 'datetime' });
  await call('POST', `${base}/schema/relations/collections/${posts.id}/relations`, {
    name: 'category',
    display_name: 'Category',
    target_collection_id: categories.id,
    on_delete: 'SET NULL',
    display_field: 'name',
  });
  const ids: Record<string, number> = {};
  for (const name of ['Tech', 'Life']) {
    ids[name] = (await call<Row>('POST', `${base}/data/categories`, { name })).id;
  }
  return { id: project.id, base, categories: ids };
}

async function openPosts(page: Page, projectId: string) {
  await page.goto(`/projects/${projectId}/data?collection=posts`);
  await expect(page.getByTestId('record-total')).toBeVisible();
}

test('the record form uses the schema: names, toggles, numbers, defaults, enums, dates, relations', async ({
  page,
}) => {
  const call = apiAs(page.request, await signIn(page, `forms-${uid()}@example.com`));
  const p = await blogProject(call);
  await openPosts(page, p.id);
  await page.getByRole('button', { name: 'New record' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New record' });

  // Display names label the inputs; defaults are filled in.
  const views = dialog.getByLabel('View count');
  await expect(views).toHaveAttribute('type', 'number');
  await expect(views).toHaveValue('7');
  await expect(dialog.getByLabel('Rating')).toHaveAttribute('type', 'number');
  await expect(dialog.getByLabel('Price')).toHaveAttribute('type', 'number');
  const published = dialog.getByRole('switch', { name: 'Published' });
  await expect(published).toHaveAttribute('aria-checked', 'true');
  const status = dialog.getByLabel('Status');
  await expect(status).toHaveValue('draft');
  await expect(status.locator('option')).toHaveText(['None', 'draft', 'live']);
  await expect(dialog.getByLabel('Day')).toHaveAttribute('type', 'date');
  await expect(dialog.getByLabel('Published at')).toHaveAttribute('type', 'datetime-local');

  await dialog.getByLabel(/^Headline/).fill('Hello forms');
  await dialog.getByLabel('Rating').fill('4.5');
  await dialog.getByLabel('Price').fill('12.30');
  await published.click();
  await expect(published).toHaveAttribute('aria-checked', 'false');
  await status.selectOption('live');
  await dialog.getByLabel('Day').fill('2024-02-29');
  await dialog.getByLabel('Published at').fill('2024-03-01T10:20');

  // The relation picker searches the target and shows its display field, not the id.
  await dialog.getByLabel('Category').fill('Te');
  await dialog.getByRole('option').getByRole('button', { name: /Tech/ }).click();
  await expect(dialog.getByTestId('picked-record')).toContainText(`Tech #${p.categories.Tech}`);
  await page.screenshot({ path: join(SCREENSHOTS, 'record-form.png') });
  await dialog.getByRole('button', { name: 'Create record' }).click();
  await expect(dialog).toBeHidden();

  const list = await call<{ records: Row[] }>('GET', `${p.base}/data/posts`);
  expect(list.records).toHaveLength(1);
  const created = list.records[0] as Row;
  expect(created).toMatchObject({
    title: 'Hello forms',
    views: 7,
    rating: 4.5,
    price: '12.30',
    published: false,
    status: 'live',
    day: '2024-02-29',
    category_id: p.categories.Tech,
  });
  expect(new Date(String(created.at)).getTime()).toBe(new Date('2024-03-01T10:20').getTime());

  // Editing shows the chosen record by its display field.
  await page.getByRole('button', { name: `Open record ${created.id}` }).click();
  const edit = page.getByRole('dialog', { name: `Edit record ${created.id}` });
  await expect(edit.getByTestId('picked-record')).toContainText('Tech');
  await expect(edit.getByRole('switch', { name: 'Published' })).toHaveAttribute(
    'aria-checked',
    'false',
  );
  await edit.getByRole('button', { name: 'Cancel' }).click();

  // The filter bar offers a record picker for the relation, and its chip names the record.
  await call('POST', `${p.base}/data/posts`, { title: 'Other', category_id: p.categories.Life });
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByTestId('record-total')).toHaveText('2 records');
  await page.getByRole('button', { name: 'Filter' }).click();
  const popover = page.getByRole('dialog', { name: 'Add filter' });
  await popover.getByLabel('Field').selectOption('category_id');
  await popover.getByLabel('Value').fill('Li');
  await popover.getByRole('option').getByRole('button', { name: /Life/ }).click();
  await expect(popover.getByTestId('picked-record')).toContainText('Life');
  await popover.getByRole('button', { name: 'Add filter' }).click();
  await expect(page).toHaveURL(
    new RegExp(`category_id__eq%3D${p.categories.Life}|category_id__eq=${p.categories.Life}`),
  );
  await expect(page.getByTestId('filter-chip')).toContainText('Life');
  await expect(page.getByTestId('record-total')).toHaveText('1 record');
});

test('Relation is a field type in Add field, picked with the keyboard, and works in data', async ({
  page,
}) => {
  const call = apiAs(page.request, await signIn(page, `forms-rel-${uid()}@example.com`));
  const p = await blogProject(call);
  await call('POST', `${p.base}/schema/collections`, { name: 'authors', display_name: 'Authors' });
  await call('POST', `${p.base}/schema/collections/authors/fields`, {
    name: 'full_name',
    display_name: 'Full name',
    field_type: 'string',
  });
  const ada = await call<Row>('POST', `${p.base}/data/authors`, { full_name: 'Ada Lovelace' });
  await call('POST', `${p.base}/data/authors`, { full_name: 'Grace Hopper' });

  await page.goto(`/projects/${p.id}/schema?collection=posts`);
  await page
    .getByTestId('collection-detail')
    .getByRole('button', { name: 'Add field' })
    .first()
    .click();
  const dialog = page.getByRole('dialog', { name: 'Add field' });
  // The name follows the display name.
  await dialog.getByLabel('Display name').fill('Written by');
  await expect(dialog.getByLabel('Name', { exact: true })).toHaveValue('written_by');

  // One tab stop; arrows move the choice.
  const radios = dialog.getByRole('radiogroup', { name: 'Field type' }).getByRole('radio');
  await expect(radios.and(page.locator('[tabindex="0"]'))).toHaveCount(1);
  await dialog.getByRole('radio', { name: 'String', exact: true }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(dialog.getByRole('radio', { name: 'Text', exact: true })).toBeFocused();
  await expect(dialog.getByRole('radio', { name: 'Text', exact: true })).toHaveAttribute(
    'aria-checked',
    'true',
  );
  await page.keyboard.press('ArrowLeft');
  await expect(dialog.getByRole('radio', { name: 'String', exact: true })).toBeFocused();
  await page.keyboard.press('End');
  const relation = dialog.getByRole('radio', { name: 'Relation', exact: true });
  await expect(relation).toBeFocused();
  await expect(relation).toHaveAttribute('aria-checked', 'true');
  await expect(relation).toHaveAttribute('tabindex', '0');
  await expect(radios.and(page.locator('[tabindex="0"]'))).toHaveCount(1);
  await page.keyboard.press('Shift+Tab');
  await expect(relation).not.toBeFocused();
  await page.keyboard.press('Tab');
  await expect(relation).toBeFocused();

  await dialog.getByLabel('Links to').selectOption({ label: 'Authors' });
  // The kinds in plain words.
  await expect(dialog.getByText('Each post has one author', { exact: true })).toBeVisible();
  await expect(dialog.getByText('A post has many authors', { exact: true })).toBeVisible();
  await dialog.getByText('Each post has one author', { exact: true }).click();
  await dialog.getByLabel('Display field').selectOption({ label: 'Full name' });
  await dialog.getByLabel('When an author is deleted').selectOption('SET NULL');
  await dialog.getByRole('button', { name: 'Add field' }).click();
  await expect(dialog).toBeHidden();

  const relations = await call<
    {
      name: string;
      relation_type: string;
      relation_on_delete: string;
      relation_display_field: string | null;
    }[]
  >('GET', `${p.base}/schema/relations`);
  expect(relations.find((r) => r.name === 'written_by')).toMatchObject({
    relation_type: 'many_to_one',
    relation_on_delete: 'SET NULL',
    relation_display_field: 'full_name',
  });

  // The new relation field works in data: picked by its display field, stored as an id.
  await openPosts(page, p.id);
  await page.getByRole('button', { name: 'New record' }).first().click();
  const form = page.getByRole('dialog', { name: 'New record' });
  await form.getByLabel(/^Headline/).fill('By Ada');
  await form.getByLabel('Written by').fill('Ada');
  await form
    .getByRole('option')
    .getByRole('button', { name: /Ada Lovelace/ })
    .click();
  await expect(form.getByTestId('picked-record').last()).toContainText('Ada Lovelace');
  await form.getByRole('button', { name: 'Create record' }).click();
  await expect(form).toBeHidden();
  const rows = await call<{ records: Row[] }>('GET', `${p.base}/data/posts`);
  expect(rows.records[0]).toMatchObject({ title: 'By Ada', written_by_id: ada.id });
});

test('import previews the first rows with column mapping; an export imports back as is', async ({
  page,
}) => {
  const call = apiAs(page.request, await signIn(page, `forms-imp-${uid()}@example.com`));
  const p = await blogProject(call);
  await openPosts(page, p.id);

  await test.step('preview, detected types and mapping', async () => {
    await page.getByRole('button', { name: 'Import' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Import records' });
    const csv = `Headline,View count,colour,category,Rating\nFirst,10,red,${p.categories.Tech},1.5\nSecond,20,blue,${p.categories.Life},2\n`;
    await dialog
      .getByLabel('File to import')
      .setInputFiles({ name: 'posts.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const preview = dialog.getByTestId('import-preview');
    await expect(preview).toContainText('2 rows in 5 columns');
    await expect(preview.getByRole('row').nth(1)).toContainText('First');
    // Guessed from display names, field names and keys; unknown columns are skipped.
    await expect(dialog.getByLabel('Column Headline goes to')).toHaveValue('title');
    await expect(dialog.getByLabel('Column View count goes to')).toHaveValue('views');
    await expect(dialog.getByLabel('Column category goes to')).toHaveValue('category_id');
    await expect(dialog.getByLabel('Column colour goes to')).toHaveValue('');
    await expect(preview.getByRole('columnheader', { name: /View count/ })).toContainText(
      'looks like int',
    );
    await expect(preview.getByRole('columnheader', { name: /Rating/ })).toContainText(
      'looks like float',
    );
    // A column mapped to a field of another type is flagged before import.
    await dialog.getByLabel('Column colour goes to').selectOption('views');
    await expect(dialog.getByText('Two columns fill views')).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Import', exact: true })).toBeDisabled();
    await dialog.getByLabel('Column View count goes to').selectOption('');
    await expect(preview.getByRole('columnheader', { name: /colour/ })).toContainText(
      'int field: rows may be refused',
    );
    await dialog.getByLabel('Column colour goes to').selectOption('');
    await dialog.getByLabel('Column View count goes to').selectOption('views');
    await dialog.getByLabel('Column Rating goes to').selectOption('');
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(dialog.getByText('Imported 2 records')).toBeVisible();
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    const rows = await call<{ records: Row[] }>('GET', `${p.base}/data/posts?sort=id`);
    expect(rows.records.map((r) => [r.title, r.views, r.category_id, r.rating])).toEqual([
      ['First', 10, p.categories.Tech, null],
      ['Second', 20, p.categories.Life, null],
    ]);
  });

  await test.step('export → import: the copies equal the originals', async () => {
    await call('POST', `${p.base}/data/posts`, {
      title: '=SUM(1,2) "quoted", with comma',
      views: -3,
      rating: 0.25,
      price: '-1.50',
      published: false,
      status: null,
      day: '1999-12-31',
      at: '1999-12-31T23:59:59.000Z',
      category_id: null,
    });
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(page.getByTestId('record-total')).toHaveText('3 records');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export' }).click();
    await page.getByRole('menuitem', { name: 'Export as CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('posts.csv');
    const exported = readFileSync((await file.path()) ?? '', 'utf8');

    await page.getByRole('button', { name: 'Import' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Import records' });
    await dialog
      .getByLabel('File to import')
      .setInputFiles({ name: 'posts.csv', mimeType: 'text/csv', buffer: Buffer.from(exported) });
    await expect(dialog.getByLabel('Column id goes to')).toHaveValue('');
    await expect(dialog.getByLabel('Column id goes to').locator('option').first()).toHaveText(
      'Skip (set by the server)',
    );
    await expect(dialog.getByLabel('Column category_id goes to')).toHaveValue('category_id');
    await expect(dialog.getByTestId('import-preview')).toContainText('3 rows in');
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(dialog.getByText('Imported 3 records')).toBeVisible();
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();

    const all = (await call<{ records: Row[] }>('GET', `${p.base}/data/posts?sort=id`)).records;
    expect(all).toHaveLength(6);
    const strip = ({ id: _i, created_at: _c, updated_at: _u, created_by_user_id: _b, ...r }: Row) =>
      r;
    // The export follows the grid's order, so the copies are compared in title order.
    const byTitle = (rows: Row[]) =>
      rows.map(strip).sort((x, y) => String(x.title).localeCompare(String(y.title)));
    expect(byTitle(all.slice(3))).toEqual(byTitle(all.slice(0, 3)));
  });
});
