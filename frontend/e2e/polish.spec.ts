import { expect, test, type Page } from '@playwright/test';
import { apiAs, signIn, uid } from './support';

// Issue 14.10, each rough edge reproduced: page titles, first-field focus, sticky dialog footers,
// display names slugified into names, badge contrast, "Welcome" on a first run, a quiet
// schema-evolution preview.

async function setUp(page: Page) {
  const call = apiAs(page.request, await signIn(page, `polish-${uid()}@example.com`));
  const project = await call<{ id: string }>('POST', '/api/projects', { name: 'Polish blog' });
  const base = `/api/projects/${project.id}`;
  await call('POST', `${base}/schema/collections`, { name: 'posts' });
  await call('POST', `${base}/schema/collections/posts/fields`, {
    name: 'title',
    field_type: 'string',
  });
  return { call, base, projectUrl: `/projects/${project.id}` };
}

/** WCAG contrast of every badge's text on its own (tinted) background, composited in a canvas. */
const badgeContrasts = (page: Page) =>
  page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 1;
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    // Every ancestor's background, outermost first, painted over white: what the text sits on.
    const backdrop = (el: Element): string[] => {
      const layers: string[] = [];
      for (let e: Element | null = el; e; e = e.parentElement)
        layers.unshift(getComputedStyle(e).backgroundColor);
      return ['#fff', ...layers];
    };
    const paint = (layers: string[]) => {
      ctx.clearRect(0, 0, 1, 1);
      for (const l of layers) {
        ctx.fillStyle = l;
        ctx.fillRect(0, 0, 1, 1);
      }
      const [r, g, b] = ctx.getImageData(0, 0, 1, 1).data;
      const lin = (c: number) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
    };
    return Array.from(document.querySelectorAll('span.rounded-full.ring-1')).map((el) => {
      const bg = backdrop(el);
      const fg = paint([...bg, getComputedStyle(el).color]);
      const back = paint(bg);
      const [hi, lo] = fg > back ? [fg, back] : [back, fg];
      return { text: el.textContent, ratio: (hi + 0.05) / (lo + 0.05) };
    });
  });

