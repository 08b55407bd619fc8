import { expect, test, type Page } from '@playwright/test';
import { apiAs, seriousViolations, signIn, uid } from './support';

// Issue 14.12: every console page passes axe with no serious or critical violation, and on a
// 390 px phone no page widens the viewport.

/** Every page of a project (the sidebar's modules), plus the pages outside a project. */
const PROJECT_PAGES = [
  '',
  '/schema',
  '/data?collection=posts',
  '/relations',
  '/validations',
  '/policies',
  '/rbac',
  '/users',
  '/auth',
  '/api-keys',
  '/files',
  '/views',
  '/webhooks',
  '/workflows',
  '/realtime',
  '/logs',
  '/schema-evolution',
  '/mailbox',
  '/settings',
];

async function setUp(page: Page) {
  const call = apiAs(page.request, await signIn(page, `a11y-${uid()}@example.com`));
  const project = await call<{ id: string }>('POST', '/api/projects', { name: 'Accessible' });
  const base = `/api/projects/${project.id}`;
  await call('POST', `${base}/schema/collections`, { name: 'categories' });
  await call('POST', `${base}/schema/collections/categories/fields`, {
    name: 'name',
    field_type: 'string',
  });
  await call('POST', `${base}/schema/collections`, { name: 'posts' });
  for (const [name, type] of [
    ['title', 'string'],
    ['views', 'int'],
    ['published', 'boolean'],
  ])
    await call('POST', `${base}/schema/collections/posts/fields`, { name, field_type: type });
  await call('POST', `${base}/data/posts`, { title: 'Hello', views: 3, published: true });
  await call('POST', `${base}/data/categories`, { name: 'Tech' });
  await call('POST', `${base}/schema/collections/posts/policies`, {
    name: 'Public read',
    action: 'list',
    allowed_principals: ['anonymous', 'app_user'],
  });
  await call('POST', `${base}/settings/auth/users`, {
    email: `reader-${uid()}@example.com`,
    password: 'correct-horse-battery',
  });
  return `/projects/${project.id}`;
}

const overflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

async function settle(page: Page) {
  await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
}

test('accessibility: no serious or critical axe violation on any page', async ({ page }) => {
  // Axe on two dozen pages is slow on a loaded machine; each page is still checked in full.
  test.setTimeout(360_000);
  await page.emulateMedia({ colorScheme: 'light' });
  const projectUrl = await setUp(page);
  const found: string[] = [];
  for (const path of ['/projects', ...PROJECT_PAGES.map((p) => projectUrl + p)]) {
    await page.goto(path);
    await settle(page);
    for (const v of await seriousViolations(page)) found.push(`${path}: ${v}`);
  }
  expect(found, found.join('\n')).toEqual([]);
});

test('accessibility: the dark theme passes axe too', async ({ page }) => {
  test.setTimeout(180_000);
  await page.emulateMedia({ colorScheme: 'dark' });
  const projectUrl = await setUp(page);
  const found: string[] = [];
  for (const path of ['', '/data?collection=posts', '/policies', '/users', '/logs', '/settings']) {
    await page.goto(projectUrl + path);
    await settle(page);
    for (const v of await seriousViolations(page)) found.push(`dark ${path || '/'}: ${v}`);
  }
  expect(found, found.join('\n')).toEqual([]);
});

test('accessibility: sign-in and registration pages', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  const found: string[] = [];
  for (const path of ['/login', '/register']) {
    await page.goto(path);
    await expect(page.getByLabel('Email')).toBeVisible();
    for (const v of await seriousViolations(page)) found.push(`${path}: ${v}`);
  }
  expect(found, found.join('\n')).toEqual([]);
});

test('390 px: no page overflows sideways, the menu opens and every page keeps its heading', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await page.emulateMedia({ colorScheme: 'light' });
  const projectUrl = await setUp(page);
  await page.setViewportSize({ width: 390, height: 844 });
  const wide: string[] = [];
  for (const path of ['/projects', ...PROJECT_PAGES.map((p) => projectUrl + p)]) {
    await page.goto(path);
    await settle(page);
    const extra = await overflow(page);
    if (extra > 0) wide.push(`${path}: ${extra}px wider than the screen`);
  }
  expect(wide, wide.join('\n')).toEqual([]);
  // The navigation is reachable from the phone's menu button, and fits.
  await page.goto(projectUrl);
  await page.getByRole('button', { name: 'Open menu' }).click();
  const nav = page.getByRole('dialog', { name: 'Navigation' });
  await expect(nav.getByRole('link', { name: 'Data' })).toBeVisible();
  const box = await nav.boundingBox();
  expect(box!.x + box!.width).toBeLessThanOrEqual(390);
  for (const v of await seriousViolations(page)) wide.push(`menu: ${v}`);
  expect(wide, wide.join('\n')).toEqual([]);
});
