import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const handle = globalThis.__BACKENDIFY_TEST_PG__;
  if (handle) {
    await handle.stop();
    if (process.env.TEST_EMBEDDED_DIR)
      rmSync(process.env.TEST_EMBEDDED_DIR, { recursive: true, force: true });
  }
}
