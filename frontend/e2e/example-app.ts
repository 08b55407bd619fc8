import { expect, type APIRequestContext } from '@playwright/test';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { build, preview, type PreviewServer } from 'vite';
import { PASSWORD, uid } from './support';

const run = promisify(execFile);
export const API = `http://127.0.0.1:${process.env.BF_E2E_PORT}`;

/** One example app (`examples/<name>`) seeded by its own script, built and served on its own origin. */
export interface ExampleApp {
  projectId: string;
  adminToken: string;
  /** The app's address for `path`, pointed at the e2e server and project. */
  url(path?: string): string;
  /** The 6-digit code the project mailed to `to` at or after `after` (ms). */
  mailedCode(request: APIRequestContext, to: string, after: number): Promise<string>;
  close(): Promise<void>;
}

/**
 * Seeds the example through `seed.mjs --json` twice (the second run must answer the same
 * project: the seed is idempotent), signs its admin in, builds it with Vite and serves it on
 * `BF_E2E_PORT + portOffset`.
 */
export async function startExampleApp(
  request: APIRequestContext,
  name: 'todo-app' | 'blog-app',
  projectNameVar: string,
  portOffset: number,
): Promise<ExampleApp> {
  const dir = resolve(import.meta.dirname, '../../examples', name);
  const port = Number(process.env.BF_E2E_PORT) + portOffset;
  const adminEmail = `${name}-admin-${uid()}@example.com`;
  const adminPassword = `${PASSWORD}-admin`;
  const projectName = `${name} ${uid()}`;
  const seed = async () => {
    const { stdout } = await run(process.execPath, [resolve(dir, 'seed.mjs'), '--json'], {
      env: {
        PATH: process.env.PATH,
        BACKENDIFY_URL: API,
        BACKENDIFY_EMAIL: adminEmail,
        BACKENDIFY_PASSWORD: adminPassword,
        [projectNameVar]: projectName,
      },
    });
    return (JSON.parse(stdout) as { project_id: string }).project_id;
  };
  const projectId = await seed();
  expect(await seed()).toBe(projectId);
  const login = await request.post(`${API}/api/auth/login`, {
    data: { email: adminEmail, password: adminPassword },
  });
  const adminToken = ((await login.json()) as { access_token: string }).access_token;
  await build({ root: dir, logLevel: 'warn', build: { outDir: resolve(dir, 'dist') } });
  const server: PreviewServer = await preview({
    root: dir,
    logLevel: 'warn',
    preview: { host: '127.0.0.1', port, strictPort: true },
  });
  return {
    projectId,
    adminToken,
    url: (path = '/') =>
      `http://127.0.0.1:${port}${path}?api=${encodeURIComponent(API)}&project=${projectId}`,
    async mailedCode(req, to, after) {
      let code = '';
      await expect
        .poll(async () => {
          const res = await req.get(`${API}/api/projects/${projectId}/mailbox`, {
            headers: { authorization: `Bearer ${adminToken}` },
          });
          const { messages } = (await res.json()) as {
            messages: { to: string; text: string | null; created_at: string }[];
          };
          const mail = messages.find(
            (m) => m.to === to && Date.parse(m.created_at) >= after - 2000,
          );
          code = /\b(\d{6})\b/.exec(mail?.text ?? '')?.[1] ?? '';
          return code;
        })
        .toMatch(/^\d{6}$/);
      return code;
    },
    close: () => server.close(),
  };
}
