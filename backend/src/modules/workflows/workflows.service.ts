import { Inject, Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { AppError, type FieldError } from '../../common/errors/app-error';
import { assertPublicTarget, UnsafeTargetError } from '../../common/net/safe-fetch';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import type { AccessContext } from '../access/access-context';
import { CacheSyncService } from '../cache-sync/cache-sync.service';
import { CatalogService } from '../catalog/catalog.service';
import { ChangeLogService } from '../change-log/change-log.service';
import type {
  CreateWorkflowDto,
  CronPreviewResultDto,
  RunDetailDto,
  RunDto,
  RunsPageDto,
  RunsQueryDto,
  RunStartedDto,
  SecretDto,
  StepLogDto,
  UpdateWorkflowDto,
  WorkflowDto,
} from './dto/workflow.dto';
import { checkContextCondition } from './runtime/condition';
import { nextAfter, nextTimes, parseSchedule, ScheduleError } from './runtime/cron';
import { RUN_DONE_CHANNEL, WorkflowEngine } from './workflow-engine.service';
import {
  checkDefinition,
  DEFAULT_FUNCTION_PRINCIPALS,
  type CheckedDefinition,
  type FunctionPrincipal,
  type StepDef,
} from './workflow-definition';
import {
  FINISHED,
  WorkflowsRepository,
  type RunRow,
  type StepRow,
  type WorkflowPatch,
  type WorkflowRow,
} from './workflows.repository';

export const SECRET_NAME = /^[A-Z][A-Z0-9_]{0,63}$/;
const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** A function call's answer: the status and body the functions route sends. */
export interface FunctionAnswer {
  status: 200 | 202 | 502;
  body: unknown;
}

/** Workflows: definitions (checked at save), manual runs, run logs, cancel/retry, secrets, functions. */
@Injectable()
export class WorkflowsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repo: WorkflowsRepository,
    private readonly engine: WorkflowEngine,
    private readonly catalog: CatalogService,
    private readonly changeLog: ChangeLogService,
    private readonly cacheSync: CacheSyncService,
  ) {}

  toDto(w: WorkflowRow): WorkflowDto {
    return {
      id: w.id,
      project_id: w.project_id,
      name: w.name,
      description: w.description,
      is_active: w.is_active,
      trigger_type: w.trigger_type,
      trigger_config: w.trigger_config as Record<string, unknown>,
      steps: w.steps,
      next_run_at: w.trigger_type === 'schedule' ? iso(w.next_run_at) : null,
      function_url:
        w.trigger_type === 'http' && w.slug
          ? `${this.config.publicUrl}/api/projects/${w.project_id}/functions/${w.slug}`
          : null,
      created_at: iso(w.created_at) as string,
      updated_at: iso(w.updated_at) as string,
    };
  }

  async list(projectId: string): Promise<WorkflowDto[]> {
    return (await this.repo.list(projectId)).map((w) => this.toDto(w));
  }

  async get(projectId: string, id: string): Promise<WorkflowDto> {
    return this.toDto(await this.mustGet(projectId, id));
  }

  async create(projectId: string, adminId: string, dto: CreateWorkflowDto): Promise<WorkflowDto> {
    const def = await this.check(projectId, null, {
      trigger_type: dto.trigger_type,
      trigger_config: dto.trigger_config ?? {},
      steps: dto.steps ?? [],
    });
    const isActive = dto.is_active ?? true;
    const row = await this.write(projectId, async (c) => {
      const w = await this.repo.insert(c, {
        project_id: projectId,
        name: dto.name.trim() || dto.name,
        description: dto.description ?? null,
        trigger_type: def.triggerType,
        trigger_config: def.triggerConfig,
        steps: def.steps,
        is_active: isActive,
        collection_id: def.collectionId,
        slug: def.slug,
        next_run_at: nextRun(def, isActive, null),
        created_by: adminId,
      });
      await this.audit(c, projectId, 'workflow.create', w);
      return w;
    });
    return this.toDto(row);
  }

  async update(projectId: string, id: string, dto: UpdateWorkflowDto): Promise<WorkflowDto> {
    const current = await this.mustGet(projectId, id);
    const patch: WorkflowPatch = {
      name: dto.name === undefined ? undefined : dto.name.trim() || dto.name,
      description: dto.description,
      is_active: dto.is_active,
    };
    const redefines =
      dto.trigger_type !== undefined || dto.trigger_config !== undefined || dto.steps !== undefined;
    let def: CheckedDefinition | null = null;
    if (redefines) {
      const type = dto.trigger_type ?? current.trigger_type;
      def = await this.check(projectId, id, {
        trigger_type: type,
        // A new trigger type starts from an empty config unless one is sent.
        trigger_config:
          dto.trigger_config ?? (type === current.trigger_type ? current.trigger_config : {}),
        steps: dto.steps ?? current.steps,
      });
      Object.assign(patch, {
        trigger_type: def.triggerType,
        trigger_config: def.triggerConfig,
        steps: def.steps,
        collection_id: def.collectionId,
        slug: def.slug,
      });
    }
    const isActive = dto.is_active ?? current.is_active;
    const scheduleChanged =
      def !== null &&
      (def.triggerType !== current.trigger_type ||
        def.triggerConfig.cron !== current.trigger_config.cron ||
        def.triggerConfig.timezone !== current.trigger_config.timezone);
    const reactivated = isActive && !current.is_active;
    patch.next_run_at = nextRun(
      def ?? definitionOf(current),
      isActive,
      scheduleChanged || reactivated ? null : current.next_run_at,
    );
    const row = await this.write(projectId, async (c) => {
      const w = await this.repo.update(c, projectId, id, patch);
      if (!w) throw AppError.notFound('Workflow');
      await this.audit(c, projectId, 'workflow.update', w, { changed: Object.keys(dto).sort() });
      return w;
    });
    return this.toDto(row);
  }

  async remove(projectId: string, id: string): Promise<void> {
    await this.write(projectId, async (c) => {
      const w = await this.repo.get(c, projectId, id, true);
      if (!w) throw AppError.notFound('Workflow');
      await this.repo.delete(c, projectId, id);
      await this.audit(c, projectId, 'workflow.delete', w);
    });
  }

  /** A manual (or test) run with `input`, whatever the workflow's trigger. */
  async run(projectId: string, id: string, input: unknown): Promise<RunStartedDto> {
    const w = await this.mustGet(projectId, id);
    const [runId] = await this.repo.transaction((c) =>
      this.engine.startRuns(c, [
        {
          workflowId: w.id,
          projectId,
          triggerType: 'manual',
          trigger: { event: 'manual' },
          input: input === undefined ? {} : input,
          depth: 0,
          eventId: null,
          definition: w.steps,
        },
      ]),
    );
    return { run_id: runId, status: w.steps.length ? 'queued' : 'completed' };
  }

  async runs(projectId: string, id: string, q: RunsQueryDto): Promise<RunsPageDto> {
    await this.mustGet(projectId, id);
    const limit = q.limit ?? 50;
    const offset = q.offset ?? 0;
    const { rows, total } = await this.repo.runs(id, { status: q.status, limit, offset });
    return { runs: rows.map(toRunDto), total, limit, offset };
  }

  async runDetail(projectId: string, id: string, runId: string): Promise<RunDetailDto> {
    const run = await this.mustGetRun(projectId, id, runId);
    return this.detail(run);
  }

  async cancel(projectId: string, id: string, runId: string): Promise<RunDetailDto> {
    await this.mustGetRun(projectId, id, runId);
    const ok = await this.repo.transaction(async (c) => {
      const cancelled = await this.repo.cancelRun(c, runId);
      if (cancelled) await c.query(`SELECT pg_notify($1, $2)`, [RUN_DONE_CHANNEL, runId]);
      return cancelled;
    });
    if (!ok) throw AppError.conflict('The run has already finished');
    return this.runDetail(projectId, id, runId);
  }

  /** Resumes a failed run at its failed step (attempts start again). */
  async retry(projectId: string, id: string, runId: string): Promise<RunDetailDto> {
    const run = await this.mustGetRun(projectId, id, runId);
    if (run.status !== 'failed') throw AppError.conflict('Only a failed run can be retried');
    const ok = await this.repo.transaction(async (c) => {
      const index = await this.repo.reopenRun(c, runId);
      if (index === null) return false;
      await this.engine.queueStep(c, runId, index, new Date());
      return true;
    });
    if (!ok) throw AppError.conflict('Only a failed run can be retried');
    return this.runDetail(projectId, id, runId);
  }

  cronPreview(cron: string, timezone = 'UTC'): CronPreviewResultDto {
    try {
      const s = parseSchedule(cron, timezone);
      return { next: nextTimes(s, new Date(), 5).map((d) => d.toISOString()) };
    } catch (err) {
      if (!(err instanceof ScheduleError)) throw err;
      const field = /timezone/.test(err.message) ? 'timezone' : 'cron';
      throw AppError.validation(err.message, [{ field, rule: 'schedule', message: err.message }]);
    }
  }

  // ------------------------------------------------------------------ secrets

  async listSecrets(projectId: string): Promise<SecretDto[]> {
    return (await this.repo.secrets(projectId)).map((s) => ({
      name: s.name,
      created_at: iso(s.created_at) as string,
      updated_at: iso(s.updated_at) as string,
    }));
  }

  async putSecret(projectId: string, name: string, value: string): Promise<void> {
    assertSecretName(name);
    await this.repo.transaction(async (c) => {
      const created = await this.repo.putSecret(
        c,
        projectId,
        name,
        this.engine.secrets.seal(value),
      );
      await this.changeLog.appendAdmin(c, projectId, 'workflow_secret.put', { name, created });
    });
  }

  async deleteSecret(projectId: string, name: string): Promise<void> {
    assertSecretName(name);
    await this.repo.transaction(async (c) => {
      if (!(await this.repo.deleteSecret(c, projectId, name))) throw AppError.notFound('Secret');
      await this.changeLog.appendAdmin(c, projectId, 'workflow_secret.delete', { name });
    });
  }

  // ------------------------------------------------------------------ functions

  /**
   * `POST …/functions/{slug}`: starts the run (input = the body) and answers its last step's
   * output once it completes, within WORKFLOW_FUNCTION_TIMEOUT_MS (else 202 with the run id).
   */
  async invoke(access: AccessContext, slug: string, body: unknown): Promise<FunctionAnswer> {
    const w = await this.repo.functionBySlug(access.projectId, slug);
    if (!w) throw AppError.notFound('Function');
    const p = access.principal;
    const kind: FunctionPrincipal =
      p.kind === 'admin' || p.kind === 'app_user' || p.kind === 'api_key' ? p.kind : 'anonymous';
    const allowed = w.trigger_config.allowed_principals ?? [...DEFAULT_FUNCTION_PRINCIPALS];
    if (!allowed.includes(kind))
      throw AppError.forbidden(`This function does not accept ${kind} callers`);
    const caller = {
      kind,
      id:
        p.kind === 'api_key'
          ? p.keyId
          : p.kind === 'admin' || p.kind === 'app_user'
            ? p.userId
            : null,
    };
    const [runId] = await this.repo.transaction((c) =>
      this.engine.startRuns(c, [
        {
          workflowId: w.id,
          projectId: access.projectId,
          triggerType: 'http',
          trigger: { event: 'http', slug, caller },
          input: body === undefined || body === null ? {} : body,
          depth: 0,
          eventId: null,
          definition: w.steps,
        },
      ]),
    );
    if (w.trigger_config.async)
      return {
        status: 202,
        body: { run_id: runId, status: w.steps.length ? 'queued' : 'completed' },
      };
    const run = await this.engine.waitForRun(runId, this.config.workflowFunctionTimeoutMs);
    if (!run || !FINISHED.includes(run.status))
      return { status: 202, body: { run_id: runId, status: run?.status ?? 'queued' } };
    if (run.status === 'completed') return { status: 200, body: run.output ?? null };
    return {
      status: 502,
      body: {
        type: 'https://backendify.dev/problems/function-failed',
        title: 'Function failed',
        status: 502,
        detail:
          run.status === 'cancelled' ? 'The run was cancelled' : (run.error ?? 'The run failed'),
        code: 'FUNCTION_FAILED',
        run_id: runId,
      },
    };
  }

  // ------------------------------------------------------------------ helpers

  private async detail(run: RunRow): Promise<RunDetailDto> {
    const steps = await this.repo.steps(this.repo.db(), run.id);
    return { ...toRunDto(run), steps: steps.map(toStepDto) };
  }

  /** Checks a definition against the project (collections, slug, private URLs): 400 naming each problem. */
  private async check(
    projectId: string,
    selfId: string | null,
    input: { trigger_type: unknown; trigger_config: unknown; steps: unknown },
  ): Promise<CheckedDefinition> {
    const catalog = await this.catalog.project(projectId);
    const { errors, checked } = checkDefinition(input, {
      collection: (name) => catalog.byName.get(name)?.meta,
      contextConditionProblems: (c, opts) => checkContextCondition(c, opts),
    });
    if (
      checked?.slug &&
      (await this.repo.slugTaken(this.repo.db(), projectId, checked.slug, selfId))
    )
      errors.push(slugTaken(checked.slug));
    if (checked) errors.push(...(await this.privateUrls(checked.steps)));
    if (errors.length || !checked)
      throw AppError.validation(
        errors.length === 1
          ? errors[0].message
          : `The workflow has ${errors.length} problems: ${errors[0].message}; …`,
        errors,
      );
    return checked;
  }

  /** Literal http_request URLs to internal addresses are refused at save, as for webhooks. */
  private async privateUrls(steps: StepDef[]): Promise<FieldError[]> {
    const out: FieldError[] = [];
    if (this.config.webhookAllowPrivate) return out;
    for (const [i, s] of steps.entries()) {
      if (s.action !== 'http_request' || typeof s.url !== 'string' || s.url.includes('{{'))
        continue;
      try {
        await assertPublicTarget(s.url, { allowPrivate: false });
      } catch (err) {
        // An unresolvable host is accepted now and checked again at every call.
        if (!(err instanceof UnsafeTargetError)) continue;
        out.push({
          field: `steps[${i}].url`,
          rule: 'public_address',
          message: `${err.host} is a ${err.problem} address; set WEBHOOK_ALLOW_PRIVATE=true to allow it`,
        });
      }
    }
    return out;
  }

  /** A definition change commits with its audit event and the `workflows` cache bump. */
  private async write<T>(projectId: string, fn: (c: PoolClient) => Promise<T>): Promise<T> {
    let out: T;
    try {
      out = await this.repo.transaction(async (c) => {
        const r = await fn(c);
        await this.cacheSync.bumpIn(c, 'workflows', projectId);
        return r;
      });
    } catch (err) {
      const pg = err as { code?: string; constraint?: string };
      if (pg?.code === '23505' && pg.constraint === 'uq_workflows_slug')
        throw AppError.validation('Another workflow already uses this function slug', [
          slugTaken('this slug'),
        ]);
      throw err;
    }
    this.cacheSync.dropLocal('workflows', projectId);
    return out;
  }

  private async mustGet(projectId: string, id: string): Promise<WorkflowRow> {
    const w = await this.repo.get(this.repo.db(), projectId, id);
    if (!w) throw AppError.notFound('Workflow');
    return w;
  }

  private async mustGetRun(projectId: string, id: string, runId: string): Promise<RunRow> {
    const run = await this.repo.run(this.repo.db(), projectId, id, runId);
    if (!run) throw AppError.notFound('Run');
    return run;
  }

  private audit(
    c: PoolClient,
    projectId: string,
    action: string,
    w: WorkflowRow,
    extra: Record<string, unknown> = {},
  ): Promise<string> {
    return this.changeLog.appendAdmin(c, projectId, action, {
      workflow_id: w.id,
      name: w.name,
      trigger_type: w.trigger_type,
      is_active: w.is_active,
      steps: w.steps.length,
      ...extra,
    });
  }
}

