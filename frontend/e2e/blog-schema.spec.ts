import { expect, test, type Page } from '@playwright/test';
import { join } from 'node:path';

const SCREENSHOTS = join(import.meta.dirname, '../../screenshots');
const REVIEW = join(import.meta.dirname, '../test-results/review');
const PASSWORD = 'correct-horse-battery';
const uid = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

async function dismissToasts(page: Page) {
  const buttons = page.getByRole('button', { name: 'Dismiss notification' });
  for (let i = 0; i < 8 && (await buttons.count()) > 0; i++) {
    await buttons
      .first()
      .click({ timeout: 1000 })
      .catch(() => undefined);
  }
  await expect(buttons).toHaveCount(0);
}

/** A light screenshot for the docs, and a dark one kept with the test results for review. */
async function shot(page: Page, name: string) {
  await dismissToasts(page);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(REVIEW, `${name}-dark.png`) });
  await page.emulateMedia({ colorScheme: 'light' });
}

async function adminToken(page: Page): Promise<string> {
  const raw = await page.evaluate(() => localStorage.getItem('backendify.tokens'));
  return (JSON.parse(raw ?? '{}') as { accessToken: string }).accessToken;
}

async function openModule(page: Page, label: string) {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: label, exact: true })
    .click();
}

async function createCollection(page: Page, name: string) {
  await page.getByRole('button', { name: 'New collection' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Create collection' });
  await dialog.getByLabel('Name', { exact: true }).fill(name);
  await dialog.getByRole('button', { name: 'Create collection' }).click();
  await expect(dialog).toBeHidden();
  await expect(page).toHaveURL(new RegExp(`collection=${name}`));
}

async function addField(page: Page, name: string, type: string, required = false) {
  await page
    .getByTestId('collection-detail')
    .getByRole('button', { name: 'Add field' })
    .first()
    .click();
  const dialog = page.getByRole('dialog', { name: 'Add field' });
  await dialog.getByLabel('Name', { exact: true }).fill(name);
  await dialog.getByRole('radio', { name: type, exact: true }).click();
  if (required) await dialog.getByRole('switch', { name: 'Required' }).click();
  await dialog.getByRole('button', { name: 'Add field' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.locator(`[data-testid="field-row"][data-field-name="${name}"]`)).toBeVisible();
}

interface RelationSpec {
  source: string;
  name: string;
  target: string;
  type: 'many_to_one' | 'many_to_many';
  onDelete?: 'RESTRICT' | 'CASCADE' | 'SET NULL';
  displayField?: string;
}

async function createRelation(page: Page, spec: RelationSpec) {
  await page.getByRole('button', { name: 'New relation' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create relation' });
  await dialog.getByLabel('Source collection').selectOption({ label: spec.source });
  await dialog.getByLabel('Target collection').selectOption({ label: spec.target });
  await dialog.getByLabel('Name', { exact: true }).fill(spec.name);
  await dialog.getByRole('radio', { name: new RegExp(`^${spec.type}`) }).click();
  if (spec.onDelete) await dialog.getByLabel('On delete').selectOption(spec.onDelete);
  if (spec.displayField) await dialog.getByLabel('Display field').selectOption(spec.displayField);
  if (spec.name === 'category')
    await page.screenshot({ path: join(REVIEW, 'relation-dialog.png') });
  await dialog.getByRole('button', { name: 'Create relation' }).click();
  await expect(dialog).toBeHidden();
}

test.describe('blog schema: relations, validations and schema evolution', () => {
  test.beforeEach(async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light' });
  });

  test('model a blog, relate it, validate it and rename a field safely', async ({ page }) => {
    test.setTimeout(240_000);
    await page.goto('/register');
    await page.getByLabel('Email').fill(`evolve-${uid()}@example.com`);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page).toHaveURL(/\/projects$/);
    await page.getByRole('button', { name: 'New project' }).first().click();
    const projectDialog = page.getByRole('dialog', { name: 'Create project' });
    await projectDialog.getByLabel('Project name').fill('Acme Blog');
    await projectDialog.getByRole('button', { name: 'Create project' }).click();
    await expect(page).toHaveURL(/\/projects\/[^/?]+$/);
    const projectId = new URL(page.url()).pathname.split('/')[2] ?? '';
    const api = `/api/projects/${projectId}`;

    await test.step('categories, posts, comments and tags in the Schema Builder', async () => {
      await openModule(page, 'Schema');
      await expect(page.getByRole('heading', { name: 'Schema', level: 1 })).toBeVisible();
      await createCollection(page, 'categories');
      await addField(page, 'name', 'String', true);
      await createCollection(page, 'posts');
      await addField(page, 'title', 'String', true);
      await addField(page, 'body', 'Text');
      await addField(page, 'published', 'Boolean');
      await createCollection(page, 'comments');
      await addField(page, 'body', 'Text');
      await createCollection(page, 'tags');
      await addField(page, 'label', 'String', true);
    });

    await test.step('relations in the Relationship Builder', async () => {
      await openModule(page, 'Relations');
      await expect(page.getByRole('heading', { name: 'Relationships', level: 1 })).toBeVisible();
      await expect(page.getByTestId('relation-node')).toHaveCount(4);

      // Client-side checks before anything reaches the server.
      await page.getByRole('button', { name: 'New relation' }).click();
      const dialog = page.getByRole('dialog', { name: 'Create relation' });
      await dialog.getByLabel('Name', { exact: true }).fill('1category');
      await expect(dialog.getByText('Must start with a lowercase letter.')).toBeVisible();
      await dialog.getByRole('radio', { name: /^many_to_many/ }).click();
      await expect(dialog.getByLabel('On delete')).toBeDisabled();
      await expect(dialog.getByRole('switch', { name: 'Required' })).toBeDisabled();
      await dialog.getByRole('button', { name: 'Cancel' }).click();

      await createRelation(page, {
        source: 'posts',
        name: 'category',
        target: 'categories',
        type: 'many_to_one',
        onDelete: 'SET NULL',
        displayField: 'name',
      });
      await createRelation(page, {
        source: 'comments',
        name: 'post',
        target: 'posts',
        type: 'many_to_one',
        onDelete: 'CASCADE',
        displayField: 'title',
      });
      await createRelation(page, {
        source: 'posts',
        name: 'tags',
        target: 'tags',
        type: 'many_to_many',
      });

      const edge = (r: string) =>
        page.locator(`[data-testid="relation-edge"][data-relation="${r}"]`);
      await expect(edge('posts.category')).toHaveAttribute('data-relation-type', 'many_to_one');
      await expect(edge('comments.post')).toHaveAttribute('data-relation-type', 'many_to_one');
      await expect(edge('posts.tags')).toHaveAttribute('data-relation-type', 'many_to_many');
      await expect(edge('posts.category')).toContainText('category · many_to_one');

      // The server refuses a duplicate name; the dialog shows its detail.
      await page.getByRole('button', { name: 'New relation' }).click();
      const dup = page.getByRole('dialog', { name: 'Create relation' });
      await dup.getByLabel('Source collection').selectOption({ label: 'posts' });
      await dup.getByLabel('Target collection').selectOption({ label: 'categories' });
      await dup.getByLabel('Name', { exact: true }).fill('category');
      await dup.getByRole('button', { name: 'Create relation' }).click();
      await expect(dup.getByRole('alert').first()).toContainText(/already/i);
      await dup.getByRole('button', { name: 'Cancel' }).click();

      // Drag a node: the diagram follows.
      const node = page.locator('[data-testid="relation-node"][data-collection="tags"]');
      const box = await node.boundingBox();
      if (box) {
        await page.mouse.move(box.x + 40, box.y + 15);
        await page.mouse.down();
        await page.mouse.move(box.x + 80, box.y + 45, { steps: 5 });
        await page.mouse.up();
        const moved = await node.boundingBox();
        expect(Math.round(moved?.x ?? 0)).not.toBe(Math.round(box.x));
      }
      await shot(page, 'relationship-builder');

      await page.getByRole('tab', { name: 'List' }).click();
      await expect(page).toHaveURL(/view=list/);
      const rows = page.getByTestId('relation-row');
      await expect(rows).toHaveCount(3);
      const category = page.locator('[data-testid="relation-row"][data-relation="posts.category"]');
      await expect(category).toContainText('SET NULL');
      await expect(category).toContainText('column category_id');
      await expect(
        page.locator('[data-testid="relation-row"][data-relation="posts.tags"]'),
      ).toContainText('table posts_tags');
      await page.getByRole('tab', { name: 'Diagram' }).click();
    });

    await test.step('a min_length rule on posts.title and a payload that fails, then passes', async () => {
      await openModule(page, 'Validations');
      await expect(page.getByRole('heading', { name: 'Validation rules', level: 1 })).toBeVisible();
      await page.getByLabel('Collection').selectOption('posts');
      await expect(page).toHaveURL(/collection=posts/);
      await page
        .getByRole('navigation', { name: 'Fields' })
        .getByRole('button', { name: /title/ })
        .click();
      await expect(page).toHaveURL(/field=title/);
      await page.getByRole('button', { name: 'Add rule' }).click();
      const dialog = page.getByRole('dialog', { name: 'Add rule' });
      // Only string rules are offered for a string field.
      await expect(
        dialog.getByLabel('Rule type').locator('option', { hasText: 'min_value' }),
      ).toHaveCount(0);
      await dialog.getByLabel('Rule type').selectOption('min_length');
      await dialog.getByRole('button', { name: 'Add rule' }).click();
      await expect(dialog.getByText('Required', { exact: true })).toBeVisible();
      await dialog.getByLabel('min', { exact: true }).fill('5');
      await dialog.getByLabel('Error message').fill('Titles need at least 5 characters');
      await page.screenshot({ path: join(REVIEW, 'rule-dialog.png') });
      await dialog.getByRole('button', { name: 'Add rule' }).click();
      await expect(dialog).toBeHidden();
      const row = page.locator('[data-testid="rule-row"][data-rule-type="min_length"]');
      await expect(row).toContainText('min: 5');
      await expect(row).toContainText('Titles need at least 5 characters');
      await shot(page, 'validation-rules');

      const json = page.getByLabel('Payload (JSON)');
      await json.fill('{\n  "title": "Hey",\n  "body": "Short one",\n  "published": false\n}');
      await page.getByRole('button', { name: 'Validate' }).click();
      const result = page.getByTestId('validation-result');
      await expect(result).toContainText('Invalid payload');
      await expect(result.getByTestId('validation-error')).toContainText('min_length');
      await expect(result.getByTestId('validation-error')).toContainText(
        'Titles need at least 5 characters',
      );
      await shot(page, 'validation-try');

      await json.fill('{\n  "title": "Hello world",\n  "body": "An alias keeps working"\n}');
      await page.getByRole('button', { name: 'Validate' }).click();
      await expect(result).toContainText('Valid payload');

      // Update mode checks only what is sent: a payload without the required title passes.
      await json.fill('{ "published": true }');
      await page.getByRole('radio', { name: 'update' }).click();
      await page.getByRole('button', { name: 'Validate' }).click();
      await expect(result).toContainText('Valid payload');
    });

    const token = await adminToken(page);
    const headers = { Authorization: `Bearer ${token}` };

    await test.step('seed a post, then rename posts.body to content: pending → preview → apply', async () => {
      const created = await page.request.post(`${api}/data/posts`, {
        headers,
        data: { title: 'Hello world', body: 'An alias keeps working' },
      });
      expect(created.status(), await created.text()).toBe(201);

      await openModule(page, 'Schema Evolution');
      await expect(page.getByRole('heading', { name: 'Schema evolution', level: 1 })).toBeVisible();
      await page.getByLabel('Collection').selectOption('posts');
      await page.getByRole('button', { name: 'Actions for body' }).click();
      await page.getByRole('menuitem', { name: 'Rename field' }).click();
      const dialog = page.getByRole('dialog', { name: 'Rename field' });
      await dialog.getByLabel('New name').fill('content');
      const preview = dialog.getByTestId('sql-preview');
      await expect(preview).toContainText('RENAME COLUMN');
      await expect(preview).toContainText('content');
      await page.screenshot({ path: join(REVIEW, 'operation-dialog.png') });
      await dialog.getByRole('button', { name: 'Add to pending' }).click();
      await expect(dialog).toBeHidden();

      const pending = page.getByTestId('pending-change');
      await expect(pending).toHaveCount(1);
      await expect(pending).toHaveAttribute('data-operation', 'rename_column');
      await expect(pending.getByTestId('sql-preview')).toContainText('RENAME COLUMN');
      await expect(pending).toContainText('posts.body → content');
      await shot(page, 'schema-evolution');

      await page.getByRole('button', { name: 'Apply all' }).click();
      await expect(page.getByText('Nothing queued.')).toBeVisible();
      await expect(
        page.locator('[data-testid="evolution-field"][data-field-name="content"]'),
      ).toBeVisible();
      await expect(
        page.locator('[data-testid="evolution-field"][data-field-name="body"]'),
      ).toHaveCount(0);
    });

    await test.step('the rename is in History and Aliases', async () => {
      await page.getByRole('tab', { name: 'History' }).click();
      await expect(page).toHaveURL(/tab=history/);
      const renamed = page.locator('[data-testid="history-row"][data-op-type="rename_column"]');
      await expect(renamed).toHaveCount(1);
      await expect(renamed).toContainText('applied');
      await expect(renamed).toContainText('posts');
      await page.getByLabel('Operation').selectOption('rename_column');
      await expect(page).toHaveURL(/op_type=rename_column/);
      await expect(page.getByTestId('history-row')).toHaveCount(1);
      await page.getByLabel('Operation').selectOption('');
      await expect(page.getByTestId('history-row').first()).toBeVisible();
      await shot(page, 'schema-history');

      await page.getByRole('tab', { name: 'Aliases' }).click();
      const alias = page.locator('[data-testid="alias-row"][data-alias="body"]');
      await expect(alias).toContainText('posts.body');
      await expect(alias).toContainText('posts.content');
    });

    await test.step('quick field actions: soft-delete, restore, change type, hard-delete', async () => {
      await page.getByRole('tab', { name: 'Pending' }).click();
      const fieldRow = (name: string) =>
        page.locator(`[data-testid="evolution-field"][data-field-name="${name}"]`);
      async function act(field: string, action: string, title = action) {
        await page.getByRole('button', { name: `Actions for ${field}` }).click();
        await page.getByRole('menuitem', { name: action }).click();
        return page.getByRole('dialog', { name: title });
      }

      let dialog = await act('published', 'Soft-delete field');
      await expect(dialog.getByText('Metadata only')).toBeVisible();
      await dialog.getByRole('button', { name: 'Apply now' }).click();
      await expect(dialog).toBeHidden();
      await expect(fieldRow('published')).toContainText('soft-deleted');

      dialog = await act('published', 'Restore field');
      await dialog.getByRole('button', { name: 'Apply now' }).click();
      await expect(dialog).toBeHidden();
      await expect(fieldRow('published')).not.toContainText('soft-deleted');

      dialog = await act('published', 'Change type', 'Change field type');
      // Only safe targets are offered: a bool becomes text, never a number.
      await expect(dialog.getByLabel('New type').locator('option', { hasText: 'int' })).toHaveCount(
        0,
      );
      await dialog.getByLabel('New type').selectOption('string');
      await expect(dialog.getByTestId('sql-preview')).toContainText('TYPE');
      await dialog.getByRole('button', { name: 'Apply now' }).click();
      await expect(dialog).toBeHidden();
      await expect(fieldRow('published')).toContainText('string');

      dialog = await act('published', 'Hard-delete field');
      await expect(dialog.getByRole('region', { name: 'Migration preview' })).toContainText(
        'soft-deleted first',
      );
      await expect(dialog.getByRole('button', { name: 'Apply now' })).toBeDisabled();
      await dialog.getByRole('switch', { name: 'Skip the soft-delete step' }).click();
      await expect(dialog.getByTestId('sql-preview')).toContainText('DROP COLUMN');
      await dialog.getByRole('button', { name: 'Apply now' }).click();
      await expect(dialog).toBeHidden();
      await expect(fieldRow('published')).toHaveCount(0);
    });

    await test.step('a queued change that fails is reported and can be discarded', async () => {
      for (const field of ['title', 'content']) {
        await page.getByRole('button', { name: `Actions for ${field}` }).click();
        await page.getByRole('menuitem', { name: 'Rename field' }).click();
        const dialog = page.getByRole('dialog', { name: 'Rename field' });
        await dialog.getByLabel('New name').fill('headline');
        await expect(dialog.getByTestId('sql-preview')).toContainText('headline');
        await dialog.getByRole('button', { name: 'Add to pending' }).click();
        await expect(dialog).toBeHidden();
      }
      await expect(page.getByTestId('pending-change')).toHaveCount(2);
      await page.getByRole('button', { name: 'Apply all' }).click();
      const failed = page.getByTestId('failed-change');
      await expect(failed).toHaveCount(1);
      await expect(failed).toContainText('posts.content → headline');
      await expect(failed).toContainText(/already exists/i);
      await expect(page.getByText(/A change failed/)).toBeVisible();
      await failed.getByRole('button', { name: 'Discard' }).click();
      await expect(failed).toHaveCount(0);
      await expect(
        page.locator('[data-testid="evolution-field"][data-field-name="headline"]'),
      ).toBeVisible();
    });

    await test.step('the data API still understands the old name', async () => {
      const res = await page.request.get(`${api}/data/posts?body__contains=alias`, { headers });
      expect(res.status(), await res.text()).toBe(200);
      const body = (await res.json()) as { records: Record<string, unknown>[] };
      expect(body.records).toHaveLength(1);
      expect(body.records[0]?.content).toBe('An alias keeps working');
    });
  });
});
