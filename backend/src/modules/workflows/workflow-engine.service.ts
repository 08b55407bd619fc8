import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { SecretBox } from '../../common/crypto/secret-box';
import { UnsafeTargetError } from '../../common/net/safe-fetch';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import type { PoolClient } from 'pg';
import { JobsService } from '../../jobs/jobs.service';
import type { AccessContext } from '../access/access-context';
import { AppError } from '../../common/errors/app-error';
import { ChangeNotifier } from '../change-log/change-notifier';
import { closeSandbox } from './runtime/sandbox';
import { renderTemplate, templatePaths, type TemplateContext } from './runtime/template';
import { StepActions, type StepResult } from './step-actions.service';
import {
  DEFAULT_RETRIES,
  DEFAULT_SCRIPT_TIMEOUT_MS,
  UNRENDERED_KEYS,
  type StepDef,
} from './workflow-definition';
import {
  FINISHED,
  WorkflowsRepository,
  type ClaimedStep,
  type NewRun,
  type RunRow,
} from './workflows.repository';

export const STEP_JOB = 'workflow_step';
const SWEEP_JOB = 'workflow_sweep';
const PRUNE_JOB = 'workflow_prune';
/** NOTIFY channel: a run finished (payload: its id); waiting function calls listen. */
export const RUN_DONE_CHANNEL = 'backendify_workflow_runs';
/** Graphile's own retries only cover crashes of the handler (a lost database); step retries are ours. */
const JOB_ATTEMPTS = 10;
/** A step's lease outlives its time limit by this much before another process may take it over. */
const LEASE_MARGIN_MS = 5000;
const SWEEP_LIMIT = 1000;
const PRUNE_BATCH = 1000;
const PRUNE_MAX_BATCHES = 100;
const MAX_BACKOFF_MS = 3_600_000;
const MAX_ERROR_CHARS = 2000;
const SECRET_MASK = '***';

const jobKey = (runId: string, index: number) => `wf:${runId}:${index}`;

/**
 * Durable runs on the job queue (DESIGN §4): every step is one job. A step's result and the next
 * step's job are written in one transaction, and a step row that is no longer open turns any
 * re-delivered job into a no-op, so a finished step never runs again after a crash. A step that
 * fails is retried with backoff; a delay is a job with a run time; a sweeper re-queues steps whose
 * job died with its process.
 */
