import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { guardPoolErrors } from '../../database/pool-errors';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { SqlConsoleController } from './sql-console.controller';
import { SQL_POOL, SqlConsoleRepository } from './sql-console.repository';
import { SqlConsoleService } from './sql-console.service';

/** At most this many console statements run at once per process; the rest wait their turn. */
const SQL_CONNECTIONS = 4;

@Module({
  controllers: [SqlConsoleController],
  providers: [
    SqlConsoleService,
    SqlConsoleRepository,
    {
      provide: SQL_POOL,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const pool = new Pool({
          connectionString: config.databaseUrl,
          max: SQL_CONNECTIONS,
          application_name: 'backendify-sql',
        });
        return guardPoolErrors(pool, 'backendify-sql');
      },
    },
  ],
})
export class SqlConsoleModule implements OnApplicationShutdown {
  constructor(@Inject(SQL_POOL) private readonly pool: Pool) {}

  async onApplicationShutdown(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }
}
