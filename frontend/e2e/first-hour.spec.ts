import { expect, test, type Page } from '@playwright/test';
import { apiAs, signIn, uid } from './support';

// Issue 14.2, each obstacle of a new user's first hour reproduced first, then fixed: nothing
// lost, nothing broken.

async function setUp(page: Page) {
  const call = apiAs(page.request, await signIn(page, `first-${uid()}@example.com`));
  const project = await call<{ id: string }>('POST', '/api/projects', { name: 'First hour' });
  const base = `/api/projects/${project.id}`;
  await call('POST', `${base}/schema/collections`, { name: 'posts' });
  for (const name of ['title', 'view_count'])
    await call('POST', `${base}/schema/collections/posts/fields`, {
      name,
      field_type: name === 'title' ? 'string' : 'int',
    });
  await call('POST', `${base}/schema/collections/posts/policies`, {
    name: 'Public read',
    action: 'list',
    allowed_principals: ['anonymous', 'app_user'],
  });
  return { projectUrl: `/projects/${project.id}` };
}

/** The page's width beyond the viewport: 0 when nothing overflows sideways. */
const overflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

test('first hour: import survives a cancelled picker, underscores show, unsaved settings are guarded, phones fit', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.emulateMedia({ colorScheme: 'light' });
  const { projectUrl } = await setUp(page);

  await test.step('the Import dialog stays open when the file picker is cancelled', async () => {
    await page.goto(`${projectUrl}/data?collection=posts`);
    await page.getByRole('button', { name: 'Import' }).first().click();
    const dialog = page.getByRole('dialog', { name: /Import/ });
    await expect(dialog).toBeVisible();
    // What Chromium does when the picker is dismissed or the same file is chosen again: a
    // `cancel` event that bubbles from the input to the <dialog>.
    await dialog
      .locator('input[type="file"]')
      .evaluate((input) => input.dispatchEvent(new Event('cancel', { bubbles: true })));
    await expect(dialog).toBeVisible();
    // Escape on the dialog itself still closes it.
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
  });

  await test.step('underscores are visible in identifier inputs', async () => {
    await page.goto(`${projectUrl}/schema`);
    await page.getByRole('button', { name: 'Add field' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Add field' });
    const name = dialog.getByLabel('Name', { exact: true });
    await name.fill('view_count');
    await expect(name).toHaveValue('view_count');
    await name.blur();
    const withUnderscore = await name.screenshot();
    await name.evaluate((el: HTMLInputElement) => {
      // The same text with a space, drawn in the same input: the pixels must differ.
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
      setter?.call(el, 'view count');
    });
    const withSpace = await name.screenshot();
    expect(withUnderscore.equals(withSpace)).toBe(false);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  await test.step('unsaved authentication settings are not lost on navigation', async () => {
    await page.goto(`${projectUrl}/auth`);
    const lifetime = page.getByLabel(/Access token lifetime/);
    await lifetime.fill('45');
    await expect(page.getByTestId('unsaved-changes')).toBeVisible();
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Data' })
      .click();
    const confirm = page.getByRole('dialog', { name: 'Discard unsaved changes?' });
    await expect(confirm).toBeVisible();
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect(page).toHaveURL(/\/auth$/);
    await expect(lifetime).toHaveValue('45');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByTestId('unsaved-changes')).toBeHidden();
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Data' })
      .click();
    await expect(page).toHaveURL(/\/data/);
    await page.goto(`${projectUrl}/auth`);
    await expect(page.getByLabel(/Access token lifetime/)).toHaveValue('45');
    // Discarding on purpose leaves.
    await page.getByLabel(/Access token lifetime/).fill('50');
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Data' })
      .click();
    await page
      .getByRole('dialog', { name: 'Discard unsaved changes?' })
      .getByRole('button', { name: 'Discard changes' })
      .click();
    await expect(page).toHaveURL(/\/data/);
  });

  await test.step('on a 390 px phone nothing overflows sideways and dialogs fit the screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const path of [
      '',
      '/schema',
      '/data?collection=posts',
      '/policies',
      '/auth',
      '/api-keys',
    ]) {
      await page.goto(projectUrl + path);
      await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
      expect(await overflow(page), `horizontal overflow on ${path || '/'}`).toBeLessThanOrEqual(0);
    }
    await page.goto(`${projectUrl}/schema`);
    await page.getByRole('button', { name: 'Add field' }).first().click();
    const field = page.getByRole('dialog', { name: 'Add field' });
    const box = await field.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await field.getByRole('button', { name: 'Cancel' }).click();

    await page.goto(`${projectUrl}/policies`);
    await page
      .getByRole('button', { name: /New policy|Add policy|Create policy/ })
      .first()
      .click();
    const policy = page.getByRole('dialog').first();
    const pbox = await policy.boundingBox();
    expect(pbox!.x).toBeGreaterThanOrEqual(0);
    expect(pbox!.x + pbox!.width).toBeLessThanOrEqual(390);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
  });
});