function slugTaken(slug: string): FieldError {
  return {
    field: 'trigger_config.slug',
    rule: 'unique',
    message: `Another workflow of this project already answers at ${slug}`,
  };
}

function assertSecretName(name: string): void {
  if (!SECRET_NAME.test(name))
    throw AppError.validation('Secret names match ^[A-Z][A-Z0-9_]{0,63}$', [
      { field: 'name', rule: 'pattern', message: 'Secret names match ^[A-Z][A-Z0-9_]{0,63}$' },
    ]);
}

/** A stored row as a checked definition (for the next tick of an unchanged schedule). */
function definitionOf(w: WorkflowRow): CheckedDefinition {
  return {
    triggerType: w.trigger_type,
    triggerConfig: w.trigger_config,
    steps: w.steps,
    collectionId: w.collection_id,
    slug: w.slug,
  };
}

/** The next tick of an active schedule: kept when unchanged, else the first one after now. */
function nextRun(def: CheckedDefinition, active: boolean, keep: Date | null): Date | null {
  if (def.triggerType !== 'schedule' || !active) return null;
  if (keep) return keep;
  const s = parseSchedule(def.triggerConfig.cron as string, def.triggerConfig.timezone ?? 'UTC');
  return nextAfter(s, new Date());
}

export function toRunDto(r: RunRow): RunDto {
  return {
    id: r.id,
    workflow_id: r.workflow_id,
    status: r.status,
    trigger_type: r.trigger_type,
    trigger: r.trigger,
    input: r.input,
    output: r.output,
    error: r.error,
    depth: r.depth,
    created_at: iso(r.created_at) as string,
    started_at: iso(r.started_at),
    finished_at: iso(r.finished_at),
  };
}

function toStepDto(s: StepRow): StepLogDto {
  return {
    index: s.step_index,
    name: s.name,
    action: s.action,
    status: s.status,
    input: s.input,
    output: s.output,
    error: s.error,
    attempts: s.attempts,
    started_at: iso(s.started_at),
    finished_at: iso(s.finished_at),
  };
}
