import { defineConfig, devices } from '@playwright/test';
import { join, resolve } from 'node:path';

// Fixed once in the main process; workers inherit it through the environment.
process.env.BF_E2E_PORT ??= process.env.E2E_PORT ?? '3107';
process.env.BF_E2E_DATA_DIR ??= resolve(import.meta.dirname, '../.tmp', `e2e-${Date.now()}`);

const port = Number(process.env.BF_E2E_PORT);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: './e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  globalTeardown: './e2e/global-teardown.ts',
  outputDir: join(import.meta.dirname, 'test-results'),
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    {
      name: 'chromium',
      use: { ...devices['Desktop Chrome'], viewport: { width: 1440, height: 900 } },
    },
  ],
  webServer: {
    command: 'node e2e/start-server.mjs',
    url: `${baseURL}/ready`,
    timeout: 120_000,
    reuseExistingServer: false,
    // Lets start-server.mjs stop PostgreSQL and remove the run's data before exiting.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: process.env.BF_E2E_DATA_DIR,
      RATE_LIMIT: 'off',
      LOG_LEVEL: 'warn',
      // The webhooks spec delivers to a sink on 127.0.0.1, and its retries should not take minutes.
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_RETRY_BASE_MS: '500',
      // The usage spec reads request counts back within seconds.
      USAGE_FLUSH_MS: '1000',
      ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
    },
  },
});
