import { BackendifyError, createClient, memoryStorage } from '../src';
import { newAdmin, newProject, rejection } from './helpers';
import { serverUrl } from './setup/server';

describe('transport', () => {
  it('aborts a call with its signal and rejects with the abort, not a BackendifyError', async () => {
    const { client } = await newAdmin();
    const controller = new AbortController();
    controller.abort();

    const err = await rejection(client.admin.projects.list({ signal: controller.signal }));

    expect(err).not.toBeInstanceOf(BackendifyError);
    expect(err).toMatchObject({ name: 'AbortError' });
  });

  it('calls onUnauthorized once refresh cannot save a session, and forgets it', async () => {
    const storage = memoryStorage();
    const seen: (string | undefined)[] = [];
    const sut = createClient({
      url: serverUrl(),
      storage,
      onUnauthorized: (key) => seen.push(key),
    });
    await storage.set({ access_token: 'not-a-token', refresh_token: 'not-a-refresh-token' });

    const err = await rejection(sut.admin.projects.list());

    expect(err).toMatchObject({ status: 401 });
    expect(seen).toEqual([undefined]);
    expect(await storage.get()).toBeNull();
  });

  it('does not call onUnauthorized for a refused login', async () => {
    const seen: unknown[] = [];
    const sut = createClient({ url: serverUrl(), onUnauthorized: (key) => seen.push(key) });

    const err = await rejection(
      sut.admin.auth.login({ email: 'x@example.com', password: 'wrong pw 1' }),
    );

    expect(err).toMatchObject({ status: 401 });
    expect(seen).toEqual([]);
  });

  it('refreshes once for concurrent 401s and retries each call', async () => {
    const { client } = await newAdmin();
    const session = await client.admin.auth.getSession();
    const refreshes: string[] = [];
    const spy = createClient({
      url: serverUrl(),
      fetch: (url, init) => {
        if (url.endsWith('/api/auth/refresh')) refreshes.push(url);
        return fetch(url, init);
      },
    });
    // A valid refresh token with a broken access token: every call must refresh first.
    await spy.admin.auth.setSession({
      access_token: 'expired',
      refresh_token: session!.refresh_token,
    });

    const results = await Promise.all([
      spy.admin.projects.list(),
      spy.admin.auth.me(),
      spy.admin.projects.list(),
    ]);

    expect(results[1]).toMatchObject({ id: expect.any(String) });
    expect(refreshes).toHaveLength(1);
  });

  it('sends raw requests with the session and problem+json errors', async () => {
    const { admin, projectId } = await newProject('Raw');

    const project = await admin.request<{ id: string }>('GET', `/api/projects/${projectId}`);
    expect(project.id).toBe(projectId);
    const err = await rejection(
      admin.request('POST', `/api/projects/${projectId}/members`, {
        body: { email: 'nope', role: 'x' },
      }),
    );
    expect(err).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });
});
