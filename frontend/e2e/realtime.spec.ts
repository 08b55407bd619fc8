import { expect, test, type Page } from '@playwright/test';
import { join } from 'node:path';
import { apiAs, signIn, uid } from './support';

// Two browser contexts are two separate console sessions (the same member signed in twice, as on
// two machines): a change made in one appears in the other's Data Explorer over the realtime
// socket, with no reload.

const SCREENSHOTS = join(import.meta.dirname, '../../screenshots');

async function shot(page: Page, name: string) {
  for (const button of await page.getByRole('button', { name: 'Dismiss notification' }).all()) {
    await button.click({ timeout: 1000 }).catch(() => undefined);
  }
  await expect(page.locator('[data-toast]')).toHaveCount(0, { timeout: 8000 });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();

test('a change in one console appears live in another, pause and resume, the realtime inspector', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const ownerContext = await browser.newContext();
  const otherContext = await browser.newContext();
  const owner = await ownerContext.newPage();
  const other = await otherContext.newPage();
  await owner.emulateMedia({ colorScheme: 'light' });

  const email = `live-${uid()}@example.com`;
  const ownerToken = await signIn(owner, email, 'register');
  const otherToken = await signIn(other, email, 'login');
  const asOwner = apiAs(owner.request, ownerToken);
  const asOther = apiAs(other.request, otherToken);
  const project = await asOwner<{ id: string }>('POST', '/api/projects', { name: 'Live notes' });
  const base = `/api/projects/${project.id}`;
  await asOwner('POST', `${base}/schema/collections`, { name: 'notes' });
  await asOwner('POST', `${base}/schema/collections/notes/fields`, {
    name: 'title',
    field_type: 'string',
  });
  const first = await asOwner<{ id: number }>('POST', `${base}/data/notes`, { title: 'Seeded' });

  await owner.goto(`/projects/${project.id}/data?collection=notes`);
  await other.goto(`/projects/${project.id}/data?collection=notes`);
  for (const page of [owner, other]) {
    await expect(page.getByTestId('record-total')).toHaveText('1 record');
    await expect(page.getByTestId('live-toggle')).toHaveAttribute('data-status', 'live');
  }

  await test.step('created in one console, the row appears and flashes in the other', async () => {
    await other.getByRole('button', { name: 'New record' }).first().click();
    const dialog = other.getByRole('dialog', { name: 'New record' });
    await dialog.getByLabel(/^title/i).fill('Written by the other member');
    await dialog.getByRole('button', { name: 'Create record' }).click();
    await expect(dialog).toBeHidden();

    await expect(owner.getByTestId('record-total')).toHaveText('2 records');
    const row = owner.getByTestId('record-row').filter({ hasText: 'Written by the other member' });
    await expect(row).toBeVisible();
    await expect(row).toHaveAttribute('data-flash', 'true');
    await shot(owner, 'realtime-explorer');
  });

  await test.step('an edit from elsewhere flashes the edited row', async () => {
    await asOther('PATCH', `${base}/data/notes/${first.id}`, { title: 'Seeded, then edited' });
    const row = owner.locator(`[data-testid="record-row"][data-record-id="${first.id}"]`);
    await expect(row).toContainText('Seeded, then edited');
    await expect(row).toHaveAttribute('data-flash', 'true');
  });

  await test.step('paused, changes are counted, not applied; resumed, they apply', async () => {
    await owner.getByTestId('live-toggle').click();
    await expect(owner.getByTestId('live-toggle')).toHaveAttribute('data-status', 'paused');
    await asOther('POST', `${base}/data/notes`, { title: 'While paused' });
    await expect(owner.getByTestId('live-toggle')).toHaveText('Paused · 1 change');
    await expect(owner.getByTestId('record-total')).toHaveText('2 records');
    await expect(owner.getByText('While paused')).toHaveCount(0);
    // The choice is kept across a reload.
    await owner.reload();
    await expect(owner.getByTestId('live-toggle')).toHaveAttribute('data-status', 'paused');
    await expect(owner.getByTestId('record-total')).toHaveText('3 records');
    await asOther('DELETE', `${base}/data/notes/${first.id}`);
    await expect(owner.getByTestId('live-toggle')).toHaveText('Paused · 1 change');
    await owner.getByTestId('live-toggle').click();
    await expect(owner.getByTestId('live-toggle')).toHaveAttribute('data-status', 'live');
    await expect(owner.getByTestId('record-total')).toHaveText('2 records');
    await expect(owner.locator(`[data-record-id="${first.id}"]`)).toHaveCount(0);
  });

  await test.step('the inspector lists the connected consoles and tails the events', async () => {
    await nav(owner, 'Realtime');
    await expect(owner.getByRole('heading', { name: 'Realtime', level: 1 })).toBeVisible();
    // The inspector's own socket and the other session's Data Explorer socket.
    await expect(owner.getByTestId('realtime-connection')).toHaveCount(2);
    await expect(owner.getByTestId('realtime-connections')).toContainText('Member (owner)');
    await expect(owner.getByTestId('realtime-connections')).toContainText('notes');
    await expect(owner.getByText('Waiting for changes')).toBeVisible();

    await asOther('POST', `${base}/data/notes`, { title: 'Tailed' });
    const event = owner.getByTestId('realtime-event').first();
    await expect(event).toContainText('record.created');
    await expect(event).toContainText('notes');
    await event.getByRole('button').click();
    await expect(event).toContainText('"title": "Tailed"');
    await asOther('DELETE', `${base}/data/notes/${first.id + 1}`);
    await expect(owner.getByTestId('realtime-event').first()).toContainText('record.deleted');
    await shot(owner, 'realtime-inspector');

    // The other session closes: its socket closes and the list follows.
    await other.close();
    await expect(owner.getByTestId('realtime-connection')).toHaveCount(1, { timeout: 10_000 });
  });

  await ownerContext.close();
  await otherContext.close();
});
