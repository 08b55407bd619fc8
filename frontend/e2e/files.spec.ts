import { expect, test, type Page } from '@playwright/test';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

// The Files page end to end against the real server: a bucket created in the UI, a PNG and a text
// file uploaded through the file input, thumbnails served as signed webp variants of a private
// bucket, a copied signed URL fetched with no credentials, and a delete.

const SCREENSHOTS = join(import.meta.dirname, '../../screenshots');

async function shot(page: Page, name: string) {
  for (const button of await page.getByRole('button', { name: 'Dismiss notification' }).all()) {
    await button.click({ timeout: 1000 }).catch(() => undefined);
  }
  await expect(page.locator('[data-toast]')).toHaveCount(0, { timeout: 8000 });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

const uid = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const PASSWORD = 'correct-horse-battery';

/** A 1x1 red PNG. */
const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);

/** A small RGB gradient PNG, so the screenshot shows a real thumbnail. */
function gradientPng(size: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3);
    for (let x = 0; x < size; x++) {
      row[1 + x * 3] = Math.round((x / size) * 255);
      row[2 + x * 3] = Math.round((y / size) * 200) + 30;
      row[3 + x * 3] = 220;
    }
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

test('buckets, uploads with thumbnails, a signed URL fetched without credentials, delete', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({
    permissions: ['clipboard-read', 'clipboard-write'],
    viewport: { width: 1440, height: 900 },
  });
  const page = await context.newPage();
  await page.emulateMedia({ colorScheme: 'light' });

  await page.goto('/register');
  await page.getByLabel('Email').fill(`files-${uid()}@example.com`);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/projects$/);
  const raw = await page.evaluate(() => localStorage.getItem('backendify.tokens'));
  const token = (JSON.parse(raw ?? '{}') as { accessToken: string }).accessToken;
  const res = await page.request.post('/api/projects', {
    headers: { authorization: `Bearer ${token}` },
    data: { name: 'Media library' },
  });
  expect(res.ok()).toBe(true);
  const project = (await res.json()) as { id: string };

  await page.goto(`/projects/${project.id}/files`);
  await expect(page.getByRole('heading', { name: 'Files', level: 1 })).toBeVisible();
  await expect(page.getByText('No buckets yet')).toBeVisible();

  await test.step('create a private bucket through the dialog', async () => {
    await page.getByRole('button', { name: 'New bucket' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create bucket' });
    await dialog.getByLabel('Name').fill('photos');
    await dialog.getByLabel('Max file size (MB)').fill('5');
    await dialog.getByRole('button', { name: 'Create bucket' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('bucket-item')).toHaveCount(1);
    await expect(page.getByRole('heading', { name: /photos/, level: 2 })).toBeVisible();
    await expect(page.getByText('max 5.0 MB per file')).toBeVisible();
  });

  await test.step('upload a PNG, a gradient and a text file through the file input', async () => {
    await page.getByTestId('file-input').setInputFiles([
      { name: 'pixel.png', mimeType: 'image/png', buffer: TINY_PNG },
      { name: 'gradient.png', mimeType: 'image/png', buffer: gradientPng(96) },
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello files\n') },
    ]);
    await expect(page.getByTestId('upload-item')).toHaveCount(3);
    await expect(page.locator('[data-testid="upload-item"][data-status="done"]')).toHaveCount(3);
    await expect(page.getByRole('progressbar', { name: /notes\.txt/ })).toHaveAttribute(
      'aria-valuenow',
      '100',
    );
    await expect(page.getByTestId('file-card')).toHaveCount(3);
    // Private bucket: the thumbnails load through signed 256px webp variants.
    const thumb = page
      .locator('[data-testid="file-card"][data-file-name="gradient.png"]')
      .getByTestId('file-thumbnail');
    await expect(thumb).toBeVisible();
    await expect(thumb).toHaveAttribute('src', /signature|sig|token|expires/i);
    await expect
      .poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBeGreaterThan(0);
    await expect(
      page
        .locator('[data-testid="file-card"][data-file-name="notes.txt"]')
        .getByTestId('file-thumbnail'),
    ).toHaveCount(0);
    await page.getByRole('button', { name: 'Clear finished' }).click();
    await shot(page, 'files');
  });

  await test.step('a file from 4 MiB goes up resumably over tus, in chunks', async () => {
    const big = Buffer.alloc(4.5 * 1024 * 1024);
    for (let i = 0; i < big.length; i += 4) big.writeUInt32LE((i * 2654435761) >>> 0, i);
    const tusRequests: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/files/tus')) tusRequests.push(r.method());
    });
    await page
      .getByTestId('file-input')
      .setInputFiles([{ name: 'big.bin', mimeType: 'application/octet-stream', buffer: big }]);
    const item = page.locator('[data-testid="upload-item"]').filter({ hasText: 'big.bin' });
    await expect(item).toContainText('resumable');
    await expect(item).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
    expect(tusRequests.filter((m) => m === 'POST')).toHaveLength(1);
    expect(tusRequests.filter((m) => m === 'PATCH').length).toBeGreaterThanOrEqual(3);
    await expect(page.getByTestId('file-card')).toHaveCount(4);
    await page.getByRole('button', { name: 'More actions for big.bin' }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    await page
      .getByRole('dialog', { name: 'Delete file' })
      .getByRole('button', { name: 'Delete file' })
      .click();
    await expect(page.getByTestId('file-card')).toHaveCount(3);
    await page.getByRole('button', { name: 'Clear finished' }).click();
  });

  await test.step('the list view has a row per file', async () => {
    await page.getByRole('button', { name: 'List view' }).click();
    await expect(page.getByTestId('file-row')).toHaveCount(3);
    const row = page.locator('[data-testid="file-row"][data-file-name="notes.txt"]');
    await expect(row).toContainText('text/plain');
    await expect(row).toContainText('12 B');
    await expect(
      page.locator('[data-testid="file-row"][data-file-name="pixel.png"]'),
    ).toContainText('image/png');
  });

  await test.step('copy a signed URL and fetch it without credentials', async () => {
    await page.getByRole('button', { name: 'More actions for pixel.png' }).click();
    await page.getByRole('menuitem', { name: 'Copy signed URL' }).click();
    await expect(page.getByText(/Signed URL copied/)).toBeVisible();
    const url = await page.evaluate(() => navigator.clipboard.readText());
    expect(url).toMatch(new RegExp(`/api/projects/${project.id}/files/[^/]+/download\\?`));
    const fresh = await page.request.get(url, { headers: {} });
    expect(fresh.status()).toBe(200);
    expect(Buffer.compare(await fresh.body(), TINY_PNG)).toBe(0);
    // The same file without a signature is refused.
    const bare = await page.request.get(new URL(url).pathname);
    expect(bare.status()).toBeGreaterThanOrEqual(400);
  });

  await test.step('preview shows the image and its metadata', async () => {
    await page.getByRole('button', { name: 'pixel.png', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'pixel.png' });
    await expect(dialog.getByTestId('file-thumbnail')).toBeVisible();
    await expect(dialog).toContainText('Private');
    await dialog.getByRole('button', { name: 'Close dialog' }).click();
  });

  await test.step('delete a file after confirming', async () => {
    await page.getByRole('button', { name: 'More actions for notes.txt' }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    await page
      .getByRole('dialog', { name: 'Delete file' })
      .getByRole('button', { name: 'Delete file' })
      .click();
    await expect(page.getByTestId('file-row')).toHaveCount(2);
    await expect(page.locator('[data-file-name="notes.txt"]')).toHaveCount(0);
    await expect(page.getByTestId('bucket-item')).toContainText('2');
  });

  await test.step('settings limit the types; drag-and-drop uploads follow them', async () => {
    await page.getByRole('button', { name: 'Bucket settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Bucket settings: photos' });
    await dialog.getByLabel('Allowed types').fill('image/*');
    await dialog.getByRole('switch', { name: 'Public' }).click();
    await dialog.getByRole('button', { name: 'Save settings' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByText(/per file · image\/\*/)).toBeVisible();
    await expect(page.getByRole('heading', { name: /photos/, level: 2 })).toContainText('public');
    // Public now: the thumbnail is the preset variant straight from the download route.
    const thumb = page
      .locator('[data-testid="file-row"][data-file-name="gradient.png"]')
      .getByTestId('file-thumbnail');
    await expect(thumb).toHaveAttribute('src', /\/download\?width=256&format=webp$/);
    await expect
      .poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBeGreaterThan(0);

    const drop = async (name: string, base64: string, type: string) => {
      const dataTransfer = await page.evaluateHandle(
        ([n, b, t]) => {
          const dt = new DataTransfer();
          const bytes = Uint8Array.from(atob(b), (c) => c.charCodeAt(0));
          dt.items.add(new File([bytes], n, { type: t }));
          return dt;
        },
        [name, base64, type] as const,
      );
      const zone = page.getByTestId('files-dropzone');
      await zone.dispatchEvent('dragenter', { dataTransfer });
      await zone.dispatchEvent('dragover', { dataTransfer });
      await zone.dispatchEvent('drop', { dataTransfer });
    };
    // Declared as an image, sniffed as text: the bucket refuses it (415) and the item says why.
    await drop(
      'fake.png',
      Buffer.from('<html>not an image</html>').toString('base64'),
      'image/png',
    );
    const refused = page.locator('[data-testid="upload-item"]').filter({ hasText: 'fake.png' });
    await expect(refused).toHaveAttribute('data-status', 'error');
    await expect(refused.getByRole('alert')).not.toBeEmpty();
    await expect(refused.getByRole('button', { name: 'Retry fake.png' })).toBeVisible();

    await drop('dropped.png', gradientPng(32).toString('base64'), 'image/png');
    const dropped = page.locator('[data-testid="upload-item"]').filter({ hasText: 'dropped.png' });
    await expect(dropped).toHaveAttribute('data-status', 'done');
    await expect(page.getByTestId('file-row')).toHaveCount(3);
    await expect(page.locator('[data-file-name="fake.png"]')).toHaveCount(0);
  });

  await test.step('bucket settings: deleting a bucket with files needs the force confirm', async () => {
    await page.getByRole('button', { name: 'Bucket settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Bucket settings: photos' });
    await expect(dialog.getByLabel('Max file size (MB)')).toHaveValue('5');
    await dialog.getByRole('button', { name: 'Delete bucket' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete bucket “photos”' });
    await expect(confirm).toContainText('3 files');
    await confirm.getByRole('button', { name: 'Delete bucket and files' }).click();
    await expect(page.getByText('No buckets yet')).toBeVisible();
  });

  await context.close();
});
