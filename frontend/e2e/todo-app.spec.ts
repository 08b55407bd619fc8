import { expect, test, type Page } from '@playwright/test';
import { resolve } from 'node:path';
import { API, startExampleApp, type ExampleApp } from './example-app';
import { PASSWORD, uid } from './support';

/**
 * examples/todo-app, as a user meets it: seeded by its own script, built by Vite, served from
 * another origin than the API, driven in Chromium. Two users, password and e-mailed code sign-in,
 * owner-only rows by policies, live updates across two tabs.
 */
let app: ExampleApp;
let projectId: string;

test.beforeAll(async ({ request }) => {
  app = await startExampleApp(request, 'todo-app', 'TODO_PROJECT_NAME', 50);
  projectId = app.projectId;
});

test.afterAll(async () => {
  await app?.close();
});

const appUrl = () => app.url();
const todo = (page: Page, title: string) => page.getByRole('listitem').filter({ hasText: title });

test('a user signs up, adds, completes, edits and deletes todos; a second tab follows live', async ({
  page,
  context,
}) => {
  const email = `ann-${uid()}@example.com`;
  await page.goto(appUrl());
  const form = page.getByRole('form', { name: 'Sign in with a password' });
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByTestId('who')).toHaveText(email);
  await expect(page.getByTestId('counter')).toHaveText('Nothing to do yet.');

  for (const title of ['Buy milk', 'Write tests', '<b>not bold</b>']) {
    await page.getByLabel('New todo').fill(title);
    await page.getByRole('button', { name: 'Add' }).click();
    await expect(todo(page, title)).toBeVisible();
  }
  // Titles are text, never HTML.
  await expect(page.locator('.todos b')).toHaveCount(0);
  await page.getByLabel('Done: Buy milk').check();
  await expect(page.getByTestId('counter')).toHaveText('2 of 3 left');
  await page.getByRole('button', { name: 'Edit Write tests' }).click();
  await page.getByLabel('New title for Write tests').fill('Write more tests');
  await page.getByLabel('New title for Write tests').press('Enter');
  await expect(todo(page, 'Write more tests')).toBeVisible();
  await page.getByRole('button', { name: 'Delete <b>not bold</b>' }).click();
  await expect(todo(page, 'not bold')).toHaveCount(0);

  await page.reload();
  await expect(page.getByRole('listitem')).toHaveCount(2);
  await expect(page.getByLabel('Done: Buy milk')).toBeChecked();
  await expect(page.getByTestId('counter')).toHaveText('1 of 2 left');

  // A second tab of the same user: changes in the first appear there without a reload.
  const second = await context.newPage();
  await second.goto(appUrl());
  await expect(second.getByRole('listitem')).toHaveCount(2);
  if (process.env.BF_E2E_TWO_NODES === '1') {
    // Through scripts/two-nodes.mjs the two tabs' sockets sit on different API processes, so
    // what follows crosses nodes through Redis.
    await expect
      .poll(async () => {
        const res = await context.request.get(`${API}/__two-nodes`);
        const { nodes } = (await res.json()) as { nodes: { open_websockets: number }[] };
        return nodes.map((n) => n.open_websockets > 0);
      })
      .toEqual([true, true]);
  }
  await page.getByLabel('New todo').fill('Seen live');
  await page.getByRole('button', { name: 'Add' }).click();
  await expect(todo(second, 'Seen live')).toBeVisible();
  await page.getByRole('button', { name: 'Delete Buy milk' }).click();
  await expect(todo(second, 'Buy milk')).toHaveCount(0);
  await second.getByLabel('Done: Seen live').check();
  await expect(page.getByLabel('Done: Seen live')).toBeChecked();
  await page.screenshot({ path: resolve(import.meta.dirname, '../../screenshots/todo-app.png') });

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
});

test('another user signs in with an e-mailed code and can neither see nor change the first one’s todos', async ({
  browser,
  request,
}) => {
  // Ann, with one todo, through the API.
  const auth = `${API}/api/projects/${projectId}/auth`;
  const ann = await request.post(`${auth}/register`, {
    data: { email: `ann2-${uid()}@example.com`, password: PASSWORD },
  });
  const annToken = ((await ann.json()) as { access_token: string }).access_token;
  const created = await request.post(`${API}/api/projects/${projectId}/data/todos`, {
    headers: { authorization: `Bearer ${annToken}` },
    data: { title: 'Ann’s secret' },
  });
  expect(created.status()).toBe(201);
  const annTodo = (await created.json()) as { id: number };

  // Bob has an account; he signs in with a one-time code in a browser of his own.
  const bob = `bob-${uid()}@example.com`;
  expect(
    (await request.post(`${auth}/register`, { data: { email: bob, password: PASSWORD } })).status(),
  ).toBe(201);
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(appUrl());
  await page
    .getByRole('form', { name: 'Sign in with an e-mailed code' })
    .getByLabel('Email')
    .fill(bob);
  const sentAt = Date.now();
  await page.getByRole('button', { name: 'Email me a code' }).click();
  await expect(page.getByLabel('Code from the e-mail')).toBeVisible();
  const code = await app.mailedCode(request, bob, sentAt);
  await page.getByLabel('Code from the e-mail').fill(code);
  await page.getByRole('button', { name: 'Sign in with the code' }).click();
  await expect(page.getByTestId('who')).toHaveText(bob);
  await expect(page.getByTestId('counter')).toHaveText('Nothing to do yet.');
  await expect(page.getByText('Ann’s secret')).toHaveCount(0);

  // Bob's own session, from the app's storage, cannot reach Ann's row either.
  const stored = await page.evaluate(
    (pid) => localStorage.getItem(`todo.session:app:${pid}`),
    projectId,
  );
  const bobToken = (JSON.parse(stored ?? '{}') as { access_token: string }).access_token;
  expect(bobToken).toBeTruthy();
  const headers = { authorization: `Bearer ${bobToken}` };
  const one = `${API}/api/projects/${projectId}/data/todos/${annTodo.id}`;
  expect((await request.get(one, { headers })).status()).toBe(404);
  expect((await request.patch(one, { headers, data: { title: 'mine now' } })).status()).toBe(404);
  expect((await request.delete(one, { headers })).status()).toBe(404);
  const list = await request.get(`${API}/api/projects/${projectId}/data/todos`, { headers });
  expect(((await list.json()) as { total: number }).total).toBe(0);
  await ctx.close();
});
