import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  startEmbeddedPostgres,
  type EmbeddedPostgresHandle,
} from '../../src/database/embedded-postgres';

declare global {
  var __BACKENDIFY_TEST_PG__: EmbeddedPostgresHandle | undefined;
}

/** Uses DATABASE_URL when set; otherwise starts one embedded PostgreSQL for the whole run. */
export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) {
    process.env.TEST_DATABASE_URL = process.env.DATABASE_URL;
    return;
  }
  const dir = join(__dirname, '../../../.tmp', `test-pg-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // In jest's process group, so a Ctrl-C of the run stops this PostgreSQL too.
  const handle = await startEmbeddedPostgres(join(dir, 'pg'), 0, undefined, { detached: false });
  globalThis.__BACKENDIFY_TEST_PG__ = handle;
  process.env.TEST_DATABASE_URL = handle.url;
  process.env.TEST_EMBEDDED_DIR = dir;
}
