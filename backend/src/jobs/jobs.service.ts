import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import {
  Logger as GraphileLogger,
  run,
  runMigrations,
  type Runner,
  type Task,
} from 'graphile-worker';
import { Pool } from 'pg';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

/** Something that runs SQL: a pool, or the client of a transaction the job must commit with. */
export interface JobQueryable {
  query(text: string, values?: unknown[]): Promise<unknown>;
}

export interface AddJobOptions {
  runAt?: Date;
  /** One pending job per key: adding again replaces its payload and run time (graphile job_key). */
  jobKey?: string;
  /** Jobs of one queue run one at a time, in order, across every process. */
  queueName?: string;
  maxAttempts?: number;
}

/** One job of a batch for `addEach`. */
export interface JobSpec {
  payload: unknown;
  jobKey?: string;
  runAt?: Date;
}

export type JobHandler<P> = (payload: P, ctx: { attempts: number; jobId: string }) => Promise<void>;

const ADD_EACH_SQL = `SELECT graphile_worker.add_job($1::text, r.payload, queue_name => $3::text,
    run_at => r.run_at, max_attempts => $4::int, job_key => r.job_key)
  FROM json_to_recordset($2::json) AS r(payload json, job_key text, run_at timestamptz)`;

/**
 * The one job queue wrapper (STYLE "Events layout"): graphile-worker on the system database,
 * chosen over pg-boss for its commit-to-first-attempt latency (scripts/measure-job-queue.mjs).
 * Consumers register handlers and cron lines; every process runs the workers, the database
 * hands each job to one of them.
 */
@Injectable()
export class JobsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('Jobs');
  private readonly tasks: Record<string, Task> = {};
  private readonly crontab: string[] = [];
  private readonly pool: Pool;
  private runner: Runner | null = null;
  private migrated: Promise<void> | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.pool = new Pool({
      connectionString: config.databaseUrl,
      max: config.jobsConcurrency + 3,
      application_name: 'backendify-jobs',
    });
    this.pool.on('error', (err) => this.log.warn(`idle job connection error: ${err.message}`));
    // A dropped connection (server restart) is logged, not an unhandled error.
    this.pool.on('connect', (client) =>
      client.on('error', (err) => this.log.warn(`job connection error: ${err.message}`)),
    );
  }

  /** Whether this process runs jobs (JOBS_ENABLED); otherwise other processes run what it adds. */
  get runsJobs(): boolean {
    return this.config.jobsEnabled;
  }

  /** Registers the handler of `name` (letters, digits, `_`, `:`); a throw retries with graphile's backoff. */
  register<P>(name: string, handler: JobHandler<P>): void {
    this.tasks[name] = async (payload, helpers) => {
      await handler(payload as P, {
        attempts: helpers.job.attempts,
        jobId: String(helpers.job.id),
      });
    };
  }

  /** Runs `name` on a cron pattern (`* * * * *` = every minute), once across all processes. */
  schedule(pattern: string, name: string): void {
    this.crontab.push(`${pattern} ${name}`);
  }

  /** Adds a job; with `db` it is part of that transaction and runs only if it commits. */
  add(name: string, payload: unknown, opts: AddJobOptions = {}, db?: JobQueryable): Promise<void> {
    const { runAt, jobKey, ...rest } = opts;
    return this.addEach(name, [{ payload, jobKey, runAt }], rest, db);
  }

  /**
   * Adds many jobs of one task in one statement (a consumer's batch); with `db` they commit with
   * that transaction. Each spec may carry its own job key and run time.
   */
  async addEach(
    name: string,
    specs: readonly JobSpec[],
    opts: Omit<AddJobOptions, 'runAt' | 'jobKey'> = {},
    db?: JobQueryable,
  ): Promise<void> {
    if (specs.length === 0) return;
    await this.ready();
    const rows = specs.map((s) => ({
      payload: s.payload ?? {},
      job_key: s.jobKey ?? null,
      run_at: s.runAt?.toISOString() ?? null,
    }));
    await (db ?? this.pool).query(ADD_EACH_SQL, [
      name,
      JSON.stringify(rows),
      opts.queueName ?? null,
      opts.maxAttempts ?? null,
    ]);
  }

  /** The queue's own tables exist before anyone adds a job. */
  ready(): Promise<void> {
    this.migrated ??= runMigrations({ pgPool: this.pool, logger: quiet() });
    return this.migrated;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.ready();
    if (!this.config.jobsEnabled) return;
    this.runner = await run({
      pgPool: this.pool,
      concurrency: this.config.jobsConcurrency,
      noHandleSignals: true,
      pollInterval: 1000,
      logger: quiet(),
      taskList: this.tasks,
      crontab: this.crontab.join('\n'),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    const runner = this.runner;
    this.runner = null;
    if (runner) await runner.stop().catch(() => undefined);
    await this.pool.end().catch(() => undefined);
  }
}

function quiet(): GraphileLogger {
  const log = new Logger('graphile-worker');
  return new GraphileLogger(() => (level, message) => {
    if (level === 'error') log.error(message);
    else if (level === 'warning') log.warn(message);
  });
}
