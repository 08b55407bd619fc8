import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { runMigrations } from './data-source';

/** A throw-away database of the test run's PostgreSQL, for the `*.pg.spec.ts` files. */
export interface TestDatabase {
  name: string;
  url: string;
  /** Drops it (forcing off whatever is still connected). */
  drop(): Promise<void>;
}

async function asAdmin(base: string, statement: string): Promise<void> {
  const admin = new Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

/**
 * Creates `<prefix>_<random>` on the run's PostgreSQL (TEST_DATABASE_URL: DATABASE_URL, or the
 * embedded one jest's global setup starts; required, never skipped), migrated unless asked not to.
 */
export async function createTestDatabase(
  prefix: string,
  options: { migrate?: boolean } = {},
): Promise<TestDatabase> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base)
    throw new Error('TEST_DATABASE_URL is required: run through jest with the global setup');
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await asAdmin(base, `CREATE DATABASE ${name}`);
  const u = new URL(base);
  u.pathname = `/${name}`;
  const url = u.toString();
  if (options.migrate !== false) await runMigrations(url);
  return { name, url, drop: () => asAdmin(base, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
