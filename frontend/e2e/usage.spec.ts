import { expect, test } from '@playwright/test';
import { resolve } from 'node:path';
import { apiAs, signIn, uid } from './support';

// Issue 15.5: the Overview's Usage section charts the project's real traffic.

test('usage at a glance: requests, error rate and latency charts, cards, 1h / 24h', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const token = await signIn(page, `usage-${uid()}@example.com`);
  const call = apiAs(page.request, token);
  const project = await call<{ id: string }>('POST', '/api/projects', { name: 'Usage' });
  const base = `/api/projects/${project.id}`;
  await call('POST', `${base}/schema/collections`, { name: 'notes' });
  await call('POST', `${base}/schema/collections/notes/fields`, {
    name: 'title',
    field_type: 'string',
  });

  // No empty-state check here: the admin requests that made the project are traffic too, and
  // whether their flush has landed when the page loads depends on timing.

  // Traffic: writes and reads, a 404 (unknown collection) and a 400 (unknown field).
  let sent = 0;
  for (let i = 0; i < 6; i++) {
    await call('POST', `${base}/data/notes`, { title: `Note ${i}` });
    sent++;
  }
  for (let i = 0; i < 4; i++) {
    await call('GET', `${base}/data/notes`);
    sent++;
  }
  const headers = { authorization: `Bearer ${token}` };
  const missing = await page.request.get(`${base}/data/no_such_collection`, { headers });
  expect(missing.status()).toBe(404);
  const invalid = await page.request.post(`${base}/data/notes`, {
    headers,
    data: { no_such_field: 1 },
  });
  expect(invalid.status()).toBe(400);
  sent += 2;

  // The server flushes every second here (USAGE_FLUSH_MS in playwright.config.ts).
  await expect
    .poll(
      async () =>
        (await call<{ totals: { requests: number } }>('GET', `${base}/usage?range=1h`)).totals
          .requests,
      { timeout: 20_000 },
    )
    .toBeGreaterThanOrEqual(sent);

  const usage = page.getByTestId('usage');
  await test.step('the cards and charts show the traffic', async () => {
    await page.goto(`/projects/${project.id}`);
    await expect(usage.getByRole('heading', { name: 'Usage' })).toBeVisible();
    await expect
      .poll(async () =>
        Number((await usage.getByTestId('usage-requests').innerText()).replace(/\D/g, '')),
      )
      .toBeGreaterThanOrEqual(sent);
    const errorRate = parseFloat(await usage.getByTestId('usage-error-rate').innerText());
    expect(errorRate).toBeGreaterThan(0);
    await expect(usage.getByTestId('usage-p95')).toHaveText(/\d+ ms/);
    await expect(usage.getByTestId('usage-storage')).toHaveText(/\d/);
    await expect(usage.getByTestId('usage-deliveries')).toHaveText(/0\s*\/\s*0/);
    // Each chart has an accessible name and draws its SVG.
    for (const name of [
      /Requests per minute/,
      /Error rate/,
      /p95 latency/,
      /Records per collection/,
    ])
      await expect(usage.getByRole('figure', { name })).toBeVisible();
    await expect(
      usage
        .getByRole('figure', { name: /Requests per minute/ })
        .locator('svg path.recharts-area-area'),
    ).not.toHaveCount(0);
    await expect(
      usage.getByRole('figure', { name: /Error rate/ }).locator('svg path.recharts-line-curve'),
    ).toHaveCount(1);
    await expect(usage.getByRole('figure', { name: /Requests per minute/ })).toHaveAccessibleName(
      /data \d+/,
    );
    await expect(
      usage.getByRole('figure', { name: /Records per collection/ }),
    ).toHaveAccessibleName(/notes 6/);
  });

  await test.step('switching to 24h keeps the numbers', async () => {
    const day = usage.getByRole('radio', { name: '24h' });
    await day.click();
    await expect(day).toHaveAttribute('aria-checked', 'true');
    await expect(usage.getByRole('radio', { name: '1h' })).toHaveAttribute('aria-checked', 'false');
    await expect(usage).toContainText('the last 24 hours');
    await expect
      .poll(async () =>
        Number((await usage.getByTestId('usage-requests').innerText()).replace(/\D/g, '')),
      )
      .toBeGreaterThanOrEqual(sent);
    await expect(
      usage
        .getByRole('figure', { name: /Requests per minute/ })
        .locator('svg path.recharts-area-area'),
    ).not.toHaveCount(0);
  });

  await page.emulateMedia({ colorScheme: 'dark' });
  await usage.getByRole('radio', { name: '1h' }).click();
  await expect(
    usage.getByRole('figure', { name: /Error rate/ }).locator('svg path.recharts-line-curve'),
  ).toHaveCount(1);
  await page.mouse.move(0, 0);
  await usage.screenshot({ path: resolve(import.meta.dirname, '../../screenshots/usage.png') });
});