@Injectable()
export class WorkflowEngine implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('Workflows');
  private readonly box: SecretBox;
  private readonly waiters = new Map<string, Set<() => void>>();
  private timers: NodeJS.Timeout[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repo: WorkflowsRepository,
    private readonly jobs: JobsService,
    private readonly actions: StepActions,
    private readonly notifier: ChangeNotifier,
  ) {
    this.box = new SecretBox(config.jwtSecret, 'workflow-secrets/v1');
  }

  get secrets(): SecretBox {
    return this.box;
  }

  onModuleInit(): void {
    this.jobs.register<{ run_id: string; index: number }>(STEP_JOB, (p) =>
      this.executeStep(p.run_id, p.index),
    );
    this.jobs.register(SWEEP_JOB, async () => void (await this.sweep()));
    this.jobs.register(PRUNE_JOB, async () => void (await this.prune()));
    this.jobs.schedule('* * * * *', SWEEP_JOB);
    this.jobs.schedule('17 * * * *', PRUNE_JOB);
    this.notifier.on(RUN_DONE_CHANNEL, (runId) => this.wakeWaiters(runId));
  }

  onApplicationBootstrap(): void {
    if (!this.config.jobsEnabled) return;
    // After a crash: steps leased by the dead process become free once their lease ends.
    void this.sweep().catch((err: Error) => this.log.warn(`sweep failed: ${err.message}`));
    const later = setTimeout(
      () => void this.sweep().catch(() => undefined),
      this.config.workflowStepTimeoutMs + LEASE_MARGIN_MS + 500,
    );
    later.unref();
    this.timers.push(later);
  }

  async onApplicationShutdown(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    await closeSandbox();
  }

  /** Inserts runs and the jobs of their first steps in the caller's transaction. */
  async startRuns(db: PoolClient, runs: readonly NewRun[]): Promise<string[]> {
    const created = await this.repo.insertRuns(db, runs);
    await this.jobs.addEach(
      STEP_JOB,
      created
        .filter((r) => r.steps > 0)
        .map((r) => ({ payload: { run_id: r.id, index: 0 }, jobKey: jobKey(r.id, 0) })),
      { maxAttempts: JOB_ATTEMPTS },
      db,
    );
    return created.map((r) => r.id);
  }

  /** Queues a step of a run in the caller's transaction (the next step, a retry, a resumed run). */
  async queueStep(db: PoolClient, runId: string, index: number, at: Date): Promise<void> {
    await this.repo.queueStep(db, runId, index, at);
    await this.jobs.add(
      STEP_JOB,
      { run_id: runId, index },
      { jobKey: jobKey(runId, index), runAt: at, maxAttempts: JOB_ATTEMPTS },
      db,
    );
  }

  /** One job: one attempt of one step, or nothing if the step is not open (a re-delivery). */
  async executeStep(runId: string, index: number): Promise<void> {
    const run = await this.repo.runById(runId);
    if (!run || FINISHED.includes(run.status)) return;
    const def = run.definition[index];
    if (!def) return;
    const timeoutMs = stepTimeout(def, this.config.workflowStepTimeoutMs);
    const claimed = await this.repo.claimStep(runId, index, timeoutMs + LEASE_MARGIN_MS);
    if (!claimed) return this.requeueIfEarly(runId, index);
    if (def.action === 'delay') return this.delay(claimed, def);

    const secrets = await this.secretsFor(run, def);
    const ctx: TemplateContext = {
      trigger: run.trigger ?? {},
      input: run.input ?? {},
      steps: await this.repo.outputs(runId),
      env: secrets,
    };
    const masked = {
      ...ctx,
      env: Object.fromEntries(Object.keys(secrets).map((k) => [k, SECRET_MASK])),
    };
    let shown: unknown = null;
    let result: StepResult;
    try {
      shown = renderStep(def, masked);
      const rendered = renderStep(def, ctx) as StepDef;
      result = await withTimeout(
        this.actions.run(rendered, index, ctx, this.principal(run), timeoutMs),
        timeoutMs,
      );
    } catch (err) {
      return this.fail(claimed, def, shown, redact(describe(err, timeoutMs), secrets));
    }
    let output = result.output;
    const finished = await this.repo
      .transaction(async (client) => {
        if (!(await this.repo.lockActiveRun(client, runId))) return null;
        if (result.inTransaction) output = await result.inTransaction(client);
        const settled = await this.repo.settleStep(client, runId, index, claimed.attempts, {
          status: 'completed',
          input: shown,
          output,
          error: null,
        });
        // Cancelled, or taken over after the lease ran out: the other holder settles it.
        if (!settled) throw new NotOurs();
        return this.advance(client, run, index, result.next, output);
      })
      .catch((err) => {
        if (err instanceof NotOurs) return null;
        throw err;
      });
    if (finished === null) return;
    result.afterCommit?.();
    if (finished) this.wakeWaiters(runId);
  }

  /**
   * After step `index` completed with `output`: skips what a branch jumped over and queues the
   * next step, or ends the run. Returns whether the run ended.
   */
  private async advance(
    client: PoolClient,
    run: RunRow,
    index: number,
    branch: number | null | undefined,
    output: unknown,
  ): Promise<boolean> {
    const db = client;
    const next = branch === undefined ? index + 1 : branch;
    if (next === null || next >= run.definition.length) {
      await this.repo.finishRun(db, run.id, 'completed', output, null);
      await client.query(`SELECT pg_notify($1, $2)`, [RUN_DONE_CHANNEL, run.id]);
      return true;
    }
    if (next > index + 1) await this.repo.skipSteps(db, run.id, index + 1, next);
    await this.queueStep(client, run.id, next, new Date());
    await this.repo.setRunStatus(db, run.id, 'running');
    return false;
  }

  /** A delay: first it waits (a job at the due time), then it completes and the run goes on. */
  private async delay(claimed: ClaimedStep, def: StepDef): Promise<void> {
    const { run } = claimed;
    const done = await this.repo.transaction(async (client) => {
      if (!(await this.repo.lockActiveRun(client, run.id))) return null;
      if (claimed.previous === 'waiting') {
        const settled = await this.repo.settleStep(
          client,
          run.id,
          claimed.step_index,
          claimed.attempts,
          {
            status: 'completed',
            output: claimed.output,
          },
        );
        if (!settled) return null;
        return this.advance(client, run, claimed.step_index, undefined, claimed.output);
      }
      const until = new Date(Date.now() + Number(def.seconds) * 1000);
      const output = { delayed_until: until.toISOString() };
      const settled = await this.repo.settleStep(
        client,
        run.id,
        claimed.step_index,
        claimed.attempts,
        {
          status: 'waiting',
          input: { seconds: def.seconds },
          output,
          dueAt: until,
        },
      );
      if (!settled) return null;
      await this.jobs.add(
        STEP_JOB,
        { run_id: run.id, index: claimed.step_index },
        { jobKey: jobKey(run.id, claimed.step_index), runAt: until, maxAttempts: JOB_ATTEMPTS },
        client,
      );
      await this.repo.setRunStatus(client, run.id, 'waiting');
      return false;
    });
    if (done) this.wakeWaiters(run.id);
  }

  /** A failed attempt: retried after a backoff while retries remain, else the run fails. */
  private async fail(
    claimed: ClaimedStep,
    def: StepDef,
    input: unknown,
    error: string,
  ): Promise<void> {
    const { run } = claimed;
    const retries = typeof def.retries === 'number' ? def.retries : DEFAULT_RETRIES;
    const ended = await this.repo.transaction(async (client) => {
      if (!(await this.repo.lockActiveRun(client, run.id))) return false;
      if (claimed.attempts <= retries) {
        const wait = Math.min(
          this.config.workflowRetryBaseMs * 2 ** (claimed.attempts - 1),
          MAX_BACKOFF_MS,
        );
        const at = new Date(Date.now() + wait);
        const settled = await this.repo.settleStep(
          client,
          run.id,
          claimed.step_index,
          claimed.attempts,
          {
            status: 'pending',
            input,
            output: null,
            error,
            dueAt: at,
          },
        );
        if (settled)
          await this.jobs.add(
            STEP_JOB,
            { run_id: run.id, index: claimed.step_index },
            { jobKey: jobKey(run.id, claimed.step_index), runAt: at, maxAttempts: JOB_ATTEMPTS },
            client,
          );
        return false;
      }
      const settled = await this.repo.settleStep(
        client,
        run.id,
        claimed.step_index,
        claimed.attempts,
        {
          status: 'failed',
          input,
          output: null,
          error,
        },
      );
      if (!settled) return false;
      const label = def.name ? `${def.name} (${def.action})` : def.action;
      await this.repo.finishRun(
        client,
        run.id,
        'failed',
        null,
        `Step ${claimed.step_index} ${label} failed after ${claimed.attempts} attempt${claimed.attempts === 1 ? '' : 's'}: ${error}`,
      );
      await client.query(`SELECT pg_notify($1, $2)`, [RUN_DONE_CHANNEL, run.id]);
      return true;
    });
    if (ended) this.wakeWaiters(run.id);
  }

  /** A job that came before its step was due (it should not) is put back for the due time. */
  private async requeueIfEarly(runId: string, index: number): Promise<void> {
    const steps = await this.repo.steps(this.repo.db(), runId);
    const s = steps.find((x) => x.step_index === index);
    if (!s || !s.due_at || !['pending', 'waiting'].includes(s.status)) return;
    if (new Date(s.due_at).getTime() <= Date.now()) return;
    await this.jobs.add(
      STEP_JOB,
      { run_id: runId, index },
      { jobKey: jobKey(runId, index), runAt: new Date(s.due_at), maxAttempts: JOB_ATTEMPTS },
    );
  }

  /** The workflow's service identity for its record steps (no row policies; validations apply). */
  private principal(run: RunRow): AccessContext {
    return {
      projectId: run.project_id,
      principal: { kind: 'workflow', workflowId: run.workflow_id, runId: run.id, depth: run.depth },
      ip: null,
      userAgent: null,
    };
  }

  /** The project secrets a step names (`{{env.NAME}}`; a script sees them all), opened. */
  private async secretsFor(run: RunRow, def: StepDef): Promise<Record<string, string>> {
    const rows =
      def.action === 'script'
        ? await this.repo.secrets(run.project_id)
        : await this.repo.sealedSecrets(
            run.project_id,
            templatePaths(def)
              .filter((p) => p.startsWith('env.'))
              .map((p) => p.split('.')[1])
              .filter(Boolean),
          );
    const out: Record<string, string> = {};
    for (const r of rows) out[r.name] = this.box.open(r.value_sealed);
    return out;
  }

  /** Re-queues open steps whose job was lost with a process (leased, due or waiting too long). */
  async sweep(): Promise<number> {
    const stranded = await this.repo.stranded(LEASE_MARGIN_MS, SWEEP_LIMIT);
    await this.jobs.addEach(
      STEP_JOB,
      stranded.map((s) => ({
        payload: { run_id: s.run_id, index: s.step_index },
        jobKey: jobKey(s.run_id, s.step_index),
      })),
      { maxAttempts: JOB_ATTEMPTS },
    );
    return stranded.length;
  }

  /** Deletes finished runs older than WORKFLOW_RUN_RETENTION_DAYS, in batches. */
  async prune(): Promise<number> {
    let total = 0;
    for (let i = 0; i < PRUNE_MAX_BATCHES; i++) {
      const n = await this.repo.pruneRuns(this.config.workflowRunRetentionDays, PRUNE_BATCH);
      total += n;
      if (n < PRUNE_BATCH) break;
    }
    return total;
  }

  /**
   * Resolves with the run once it finished (or as it is after `timeoutMs`): woken by the
   * finishing process's NOTIFY (or this process directly), with a slow poll as a safety net.
   */
  async waitForRun(runId: string, timeoutMs: number): Promise<RunRow | null> {
    const deadline = Date.now() + timeoutMs;
    let wake: () => void = () => undefined;
    const set = this.waiters.get(runId) ?? new Set();
    this.waiters.set(runId, set);
    try {
      for (;;) {
        const run = await this.repo.runById(runId);
        if (!run || FINISHED.includes(run.status) || Date.now() >= deadline) return run;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(1000, Math.max(1, deadline - Date.now())));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
          set.add(wake);
        });
        set.delete(wake);
      }
    } finally {
      set.delete(wake);
      if (set.size === 0) this.waiters.delete(runId);
    }
  }

  /** A run's end, or '' (a reconnect: anything may have ended). */
  private wakeWaiters(runId: string): void {
    if (runId === '') {
      for (const set of this.waiters.values()) for (const w of [...set]) w();
      return;
    }
    for (const w of [...(this.waiters.get(runId) ?? [])]) w();
  }
}

