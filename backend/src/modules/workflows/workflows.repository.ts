import { patchAssignments } from '../../database/patch-assignments';
import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { PG_POOL } from '../../database/database.module';
import { inTransaction } from '../../database/transaction';
import type { StepDef, TriggerConfig, TriggerType } from './workflow-definition';

/** Runs SQL: the pool, or the client of a transaction. */
export interface Db {
  query: Pool['query'];
}

export interface WorkflowRow {
  id: string;
  project_id: string;
  name: string;
  description: string | null;
  trigger_type: TriggerType;
  trigger_config: TriggerConfig;
  steps: StepDef[];
  is_active: boolean;
  collection_id: string | null;
  slug: string | null;
  next_run_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export type RunStatus = 'queued' | 'running' | 'waiting' | 'completed' | 'failed' | 'cancelled';
export type StepStatus =
  'pending' | 'running' | 'waiting' | 'completed' | 'failed' | 'skipped' | 'cancelled';
export const FINISHED: readonly RunStatus[] = ['completed', 'failed', 'cancelled'];

export interface RunRow {
  id: string;
  workflow_id: string;
  project_id: string;
  status: RunStatus;
  trigger_type: string;
  trigger: Record<string, unknown> | null;
  input: unknown;
  output: unknown;
  error: string | null;
  depth: number;
  event_id: string | null;
  definition: StepDef[];
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

export interface StepRow {
  run_id: string;
  step_index: number;
  name: string | null;
  action: string;
  status: StepStatus;
  input: unknown;
  output: unknown;
  error: string | null;
  attempts: number;
  due_at: Date | null;
  started_at: Date | null;
  finished_at: Date | null;
}

/** A step taken for one attempt, with what running it needs from its run. */
export interface ClaimedStep extends StepRow {
  /** The status before the claim: `waiting` means a delay's time has come. */
  previous: StepStatus;
  run: RunRow;
}

export interface NewRun {
  workflowId: string;
  projectId: string;
  triggerType: string;
  trigger: Record<string, unknown> | null;
  input: unknown;
  depth: number;
  eventId: string | null;
  definition: StepDef[];
}

export interface SecretRow {
  name: string;
  value_sealed: string;
  created_at: Date;
  updated_at: Date;
}

const WORKFLOW_COLUMNS = `id, project_id, name, description, trigger_type, trigger_config, steps,
  is_active, collection_id, slug, next_run_at, created_at, updated_at`;
const RUN_COLUMNS = `id, workflow_id, project_id, status, trigger_type, trigger, input, output, error,
  depth, event_id::text AS event_id, definition, created_at, started_at, finished_at`;
const STEP_COLUMNS = `run_id, step_index, name, action, status, input, output, error, attempts,
  due_at, started_at, finished_at`;
const ACTIVE_RUN = `('queued','running','waiting')`;

const PATCHABLE = [
  'name',
  'description',
  'trigger_type',
  'trigger_config',
  'steps',
  'is_active',
  'collection_id',
  'slug',
  'next_run_at',
] as const;
export type WorkflowPatch = Partial<Pick<WorkflowRow, (typeof PATCHABLE)[number]>>;
const JSON_COLUMNS = new Set(['trigger_config', 'steps']);

/** The only code that touches the workflow tables. */
@Injectable()
export class WorkflowsRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  transaction<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, fn);
  }

  db(): Db {
    return this.pool;
  }

  // ------------------------------------------------------------------ definitions

  async insert(
    db: Db,
    w: Omit<WorkflowRow, 'id' | 'created_at' | 'updated_at'> & { created_by: string | null },
  ): Promise<WorkflowRow> {
    const { rows } = await db.query<WorkflowRow>(
      `INSERT INTO backendify.workflows (project_id, name, description, trigger_type, trigger_config,
         steps, is_active, collection_id, slug, next_run_at, created_by)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8, $9, $10, $11) RETURNING ${WORKFLOW_COLUMNS}`,
      [
        w.project_id,
        w.name,
        w.description,
        w.trigger_type,
        JSON.stringify(w.trigger_config),
        JSON.stringify(w.steps),
        w.is_active,
        w.collection_id,
        w.slug,
        w.next_run_at,
        w.created_by,
      ],
    );
    return rows[0];
  }

  async list(projectId: string): Promise<WorkflowRow[]> {
    const { rows } = await this.pool.query<WorkflowRow>(
      `SELECT ${WORKFLOW_COLUMNS} FROM backendify.workflows WHERE project_id = $1 ORDER BY created_at, id`,
      [projectId],
    );
    return rows;
  }

  async get(db: Db, projectId: string, id: string, lock = false): Promise<WorkflowRow | null> {
    const { rows } = await db.query<WorkflowRow>(
      `SELECT ${WORKFLOW_COLUMNS} FROM backendify.workflows WHERE project_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`,
      [projectId, id],
    );
    return rows[0] ?? null;
  }

  async update(
    db: Db,
    projectId: string,
    id: string,
    patch: WorkflowPatch,
  ): Promise<WorkflowRow | null> {
    const values: unknown[] = [projectId, id];
    const sets = patchAssignments(patch, PATCHABLE, values, JSON_COLUMNS);
    sets.push('updated_at = now()');
    const { rows } = await db.query<WorkflowRow>(
      `UPDATE backendify.workflows SET ${sets.join(', ')} WHERE project_id = $1 AND id = $2 RETURNING ${WORKFLOW_COLUMNS}`,
      values,
    );
    return rows[0] ?? null;
  }

  async delete(db: Db, projectId: string, id: string): Promise<boolean> {
    const res = await db.query(
      `DELETE FROM backendify.workflows WHERE project_id = $1 AND id = $2`,
      [projectId, id],
    );
    return (res.rowCount ?? 0) > 0;
  }

  /** Whether another workflow of the project already answers at this function slug. */
  async slugTaken(db: Db, projectId: string, slug: string, exceptId: string | null) {
    const { rows } = await db.query(
      `SELECT 1 FROM backendify.workflows WHERE project_id = $1 AND slug = $2 AND id IS DISTINCT FROM $3::uuid`,
      [projectId, slug, exceptId],
    );
    return rows.length > 0;
  }

  /** Active record-triggered workflows of these projects (the trigger cache's source). */
  async activeRecordWorkflows(db: Db, projectIds: readonly string[]): Promise<WorkflowRow[]> {
    if (projectIds.length === 0) return [];
    const { rows } = await db.query<WorkflowRow>(
      `SELECT ${WORKFLOW_COLUMNS} FROM backendify.workflows
        WHERE is_active AND trigger_type LIKE 'record.%' AND project_id = ANY($1::uuid[])
        ORDER BY created_at, id`,
      [projectIds],
    );
    return rows;
  }

  async functionBySlug(projectId: string, slug: string): Promise<WorkflowRow | null> {
    const { rows } = await this.pool.query<WorkflowRow>(
      `SELECT ${WORKFLOW_COLUMNS} FROM backendify.workflows
        WHERE project_id = $1 AND slug = $2 AND trigger_type = 'http' AND is_active`,
      [projectId, slug],
    );
    return rows[0] ?? null;
  }

  /** Active schedules whose time has come. */
  async dueSchedules(limit: number): Promise<WorkflowRow[]> {
    const { rows } = await this.pool.query<WorkflowRow>(
      `SELECT ${WORKFLOW_COLUMNS} FROM backendify.workflows
        WHERE next_run_at <= now() AND is_active AND trigger_type = 'schedule'
        ORDER BY next_run_at LIMIT $1`,
      [limit],
    );
    return rows;
  }

  /**
   * Takes one tick of a schedule: moves `next_run_at` from the time this process read to the
   * next one, only if no other process moved it first (compare-and-set, at the millisecond
   * precision a Date carries).
   */
  async claimTick(db: Db, id: string, seen: Date, next: Date | null): Promise<boolean> {
    const res = await db.query(
      `UPDATE backendify.workflows SET next_run_at = $3
        WHERE id = $1 AND date_trunc('milliseconds', next_run_at) = $2
          AND is_active AND trigger_type = 'schedule'`,
      [id, seen, next],
    );
    return (res.rowCount ?? 0) > 0;
  }

  // ------------------------------------------------------------------ runs

  /**
   * Inserts runs with a pending row per step, the first one due now; an event already turned
   * into a run of a workflow is skipped (one run per workflow and event, across processes).
   * Returns the new runs' ids with their step counts.
   */
  async insertRuns(db: Db, runs: readonly NewRun[]): Promise<{ id: string; steps: number }[]> {
    if (runs.length === 0) return [];
    const { rows } = await db.query<{ id: string; steps: number }>(
      `WITH r AS (
         INSERT INTO backendify.workflow_runs (workflow_id, project_id, status, trigger_type, trigger,
           input, depth, event_id, definition, finished_at, created_at)
         SELECT x.workflow_id, x.project_id,
                CASE WHEN jsonb_array_length(x.definition) = 0 THEN 'completed' ELSE 'queued' END,
                x.trigger_type, x.trigger, x.input, x.depth, x.event_id, x.definition,
                CASE WHEN jsonb_array_length(x.definition) = 0 THEN now() END,
                -- Per row, so the runs of one batch list in event order.
                clock_timestamp()
           FROM json_to_recordset($1::json) AS x(workflow_id uuid, project_id uuid, trigger_type text,
                trigger jsonb, input jsonb, depth int, event_id bigint, definition jsonb, ord int)
          ORDER BY x.ord
         ON CONFLICT (workflow_id, event_id) WHERE event_id IS NOT NULL DO NOTHING
         RETURNING id, definition
       ), s AS (
         INSERT INTO backendify.workflow_steps (run_id, step_index, name, action, due_at)
         SELECT r.id, (e.ord - 1)::int, e.step->>'name', e.step->>'action',
                CASE WHEN e.ord = 1 THEN now() END
           FROM r, jsonb_array_elements(r.definition) WITH ORDINALITY AS e(step, ord)
       )
       SELECT id, jsonb_array_length(definition) AS steps FROM r`,
      [
        JSON.stringify(
          runs.map((r, ord) => ({
            workflow_id: r.workflowId,
            project_id: r.projectId,
            trigger_type: r.triggerType,
            trigger: r.trigger,
            input: r.input ?? null,
            depth: r.depth,
            event_id: r.eventId,
            definition: r.definition,
            ord,
          })),
        ),
      ],
    );
    return rows;
  }

  async run(db: Db, projectId: string, workflowId: string, runId: string): Promise<RunRow | null> {
    const { rows } = await db.query<RunRow>(
      `SELECT ${RUN_COLUMNS} FROM backendify.workflow_runs
        WHERE project_id = $1 AND workflow_id = $2 AND id = $3`,
      [projectId, workflowId, runId],
    );
    return rows[0] ?? null;
  }

  async runById(runId: string): Promise<RunRow | null> {
    const { rows } = await this.pool.query<RunRow>(
      `SELECT ${RUN_COLUMNS} FROM backendify.workflow_runs WHERE id = $1`,
      [runId],
    );
    return rows[0] ?? null;
  }

  async runs(
    workflowId: string,
    f: { status?: RunStatus; limit: number; offset: number },
  ): Promise<{ rows: RunRow[]; total: number }> {
    const values: unknown[] = [workflowId];
    let where = 'workflow_id = $1';
    if (f.status) {
      values.push(f.status);
      where += ` AND status = $${values.length}`;
    }
    const [list, count] = await Promise.all([
      this.pool.query<RunRow>(
        `SELECT ${RUN_COLUMNS} FROM backendify.workflow_runs WHERE ${where}
          ORDER BY created_at DESC, id DESC LIMIT $${values.length + 1} OFFSET $${values.length + 2}`,
        [...values, f.limit, f.offset],
      ),
      this.pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM backendify.workflow_runs WHERE ${where}`,
        values,
      ),
    ]);
    return { rows: list.rows, total: Number(count.rows[0].n) };
  }

  async steps(db: Db, runId: string): Promise<StepRow[]> {
    const { rows } = await db.query<StepRow>(
      `SELECT ${STEP_COLUMNS} FROM backendify.workflow_steps WHERE run_id = $1 ORDER BY step_index`,
      [runId],
    );
    return rows;
  }

  /**
   * Takes a step for one attempt. Only a queued step whose time has come, a delay whose time has
   * come, or a running step whose lease ran out (its process died) can be taken, and only while
   * its run is active; the lease keeps a duplicate job from running it meanwhile.
   */
  async claimStep(runId: string, index: number, leaseMs: number): Promise<ClaimedStep | null> {
    const { rows } = await this.pool.query<StepRow & { previous: StepStatus; run: RunRow }>(
      `WITH r AS (
         SELECT id FROM backendify.workflow_runs WHERE id = $1 AND status IN ${ACTIVE_RUN} FOR UPDATE
       ), old AS (
         SELECT s.run_id, s.step_index, s.status FROM backendify.workflow_steps s JOIN r ON r.id = s.run_id
          WHERE s.step_index = $2 AND s.due_at <= now()
            AND s.status IN ('pending','running','waiting')
          FOR UPDATE OF s
       ), st AS (
         UPDATE backendify.workflow_steps s
            SET status = 'running',
                attempts = s.attempts + CASE WHEN old.status = 'waiting' THEN 0 ELSE 1 END,
                started_at = coalesce(s.started_at, now()),
                due_at = now() + make_interval(secs => $3::float8 / 1000)
           FROM old WHERE s.run_id = old.run_id AND s.step_index = old.step_index
         RETURNING s.*, old.status AS previous
       ), ru AS (
         UPDATE backendify.workflow_runs SET status = 'running', started_at = coalesce(started_at, now()),
                updated_at = now()
          WHERE id IN (SELECT run_id FROM st)
         RETURNING ${RUN_COLUMNS}
       )
       SELECT st.run_id, st.step_index, st.name, st.action, st.status, st.input, st.output, st.error,
              st.attempts, st.due_at, st.started_at, st.finished_at, st.previous, to_jsonb(ru) AS run
         FROM st JOIN ru ON ru.id = st.run_id`,
      [runId, index, leaseMs],
    );
    const row = rows[0];
    if (!row) return null;
    return { ...row, run: reviveRun(row.run) };
  }

  /** Locks an active run for the transaction that settles one of its steps; null = it ended. */
  async lockActiveRun(db: Db, runId: string): Promise<RunStatus | null> {
    const { rows } = await db.query<{ status: RunStatus }>(
      `SELECT status FROM backendify.workflow_runs WHERE id = $1 AND status IN ${ACTIVE_RUN} FOR UPDATE`,
      [runId],
    );
    return rows[0]?.status ?? null;
  }

  /**
   * Records the outcome of the attempt this process holds (`attempts` as claimed); false when the
   * step is no longer its to settle (cancelled, or taken over after its lease ran out).
   */
  async settleStep(
    db: Db,
    runId: string,
    index: number,
    attempts: number,
    s: {
      status: StepStatus;
      input?: unknown;
      output?: unknown;
      error?: string | null;
      dueAt?: Date | null;
    },
  ): Promise<boolean> {
    const finished = s.status === 'completed' || s.status === 'failed';
    const res = await db.query(
      `UPDATE backendify.workflow_steps
          SET status = $4, input = coalesce($5::jsonb, input), output = $6::jsonb, error = $7,
              due_at = $8, finished_at = CASE WHEN $9 THEN now() ELSE NULL END
        WHERE run_id = $1 AND step_index = $2 AND attempts = $3 AND status = 'running'`,
      [
        runId,
        index,
        attempts,
        s.status,
        s.input === undefined ? null : JSON.stringify(s.input ?? null),
        s.output === undefined ? null : JSON.stringify(s.output ?? null),
        s.error ?? null,
        s.dueAt ?? null,
        finished,
      ],
    );
    return (res.rowCount ?? 0) > 0;
  }

  /** Makes a pending step due (the next one of a run, or a retried one). */
  async queueStep(db: Db, runId: string, index: number, dueAt: Date): Promise<void> {
    await db.query(
      `UPDATE backendify.workflow_steps SET due_at = $3, status = 'pending'
        WHERE run_id = $1 AND step_index = $2 AND status IN ('pending','failed')`,
      [runId, index, dueAt],
    );
  }

  /** Steps a branch jumped over. */
  async skipSteps(db: Db, runId: string, from: number, to: number): Promise<void> {
    await db.query(
      `UPDATE backendify.workflow_steps SET status = 'skipped', due_at = NULL
        WHERE run_id = $1 AND step_index >= $2 AND step_index < $3 AND status = 'pending'`,
      [runId, from, to],
    );
  }

  async setRunStatus(db: Db, runId: string, status: RunStatus): Promise<void> {
    await db.query(
      `UPDATE backendify.workflow_runs SET status = $2, updated_at = now() WHERE id = $1`,
      [runId, status],
    );
  }

  /** Ends a run; when it completed, steps that never came up are marked skipped. */
  async finishRun(
    db: Db,
    runId: string,
    status: 'completed' | 'failed',
    output: unknown,
    error: string | null,
  ): Promise<void> {
    await db.query(
      `UPDATE backendify.workflow_runs SET status = $2, output = $3::jsonb, error = $4,
              finished_at = now(), updated_at = now() WHERE id = $1`,
      [runId, status, JSON.stringify(output ?? null), error],
    );
    if (status === 'completed')
      await db.query(
        `UPDATE backendify.workflow_steps SET status = 'skipped', due_at = NULL
          WHERE run_id = $1 AND status = 'pending'`,
        [runId],
      );
  }

  /** Cancels an active run and its open steps; null when the run was already finished. */
  async cancelRun(db: Db, runId: string): Promise<boolean> {
    const res = await db.query(
      `UPDATE backendify.workflow_runs SET status = 'cancelled', finished_at = now(), updated_at = now()
        WHERE id = $1 AND status IN ${ACTIVE_RUN}`,
      [runId],
    );
    if ((res.rowCount ?? 0) === 0) return false;
    await db.query(
      `UPDATE backendify.workflow_steps SET status = 'cancelled', due_at = NULL,
              finished_at = coalesce(finished_at, now())
        WHERE run_id = $1 AND status IN ('pending','running','waiting')`,
      [runId],
    );
    return true;
  }

  /** Re-opens a failed run at its failed step (due now); returns that step's index. */
  async reopenRun(db: Db, runId: string): Promise<number | null> {
    const res = await db.query(
      `UPDATE backendify.workflow_runs SET status = 'queued', error = NULL, output = NULL,
              finished_at = NULL, updated_at = now()
        WHERE id = $1 AND status = 'failed'`,
      [runId],
    );
    if ((res.rowCount ?? 0) === 0) return null;
    const { rows } = await db.query<{ step_index: number }>(
      `UPDATE backendify.workflow_steps SET status = 'pending', attempts = 0, error = NULL,
              output = NULL, finished_at = NULL, due_at = now()
        WHERE run_id = $1 AND status = 'failed' RETURNING step_index`,
      [runId],
    );
    return rows[0]?.step_index ?? null;
  }

  /** Outputs of a run's completed steps, by index (the `steps` of the template context). */
  async outputs(runId: string): Promise<Record<string, { output: unknown }>> {
    const { rows } = await this.pool.query<{ step_index: number; output: unknown }>(
      `SELECT step_index, output FROM backendify.workflow_steps
        WHERE run_id = $1 AND status = 'completed' ORDER BY step_index`,
      [runId],
    );
    const out: Record<string, { output: unknown }> = {};
    for (const r of rows) out[String(r.step_index)] = { output: r.output };
    return out;
  }

  /** Open steps of active runs whose job may have died with a process: lease over, or due a while ago. */
  async stranded(
    graceMs: number,
    limit: number,
  ): Promise<{ run_id: string; step_index: number }[]> {
    const { rows } = await this.pool.query<{ run_id: string; step_index: number }>(
      `SELECT s.run_id, s.step_index FROM backendify.workflow_steps s
         JOIN backendify.workflow_runs r ON r.id = s.run_id AND r.status IN ${ACTIVE_RUN}
        WHERE s.status IN ('pending','running','waiting') AND s.due_at IS NOT NULL
          -- A running step's due_at is its lease (already past its time limit); a queued or
          -- waiting step gets a grace for its job to come up.
          AND s.due_at < now() - CASE WHEN s.status = 'running' THEN interval '0'
                                      ELSE make_interval(secs => $1::float8 / 1000) END
        ORDER BY s.due_at LIMIT $2`,
      [graceMs, limit],
    );
    return rows;
  }

  /** Deletes up to `batch` runs (with their steps) that finished more than `days` ago. */
  async pruneRuns(days: number, batch: number): Promise<number> {
    const res = await this.pool.query(
      `DELETE FROM backendify.workflow_runs WHERE id IN (
         SELECT id FROM backendify.workflow_runs
          WHERE finished_at < now() - make_interval(days => $1::int) LIMIT $2)`,
      [days, batch],
    );
    return res.rowCount ?? 0;
  }

  // ------------------------------------------------------------------ secrets

  async secrets(projectId: string): Promise<SecretRow[]> {
    const { rows } = await this.pool.query<SecretRow>(
      `SELECT name, value_sealed, created_at, updated_at FROM backendify.workflow_secrets
        WHERE project_id = $1 ORDER BY name`,
      [projectId],
    );
    return rows;
  }

  async sealedSecrets(projectId: string, names: readonly string[]): Promise<SecretRow[]> {
    if (names.length === 0) return [];
    const { rows } = await this.pool.query<SecretRow>(
      `SELECT name, value_sealed, created_at, updated_at FROM backendify.workflow_secrets
        WHERE project_id = $1 AND name = ANY($2::text[])`,
      [projectId, names],
    );
    return rows;
  }

  /** Creates or replaces a secret; true when it was new. */
  async putSecret(db: Db, projectId: string, name: string, sealed: string): Promise<boolean> {
    const { rows } = await db.query<{ created: boolean }>(
      `INSERT INTO backendify.workflow_secrets (project_id, name, value_sealed) VALUES ($1, $2, $3)
       ON CONFLICT (project_id, name) DO UPDATE SET value_sealed = EXCLUDED.value_sealed, updated_at = now()
       RETURNING (xmax = 0) AS created`,
      [projectId, name, sealed],
    );
    return rows[0].created;
  }

  async deleteSecret(db: Db, projectId: string, name: string): Promise<boolean> {
    const res = await db.query(
      `DELETE FROM backendify.workflow_secrets WHERE project_id = $1 AND name = $2`,
      [projectId, name],
    );
    return (res.rowCount ?? 0) > 0;
  }
}

/** A run read back through `to_jsonb`: its timestamps as Dates again. */
function reviveRun(r: RunRow): RunRow {
  const d = (v: Date | string | null) => (v === null ? null : new Date(v));
  return {
    ...r,
    event_id: r.event_id === null ? null : String(r.event_id),
    created_at: d(r.created_at) as Date,
    started_at: d(r.started_at),
    finished_at: d(r.finished_at),
  };
}
