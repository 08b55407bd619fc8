import { createTestApp, type TestApp } from './setup/test-app';
import { createAdmin, createProject } from './factories/admin.factory';

/** Issue 9.13: secrets the original took in query strings never reach the request log. */
describe('request logs', () => {
  let t: TestApp;
  const lines: string[] = [];
  let pid: string;
  beforeAll(async () => {
    t = await createTestApp({ LOG_LEVEL: 'info' }, { write: (line) => void lines.push(line) });
    pid = (await createProject(t, await createAdmin(t))).id;
  });
  afterAll(() => t.close());

  it('redact token, new_password, code, password, refresh_token and api_key in logged URLs', async () => {
    const secrets = {
      token: 'tok-SECRET-1',
      new_password: 'np-SECRET-2',
      code: '917263',
      password: 'pw-SECRET-3',
      refresh_token: 'rt-SECRET-4',
      api_key: 'ak-SECRET-5',
    };
    const qs = new URLSearchParams({ ...secrets, email: 'kept@example.com' }).toString();
    for (const path of ['password/reset/confirm', 'otp/verify', 'verify/confirm'])
      await t.request('POST', `/api/projects/${pid}/auth/${path}?${qs}`);
    await t.request('GET', `/api/projects/${pid}/auth/providers?Token=tok-SECRET-6`);
    const log = lines.join('');
    const urls = lines
      .map((l) => JSON.parse(l) as { req?: { url?: string } })
      .map((l) => l.req?.url)
      .filter((u): u is string => Boolean(u?.includes('/auth/')));
    expect(urls.length).toBeGreaterThanOrEqual(4);
    for (const value of [...Object.values(secrets), 'tok-SECRET-6'])
      expect(log).not.toContain(value);
    expect(urls.some((u) => u.includes('token=[REDACTED]'))).toBe(true);
    expect(urls.some((u) => u.includes('new_password=[REDACTED]'))).toBe(true);
    // Harmless parameters stay readable.
    expect(urls.some((u) => u.includes('email=kept%40example.com'))).toBe(true);
  });
});
