import type { Writable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { types, type CustomTypesConfig, type Pool, type PoolClient, type QueryConfig } from 'pg';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { PG_DATA_POOL } from '../../database/database.module';
import type { CompiledQuery } from '../../query-engine/sql-params';
import type { AccessContext } from '../access/access-context';
import { withCommitHooks } from '../../database/transaction';

export type Row = Record<string, unknown>;

/** Runs statements on one connection: the pool, or a transaction's client. */
export interface RecordsExecutor {
  run(query: CompiledQuery): Promise<Row[]>;
}

/** A transaction's executor; `atCommit` statements go out with the COMMIT, in one round trip. */
export interface RecordsTransaction extends RecordsExecutor {
  /**
   * Queues a statement whose rows nobody reads (a change-log append) to run last, pipelined with
   * the COMMIT: its failure still fails and rolls back the transaction.
   */
  atCommit(query: CompiledQuery): void;
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
   * set_config, so the value is a bind parameter): views and other heavy reads. The data pool
   * pipelines (DatabaseModule): BEGIN, the settings and the statement share one round trip.
   */
  async readOnly(access: AccessContext, query: CompiledQuery, timeoutMs: number): Promise<Row[]> {
    assertAccess(access);
    return this.pipelined(async (client) => {
      // One Promise.all: whichever fails first is the error, and no rejection goes unheard.
      const [, , rows] = await Promise.all([
        client.query('SET TRANSACTION READ ONLY'),
        client.query(`SELECT set_config('statement_timeout', $1, true)`, [String(timeoutMs)]),
        this.exec(client, query, true),
      ]);
      return { out: rows };
    });
  }

  /**
   * One transaction; any throw rolls everything back. BEGIN goes out with the first statement and
   * COMMIT right behind the `atCommit` statements (the data pool pipelines): a single-row write
   * with its change-log event takes two round trips, not four.
   */
  async transaction<T>(
    access: AccessContext,
    fn: (tx: RecordsTransaction) => Promise<T>,
  ): Promise<T> {
    assertAccess(access);
    return this.pipelined(async (client) => {
      const atCommit: CompiledQuery[] = [];
      const out = await fn({
        run: (q) => this.exec(client, q, true),
        atCommit: (q) => void atCommit.push(q),
      });
      return { out, tail: () => Promise.all(atCommit.map((q) => this.exec(client, q, true))) };
    });
  }

  /**
   * BEGIN … COMMIT on one pooled client without waiting for BEGIN's answer: on a pipelining
   * client it travels with the first statement, and COMMIT with the statements `tail` issues. Answers come back in order; a failure in `tail` aborts the
   * transaction, so the COMMIT behind it only rolls back, and the error is thrown.
   */
  private pipelined<T>(
    fn: (client: PoolClient) => Promise<{ out: T; tail?: () => Promise<unknown> }>,
  ): Promise<T> {
    return withCommitHooks(async () => {
      const client = await this.pool.connect();
      try {
        // BEGIN and the statements `fn` issues before its first await leave in one write.
        const [begun, running] = corked(client, () => {
          const b = client.query('BEGIN');
          return [b, fn(client)] as const;
        });
        // A failed BEGIN (a lost connection) also fails every statement behind it.
        begun.catch(() => undefined);
        const { out, tail } = await running;
        // The tail's statements and COMMIT leave in one write too.
        const [ending, commit] = corked(client, () => [tail?.(), client.query('COMMIT')] as const);
        commit.catch(() => undefined);
        await ending;
        await begun;
        await commit;
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    });
  }
}

/**
 * Runs `send` with the client's socket corked, so the messages of every statement it issues leave
 * in one write: on loopback each socket write costs the sender the receiver's network stack too,
 * and a write path's CPU is mostly those writes. A client without a stream just writes as usual.
 */
function corked<T>(client: PoolClient, send: () => T): T {
  // `connection.stream` is pg's socket (pg corks it itself around each extended-protocol query).
  const stream = (client as unknown as { connection?: { stream?: Partial<Writable> } }).connection
    ?.stream;
  stream?.cork?.();
  try {
    return send();
  } finally {
    stream?.uncork?.();
  }
}
