import { expect, test, type Page } from '@playwright/test';
import { join } from 'node:path';
import { waitForMailedLink } from './platform-mailbox';

const SCREENSHOTS = join(import.meta.dirname, '../../screenshots');
const uid = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const PASSWORD = 'correct-horse-battery';

async function dismissToasts(page: Page) {
  for (const button of await page.getByRole('button', { name: 'Dismiss notification' }).all()) {
    await button.click({ timeout: 1000 }).catch(() => undefined);
  }
}

test('members: verify the owner, invite by e-mail, resend, revoke, accept after signing in', async ({
  page,
  browser,
}) => {
  await page.emulateMedia({ colorScheme: 'light' });
  const ownerEmail = `owner-${uid()}@example.com`;
  const inviteeEmail = `invitee-${uid()}@example.com`;
  const otherEmail = `other-${uid()}@example.com`;

  await test.step('an unverified owner is told to verify before adding members', async () => {
    await page.goto('/register');
    await page.getByLabel('Email').fill(ownerEmail);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page).toHaveURL(/\/projects$/);
    await page.getByRole('button', { name: 'New project' }).first().click();
    await page.getByLabel('Project name').fill('Invite project');
    await page.getByRole('button', { name: 'Create project' }).click();
    await expect(page.getByRole('heading', { name: 'Invite project', level: 1 })).toBeVisible();
  });
  const projectUrl = page.url();

  await test.step('resend and open the verification link', async () => {
    await page.goto(`${projectUrl}/settings`);
    await expect(page.getByText('Verify your e-mail address to add members')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Add member' })).toHaveCount(0);
    const sentAt = Date.now() - 1000;
    await page.getByRole('button', { name: 'Resend verification e-mail' }).click();
    await expect(page.getByText('Verification e-mail sent')).toBeVisible();
    const link = await waitForMailedLink(ownerEmail, 'admin_verify_email', sentAt);
    expect(link).toMatch(/^\/verify-email\?token=/);
    await page.goto(link);
    await expect(page.getByText('E-mail address verified')).toBeVisible();
  });

  await test.step('adding an address without a verified account sends an invitation', async () => {
    await page.goto(`${projectUrl}/settings`);
    await page.getByLabel('Email address').fill(inviteeEmail);
    await page.getByLabel('Role', { exact: true }).selectOption('developer');
    await page.getByRole('button', { name: 'Add member' }).click();
    await expect(page.getByText(`Invitation sent to ${inviteeEmail}`)).toBeVisible();
    const pending = page.getByRole('table', { name: 'Pending invitations' });
    await expect(pending).toContainText(inviteeEmail);
    await expect(pending).toContainText('developer');
    await expect(page.getByRole('table', { name: 'Members' })).not.toContainText(inviteeEmail);

    await page.getByLabel('Email address').fill(otherEmail);
    await page.getByRole('button', { name: 'Add member' }).click();
    await expect(page.getByText(`Invitation sent to ${otherEmail}`)).toBeVisible();
    await expect(pending).toContainText(otherEmail);
    await dismissToasts(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'members-invitations.png') });
  });

  await test.step('owners resend and revoke invitations', async () => {
    await page.getByRole('button', { name: `Revoke invitation for ${otherEmail}` }).click();
    await page
      .getByRole('dialog', { name: 'Revoke invitation' })
      .getByRole('button', { name: 'Revoke invitation' })
      .click();
    const pending = page.getByRole('table', { name: 'Pending invitations' });
    await expect(pending).not.toContainText(otherEmail);
    const resentAt = Date.now() - 1000;
    await page.getByRole('button', { name: `Resend invitation to ${inviteeEmail}` }).click();
    await expect(page.getByText(`Invitation sent again to ${inviteeEmail}`)).toBeVisible();
    await waitForMailedLink(inviteeEmail, 'project_invitation', resentAt);
  });

  await test.step('the invitee opens the link, is sent to sign in first, then joins', async () => {
    const link = await waitForMailedLink(inviteeEmail, 'project_invitation');
    const ctx = await browser.newContext();
    const invitee = await ctx.newPage();
    // The invitee creates a console account with the invited address.
    const reg = await invitee.request.post('/api/auth/register', {
      data: { email: inviteeEmail, password: PASSWORD },
    });
    expect(reg.status()).toBe(201);
    await invitee.goto(link);
    await expect(invitee).toHaveURL(/\/login\?redirect=/);
    await invitee.getByLabel('Email').fill(inviteeEmail);
    await invitee.getByLabel('Password').fill(PASSWORD);
    await invitee.getByRole('button', { name: 'Sign in' }).click();
    await expect(invitee.getByText('Invitation accepted')).toBeVisible();
    await expect(invitee.getByText('You joined the project as developer.')).toBeVisible();
    await invitee.screenshot({ path: join(SCREENSHOTS, 'accept-invitation.png') });
    await invitee.getByRole('link', { name: 'Open the project' }).click();
    await expect(invitee.getByRole('heading', { name: 'Invite project', level: 1 })).toBeVisible();
    await ctx.close();
  });

  await test.step('the owner sees the new member and no pending invitation', async () => {
    await page.reload();
    await expect(page.getByRole('table', { name: 'Members' })).toContainText(inviteeEmail);
    await expect(page.getByRole('table', { name: 'Pending invitations' })).toHaveCount(0);
  });
});
