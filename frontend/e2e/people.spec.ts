import { expect, test, type Page } from '@playwright/test';
import { join } from 'node:path';
import { waitForMailedLink } from './platform-mailbox';
import { apiAs, seriousViolations, signIn, uid } from './support';

// Issue 14.8, people: pending invitations in Settings › Members, mail actions on App Users, a
// Mailbox that refreshes by itself, styled mails whose links lead to the project's site URL.

const SCREENSHOTS = join(import.meta.dirname, '../../screenshots');
const SITE = 'https://shop.example.com';

async function dismissToasts(page: Page) {
  for (const button of await page.getByRole('button', { name: 'Dismiss notification' }).all())
    await button.click({ timeout: 1000 }).catch(() => undefined);
}

test('people: invite, resend and revoke; mail a user a reset, a magic link and a verification; the mailbox refreshes itself', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.emulateMedia({ colorScheme: 'light' });
  const ownerEmail = `people-${uid()}@example.com`;
  const call = apiAs(page.request, await signIn(page, ownerEmail));
  // Registration mails the owner a verification link; inviting needs a verified address.
  await page.goto(await waitForMailedLink(ownerEmail, 'admin_verify_email'));
  await expect(page.getByText('E-mail address verified')).toBeVisible();
  const project = await call<{ id: string }>('POST', '/api/projects', { name: 'People' });
  const projectUrl = `/projects/${project.id}`;
  const base = `/api/projects/${project.id}`;
  await call('PUT', `${base}/settings/auth`, { site_url: SITE, enable_magic_link: true });
  const userEmail = `shopper-${uid()}@example.com`;
  await call('POST', `${base}/settings/auth/users`, {
    email: userEmail,
    password: 'correct-horse-battery',
  });

  await test.step('Settings › Members: invite by e-mail, resend, revoke', async () => {
    const invitee = `invitee-${uid()}@example.com`;
    const other = `other-${uid()}@example.com`;
    await page.goto(`${projectUrl}/settings`);
    for (const address of [invitee, other]) {
      await page.getByLabel('Email address').fill(address);
      await page.getByRole('button', { name: 'Add member' }).click();
      await expect(page.getByText(`Invitation sent to ${address}`)).toBeVisible();
    }
    const pending = page.getByRole('table', { name: 'Pending invitations' });
    await expect(pending).toContainText(invitee);
    await expect(pending).toContainText(other);
    await dismissToasts(page);
    await expect(page.getByRole('button', { name: 'Dismiss notification' })).toHaveCount(0);
    await pending.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await page.screenshot({ path: join(SCREENSHOTS, 'invitations.png') });
    const resentAt = Date.now() - 1000;
    await page.getByRole('button', { name: `Resend invitation to ${invitee}` }).click();
    await expect(page.getByText(`Invitation sent again to ${invitee}`)).toBeVisible();
    await waitForMailedLink(invitee, 'project_invitation', resentAt);
    await page.getByRole('button', { name: `Revoke invitation for ${other}` }).click();
    await page
      .getByRole('dialog', { name: 'Revoke invitation' })
      .getByRole('button', { name: 'Revoke invitation' })
      .click();
    await expect(pending).not.toContainText(other);
    await expect(pending).toContainText(invitee);
  });

  await test.step('the Mailbox shows new mail without a reload', async () => {
    await page.goto(`${projectUrl}/mailbox`);
    await expect(page.getByText('No messages')).toBeVisible();
    const users = await call<{ id: string; email: string }[]>(
      'GET',
      `${base}/settings/auth/users?search=${encodeURIComponent(userEmail)}`,
    );
    // Sent behind the page's back: no click, no navigation on this page.
    await call('POST', `${base}/settings/auth/users/${users[0]!.id}/send`, {
      kind: 'verification',
    });
    await expect(page.getByTestId('mailbox-message')).toHaveCount(1, { timeout: 8000 });
    await expect(page.getByTestId('mailbox-subject')).toContainText('confirm your email address');
  });

  await test.step('App Users: send a password reset and a magic link from the user', async () => {
    await page.goto(`${projectUrl}/users`);
    await page.getByRole('button', { name: userEmail }).click();
    const detail = page.getByRole('dialog', { name: 'App user' });
    const mails = detail.getByRole('region', { name: 'Send an e-mail' });
    await mails.getByRole('button', { name: 'Send password reset' }).click();
    await expect(page.getByText(`Password reset link sent to ${userEmail}`)).toBeVisible();
    await mails.getByRole('button', { name: 'Send magic link' }).click();
    await expect(page.getByText(`Sign-in link sent to ${userEmail}`)).toBeVisible();
    await expect(mails.getByRole('button', { name: 'Send verification' })).toBeEnabled();
    expect(await seriousViolations(page)).toEqual([]);
  });

  await test.step('the mails are styled HTML with a text part, linking to the site URL', async () => {
    await page.goto(`${projectUrl}/mailbox`);
    await expect(page.getByTestId('mailbox-message')).toHaveCount(3);
    await page.getByTestId('mailbox-message').filter({ hasText: 'reset your password' }).click();
    const mail = page.frameLocator('iframe[title^="Email:"]');
    const button = mail.getByRole('link', { name: 'Reset password' });
    await expect(button).toHaveAttribute('href', /^https:\/\/shop\.example\.com\/\?token=[\w-]+$/);
    // Styled: the link is drawn as a filled button, not a bare underlined URL.
    const background = await button.evaluate((a) => getComputedStyle(a).backgroundColor);
    expect(background).not.toBe('rgba(0, 0, 0, 0)');
    await expect(mail.getByRole('link', { name: SITE, exact: true })).toHaveAttribute('href', SITE);
    await page.getByRole('tab', { name: 'Plain text' }).click();
    await expect(page.getByRole('article', { name: 'Message' })).toContainText(`${SITE}/?token=`);
    await page.getByTestId('mailbox-message').filter({ hasText: 'sign-in link' }).click();
    await page.getByRole('tab', { name: 'HTML' }).click();
    await expect(
      page.frameLocator('iframe[title^="Email:"]').getByRole('link', { name: 'Sign in to People' }),
    ).toHaveAttribute('href', /^https:\/\/shop\.example\.com\/\?token=/);
  });
});
