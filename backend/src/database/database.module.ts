import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Pool, types } from 'pg';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source';

/** node-postgres pool for project data (the records hot path skips the ORM). */
export const PG_POOL = Symbol('PG_POOL');

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
      useFactory: (config: AppConfig) => {
        const pool = new Pool({
          connectionString: requireUrl(config),
          max: config.dbPoolSize,
          application_name: 'backendify',
        });
        // An idle client dropped by the server (restart, failover) must not crash the process.
        pool.on('error', (err) =>
          new Logger('Database').warn(`idle connection error: ${err.message}`),
        );
        return pool;
      },
    },
  ],
  exports: [PG_POOL],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  private ended = false;

  async onApplicationShutdown(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.pool.end();
  }
}

function requireUrl(config: AppConfig): string {
  if (!config.databaseUrl)
    throw new Error('DATABASE_URL must be resolved before the app module starts');
  return config.databaseUrl;
}
