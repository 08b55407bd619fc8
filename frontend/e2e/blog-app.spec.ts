import { expect, test, type Page } from '@playwright/test';
import { resolve } from 'node:path';
import { API, startExampleApp, type ExampleApp } from './example-app';
import { PASSWORD, uid } from './support';

/**
 * examples/blog-app as its users meet it: seeded by its own script, built by Vite, served on its
 * own origin. Authors write posts with cover images, readers comment, policies keep drafts and
 * editing to their owners, comment counts follow live.
 */
// A 2×2 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64',
);

let app: ExampleApp;
let projectId: string;

test.beforeAll(async ({ request }) => {
  app = await startExampleApp(request, 'blog-app', 'BLOG_PROJECT_NAME', 51);
  projectId = app.projectId;
});

test.afterAll(async () => {
  await app?.close();
});

const appUrl = (path = '/') => app.url(path);

async function register(page: Page, email: string) {
  await page.goto(appUrl('/login'));
  const form = page.getByRole('form', { name: 'Sign in with a password' });
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Password').fill(PASSWORD);
  await form.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByTestId('me')).toHaveText(email);
}

test('authors write posts with covers and drafts; readers comment live; only owners edit', async ({
  page,
  browser,
  request,
}) => {
  const ann = `ann-${uid()}@example.com`;
  await register(page, ann);

  await test.step('a category and a published post with a cover image', async () => {
    await page.getByRole('link', { name: 'Categories' }).click();
    await page.getByLabel('New category').fill('Tech Talk');
    await page.getByRole('button', { name: 'Add category' }).click();
    await expect(page.getByRole('link', { name: 'Tech Talk' })).toBeVisible();

    await page.getByRole('link', { name: 'New post' }).click();
    await page.getByLabel('Title').fill('Hello, World!');
    await expect(page.getByLabel('Slug')).toHaveValue('hello-world');
    await page.getByLabel('Category').selectOption({ label: 'Tech Talk' });
    await page.getByLabel('Excerpt').fill('The first one');
    await page.getByLabel('Content').fill('Backendify makes this easy.');
    await page
      .getByLabel('Cover image')
      .setInputFiles({ name: 'cover.png', mimeType: 'image/png', buffer: PNG });
    await expect(page.getByTestId('cover-ready')).toBeVisible();
    await page.getByLabel('Published').check();
    await page.getByRole('button', { name: 'Create post' }).click();
    await expect(page.getByRole('heading', { name: 'Hello, World!' })).toBeVisible();
    const cover = page.locator('img.cover');
    await expect(cover).toBeVisible();
    await expect.poll(() => cover.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(2);
  });

  await test.step('a draft is listed under My posts only', async () => {
    await page.getByRole('link', { name: 'New post' }).click();
    await page.getByLabel('Title').fill('Draft idea');
    await page.getByLabel('Content').fill('Not ready.');
    await page.getByRole('button', { name: 'Create post' }).click();
    await expect(page.getByText('draft', { exact: false }).first()).toBeVisible();
    await page.getByRole('link', { name: 'My posts' }).click();
    await expect(page.getByRole('link', { name: 'Draft idea' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Hello, World!' })).toBeVisible();
  });

  // Anonymous readers: published posts with their category; no drafts; no comment form.
  const readerCtx = await browser.newContext();
  const reader = await readerCtx.newPage();
  await reader.goto(appUrl('/'));
  await expect(reader.getByRole('link', { name: 'Hello, World!' })).toBeVisible();
  await expect(reader.getByText('Tech Talk ·')).toBeVisible();
  await expect(reader.getByRole('link', { name: 'Draft idea' })).toHaveCount(0);
  await reader.getByRole('link', { name: 'Hello, World!' }).click();
  await expect(reader.getByText('to comment.')).toBeVisible();
  await expect(reader.getByRole('link', { name: 'Edit' })).toHaveCount(0);

  // Ann watches her post; Bob signs in with a mailed code and comments; the count follows.
  await page.getByRole('link', { name: 'Hello, World!' }).click();
  await expect(page.getByTestId('comment-count')).toHaveText('0 comments');
  const bob = `bob-${uid()}@example.com`;
  const auth = `${API}/api/projects/${projectId}/auth`;
  expect(
    (await request.post(`${auth}/register`, { data: { email: bob, password: PASSWORD } })).status(),
  ).toBe(201);
  const bobCtx = await browser.newContext();
  const bobPage = await bobCtx.newPage();
  await bobPage.goto(appUrl('/login'));
  const codeForm = bobPage.getByRole('form', { name: 'Sign in with an e-mailed code' });
  await codeForm.getByLabel('Email').fill(bob);
  const sentAt = Date.now();
  await codeForm.getByRole('button', { name: 'Email me a code' }).click();
  await codeForm
    .getByLabel('Code from the e-mail')
    .fill(await app.mailedCode(request, bob, sentAt));
  await codeForm.getByRole('button', { name: 'Sign in with the code' }).click();
  await expect(bobPage.getByTestId('me')).toHaveText(bob);
  await bobPage.getByRole('link', { name: 'Hello, World!' }).click();
  await expect(bobPage.getByRole('link', { name: 'Edit' })).toHaveCount(0);
  await bobPage.getByLabel('Add a comment').fill('Nice post');
  await bobPage.getByRole('button', { name: 'Comment' }).click();
  await expect(bobPage.getByText('Nice post')).toBeVisible();
  await expect(page.getByTestId('comment-count')).toHaveText('1 comment');
  await expect(page.getByText('Nice post')).toBeVisible();
  // Ann may not delete Bob's comment; Bob may.
  await expect(page.getByRole('button', { name: 'Delete comment Nice post' })).toHaveCount(0);
  await page.screenshot({ path: resolve(import.meta.dirname, '../../screenshots/blog-app.png') });

  await test.step("Bob cannot change Ann's post, nor read her draft", async () => {
    const token = await bobPage.evaluate(
      (pid) =>
        (
          JSON.parse(localStorage.getItem(`blog.session:app:${pid}`) ?? '{}') as {
            access_token?: string;
          }
        ).access_token,
      projectId,
    );
    expect(token).toBeTruthy();
    const headers = { authorization: `Bearer ${token}` };
    const data = `${API}/api/projects/${projectId}/data/posts`;
    const all = (await (await request.get(`${data}?sort=id`, { headers })).json()) as {
      records: { id: number; title: string }[];
    };
    expect(all.records.map((p) => p.title)).toEqual(['Hello, World!']);
    const postId = all.records[0]?.id;
    expect(postId).toBeDefined();
    const patch = await request.patch(`${data}/${postId}`, {
      headers,
      data: { title: 'Mine now' },
    });
    expect(patch.ok()).toBe(false);
    expect((await request.delete(`${data}/${postId}`, { headers })).ok()).toBe(false);
  });

  await test.step('Ann edits and deletes her post', async () => {
    await page.getByRole('link', { name: 'Edit' }).click();
    await expect(page.getByLabel('Title')).toHaveValue('Hello, World!');
    await page.getByLabel('Title').fill('Hello again');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('heading', { name: 'Hello again' })).toBeVisible();
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByRole('button', { name: 'Delete post' }).click();
    await expect(page.getByRole('heading', { name: 'My posts' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Hello again' })).toHaveCount(0);
    await reader.goto(appUrl('/'));
    await expect(reader.getByText('No posts yet.')).toBeVisible();
  });
  await readerCtx.close();
  await bobCtx.close();
});
