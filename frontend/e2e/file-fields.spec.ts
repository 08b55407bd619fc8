import { expect, test } from '@playwright/test';
import { apiAs, signIn, uid } from './support';

// Issue 13.6: a record's `file` field uploads into its bucket from the record dialog and shows
// the linked file (a thumbnail for images).

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);

test('a file field uploads from the record dialog and shows the linked file', async ({ page }) => {
  const call = apiAs(page.request, await signIn(page, `ff-${uid()}@example.com`));
  const project = await call<{ id: string }>('POST', '/api/projects', { name: 'Covers' });
  const base = `/api/projects/${project.id}`;
  await call('POST', `${base}/files/buckets`, { name: 'covers', allowed_types: ['image/*'] });
  await call('POST', `${base}/schema/collections`, { name: 'posts' });
  await call('POST', `${base}/schema/collections/posts/fields`, {
    name: 'title',
    field_type: 'string',
  });
  await call('POST', `${base}/schema/collections/posts/fields`, {
    name: 'cover',
    field_type: 'file',
    options: { bucket: 'covers' },
  });

  await page.goto(`/projects/${project.id}/data?collection=posts`);
  await page.getByRole('button', { name: 'New record' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New record' });
  await dialog.getByLabel(/^title/i).fill('With a cover');
  const field = dialog.getByTestId('file-field');
  await expect(field).toContainText('No file');
  await field
    .getByLabel('Upload a file')
    .setInputFiles({ name: 'cover.png', mimeType: 'image/png', buffer: PNG });
  const linked = field.getByTestId('file-field-linked');
  await expect(linked).toContainText('cover.png');
  await expect(linked).toContainText('image/png');
  // The private bucket's thumbnail loads through a signed URL.
  await expect(linked.locator('img')).toHaveJSProperty('complete', true);
  await expect
    .poll(() => linked.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth))
    .toBeGreaterThan(0);

  // A text file is refused by the image-only bucket, with the server's reason.
  await field
    .getByLabel('Upload a file')
    .setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
  await expect(field.getByRole('alert')).toBeVisible();
  await expect(linked).toContainText('cover.png');

  await dialog.getByRole('button', { name: 'Create record' }).click();
  await expect(dialog).toBeHidden();
  const list = await call<{ records: { title: string; cover: string }[] }>(
    'GET',
    `${base}/data/posts`,
  );
  const cover = await call<{ original_filename: string; bucket: string }>(
    'GET',
    `${base}/files/${list.records[0]?.cover ?? 'missing'}`,
  );
  expect(cover).toMatchObject({ original_filename: 'cover.png', bucket: 'covers' });
});
