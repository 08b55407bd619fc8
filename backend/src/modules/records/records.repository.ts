import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { PG_POOL } from '../../database/database.module';
import type { CompiledQuery } from '../../query-engine/sql-params';
import type { AccessContext } from './access-context';

export type Row = Record<string, unknown>;

/** Runs statements on one connection: the pool, or a transaction's client. */
export interface RecordsExecutor {
  run(query: CompiledQuery): Promise<Row[]>;
}

function assertAccess(access: AccessContext | undefined): asserts access is AccessContext {
  // No path may reach project data without a resolved caller: policies hang off it.
  if (!access || !access.projectId || !access.principal) {
    throw new Error('RecordsRepository refuses to run without an access context');
  }
}

/** The only code that touches project data tables. Every call carries the caller's access context. */
@Injectable()
export class RecordsRepository {
  /** `count=estimated` counts exactly up to this many matches and estimates above. */
  readonly countEstimateThreshold: number;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.countEstimateThreshold = config.countEstimateThreshold;
  }

  async run(access: AccessContext, query: CompiledQuery): Promise<Row[]> {
    assertAccess(access);
    const result = await this.pool.query({ text: query.text, values: query.values as unknown[] });
    return result.rows as Row[];
  }

  executor(access: AccessContext): RecordsExecutor {
    assertAccess(access);
    return { run: (q) => this.run(access, q) };
  }

  /** One transaction; any throw rolls everything back. */
  async transaction<T>(access: AccessContext, fn: (tx: RecordsExecutor) => Promise<T>): Promise<T> {
    assertAccess(access);
    const client: PoolClient = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const tx: RecordsExecutor = {
        run: async (q) =>
          (await client.query({ text: q.text, values: q.values as unknown[] })).rows as Row[],
      };
      const result = await fn(tx);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }
}
