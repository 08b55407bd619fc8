import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

// Needs the webhooks backend (issue 10) and WEBHOOK_ALLOW_PRIVATE=true (set in
// playwright.config.ts), since the sink below listens on 127.0.0.1.

const SCREENSHOTS = join(import.meta.dirname, '../../screenshots');
const REVIEW = join(import.meta.dirname, '../test-results/review');

async function shot(page: Page, name: string, dir = SCREENSHOTS) {
  for (const button of await page.getByRole('button', { name: 'Dismiss notification' }).all()) {
    await button.click({ timeout: 1000 }).catch(() => undefined);
  }
  await expect(page.locator('[data-toast]')).toHaveCount(0, { timeout: 8000 });
  await page.screenshot({ path: join(dir, `${name}.png`) });
}

const uid = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const PASSWORD = 'correct-horse-battery';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP receiver in the test process; `status` is what it answers next. */
class Sink {
  readonly received: Received[] = [];
  status = 200;
  private server: Server | null = null;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        this.received.push({ headers: req.headers, body });
        res.writeHead(this.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: this.status < 300, n: this.received.length }));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  events(): { event: string; id: string; headers: IncomingHttpHeaders; body: string }[] {
    return this.received.map((r) => ({
      ...(JSON.parse(r.body) as { event: string; id: string }),
      headers: r.headers,
      body: r.body,
    }));
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** The X-Webhook-Signature check of the page's node:crypto snippet. */
function legacySignatureOk(secret: string, r: Received): boolean {
  const key = secret.startsWith('whsec_')
    ? Buffer.from(secret.slice('whsec_'.length), 'base64')
    : Buffer.from(secret, 'utf8');
  const ts = String(r.headers['x-webhook-timestamp']);
  const expected = 'sha256=' + createHmac('sha256', key).update(`${ts}.${r.body}`).digest('hex');
  return r.headers['x-webhook-signature'] === expected;
}

/** The Standard Webhooks check: v1,<base64 HMAC of id.timestamp.body>. */
function standardSignatureOk(secret: string, r: Received): boolean {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const id = String(r.headers['webhook-id']);
  const ts = String(r.headers['webhook-timestamp']);
  const expected = createHmac('sha256', key).update(`${id}.${ts}.${r.body}`).digest('base64');
  return String(r.headers['webhook-signature']).split(' ').includes(`v1,${expected}`);
}

function apiAs(request: APIRequestContext, token: string) {
  return async <T>(method: string, path: string, data?: unknown): Promise<T> => {
    const res = await request.fetch(path, {
      method,
      headers: { authorization: `Bearer ${token}` },
      data,
    });
    expect(res.ok(), `${method} ${path} → ${res.status()} ${await res.text()}`).toBe(true);
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  };
}

test.describe('webhooks', () => {
  const sink = new Sink();
  test.afterAll(() => sink.stop());

  test.beforeEach(async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light' });
  });

  test('create with events and collections, secret once, test, deliveries, redeliver, toggle, rotate, disabled warning, delete', async ({
    page,
    context,
  }) => {
    test.setTimeout(180_000);
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const sinkUrl = await sink.start();

    await page.goto('/register');
    await page.getByLabel('Email').fill(`hooks-${uid()}@example.com`);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page).toHaveURL(/\/projects$/);
    await page.getByRole('button', { name: 'New project' }).first().click();
    const projectDialog = page.getByRole('dialog', { name: 'Create project' });
    await projectDialog.getByLabel('Project name').fill('Shop');
    await projectDialog.getByRole('button', { name: 'Create project' }).click();
    await expect(page).toHaveURL(/\/projects\/[^/?]+$/);
    const projectId = new URL(page.url()).pathname.split('/')[2] ?? '';
    const base = `/api/projects/${projectId}`;
    const raw = await page.evaluate(() => localStorage.getItem('backendify.tokens'));
    const admin = apiAs(
      page.request,
      (JSON.parse(raw ?? '{}') as { accessToken: string }).accessToken,
    );
    for (const name of ['orders', 'notes']) {
      await admin('POST', `${base}/schema/collections`, { name });
      await admin('POST', `${base}/schema/collections/${name}/fields`, {
        name: 'title',
        field_type: 'string',
      });
    }

    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Webhooks', exact: true })
      .click();
    await expect(page.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible();
    await expect(page.getByText('No webhooks yet')).toBeVisible();
    await expect(page.getByTestId('verify-signatures')).toContainText('standardwebhooks');

    let secret = '';
    await test.step('create: events and collections pickers, secret shown once', async () => {
      await page.getByRole('button', { name: 'New webhook' }).first().click();
      const dialog = page.getByRole('dialog', { name: 'Create webhook' });
      await dialog.getByLabel('Name').fill('Order sync');
      await dialog.getByLabel('Endpoint URL').fill('not a url');
      await dialog.getByRole('button', { name: 'Create webhook' }).click();
      await expect(dialog.getByText('Enter an http:// or https:// URL')).toBeVisible();
      await dialog.getByLabel('Endpoint URL').fill(sinkUrl);

      // record.* is chosen by default; drop deletes, add one auth event.
      await expect(dialog.getByRole('checkbox', { name: 'record.created' })).toBeChecked();
      await dialog.getByRole('checkbox', { name: 'record.deleted' }).uncheck();
      await dialog.getByRole('checkbox', { name: 'auth.login' }).check();
      await dialog.getByRole('checkbox', { name: 'orders' }).check();
      await page.screenshot({ path: join(REVIEW, 'webhook-dialog.png') });
      await dialog.getByRole('button', { name: 'Create webhook' }).click();

      const created = page.getByRole('dialog', { name: 'Save your signing secret' });
      await expect(created.getByText('This secret will not be shown again')).toBeVisible();
      secret = await created.getByTestId('webhook-secret-value').inputValue();
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
      await created.getByRole('button', { name: 'Copy secret' }).click();
      await expect(created.getByRole('button', { name: 'Copied' })).toBeVisible();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
      await created.getByRole('button', { name: 'I have saved the secret' }).click();
      await expect(created).toBeHidden();

      const row = page.locator('[data-testid="webhook-row"][data-webhook-name="Order sync"]');
      await expect(row).toContainText(sinkUrl);
      await expect(row).toContainText('record.created');
      await expect(row).toContainText('auth.login');
      const [hook] = await admin<{ events: string[]; collections: string[] }[]>(
        'GET',
        `${base}/webhooks`,
      );
      expect(hook?.events.sort()).toEqual(['auth.login', 'record.created', 'record.updated']);
      expect(hook?.collections).toEqual(['orders']);
      // The list never carries the secret.
      expect(JSON.stringify(hook)).not.toContain(secret);
    });

    const deliveries = page.getByTestId('delivery-row');
    await test.step('a test event is delivered and signed with the secret', async () => {
      await page.getByRole('button', { name: 'Test Order sync' }).click();
      await expect(page.getByText('Test event sent to “Order sync”')).toBeVisible();
      await expect.poll(() => sink.events().map((e) => e.event)).toContain('webhook.test');
      await expect(deliveries.first()).toHaveAttribute('data-event', 'webhook.test');
      await expect(deliveries.first().getByTestId('delivery-status')).toHaveText('delivered', {
        timeout: 15_000,
      });
      const test = sink.received[0];
      expect(test && legacySignatureOk(secret, test)).toBe(true);
      expect(test && standardSignatureOk(secret, test)).toBe(true);
    });

    await test.step('record events of the chosen collection only', async () => {
      await admin('POST', `${base}/data/notes`, { title: 'not subscribed' });
      await admin('POST', `${base}/data/orders`, { title: 'First order' });
      await admin('PATCH', `${base}/data/orders/1`, { title: 'First order, paid' });
      await admin('DELETE', `${base}/data/orders/1`);
      await expect
        .poll(() => sink.events().map((e) => e.event))
        .toEqual(['webhook.test', 'record.created', 'record.updated']);
      await page.getByRole('button', { name: 'Refresh deliveries' }).click();
      await expect(deliveries).toHaveCount(3);
      await expect(deliveries.first()).toHaveAttribute('data-event', 'record.updated');
    });

    await test.step('a delivery shows the request, the attempts and the response; redeliver', async () => {
      await page.getByRole('button', { name: /^Open delivery .* of record\.created$/ }).click();
      const dialog = page.getByRole('dialog', { name: 'Delivery of record.created' });
      const detail = dialog.getByTestId('delivery-detail');
      await expect(detail.getByTestId('delivery-status')).toHaveText('delivered');
      await expect(detail.getByTestId('attempt-row')).toHaveCount(1);
      await expect(detail.getByTestId('attempt-row')).toContainText('200');
      await expect(detail).toContainText('x-webhook-signature: sha256=');
      await expect(detail).toContainText('"First order"');
      await expect(detail).toContainText('"ok":true');
      await page.screenshot({ path: join(REVIEW, 'webhook-delivery.png') });

      const firstId = sink.events().find((e) => e.event === 'record.created')?.id;
      await dialog.getByRole('button', { name: 'Redeliver' }).click();
      await expect(page.getByText('Redelivery queued')).toBeVisible();
      await dialog.getByRole('button', { name: 'Close dialog' }).click();
      await expect
        .poll(() => sink.events().filter((e) => e.event === 'record.created').length)
        .toBe(2);
      // A redelivery is the same event: the receiver can drop it by X-Webhook-Id.
      const ids = sink
        .events()
        .filter((e) => e.event === 'record.created')
        .map((e) => e.headers['x-webhook-id']);
      expect(ids).toEqual([firstId, firstId]);
      await page.getByRole('button', { name: 'Refresh deliveries' }).click();
      await expect(deliveries).toHaveCount(4);
    });

    await test.step('the status filter lives in the URL', async () => {
      await page.getByRole('button', { name: 'failed', exact: true }).click();
      await expect(page).toHaveURL(/status=failed/);
      await expect(page.getByText('No failed deliveries')).toBeVisible();
      await page.getByRole('button', { name: 'delivered', exact: true }).click();
      await expect(deliveries).toHaveCount(4);
      await page.getByRole('button', { name: 'all', exact: true }).click();
    });

    await test.step('pause and resume with the active toggle', async () => {
      const toggle = page.getByRole('switch', { name: 'Active: Order sync' });
      await toggle.click();
      await expect(page.getByText('Webhook “Order sync” paused')).toBeVisible();
      await expect(toggle).toHaveAttribute('aria-checked', 'false');
      await expect(page.getByRole('button', { name: 'Test Order sync' })).toBeDisabled();
      await toggle.click();
      await expect(toggle).toHaveAttribute('aria-checked', 'true');
      await expect(page.getByRole('button', { name: 'Test Order sync' })).toBeEnabled();
    });

    await test.step('edit the events; rotate the secret', async () => {
      await page.getByRole('button', { name: 'More actions for Order sync' }).click();
      await page.getByRole('menuitem', { name: 'Edit' }).click();
      const dialog = page.getByRole('dialog', { name: 'Edit webhook' });
      await expect(dialog.getByLabel('Name')).toHaveValue('Order sync');
      await expect(dialog.getByRole('checkbox', { name: 'record.deleted' })).not.toBeChecked();
      await dialog.getByRole('checkbox', { name: 'record.deleted' }).check();
      await dialog.getByRole('button', { name: 'Save webhook' }).click();
      await expect(dialog).toBeHidden();
      await expect(
        page.locator('[data-testid="webhook-row"][data-webhook-name="Order sync"]'),
      ).toContainText('record.*');

      await page.getByRole('button', { name: 'More actions for Order sync' }).click();
      await page.getByRole('menuitem', { name: 'Rotate secret' }).click();
      await page
        .getByRole('dialog', { name: 'Rotate signing secret' })
        .getByRole('button', { name: 'Rotate secret' })
        .click();
      const rotated = page.getByRole('dialog', { name: 'New secret for “Order sync”' });
      const next = await rotated.getByTestId('webhook-secret-value').inputValue();
      expect(next).toMatch(/^whsec_/);
      expect(next).not.toBe(secret);
      secret = next;
      await rotated.getByRole('button', { name: 'I have saved the secret' }).click();
      await expect(rotated).toBeHidden();

      const before = sink.received.length;
      await page.getByRole('button', { name: 'Test Order sync' }).click();
      await expect.poll(() => sink.received.length).toBe(before + 1);
      const latest = sink.received[before];
      expect(latest && legacySignatureOk(secret, latest)).toBe(true);
    });

    await test.step('410 Gone disables the endpoint and the console says why', async () => {
      sink.status = 410;
      await admin('POST', `${base}/data/orders`, { title: 'Second order' });
      await expect
        .poll(
          async () =>
            (await admin<{ is_active: boolean }[]>('GET', `${base}/webhooks`))[0]?.is_active,
        )
        .toBe(false);
      await page.reload();
      const row = page.locator('[data-testid="webhook-row"][data-webhook-name="Order sync"]');
      await expect(row.getByTestId('webhook-disabled')).toBeVisible();
      await expect(
        page.getByRole('alert').filter({ hasText: 'was disabled by Backendify' }),
      ).toBeVisible();
      await expect(page.getByTestId('disabled-reason')).not.toBeEmpty();
      await expect(page.getByRole('switch', { name: 'Active: Order sync' })).toHaveAttribute(
        'aria-checked',
        'false',
      );
      await shot(page, 'webhooks-disabled', REVIEW);

      sink.status = 200;
      await page.getByRole('button', { name: 'Turn back on' }).click();
      await expect(row.getByTestId('webhook-disabled')).toBeHidden();
      await expect(page.getByTestId('disabled-reason')).toBeHidden();
      const [hook] = await admin<{ is_active: boolean; disabled_reason: string | null }[]>(
        'GET',
        `${base}/webhooks`,
      );
      expect(hook).toMatchObject({ is_active: true, disabled_reason: null });
    });

    await test.step('screenshot, then the signature snippets', async () => {
      await page.getByRole('button', { name: 'Refresh deliveries' }).click();
      await shot(page, 'webhooks');
      const verify = page.getByTestId('verify-signatures');
      await verify.getByRole('tab', { name: 'node:crypto' }).click();
      await expect(verify).toContainText("createHmac('sha256', key)");
      await expect(verify).toContainText('x-webhook-signature');
      await verify.getByRole('tab', { name: 'standardwebhooks' }).click();
      await expect(verify).toContainText("import { Webhook } from 'standardwebhooks'");
    });

    await test.step('delete with confirmation', async () => {
      await page.getByRole('button', { name: 'More actions for Order sync' }).click();
      await page.getByRole('menuitem', { name: 'Delete' }).click();
      const confirm = page.getByRole('dialog', { name: 'Delete webhook' });
      await expect(confirm).toContainText('“Order sync” and its delivery log will be deleted');
      await confirm.getByRole('button', { name: 'Delete webhook' }).click();
      await expect(page.getByText('No webhooks yet')).toBeVisible();
      expect(await admin<unknown[]>('GET', `${base}/webhooks`)).toEqual([]);
    });
  });
});
