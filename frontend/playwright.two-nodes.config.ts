import { defineConfig } from '@playwright/test';
import base from './playwright.config';

/**
 * The example apps' specs once more, through `scripts/two-nodes.mjs`: two API processes on one
 * database and Redis behind a round-robin proxy on `BF_E2E_PORT` (README "Production-like run").
 * The todo app's second tab then follows the first through Redis fan-out across the nodes.
 */
process.env.BF_E2E_TWO_NODES = '1';

export default defineConfig({
  ...base,
  testMatch: ['todo-app.spec.ts', 'blog-app.spec.ts'],
  outputDir: `${base.outputDir}/two-nodes`,
  webServer: {
    ...(Array.isArray(base.webServer) ? base.webServer[0] : base.webServer!),
    env: {
      ...(Array.isArray(base.webServer) ? base.webServer[0] : base.webServer!).env,
      BF_E2E_TWO_NODES: '1',
    },
  },
});
