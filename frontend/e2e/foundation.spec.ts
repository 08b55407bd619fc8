import { expect, test, type Page } from '@playwright/test';
import { join } from 'node:path';
import { waitForMailedLink } from './platform-mailbox';

const SCREENSHOTS = join(import.meta.dirname, '../../screenshots');
async function shot(page: Page, name: string, { keepToasts = false } = {}) {
  if (!keepToasts) {
    for (const button of await page.getByRole('button', { name: 'Dismiss notification' }).all()) {
      await button.click({ timeout: 1000 }).catch(() => undefined);
    }
  }
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

const uid = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const PASSWORD = 'correct-horse-battery';

async function register(page: Page, email: string) {
  await page.goto('/register');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/projects$/);
}

test.describe('console foundation', () => {
  test.beforeEach(async ({ page }) => {
    // Start from light mode regardless of the machine's colour scheme.
    await page.emulateMedia({ colorScheme: 'light' });
  });

  test('register, projects, API keys, settings, theme and narrow layout', async ({
    page,
    context,
  }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const email = `admin-${uid()}@example.com`;

    await test.step('register lands on the empty projects page', async () => {
      await register(page, email);
      await expect(page.getByRole('heading', { name: 'Projects', level: 1 })).toBeVisible();
      await expect(page.getByText('Create your first project')).toBeVisible();
    });

    await test.step('create projects', async () => {
      await page.getByRole('button', { name: 'New project' }).first().click();
      const dialog = page.getByRole('dialog', { name: 'Create project' });
      await dialog.getByLabel('Project name').fill('Analytics sandbox');
      await dialog.getByRole('button', { name: 'Create project' }).click();
      await expect(page).toHaveURL(/\/projects\/[^/]+$/);
      await expect(page.getByRole('heading', { name: 'Analytics sandbox' })).toBeVisible();

      await page.goto('/projects?create=true');
      const again = page.getByRole('dialog', { name: 'Create project' });
      await again.getByLabel('Project name').fill('Acme Blog');
      await again.getByRole('button', { name: 'Create project' }).click();
      await expect(page.getByRole('heading', { name: 'Acme Blog', level: 1 })).toBeVisible();
      await expect(page.getByRole('list', { name: 'Getting started' })).toBeVisible();
      await expect(page.getByTestId('project-id')).not.toBeEmpty();
      await shot(page, 'project-overview');
    });

    const projectUrl = page.url();

    await test.step('projects list shows both projects', async () => {
      await page.getByRole('link', { name: 'All projects' }).first().click();
      await expect(page.getByRole('list', { name: 'Projects' }).getByRole('link')).toHaveCount(2);
      await shot(page, 'projects');
      await page.getByRole('link', { name: /Acme Blog/ }).click();
      await expect(page).toHaveURL(projectUrl);
    });

    await test.step('modules that are not built yet say so', async () => {
      const nav = page.getByRole('navigation', { name: 'Main' });
      for (const label of [
        'Overview',
        'Schema',
        'Data',
        'Relations',
        'Validations',
        'Policies',
        'Roles',
        'App Users',
        'Authentication',
        'API Keys',
        'Files',
        'Views',
        'Webhooks',
        'Workflows',
        'Realtime',
        'Audit Logs',
        'Schema Evolution',
        'Mailbox',
        'Settings',
      ]) {
        await expect(
          nav.getByRole('link', { name: new RegExp(`^${label}( \\(coming soon\\))?$`) }),
        ).toBeVisible();
      }
      await nav.getByRole('link', { name: /^Files/ }).click();
      await expect(page.getByRole('heading', { name: /Files/, level: 1 })).toBeVisible();
      // Every module has landed: nothing says "soon" any more.
      await expect(page.getByTestId('coming-soon')).toHaveCount(0);
      await expect(nav.getByText('soon', { exact: true })).toHaveCount(0);
    });

    let plaintext = '';
    await test.step('create an API key; the key is shown once', async () => {
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: /^API Keys/ })
        .click();
      await expect(page.getByRole('heading', { name: 'API Keys', level: 1 })).toBeVisible();
      await expect(page.getByText('No API keys yet')).toBeVisible();
      await page.getByRole('button', { name: 'Create API key' }).first().click();

      const dialog = page.getByRole('dialog', { name: 'Create API key' });
      await dialog.getByLabel('Name').fill('Production server');
      const nextYear = `${new Date().getFullYear() + 1}-06-30`;
      await dialog.getByLabel(/Expires on/).fill(nextYear);
      await dialog.getByRole('button', { name: 'Create key' }).click();

      const created = page.getByRole('dialog', { name: 'Save your API key' });
      await expect(created.getByText('This key will not be shown again')).toBeVisible();
      plaintext = await created.getByTestId('plaintext-key').inputValue();
      expect(plaintext.length).toBeGreaterThan(16);
      const copy = created.getByRole('button', { name: 'Copy key' });
      await expect(copy).toBeVisible();
      await copy.click();
      await expect(created.getByRole('button', { name: /Copied/ })).toBeVisible();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(plaintext);
      await shot(page, 'api-key-created');
      await created.getByRole('button', { name: 'I have saved my key' }).click();
      await expect(created).toBeHidden();
      await expect(page.getByText(plaintext)).toHaveCount(0);
    });

    await test.step('the key is listed as active', async () => {
      const row = page.locator('[data-testid="api-key-row"][data-key-name="Production server"]');
      await expect(row).toBeVisible();
      await expect(row.getByTestId('api-key-status')).toHaveText('active');
      await expect(row).toContainText('Never'); // last used
      expect(plaintext.startsWith((await row.locator('code').innerText()).replace('…', ''))).toBe(
        true,
      );

      await page.getByRole('button', { name: 'Create API key' }).click();
      const dialog = page.getByRole('dialog', { name: 'Create API key' });
      await dialog.getByLabel('Name').fill('Web app');
      // Service is the default kind; a key for a browser app is a public one.
      await expect(dialog.getByRole('radio', { name: /Service key/ })).toBeChecked();
      await dialog.getByRole('radio', { name: /Public key/ }).check();
      await dialog.getByRole('button', { name: 'Create key' }).click();
      const saved = page.getByRole('dialog', { name: 'Save your API key' });
      await expect(saved.getByTestId('api-key-created-kind')).toContainText(
        'may ship in a browser',
      );
      await saved.getByRole('button', { name: 'I have saved my key' }).click();
      await expect(page.getByTestId('api-key-row')).toHaveCount(2);
      await expect(
        page
          .locator('[data-testid="api-key-row"][data-key-name="Web app"]')
          .getByTestId('api-key-kind'),
      ).toHaveText('public');
      await expect(row.getByTestId('api-key-kind')).toHaveText('service');
      await shot(page, 'api-keys');
    });

    await test.step('revoke, then delete', async () => {
      const row = page.locator('[data-testid="api-key-row"][data-key-name="Production server"]');
      await row.getByRole('button', { name: 'Revoke Production server' }).click();
      await page
        .getByRole('dialog', { name: 'Revoke API key' })
        .getByRole('button', { name: 'Revoke key' })
        .click();
      await expect(row.getByTestId('api-key-status')).toHaveText('revoked');
      await expect(page.getByText('API key “Production server” revoked')).toBeVisible();

      await page.getByRole('button', { name: 'revoked 1' }).click();
      await expect(page).toHaveURL(/status=revoked/);
      await expect(page.getByTestId('api-key-row')).toHaveCount(1);
      await page.getByRole('button', { name: 'all 2' }).click();

      await row.getByRole('button', { name: 'Delete Production server' }).click();
      await page
        .getByRole('dialog', { name: 'Delete API key' })
        .getByRole('button', { name: 'Delete key' })
        .click();
      await expect(row).toHaveCount(0);
      await expect(page.getByTestId('api-key-row')).toHaveCount(1);
    });

    await test.step('settings: rename the project and see members', async () => {
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: /^Settings/ })
        .click();
      const name = page.getByLabel('Project name');
      await name.fill('Acme Blog (prod)');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await expect(page.getByText('Project renamed')).toBeVisible();
      await expect(page.getByTestId('current-project')).toHaveText('Acme Blog (prod)');
      const members = page.getByRole('table', { name: 'Members' });
      await expect(members).toContainText(email);
      await expect(members).toContainText('You');

      // A fresh account has not opened its verification link yet, so it cannot invite anyone.
      await expect(page.getByText('Verify your e-mail address to add members')).toBeVisible();
      await expect(page.getByRole('button', { name: 'Resend verification e-mail' })).toBeVisible();
      await shot(page, 'project-settings');
    });

    await test.step('theme toggle persists across reloads', async () => {
      await page.getByRole('button', { name: 'Switch to dark theme' }).click();
      await expect(page.locator('html')).toHaveClass(/dark/);
      await page.reload();
      await expect(page.locator('html')).toHaveClass(/dark/);
      await page.goto(`${projectUrl}/api-keys`);
      await expect(page.getByTestId('api-key-row')).toHaveCount(1);
      await shot(page, 'dark-mode');
      await page.goto(projectUrl);
      await expect(page.getByRole('heading', { name: 'Acme Blog (prod)' })).toBeVisible();
      await shot(page, 'dark-mode-overview');
      await page.getByRole('button', { name: 'Switch to light theme' }).click();
      await expect(page.locator('html')).not.toHaveClass(/dark/);
    });

    await test.step('narrow screens get a menu button', async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      const menu = page.getByRole('button', { name: 'Open menu' });
      await expect(menu).toBeVisible();
      await shot(page, 'mobile-overview');
      await menu.click();
      const drawer = page.getByRole('dialog', { name: 'Navigation' });
      await expect(drawer.getByRole('link', { name: /^API Keys/ })).toBeVisible();
      await shot(page, 'mobile-nav');
      await page.keyboard.press('Escape');
      await expect(drawer).toBeHidden();
      await menu.click();
      await drawer.getByRole('link', { name: /^Settings/ }).click();
      await expect(drawer).toBeHidden();
      await expect(page).toHaveURL(/\/settings$/);
      await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
      await shot(page, 'mobile-settings');
      // Nothing may force horizontal scrolling on a phone.
      for (const path of ['', '/api-keys', '/settings']) {
        await page.goto(`${projectUrl}${path}`);
        await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - window.innerWidth,
        );
        expect(overflow, `horizontal overflow on ${path || 'overview'}`).toBeLessThanOrEqual(0);
      }
      await page.setViewportSize({ width: 1440, height: 900 });
    });

    await test.step('danger zone deletes the project after typing its name', async () => {
      await page.getByRole('button', { name: 'Delete project' }).click();
      const dialog = page.getByRole('dialog', { name: 'Delete project' });
      const confirm = dialog.getByRole('button', { name: 'Delete this project' });
      await expect(confirm).toBeDisabled();
      await dialog.getByLabel(/to confirm/).fill('Acme Blog (prod)');
      await confirm.click();
      await expect(page).toHaveURL(/\/projects$/);
      await expect(page.getByRole('list', { name: 'Projects' }).getByRole('link')).toHaveCount(1);
    });

    await test.step('log out returns to the login page', async () => {
      await page.getByRole('button', { name: 'Account menu' }).click();
      await page.getByRole('menuitem', { name: 'Log out' }).click();
      await expect(page).toHaveURL(/\/login/);
      await page.goto('/projects');
      await expect(page).toHaveURL(/\/login\?redirect=/);
    });
  });

  test('auth errors show the server detail', async ({ page }) => {
    const email = `taken-${uid()}@example.com`;
    await register(page, email);
    await page.getByRole('button', { name: 'Account menu' }).click();
    await page.getByRole('menuitem', { name: 'Log out' }).click();
    await expect(page).toHaveURL(/\/login/);

    await page.goto('/register');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByRole('alert')).toContainText('Could not sign up');
    await expect(page).toHaveURL(/\/register$/);

    await page.goto('/login');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toContainText('Could not sign in');
    await shot(page, 'login-error');

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/projects$/);
  });

  test('an expired access token is refreshed once for concurrent requests', async ({ page }) => {
    await register(page, `refresh-${uid()}@example.com`);
    let refreshCalls = 0;
    page.on('request', (r) => {
      if (r.url().endsWith('/api/auth/refresh')) refreshCalls += 1;
    });
    // Corrupt the access token so the next requests get 401 and must refresh.
    await page.evaluate(() => {
      const raw = localStorage.getItem('backendify.tokens');
      if (!raw) throw new Error('no tokens');
      const t = JSON.parse(raw) as { accessToken: string; refreshToken: string };
      localStorage.setItem(
        'backendify.tokens',
        JSON.stringify({ ...t, accessToken: `${t.accessToken}x` }),
      );
    });
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Projects', level: 1 })).toBeVisible();
    await page.getByRole('button', { name: 'Account menu' }).click();
    await expect(page.getByTestId('me-email')).toContainText('refresh-');
    expect(refreshCalls).toBe(1);
  });

  test('members: owner adds, re-roles and removes a teammate; roles limit the teammate', async ({
    page,
    browser,
  }) => {
    const ownerEmail = `owner-${uid()}@example.com`;
    const mateEmail = `mate-${uid()}@example.com`;

    const mateContext = await browser.newContext();
    const mate = await mateContext.newPage();
    await register(mate, mateEmail);
    // Only verified console accounts are added at once (others are invited): verify both.
    await mate.goto(await waitForMailedLink(mateEmail, 'admin_verify_email'));
    await expect(mate.getByText('E-mail address verified')).toBeVisible();

    await register(page, ownerEmail);
    await page.goto(await waitForMailedLink(ownerEmail, 'admin_verify_email'));
    await expect(page.getByText('E-mail address verified')).toBeVisible();
    await page.goto('/projects');
    await page.getByRole('button', { name: 'New project' }).first().click();
    await page.getByLabel('Project name').fill('Team project');
    await page.getByRole('button', { name: 'Create project' }).click();
    await expect(page.getByRole('heading', { name: 'Team project', level: 1 })).toBeVisible();
    const projectUrl = page.url();

    await page.goto(`${projectUrl}/settings`);
    await page.getByLabel('Email address').fill(mateEmail);
    await page.getByLabel('Role', { exact: true }).selectOption('viewer');
    await page.getByRole('button', { name: 'Add member' }).click();
    await expect(page.getByText(`${mateEmail} added as viewer`)).toBeVisible();
    const members = page.getByRole('table', { name: 'Members' });
    await expect(members.getByRole('row')).toHaveCount(3);

    await page.getByLabel(`Role for ${mateEmail}`).selectOption('developer');
    await expect(page.getByText(`${mateEmail} is now developer`)).toBeVisible();

    await mate.goto(`${projectUrl}/api-keys`);
    await expect(mate.getByText("You don't have access to this page")).toBeVisible();
    await mate.goto(`${projectUrl}/settings`);
    await expect(
      mate.getByText('Only project owners can add, change or remove members.'),
    ).toBeVisible();
    await expect(mate.getByRole('button', { name: 'Delete project' })).toBeDisabled();
    await mate.screenshot({ path: join(SCREENSHOTS, 'settings-as-developer.png') });

    await page.getByRole('button', { name: `Remove ${mateEmail}` }).click();
    await page
      .getByRole('dialog', { name: 'Remove member' })
      .getByRole('button', { name: 'Remove member' })
      .click();
    await expect(members.getByRole('row')).toHaveCount(2);

    await mate.goto(projectUrl);
    await expect(mate.getByRole('heading', { name: 'Not found' })).toBeVisible();
    await mateContext.close();
  });
});
