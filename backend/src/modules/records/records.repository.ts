import { Inject, Injectable } from '@nestjs/common';
import { types, type CustomTypesConfig, type Pool, type PoolClient, type QueryConfig } from 'pg';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { PG_DATA_POOL } from '../../database/database.module';
import type { CompiledQuery } from '../../query-engine/sql-params';
import type { AccessContext } from '../access/access-context';
import { inTransaction } from '../../database/transaction';

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

const TIMESTAMPTZ_OID = 1184;
/** timestamptz stays PostgreSQL's text: the datetime serializer turns it into ISO without a Date. */
const RECORD_TYPES: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMPTZ_OID && format !== 'binary'
      ? (v: string) => v
      : types.getTypeParser(oid, format)) as CustomTypesConfig['getTypeParser'],
};

/** Distinct prepared statement texts per process; past this, statements run unnamed (bounded PG memory). */
const MAX_PREPARED = 512;

/** `cached plan must not change result type`: a column's type changed under a prepared statement. */
const isStalePlan = (err: unknown) =>
  (err as { code?: string } | null)?.code === '0A000' &&
  /cached plan/.test(String((err as Error).message));

/** The only code that touches project data tables. Every call carries the caller's access context. */
@Injectable()
export class RecordsRepository {
  /** `count=estimated` counts exactly up to this many matches and estimates above. */
  readonly countEstimateThreshold: number;

  constructor(
    @Inject(PG_DATA_POOL) private readonly pool: Pool,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.countEstimateThreshold = config.countEstimateThreshold;
  }

  /** Statement text → name: PostgreSQL parses and plans a hot statement once per connection. */
  private readonly prepared = new Map<string, string>();
  private preparedSeq = 0;

  private config(query: CompiledQuery): QueryConfig {
    const values = query.values as unknown[];
    const plain = { text: query.text, values, types: RECORD_TYPES };
    if (!query.prepare) return plain;
    let name = this.prepared.get(query.text);
    if (name === undefined) {
      if (this.prepared.size >= MAX_PREPARED) return plain;
      name = `bf_r${++this.preparedSeq}`;
      this.prepared.set(query.text, name);
    }
    return { ...plain, name };
  }

  /**
   * One statement. A prepared one whose plan went stale by a column type change gets a new name;
   * outside a transaction it is retried at once (inside, the transaction is already aborted).
   */
  private async exec(on: Pool | PoolClient, query: CompiledQuery, inTx = false): Promise<Row[]> {
    try {
      return (await on.query(this.config(query))).rows as Row[];
    } catch (err) {
      if (!query.prepare || !isStalePlan(err)) throw err;
      this.prepared.delete(query.text);
      if (inTx) throw err;
      return (await on.query(this.config(query))).rows as Row[];
    }
  }

  async run(access: AccessContext, query: CompiledQuery): Promise<Row[]> {
    assertAccess(access);
    return this.exec(this.pool, query);
  }

  executor(access: AccessContext): RecordsExecutor {
    assertAccess(access);
    return { run: (q) => this.run(access, q) };
  }

  /**
   * One statement in a READ ONLY transaction under its own `statement_timeout` (set with
   * set_config, so the value is a bind parameter): views and other heavy reads.
   */
  async readOnly(access: AccessContext, query: CompiledQuery, timeoutMs: number): Promise<Row[]> {
    assertAccess(access);
    return inTransaction(this.pool, async (client) => {
      await client.query('SET TRANSACTION READ ONLY');
      await client.query(`SELECT set_config('statement_timeout', $1, true)`, [String(timeoutMs)]);
      return this.exec(client, query, true);
    });
  }

  /** One transaction; any throw rolls everything back. */
  async transaction<T>(access: AccessContext, fn: (tx: RecordsExecutor) => Promise<T>): Promise<T> {
    assertAccess(access);
    return inTransaction(this.pool, (client) => fn({ run: (q) => this.exec(client, q, true) }));
  }
}
