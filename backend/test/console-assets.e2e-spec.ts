import { request as httpRequest } from 'node:http';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { createTestApp, type TestApp } from './setup/test-app';

/**
 * Issue 14.11: the console is served as built (`pnpm build` runs before the suite): hashed
 * assets compressed (brotli or gzip, as the browser accepts) and cached for good; index.html and
 * the unhashed files always revalidated.
 */
const DIST = resolve(__dirname, '../../frontend/dist');

function get(
  base: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}> {
  return new Promise((ok, fail) => {
    const req = httpRequest(base + path, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        ok({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', fail);
    req.end();
  });
}

describe('console assets', () => {
  let t: TestApp;
  let asset: string;
  beforeAll(async () => {
    t = await createTestApp();
    const html = readFileSync(resolve(DIST, 'index.html'), 'utf8');
    const m = /src="(\/assets\/index-[\w-]+\.js)"/.exec(html);
    if (!m) throw new Error('frontend/dist/index.html names no entry script: run pnpm build');
    asset = m[1];
  });
  afterAll(() => t.close());

  it('a hashed asset comes brotli- or gzip-compressed as accepted, cached immutable', async () => {
    const plain = readFileSync(resolve(DIST, `.${asset}`));
    const br = await get(t.baseUrl, asset, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(br.body.length).toBeLessThan(plain.length / 2);
    expect(brotliDecompressSync(br.body).equals(plain)).toBe(true);

    const gz = await get(t.baseUrl, asset, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(plain)).toBe(true);

    const identity = await get(t.baseUrl, asset);
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.body.equals(plain)).toBe(true);
  });

  it('index.html and deep links revalidate every time; unhashed files are not immutable', async () => {
    for (const path of ['/', '/projects/x/data?collection=posts']) {
      const res = await get(t.baseUrl, path, { 'accept-encoding': 'br' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body.toString()).toContain('<div id="root">');
    }
    const theme = await get(t.baseUrl, '/theme-init.js');
    expect(theme.status).toBe(200);
    expect(theme.headers['cache-control']).toBe('public, max-age=0, must-revalidate');
  });

  it('API answers are untouched by the static handler', async () => {
    const res = await get(t.baseUrl, '/health', { 'accept-encoding': 'br' });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).not.toBe('public, max-age=31536000, immutable');
  });
});
