import AxeBuilder from '@axe-core/playwright';
import { expect, type APIRequestContext, type Page } from '@playwright/test';

/** Shared by the specs: unique names, an admin signed in through the UI, API calls as that admin. */
export const uid = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
export const PASSWORD = 'correct-horse-battery';

/** Registers (or signs in) an admin through the console; answers its access token. */
export async function signIn(
  page: Page,
  email: string,
  mode: 'register' | 'login' = 'register',
): Promise<string> {
  await page.goto(`/${mode}`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page
    .getByRole('button', { name: mode === 'register' ? 'Create account' : 'Sign in' })
    .click();
  await expect(page).toHaveURL(/\/projects$/);
  const raw = await page.evaluate(() => localStorage.getItem('backendify.tokens'));
  return (JSON.parse(raw ?? '{}') as { accessToken: string }).accessToken;
}

/** Calls the API with a bearer token; any non-2xx answer fails the test with its body. */
export function apiAs(request: APIRequestContext, token: string) {
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

/** Serious and critical axe findings on the page as it stands, one line each. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21aa'])
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => `${n.target.join(' ')} ${n.html.slice(0, 160)} ${n.failureSummary ?? ''}`)
          .join(' | ')}`,
    );
}
