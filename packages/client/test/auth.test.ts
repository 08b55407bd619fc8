import { BackendifyError, webStorage, type FetchLike, type WebStorageLike } from '../src';
import { newAdmin, newClient, PASSWORD, rejection, uniqueEmail } from './helpers';

describe('admin auth', () => {
  it('registers, keeps the session and answers me', async () => {
    const { client, email } = await newAdmin();

    const me = await client.admin.auth.me();

    expect(me).toEqual({
      id: expect.any(String),
      email,
      is_email_verified: true,
      created_at: expect.any(String),
    });
    expect(await client.admin.auth.getSession()).toEqual({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
    });
  });

  it('logs in from a new client', async () => {
    const { email } = await newAdmin();
    const sut = newClient();

    const tokens = await sut.admin.auth.login({ email, password: PASSWORD });

    expect(tokens).toMatchObject({ token_type: 'bearer', expires_in: expect.any(Number) });
    expect((await sut.admin.auth.me()).email).toBe(email);
  });

  it('rejects a wrong password with 401 and keeps no session', async () => {
    const { email } = await newAdmin();
    const sut = newClient();

    const err = await rejection(sut.admin.auth.login({ email, password: 'wrong password' }));

    expect(err).toBeInstanceOf(BackendifyError);
    expect(err).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(await sut.admin.auth.getSession()).toBeNull();
  });

  it('throws 401 for me without a session', async () => {
    const err = await rejection(newClient().admin.auth.me());

    expect(err).toMatchObject({ name: 'BackendifyError', status: 401, code: 'UNAUTHENTICATED' });
  });

  it('refreshes once, single-flight, when the access token is rejected', async () => {
    const { client } = await newAdmin();
    const valid = await client.admin.auth.getSession();
    const refreshCalls: string[] = [];
    const counting: FetchLike = (url, init) => {
      if (url.endsWith('/api/auth/refresh')) refreshCalls.push(url);
      return fetch(url, init);
    };
    const sut = newClient({ fetch: counting });
    await sut.admin.auth.setSession({
      access_token: 'garbage',
      refresh_token: valid!.refresh_token,
    });

    const results = await Promise.all([1, 2, 3, 4, 5].map(() => sut.admin.auth.me()));

    expect(results.map((r) => r.id)).toEqual(Array(5).fill(results[0].id));
    expect(refreshCalls).toHaveLength(1);
    const session = await sut.admin.auth.getSession();
    expect(session?.access_token).not.toBe('garbage');
    expect(session?.refresh_token).not.toBe(valid!.refresh_token);
  });

  it('gives up with 401 and forgets the session when the refresh token is rejected too', async () => {
    const sut = newClient();
    await sut.admin.auth.setSession({ access_token: 'garbage', refresh_token: 'also-garbage' });

    const err = await rejection(sut.admin.auth.me());

    expect(err).toMatchObject({ status: 401 });
    expect(await sut.admin.auth.getSession()).toBeNull();
  });

  it('refreshes on demand and rotates the refresh token', async () => {
    const { client } = await newAdmin();
    const before = await client.admin.auth.getSession();

    expect(await client.admin.auth.refresh()).toBe(true);

    const after = await client.admin.auth.getSession();
    expect(after?.refresh_token).not.toBe(before?.refresh_token);
    expect((await client.admin.auth.me()).id).toEqual(expect.any(String));
  });

  it('logs out: forgets the session and revokes its refresh token', async () => {
    const { client } = await newAdmin();
    const session = await client.admin.auth.getSession();

    await client.admin.auth.logout();

    expect(await client.admin.auth.getSession()).toBeNull();
    await client.admin.auth.setSession(session);
    expect(await client.admin.auth.refresh()).toBe(false);
  });

  it('keeps the session in a pluggable web storage', async () => {
    const items = new Map<string, string>();
    const storage: WebStorageLike = {
      getItem: (k) => items.get(k) ?? null,
      setItem: (k, v) => void items.set(k, v),
      removeItem: (k) => void items.delete(k),
    };
    const email = uniqueEmail();
    await newClient({ storage: webStorage(storage, 'bf') }).admin.auth.register({
      email,
      password: PASSWORD,
    });

    const sut = newClient({ storage: webStorage(storage, 'bf') });

    expect(JSON.parse(items.get('bf')!)).toHaveProperty('refresh_token');
    expect((await sut.admin.auth.me()).email).toBe(email);
  });

  it('uses a fixed access token given at creation', async () => {
    const { client, email } = await newAdmin();
    const session = await client.admin.auth.getSession();

    const sut = newClient({ accessToken: session!.access_token });

    expect((await sut.admin.auth.me()).email).toBe(email);
  });
});
