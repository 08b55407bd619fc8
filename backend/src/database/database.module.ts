import {
  Global,
  Inject,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { InjectDataSource, TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Pool, types } from 'pg';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source';
import { guardPoolErrors } from './pool-errors';

/** node-postgres pool for system rows and schema changes (the records hot path skips the ORM). */
export const PG_POOL = Symbol('PG_POOL');
/** node-postgres pool for statements on project data: each one runs under `statement_timeout` (DESIGN §8). */
export const PG_DATA_POOL = Symbol('PG_DATA_POOL');

// bigint (int8) ids: keep as text from pg; field-type serializers turn safe ones into numbers.
types.setTypeParser(20, (v) => v);

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => dataSourceOptions(requireUrl(config)),
    }),
  ],
  providers: [
    {
      provide: PG_POOL,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => createPool(config, 'backendify'),
    },
    {
      provide: PG_DATA_POOL,
      inject: [APP_CONFIG],
      // Set per connection by the server, so no records query can forget it. Pipelined: a
      // transaction's statements go out without waiting for the previous answer
      // (RecordsRepository); no cursor or `rows` query runs on this pool (pg refuses them there).
      useFactory: (config: AppConfig) =>
        createPool(
          config,
          'backendify-data',
          `-c statement_timeout=${config.dataStatementTimeoutMs}`,
          true,
        ),
    },
  ],
  exports: [PG_POOL, PG_DATA_POOL],
})
export class DatabaseModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(PG_DATA_POOL) private readonly dataPool: Pool,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    // TypeORM's own pool: the same guard for its checked-out connections.
    const master = (this.dataSource.driver as unknown as { master?: Pool }).master;
    if (master) guardPoolErrors(master, 'backendify-typeorm');
  }

  private ended = false;

  async onApplicationShutdown(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await Promise.all([this.pool.end(), this.dataPool.end()]);
  }
}

function createPool(
  config: AppConfig,
  applicationName: string,
  options?: string,
  pipeline = false,
): Pool {
  const pool = new Pool({
    connectionString: requireUrl(config),
    max: config.dbPoolSize,
    application_name: applicationName,
    options,
    pipeline,
  });
  // A client dropped by the server (restart, failover) must not crash the process.
  return guardPoolErrors(pool, applicationName);
}

function requireUrl(config: AppConfig): string {
  if (!config.databaseUrl)
    throw new Error('DATABASE_URL must be resolved before the app module starts');
  return config.databaseUrl;
}
