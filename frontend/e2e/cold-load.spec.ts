import { expect, test, type APIRequestContext } from '@playwright/test';

const uid = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** An admin with a project holding `books` (title, author → authors) and a few rows, via the API. */
async function seed(request: APIRequestContext) {
  const auth = await request.post('/api/auth/register', {
    data: { email: `cold-${uid()}@example.com`, password: 'correct-horse-battery' },
  });
  const tokens = (await auth.json()) as { access_token: string; refresh_token: string };
  const headers = { authorization: `Bearer ${tokens.access_token}` };
  const post = async (path: string, data: unknown) => {
    const res = await request.post(path, { headers, data });
    expect(res.ok(), `${path}: ${await res.text()}`).toBe(true);
    return (await res.json()) as { id: string };
  };
  const project = await post('/api/projects', { name: 'Cold load' });
  const base = `/api/projects/${project.id}`;
  const authors = await post(`${base}/schema/collections`, { name: 'authors' });
  await post(`${base}/schema/collections/authors/fields`, { name: 'name', field_type: 'string' });
  await post(`${base}/schema/collections`, { name: 'books' });
  await post(`${base}/schema/collections/books/fields`, { name: 'title', field_type: 'string' });
  await post(`${base}/schema/relations/collections/${authors.id}/relations`, {
    name: 'fan',
    target_collection_id: authors.id,
  });
  const ada = await post(`${base}/data/authors`, { name: 'Ada' });
  await post(`${base}/data/authors`, { name: 'Grace', fan_id: ada.id });
  await post(`${base}/data/books`, { title: 'Notes' });
  return { projectId: project.id, tokens };
}

/** Every /api request of a cold load of `path`, and those that failed (aborted). */
async function coldLoad(
  page: import('@playwright/test').Page,
  path: string,
  ready: (page: import('@playwright/test').Page) => Promise<void>,
) {
  const calls: string[] = [];
  const failed: string[] = [];
  const onRequest = (req: import('@playwright/test').Request) => {
    const url = new URL(req.url());
    if (url.pathname.startsWith('/api/')) calls.push(`${req.method()} ${url.pathname}`);
  };
  const onFailed = (req: import('@playwright/test').Request) =>
    failed.push(`${req.method()} ${req.url()} ${req.failure()?.errorText ?? ''}`);
  page.on('request', onRequest);
  page.on('requestfailed', onFailed);
  await page.goto(path);
  await ready(page);
  // Queries started by the first render have finished (or been cancelled) by now.
  await page.waitForLoadState('networkidle');
  page.off('request', onRequest);
  page.off('requestfailed', onFailed);
  const repeated = calls.filter((c, i) => calls.indexOf(c) !== i);
  return { calls, failed, repeated };
}

test('a cold load fetches each query once and aborts none', async ({ page, request }) => {
  const { projectId, tokens } = await seed(request);
  await page.addInitScript((t) => {
    localStorage.setItem(
      'backendify.tokens',
      JSON.stringify({ accessToken: t.access_token, refreshToken: t.refresh_token }),
    );
  }, tokens);
  const base = `/projects/${projectId}`;

  const data = await coldLoad(page, `${base}/data?collection=authors`, async (p) => {
    await expect(p.getByTestId('record-row')).toHaveCount(2);
    await expect(p.getByText('Grace')).toBeVisible();
  });
  expect(data.failed).toEqual([]);
  expect(data.repeated).toEqual([]);
  expect(data.calls.filter((c) => c.endsWith('/data/authors'))).toHaveLength(1);

  for (const module of ['', '/schema', '/relations', '/policies', '/api-keys', '/settings']) {
    const load = await coldLoad(page, base + module, async (p) => {
      await expect(p.getByRole('heading', { level: 1 }).first()).toBeVisible();
    });
    expect({ module, failed: load.failed, repeated: load.repeated }).toEqual({
      module,
      failed: [],
      repeated: [],
    });
  }
});
