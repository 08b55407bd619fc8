import { expect, test, type Locator, type Page } from '@playwright/test';
import { join } from 'node:path';
import { apiAs, seriousViolations, signIn, uid } from './support';

// Issue 14.6, room for data: a collapsible sidebar and collections panel, a pinned display
// column, a column chooser, resizable and reorderable columns kept per collection in this
// browser, and headers on empty tables.

const SCREENSHOTS = join(import.meta.dirname, '../../screenshots');

async function setUp(page: Page) {
  const call = apiAs(page.request, await signIn(page, `room-${uid()}@example.com`));
  const project = await call<{ id: string }>('POST', '/api/projects', { name: 'Room' });
  const base = `/api/projects/${project.id}`;
  await call('POST', `${base}/schema/collections`, { name: 'posts' });
  for (const [name, type] of [
    ['title', 'string'],
    ['body', 'text'],
    ['views', 'int'],
    ['published', 'boolean'],
    ['summary', 'text'],
    ['slug', 'string'],
  ])
    await call('POST', `${base}/schema/collections/posts/fields`, { name, field_type: type });
  await call('PATCH', `${base}/schema/collections/posts`, { display_field: 'title' });
  for (let i = 1; i <= 3; i++)
    await call('POST', `${base}/data/posts`, {
      title: `Post ${i}`,
      body: 'A long body of text '.repeat(5),
      views: i * 10,
      published: i % 2 === 0,
      summary: 'Summary',
      slug: `post-${i}`,
    });
  await call('POST', `${base}/schema/collections`, { name: 'drafts' });
  await call('POST', `${base}/schema/collections/drafts/fields`, {
    name: 'headline',
    field_type: 'string',
  });
  return `/projects/${project.id}`;
}

/** The grid's column keys, left to right. */
const headerOrder = (page: Page) =>
  page
    .getByTestId('column-header')
    .evaluateAll((els) => els.map((el) => el.getAttribute('data-column')));

const left = async (l: Locator) => (await l.boundingBox())!.x;

