import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

/** Drops the per-run database created by start-server.mjs (shared PostgreSQL only). */
export default async function globalTeardown(): Promise<void> {
  const dataDir = process.env.BF_E2E_DATA_DIR;
  if (!dataDir || !process.env.DATABASE_URL) return;
  const marker = join(dataDir, 'e2e-database.txt');
  if (!existsSync(marker)) return;
  const dbName = readFileSync(marker, 'utf8').trim();
  if (!/^bf_e2e_[a-z0-9_]+$/.test(dbName)) return;
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
