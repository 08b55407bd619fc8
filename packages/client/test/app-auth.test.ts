import { memoryStorage, webStorage, type FetchLike, type WebStorageLike } from '../src';
import { newAppUser, newClient, newProject, PASSWORD, rejection, uniqueEmail } from './helpers';

describe('app-user auth', () => {
  let projectId: string;

  beforeAll(async () => {
    ({ projectId } = await newProject('App auth'));
  });

  it('registers, keeps the app-user session apart from the admin session and answers me', async () => {
    const storage = memoryStorage();
    const sut = newClient({ storage });
    const email = uniqueEmail('user');

    const tokens = await sut.project(projectId).auth.register({ email, password: PASSWORD });

    expect(tokens).toMatchObject({ access_token: expect.any(String), token_type: 'bearer' });
    expect(await sut.project(projectId).auth.me()).toEqual({
      id: expect.any(String),
      email,
      is_email_verified: false,
      created_at: expect.any(String),
    });
    expect(await storage.get(`app:${projectId}`)).toMatchObject({
      refresh_token: expect.any(String),
    });
    expect(await sut.admin.auth.getSession()).toBeNull();
  });

  it('logs in from a new client and lists its session as current', async () => {
    const { email } = await newAppUser(projectId);
    const sut = newClient().project(projectId).auth;

    const tokens = await sut.login({ email, password: PASSWORD });

    expect(tokens).toMatchObject({ token_type: 'bearer', expires_in: expect.any(Number) });
    expect((await sut.me()).email).toBe(email);
    const sessions = await sut.sessions();
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
  });

  it('rejects a wrong password with 401 and keeps no session', async () => {
    const { email } = await newAppUser(projectId);
    const sut = newClient().project(projectId).auth;

    const err = await rejection(sut.login({ email, password: 'wrong password' }));

    expect(err).toMatchObject({ name: 'BackendifyError', status: 401 });
    expect(await sut.getSession()).toBeNull();
  });

  it('refreshes on demand and rotates the refresh token', async () => {
    const { client } = await newAppUser(projectId);
    const auth = client.project(projectId).auth;
    const before = await auth.getSession();

    expect(await auth.refresh()).toBe(true);

    const after = await auth.getSession();
    expect(after?.refresh_token).not.toBe(before?.refresh_token);
    expect((await auth.me()).id).toEqual(expect.any(String));
  });

  it('refreshes once, single-flight, when the access token is rejected', async () => {
    const { client, email } = await newAppUser(projectId);
    const valid = await client.project(projectId).auth.getSession();
    const refreshCalls: string[] = [];
    const counting: FetchLike = (url, init) => {
      if (url.endsWith('/auth/refresh')) refreshCalls.push(url);
      return fetch(url, init);
    };
    const sut = newClient({ fetch: counting }).project(projectId).auth;
    await sut.setSession({ access_token: 'garbage', refresh_token: valid!.refresh_token });

    const results = await Promise.all([1, 2, 3, 4, 5].map(() => sut.me()));

    expect(results.map((r) => r.email)).toEqual(Array(5).fill(email));
    expect(refreshCalls).toEqual([expect.stringContaining(`/api/projects/${projectId}/auth/`)]);
    expect((await sut.getSession())?.access_token).not.toBe('garbage');
  });

  it('gives up with 401 and forgets the session when the refresh token is rejected too', async () => {
    const sut = newClient().project(projectId).auth;
    await sut.setSession({ access_token: 'garbage', refresh_token: 'also-garbage' });

    const err = await rejection(sut.me());

    expect(err).toMatchObject({ status: 401 });
    expect(await sut.getSession()).toBeNull();
  });

  it('logs out: forgets the session and revokes its refresh token', async () => {
    const { client } = await newAppUser(projectId);
    const auth = client.project(projectId).auth;
    const session = await auth.getSession();

    await auth.logout();

    expect(await auth.getSession()).toBeNull();
    await auth.setSession(session);
    expect(await auth.refresh()).toBe(false);
  });

  it('logs out everywhere', async () => {
    const { client, email } = await newAppUser(projectId);
    const other = newClient().project(projectId).auth;
    await other.login({ email, password: PASSWORD });

    await client.project(projectId).auth.logoutAll();

    expect(await client.project(projectId).auth.getSession()).toBeNull();
    expect(await other.refresh()).toBe(false);
  });

  it('changes the password', async () => {
    const { client, email } = await newAppUser(projectId);
    const auth = client.project(projectId).auth;

    await auth.changePassword({ current_password: PASSWORD, new_password: 'a new password' });

    expect((await auth.me()).email).toBe(email);
    const sut = newClient().project(projectId).auth;
    expect(await rejection(sut.login({ email, password: PASSWORD }))).toMatchObject({
      status: 401,
    });
    await sut.login({ email, password: 'a new password' });
  });

  it('answers the mail-based flows without leaking whether an address exists', async () => {
    const auth = newClient().project(projectId).auth;
    const email = uniqueEmail('nobody');

    expect(await auth.requestPasswordReset({ email })).toEqual({ message: expect.any(String) });
    expect(await auth.sendVerification({ email })).toEqual({ message: expect.any(String) });
    expect(
      await rejection(auth.confirmPasswordReset({ token: 'nope', new_password: PASSWORD })),
    ).toMatchObject({ status: 400 });
    expect(await rejection(auth.verifyOtp({ token: 'nope' }))).toMatchObject({
      status: expect.any(Number),
    });
    expect(await auth.getSession()).toBeNull();
  });

  it('tells which providers the project offers and refuses an unconfigured OAuth provider', async () => {
    const auth = newClient().project(projectId).auth;

    expect(await auth.providers()).toMatchObject({ email_password: true });
    const err = await rejection(auth.oauthUrl('github', 'http://localhost/cb'));
    expect(err).toMatchObject({ name: 'BackendifyError' });
    expect([400, 403, 404]).toContain((err as { status: number }).status);
  });

  it('refuses an app-user token of another project', async () => {
    const { client } = await newAppUser(projectId);
    const other = await newProject('Other');
    const session = await client.project(projectId).auth.getSession();
    const sut = newClient().project(other.projectId).auth;
    await sut.setSession(session);

    expect(await rejection(sut.me())).toMatchObject({ status: 401 });
  });

  it('keeps the app-user session under its own web-storage key', async () => {
    const items = new Map<string, string>();
    const storage: WebStorageLike = {
      getItem: (k) => items.get(k) ?? null,
      setItem: (k, v) => void items.set(k, v),
      removeItem: (k) => void items.delete(k),
    };
    const { email } = await newAppUser(projectId, { storage: webStorage(storage, 'bf') });

    const sut = newClient({ storage: webStorage(storage, 'bf') }).project(projectId).auth;

    expect([...items.keys()]).toEqual([`bf:app:${projectId}`]);
    expect((await sut.me()).email).toBe(email);
  });

  it('refreshes the app-user session when a data call answers 401', async () => {
    const { admin, projectId: pid } = await newProject('Refresh on data');
    await admin.admin.schema(pid).collections.create({ name: 'items' });
    await admin.admin
      .schema(pid)
      .policies('items')
      .create({
        name: 'app users read',
        action: 'list',
        allowed_principals: ['app_user'],
      });
    const { client } = await newAppUser(pid);
    const valid = await client.project(pid).auth.getSession();
    const refreshCalls: string[] = [];
    const counting: FetchLike = (url, init) => {
      if (url.endsWith('/auth/refresh')) refreshCalls.push(url);
      return fetch(url, init);
    };
    const sut = newClient({ fetch: counting }).project(pid);
    await sut.auth.setSession({ access_token: 'garbage', refresh_token: valid!.refresh_token });

    const pages = await Promise.all([1, 2, 3].map(() => sut.collection('items').list()));

    expect(pages.map((p) => p.records)).toEqual([[], [], []]);
    expect(refreshCalls).toEqual([expect.stringContaining(`/api/projects/${pid}/auth/refresh`)]);
  });
});