test('room for data: pinned display column, chooser, resize and reorder kept, empty headers, collapsible panels', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.emulateMedia({ colorScheme: 'light' });
  const projectUrl = await setUp(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${projectUrl}/data?collection=posts`);
  const grid = page.getByRole('grid', { name: 'Records' });
  await expect(page.getByTestId('record-row')).toHaveCount(3);

  await test.step('the display field is pinned first and stays in view when scrolling sideways', async () => {
    const order = await headerOrder(page);
    expect(order[0]).toBe('title');
    const title = page.locator('[data-testid="column-header"][data-column="title"]');
    await expect(title.getByLabel('pinned')).toBeVisible();
    const id = page.locator('[data-testid="column-header"][data-column="id"]');
    const [titleBefore, idBefore] = [await left(title), await left(id)];
    await grid.evaluate((el) => el.scrollBy({ left: 400 }));
    await expect.poll(() => left(id)).toBeLessThan(idBefore - 100);
    expect(await left(title)).toBe(titleBefore);
    const cell = page.getByTestId('record-row').first().locator('[data-column="title"]');
    expect(await left(cell)).toBe(titleBefore);
    await grid.evaluate((el) => el.scrollTo({ left: 0 }));
  });

  await test.step('the chooser hides, orders and pins columns', async () => {
    await page.getByRole('button', { name: /^Columns/ }).click();
    const chooser = page.getByRole('dialog', { name: 'Columns' });
    await chooser.getByRole('checkbox', { name: 'body' }).uncheck();
    // id, title, body, views → views, id, title, body (title stays pinned in front).
    for (let i = 0; i < 3; i++)
      await chooser.getByRole('button', { name: 'Move views up' }).click();
    await expect(chooser.getByRole('button', { name: 'Move views up' })).toBeDisabled();
    await page.screenshot({ path: join(SCREENSHOTS, 'data-grid-columns.png') });
    expect(await seriousViolations(page)).toEqual([]);
    await chooser.getByRole('button', { name: 'Done' }).click();
    await expect(page.getByRole('button', { name: 'Columns (1 hidden)' })).toBeVisible();
    expect(await headerOrder(page)).toEqual([
      'title',
      'views',
      'id',
      'published',
      'summary',
      'slug',
      'created_at',
      'updated_at',
    ]);
    // Pinning another column moves it to the front; the display field takes its place back.
    await page.getByRole('button', { name: /^Columns/ }).click();
    await chooser.getByRole('button', { name: 'Pin slug' }).click();
    await chooser.getByRole('button', { name: 'Done' }).click();
    expect((await headerOrder(page))[0]).toBe('slug');
    expect(await headerOrder(page)).toContain('title');
  });

  await test.step('a header edge resizes its column, by keyboard and by dragging', async () => {
    const views = page.locator('[data-testid="column-header"][data-column="views"]');
    const handle = page.getByRole('separator', { name: 'Resize views' });
    const before = Number(await handle.getAttribute('aria-valuenow'));
    await handle.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect(handle).toHaveAttribute('aria-valuenow', String(before + 32));
    await expect.poll(async () => (await views.boundingBox())!.width).toBe(before + 32);
    const box = (await handle.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2, { steps: 4 });
    await page.mouse.up();
    await expect(handle).toHaveAttribute('aria-valuenow', String(before + 92));
  });

  await test.step('dragging a header onto another reorders the columns', async () => {
    const published = page.locator('[data-testid="column-header"][data-column="published"]');
    const id = page.locator('[data-testid="column-header"][data-column="id"]');
    // HTML drag and drop, event by event with one DataTransfer (Playwright's documented way).
    const data = await page.evaluateHandle(() => new DataTransfer());
    await published.getByRole('button').dispatchEvent('dragstart', { dataTransfer: data });
    await id.dispatchEvent('dragenter', { dataTransfer: data });
    await id.dispatchEvent('dragover', { dataTransfer: data });
    await id.dispatchEvent('drop', { dataTransfer: data });
    await published.getByRole('button').dispatchEvent('dragend', { dataTransfer: data });
    const order = await headerOrder(page);
    expect(order.indexOf('published')).toBeLessThan(order.indexOf('id'));
  });

  await test.step('the arrangement survives a reload, per collection', async () => {
    const order = await headerOrder(page);
    const width = await page
      .getByRole('separator', { name: 'Resize views' })
      .getAttribute('aria-valuenow');
    await page.reload();
    await expect(page.getByTestId('record-row')).toHaveCount(3);
    expect(await headerOrder(page)).toEqual(order);
    await expect(page.getByRole('separator', { name: 'Resize views' })).toHaveAttribute(
      'aria-valuenow',
      width!,
    );
    await page.getByRole('button', { name: /^Columns/ }).click();
    await page
      .getByRole('dialog', { name: 'Columns' })
      .getByRole('button', { name: 'Reset columns' })
      .click();
    await page
      .getByRole('dialog', { name: 'Columns' })
      .getByRole('button', { name: 'Done' })
      .click();
    expect((await headerOrder(page)).slice(0, 3)).toEqual(['title', 'id', 'body']);
  });

  await test.step('an empty collection still shows its headers', async () => {
    await page.goto(`${projectUrl}/data?collection=drafts`);
    await expect(page.getByText('No records in')).toBeVisible();
    await expect(grid.getByRole('columnheader', { name: /headline/ })).toBeVisible();
    expect(await headerOrder(page)).toEqual(['id', 'headline', 'created_at', 'updated_at']);
  });

  await test.step('the collections panel and the sidebar collapse, and stay so', async () => {
    const collections = page.getByRole('navigation', { name: 'Collections' });
    const main = page.getByRole('navigation', { name: 'Main' });
    await expect(collections).toBeVisible();
    const gridLeft = await left(page.getByTestId('data-explorer'));
    await page.getByRole('button', { name: 'Hide collections' }).click();
    await expect(collections).toBeHidden();
    await page.getByRole('button', { name: 'Collapse sidebar' }).click();
    await expect(main).toBeHidden();
    await expect.poll(() => left(page.getByTestId('data-explorer'))).toBeLessThan(gridLeft - 300);
    await page.reload();
    await expect(page.getByTestId('data-explorer')).toBeVisible();
    await expect(collections).toBeHidden();
    await expect(main).toBeHidden();
    await page.getByRole('button', { name: 'Show collections' }).click();
    await expect(collections).toBeVisible();
    await page.getByRole('button', { name: 'Expand sidebar' }).click();
    await expect(main).toBeVisible();
    await expect(page.getByRole('button', { name: 'Expand sidebar' })).toHaveCount(0);
  });
});
