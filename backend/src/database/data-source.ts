import { DataSource, type DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsRun: false,
    synchronize: false,
    schema: 'backendify',
    extra: { max: 10 },
    // Named like the other pools, so an operator (or a test) can tell the server's connections apart.
    applicationName: 'backendify-orm',
    logging: false,
  };
}

/** Runs pending system migrations under a cluster-wide advisory lock so concurrent starts serialise. */
export async function runMigrations(url: string): Promise<number> {
  const ds = new DataSource(dataSourceOptions(url));
  await ds.initialize();
  const runner = ds.createQueryRunner();
  try {
    await runner.connect();
    await runner.query(`SELECT pg_advisory_lock(hashtextextended('backendify:migrations', 0))`);
    await runner.query(`CREATE SCHEMA IF NOT EXISTS backendify`);
    const applied = await ds.runMigrations({ transaction: 'each' });
    await runner.query(`SELECT pg_advisory_unlock(hashtextextended('backendify:migrations', 0))`);
    return applied.length;
  } finally {
    await runner.release();
    await ds.destroy();
  }
}