test('polish: titles, focus, sticky footers, slugified names, badge contrast, Welcome, quiet preview', async ({
  browser,
  page,
}) => {
  test.setTimeout(120_000);

  await test.step('a first run says "Welcome", a returning browser "Welcome back"', async () => {
    const fresh = await browser.newPage();
    await fresh.goto('/login');
    await expect(fresh.getByText('Welcome. Enter your console credentials.')).toBeVisible();
    await expect(fresh.getByText(/Welcome back/)).toHaveCount(0);
    // Once this browser has held a session, it is a return.
    await signIn(fresh, `polish-first-${uid()}@example.com`);
    await fresh.evaluate(() => localStorage.removeItem('backendify.tokens'));
    await fresh.goto('/login');
    await expect(fresh.getByText('Welcome back. Enter your console credentials.')).toBeVisible();
    await fresh.close();
  });

  await page.emulateMedia({ colorScheme: 'light' });
  const { call, base, projectUrl } = await setUp(page);

  await test.step('every page has its own title, set from the route', async () => {
    await page.goto(`${projectUrl}/data?collection=posts`);
    await expect(page).toHaveTitle('Data · posts · Polish blog — Backendify');
    await page.goto(projectUrl);
    await expect(page).toHaveTitle('Overview · Polish blog — Backendify');
    await page.goto(`${projectUrl}/policies`);
    await expect(page).toHaveTitle('Policies · Polish blog — Backendify');
    await page.goto('/projects');
    await expect(page).toHaveTitle('Projects — Backendify');
  });

  await test.step('a dialog opens with focus on its first field, not the close button', async () => {
    await page.goto(`${projectUrl}/schema`);
    await page.getByRole('button', { name: 'New collection' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Create collection' });
    await expect(dialog.getByLabel('Display name')).toBeFocused();
  });

  await test.step('display names are slugified into names until the name is edited', async () => {
    const dialog = page.getByRole('dialog', { name: 'Create collection' });
    await dialog.getByLabel('Display name').fill('Blog Categories');
    await expect(dialog.getByLabel('Name', { exact: true })).toHaveValue('blog_categories');
    await dialog.getByLabel('Display name').fill('Crème brûlée');
    await expect(dialog.getByLabel('Name', { exact: true })).toHaveValue('creme_brulee');
    await dialog.getByLabel('Name', { exact: true }).fill('desserts');
    await dialog.getByLabel('Display name').fill('Desserts & cakes');
    await expect(dialog.getByLabel('Name', { exact: true })).toHaveValue('desserts');
    await dialog.getByRole('button', { name: 'Create collection' }).click();
    await expect(dialog).toBeHidden();
    await expect(page).toHaveURL(/collection=desserts/);
  });

  await test.step('dialog footers stay in view while a long form scrolls', async () => {
    await page.setViewportSize({ width: 1024, height: 420 });
    await page.goto(`${projectUrl}/api-keys`);
    await page.getByRole('button', { name: 'Create API key' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Create API key' });
    await expect(dialog.getByLabel('Name')).toBeFocused();
    const body = dialog.locator('[data-dialog-body]');
    const scrolls = await body.evaluate((el) => el.scrollHeight > el.clientHeight + 10);
    expect(scrolls, 'the form is taller than the dialog at this height').toBe(true);
    const create = dialog.getByRole('button', { name: 'Create key' });
    await expect(create).toBeInViewport({ ratio: 1 });
    await body.evaluate((el) => el.scrollTo(0, el.scrollHeight / 2));
    await expect(create).toBeInViewport({ ratio: 1 });
    await page.keyboard.press('Escape');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  await test.step('the field, record and other form dialogs keep their actions in view too', async () => {
    await page.setViewportSize({ width: 1024, height: 420 });
    await page.goto(`${projectUrl}/schema?collection=desserts`);
    await page.getByRole('button', { name: 'Add field' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Add field' });
    const body = dialog.locator('[data-dialog-body]');
    const add = dialog.getByRole('button', { name: 'Add field' });
    await expect(dialog.locator('[data-dialog-footer]')).toContainText('Add field');
    await expect(add).toBeInViewport({ ratio: 1 });
    await body.evaluate((el) => el.scrollTo(0, el.scrollHeight / 2));
    await expect(add).toBeInViewport({ ratio: 1 });
    await page.keyboard.press('Escape');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  await test.step('badges read at 4.5:1 or better, light and dark', async () => {
    await call('POST', `${base}/api-keys`, { name: 'Server', kind: 'service' });
    const revoked = await call<{ id: string }>('POST', `${base}/api-keys`, {
      name: 'Old app',
      kind: 'public',
    });
    await call('POST', `${base}/api-keys/${revoked.id}/revoke`);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(`${projectUrl}/api-keys`);
      await expect(page.getByText('Old app')).toBeVisible();
      await expect(page.locator('html')).toHaveClass(scheme === 'dark' ? /dark/ : /^(?!.*dark)/);
      const badges = await badgeContrasts(page);
      expect(badges.length).toBeGreaterThanOrEqual(3);
      for (const b of badges)
        expect(b.ratio, `${scheme} badge “${b.text}”`).toBeGreaterThanOrEqual(4.5);
    }
    await page.emulateMedia({ colorScheme: 'light' });
  });

  await test.step('the schema-evolution preview waits for a pause and stays quiet meanwhile', async () => {
    const previews: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/preview-migration')) previews.push(r.postData() ?? '');
    });
    await page.goto(`${projectUrl}/schema-evolution`);
    await page.getByRole('button', { name: 'Rename', exact: true }).first().click();
    const dialog = page.getByRole('dialog');
    const input = dialog.getByLabel('New name');
    await expect(input).toBeFocused();
    await input.pressSequentially('articles', { delay: 60 });
    // While typing: no request for "a", "ar", …, and no complaint on screen.
    expect(previews).toHaveLength(0);
    await expect(dialog.getByRole('alert')).toHaveCount(0);
    await expect(dialog.getByText(/ALTER TABLE/)).toBeVisible();
    expect(previews).toHaveLength(1);
    expect(previews[0]).toContain('"new_name":"articles"');
    // A half-typed invalid name says so only after the pause.
    await input.fill('');
    await input.pressSequentially('Art', { delay: 60 });
    await expect(dialog.getByText('Must start with a lowercase letter.')).toBeVisible();
    expect(previews).toHaveLength(1);
  });
});