class NotOurs extends Error {}

/** A step's time limit: its own `timeout_ms`, else the script default or WORKFLOW_STEP_TIMEOUT_MS. */
function stepTimeout(def: StepDef, fallback: number): number {
  if (typeof def.timeout_ms === 'number') return def.timeout_ms;
  return def.action === 'script' ? DEFAULT_SCRIPT_TIMEOUT_MS : fallback;
}

/** The step with its templates rendered, keys read as they are (script code, conditions) kept. */
function renderStep(def: StepDef, ctx: TemplateContext): unknown {
  const skip = new Set([
    ...(UNRENDERED_KEYS[def.action] ?? []),
    'action',
    'name',
    'retries',
    'timeout_ms',
  ]);
  const renderable: Record<string, unknown> = {};
  const kept: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(def)) (skip.has(k) ? kept : renderable)[k] = v;
  return { ...kept, ...(renderTemplate(renderable, ctx) as Record<string, unknown>) };
}

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new StepTimeout(ms)), ms);
      }),
    ]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}

class StepTimeout extends Error {
  constructor(ms: number) {
    super(`Timed out after ${ms} ms`);
  }
}

/** An error as the step log shows it: the problem, never a stack. */
function describe(err: unknown, timeoutMs: number): string {
  if (err instanceof AppError) {
    const first = err.errors?.[0];
    return (first ? `${err.detail} (${first.field}: ${first.message})` : err.detail).slice(
      0,
      MAX_ERROR_CHARS,
    );
  }
  if (err instanceof UnsafeTargetError) return err.message;
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError')
    return `Timed out after ${timeoutMs} ms`;
  const cause = e?.cause?.code ?? e?.cause?.message;
  const text = cause ? `${e.message}: ${cause}` : (e?.message ?? String(err));
  return text.slice(0, MAX_ERROR_CHARS);
}

/** No secret value appears in a step log. */
function redact(text: string, secrets: Record<string, string>): string {
  let out = text;
  for (const v of Object.values(secrets)) if (v.length >= 3) out = out.split(v).join(SECRET_MASK);
  return out;
}
