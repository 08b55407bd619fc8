import { JwtService } from '@nestjs/jwt';
import { createTestApp, type TestApp } from './setup/test-app';
import { createAdmin } from './factories/admin.factory';

const problem = (res: {
  headers: Headers;
  body: { code: string; status: number; detail: string };
}) => {
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(typeof res.body.detail).toBe('string');
  expect(res.body).toHaveProperty('type');
  expect(res.body).toHaveProperty('title');
  return res.body;
};

describe('admin auth', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('registers, returns a token pair and /me', async () => {
    const res = await t.request('POST', '/api/auth/register', {
      body: { email: 'Alice@Example.com', password: 'long enough pw' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ token_type: 'bearer', expires_in: 900 });
    expect(typeof res.body.access_token).toBe('string');
    expect(typeof res.body.refresh_token).toBe('string');
    const claims = JSON.parse(
      Buffer.from(res.body.access_token.split('.')[1], 'base64url').toString(),
    );
    expect(claims).toMatchObject({ typ: 'admin', aud: 'backendify:admin' });
    expect(claims.jti).toBeDefined();
    const me = await t.request('GET', '/api/me', { token: res.body.access_token });
    expect(me.status).toBe(200);
    expect(me.body.email).toBe('alice@example.com');
    const rows = await t.query(
      `SELECT password_hash FROM backendify.users WHERE email = 'alice@example.com'`,
    );
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
  });

  it('rejects duplicate emails case-insensitively with 409', async () => {
    await createAdmin(t, 'dup@example.com');
    const res = await t.request('POST', '/api/auth/register', {
      body: { email: 'DUP@example.com', password: 'long enough pw' },
    });
    expect(res.status).toBe(409);
    expect(problem(res).code).toBe('CONFLICT');
  });

  it.each([
    [{ email: 'not-an-email', password: 'long enough pw' }, 'email'],
    [{ email: 'x@example.com', password: 'short' }, 'password'],
    [{ email: 'x@example.com' }, 'password'],
    [{ email: 'x@example.com', password: 'long enough pw', is_admin: true }, 'is_admin'],
  ])('rejects bad register body %j with 400 naming %s', async (body, field) => {
    const res = await t.request('POST', '/api/auth/register', { body });
    expect(res.status).toBe(400);
    const p = problem(res);
    expect(p.code).toBe('VALIDATION_FAILED');
    expect((p as unknown as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain(
      field,
    );
  });

  it('answers malformed JSON with 400 problem+json', async () => {
    const res = await t.request('POST', '/api/auth/login', {
      rawBody: '{"email": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(problem(res).code).toBe('BAD_REQUEST');
  });

  it('logs in, and refuses wrong passwords and unknown emails alike', async () => {
    const a = await createAdmin(t);
    const ok = await t.request('POST', '/api/auth/login', {
      body: { email: a.email.toUpperCase(), password: a.password },
    });
    expect(ok.status).toBe(200);
    const bad = await t.request('POST', '/api/auth/login', {
      body: { email: a.email, password: 'wrong password' },
    });
    expect(bad.status).toBe(401);
    expect(problem(bad).detail).toBe('Invalid credentials');
    const unknown = await t.request('POST', '/api/auth/login', {
      body: { email: 'nobody@example.com', password: 'whatever1' },
    });
    expect(unknown.status).toBe(401);
    expect(unknown.body.detail).toBe('Invalid credentials');
  });

  it('rotates refresh tokens, and reuse of a rotated token revokes the whole family', async () => {
    const a = await createAdmin(t);
    const r1 = await t.request('POST', '/api/auth/refresh', {
      body: { refresh_token: a.refreshToken },
    });
    expect(r1.status).toBe(200);
    expect(r1.body.refresh_token).not.toBe(a.refreshToken);
    const r2 = await t.request('POST', '/api/auth/refresh', {
      body: { refresh_token: r1.body.refresh_token },
    });
    expect(r2.status).toBe(200);
    // The first token was already rotated: presenting it again is theft.
    const reuse = await t.request('POST', '/api/auth/refresh', {
      body: { refresh_token: a.refreshToken },
    });
    expect(reuse.status).toBe(401);
    expect(problem(reuse).code).toBe('UNAUTHENTICATED');
    // ...and the newest token of that family no longer works either.
    const after = await t.request('POST', '/api/auth/refresh', {
      body: { refresh_token: r2.body.refresh_token },
    });
    expect(after.status).toBe(401);
  });

  it('refuses unknown and expired refresh tokens', async () => {
    expect(
      (await t.request('POST', '/api/auth/refresh', { body: { refresh_token: 'nope' } })).status,
    ).toBe(401);
    const a = await createAdmin(t);
    await t.query(
      `UPDATE backendify.admin_refresh_tokens SET expires_at = now() - interval '1 minute'`,
    );
    const res = await t.request('POST', '/api/auth/refresh', {
      body: { refresh_token: a.refreshToken },
    });
    expect(res.status).toBe(401);
    expect(res.body.detail).toBe('Refresh token expired');
  });

  it('logout revokes the refresh token and always answers 204', async () => {
    const a = await createAdmin(t);
    expect(
      (await t.request('POST', '/api/auth/logout', { body: { refresh_token: a.refreshToken } }))
        .status,
    ).toBe(204);
    expect(
      (await t.request('POST', '/api/auth/refresh', { body: { refresh_token: a.refreshToken } }))
        .status,
    ).toBe(401);
    expect(
      (await t.request('POST', '/api/auth/logout', { body: { refresh_token: 'unknown' } })).status,
    ).toBe(204);
    expect((await t.request('POST', '/api/auth/logout', { body: {} })).status).toBe(400);
  });

  it('requires a valid admin token on /me', async () => {
    const none = await t.request('GET', '/api/me');
    expect(none.status).toBe(401);
    expect(problem(none).detail).toBe('Not authenticated');
    const bad = await t.request('GET', '/api/me', { token: 'a.b.c' });
    expect(bad.status).toBe(401);
    expect(bad.body.detail).toBe('Invalid token');
  });

  it('refuses tokens with the wrong audience, typ, signature or expiry', async () => {
    const jwt = t.app.get(JwtService);
    const a = await createAdmin(t);
    const forged = [
      jwt.sign({ typ: 'app_user' }, { subject: a.id, audience: 'backendify:admin', expiresIn: 60 }),
      jwt.sign(
        { typ: 'admin' },
        { subject: a.id, audience: 'backendify:project:x', expiresIn: 60 },
      ),
      jwt.sign({ typ: 'admin' }, { subject: a.id, audience: 'backendify:admin', expiresIn: -10 }),
      jwt.sign(
        { typ: 'admin' },
        { subject: a.id, audience: 'backendify:admin', expiresIn: 60, secret: 'x'.repeat(40) },
      ),
    ];
    for (const token of forged) {
      expect((await t.request('GET', '/api/me', { token })).status).toBe(401);
    }
  });
});

describe('admin auth rate limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT: 'on' });
  });
  afterAll(() => t.close());

  it('answers 429 problem+json with Retry-After after repeated logins', async () => {
    let last = { status: 0, headers: new Headers(), body: {} as { code?: string } };
    for (let i = 0; i < 12; i++) {
      last = await t.request('POST', '/api/auth/login', {
        body: { email: 'x@example.com', password: 'wrongpass' },
      });
    }
    expect(last.status).toBe(429);
    expect(last.body.code).toBe('RATE_LIMITED');
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('limits console sign-in per account as well as per IP (issue 9.18)', async () => {
    const victim = await createAdmin(t, 'target-9-18@example.com');
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      statuses.push(
        (
          await t.request('POST', '/api/auth/login', {
            body: { email: victim.email, password: `guess-${i}` },
          })
        ).status,
      );
    }
    expect(statuses.every((s) => s === 401)).toBe(true);
    // The account is now limited, right password included ...
    const locked = await t.request('POST', '/api/auth/login', {
      body: { email: victim.email.toUpperCase(), password: victim.password },
    });
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('RATE_LIMITED');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(60);
    // ... while the same IP may still try another account (the per-IP budget is not spent).
    const other = await t.request('POST', '/api/auth/login', {
      body: { email: 'someone-else@example.com', password: 'wrongpass' },
    });
    expect(other.status).toBe(401);
  });
});
