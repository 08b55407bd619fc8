import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { PoolClient } from 'pg';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { JobsService } from '../../jobs/jobs.service';
import type { CollectionMeta } from '../../schema-engine/catalog.types';
import { CacheSyncService } from '../cache-sync/cache-sync.service';
import { CatalogService } from '../catalog/catalog.service';
import type { ChangeEvent } from '../change-log/change-event';
import { ChangeLogService } from '../change-log/change-log.service';
import { ConditionError, parseCondition, type Condition } from '../policies/condition';
import { evaluateCondition, varsOf, type EvalPrincipal } from '../policies/policy-engine';
import { collapseMissed, parseSchedule } from './runtime/cron';
import { WorkflowEngine } from './workflow-engine.service';
import type { TriggerType } from './workflow-definition';
import { WorkflowsRepository, type NewRun, type WorkflowRow } from './workflows.repository';

const CONSUMER = 'workflows';
const TICK_JOB = 'workflow_schedule_tick';
const TICK_LIMIT = 500;

const EVENT_TRIGGER: Readonly<Record<string, TriggerType>> = {
  create: 'record.created',
  update: 'record.updated',
  delete: 'record.deleted',
};

interface CachedProject {
  /** The `workflows` cache version this entry was read at. */
  version: string;
  workflows: WorkflowRow[];
}

/**
 * What starts runs: the change-log consumer (record triggers: one run per matching workflow and
 * event, created with its first job in the cursor's transaction, so exactly once across
 * processes) and the schedule tick (a compare-and-set on `next_run_at`: one run per tick across
 * processes; after downtime, missed ticks fold into one run).
 */
@Injectable()
export class WorkflowTriggers
  implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly log = new Logger('Workflows');
  /** Active record workflows per project, kept exact by the `workflows` cache version. */
  private readonly cache = new Map<string, CachedProject>();
  /** Conditions parsed against the collection meta they were checked with. */
  private readonly conditions = new WeakMap<CollectionMeta, Map<string, Condition | null>>();
  private poll: NodeJS.Timeout | null = null;
  private ticking = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repo: WorkflowsRepository,
    private readonly engine: WorkflowEngine,
    private readonly jobs: JobsService,
    private readonly changeLog: ChangeLogService,
    private readonly catalog: CatalogService,
    private readonly cacheSync: CacheSyncService,
  ) {
    cacheSync.onStale('workflows', (projectId) =>
      projectId ? this.cache.delete(projectId) : this.cache.clear(),
    );
  }

  onModuleInit(): void {
    this.changeLog.registerConsumer(CONSUMER, (client, events) => this.onEvents(client, events));
    this.jobs.register(TICK_JOB, async () => void (await this.tick()));
    this.jobs.schedule('* * * * *', TICK_JOB);
  }

  onApplicationBootstrap(): void {
    if (!this.config.jobsEnabled) return;
    // A schedule missed while every process was down runs now, not at the next minute.
    void this.tick().catch((err: Error) => this.log.warn(`schedule tick failed: ${err.message}`));
    if (this.config.workflowSchedulePollMs > 0) {
      this.poll = setInterval(
        () => void this.tick().catch(() => undefined),
        this.config.workflowSchedulePollMs,
      );
      this.poll.unref();
    }
  }

  onApplicationShutdown(): void {
    if (this.poll) clearInterval(this.poll);
    this.poll = null;
  }

  /** The consumer: runs for every (record event, matching active workflow), in this transaction. */
  async onEvents(client: PoolClient, events: ChangeEvent[]): Promise<void> {
    const records = events.filter((e) => e.kind === 'record' && EVENT_TRIGGER[e.action]);
    if (records.length === 0) return;
    const byProject = await this.workflowsFor(client, [
      ...new Set(records.map((e) => e.projectId)),
    ]);
    const runs: NewRun[] = [];
    for (const e of records) {
      const list = byProject.get(e.projectId);
      if (!list?.length) continue;
      const type = EVENT_TRIGGER[e.action];
      for (const w of list) {
        if (w.trigger_type !== type || w.collection_id !== e.collectionId) continue;
        const row = e.action === 'delete' ? e.oldRecord : e.record;
        if (!(await this.matches(w, e, row ?? {}))) continue;
        // Writes of a workflow's own record steps start runs one level deeper; loops end here.
        const parentDepth = e.actorType === 'workflow' ? Number(e.meta?.depth ?? 0) : -1;
        const depth = parentDepth + 1;
        if (depth >= this.config.workflowMaxDepth) {
          this.log.warn(
            `workflow ${w.id} not started for event ${e.id}: depth ${depth} reaches WORKFLOW_MAX_DEPTH=${this.config.workflowMaxDepth}`,
          );
          await this.changeLog.append(client, {
            projectId: e.projectId,
            kind: 'admin',
            action: 'workflow.depth_limit',
            actor: { type: 'system', id: null },
            meta: {
              workflow_id: w.id,
              name: w.name,
              event_id: e.id,
              depth,
              max_depth: this.config.workflowMaxDepth,
              parent_run_id: (e.meta?.workflow_run_id as string | undefined) ?? null,
            },
          });
          continue;
        }
        runs.push({
          workflowId: w.id,
          projectId: e.projectId,
          triggerType: type,
          trigger: {
            event: type,
            event_id: e.id,
            collection: e.collection,
            record: e.record,
            old_record: e.oldRecord,
          },
          input: null,
          depth,
          eventId: e.id,
          definition: w.steps,
        });
      }
    }
    if (runs.length) await this.engine.startRuns(client, runs);
  }

  /** The trigger condition on the event's record (the old one for deletes), as policies evaluate it. */
  private async matches(
    w: WorkflowRow,
    e: ChangeEvent,
    row: Record<string, unknown>,
  ): Promise<boolean> {
    const condition = w.trigger_config.condition;
    if (condition === undefined || condition === null) return true;
    let meta: CollectionMeta;
    try {
      meta = (await this.catalog.collectionById(e.projectId, w.collection_id as string)).meta;
    } catch {
      return false;
    }
    let parsed = this.conditions.get(meta);
    if (!parsed) {
      parsed = new Map();
      this.conditions.set(meta, parsed);
    }
    if (!parsed.has(w.id + w.updated_at.toISOString())) {
      let c: Condition | null = null;
      try {
        c = parseCondition(condition, meta);
      } catch (err) {
        // A condition that no longer fits its collection (a field dropped) starts nothing.
        if (!(err instanceof ConditionError)) throw err;
        this.log.warn(`workflow ${w.id}: condition no longer valid: ${err.message}`);
      }
      parsed.set(w.id + w.updated_at.toISOString(), c);
    }
    const c = parsed.get(w.id + w.updated_at.toISOString());
    if (!c) return false;
    const principal: EvalPrincipal =
      e.actorType === 'app_user' && e.actorId
        ? { kind: 'app_user', userId: e.actorId, emailVerified: false, roles: [] }
        : { kind: 'anonymous' };
    return evaluateCondition(c, varsOf(principal, e.createdAt), row) === true;
  }

  /**
   * Active record workflows of these projects. Entries are checked against the committed
   * `workflows` version in this transaction, so a workflow saved before an event committed is
   * seen by whichever process consumes it; a project without workflows costs one small read.
   */
  private async workflowsFor(
    client: PoolClient,
    projectIds: string[],
  ): Promise<Map<string, WorkflowRow[]>> {
    const versions = await this.cacheSync.versionsIn(client, 'workflows', projectIds);
    const stale = projectIds.filter(
      (p) => this.cache.get(p)?.version !== (versions.get(p) ?? '0:0'),
    );
    if (stale.length) {
      const rows = await this.repo.activeRecordWorkflows(client, stale);
      for (const p of stale)
        this.cache.set(p, {
          version: versions.get(p) ?? '0:0',
          workflows: rows.filter((w) => w.project_id === p),
        });
    }
    return new Map(projectIds.map((p) => [p, this.cache.get(p)?.workflows ?? []]));
  }

  /** Starts one run for each schedule whose time has come; any number of processes may call it. */
  async tick(): Promise<number> {
    if (this.ticking) return 0;
    this.ticking = true;
    let started = 0;
    try {
      for (const w of await this.repo.dueSchedules(TICK_LIMIT)) {
        const seen = w.next_run_at as Date;
        let next: Date | null = null;
        let missed = 0;
        try {
          const schedule = parseSchedule(
            w.trigger_config.cron as string,
            w.trigger_config.timezone ?? 'UTC',
          );
          const due = collapseMissed(schedule, seen, new Date());
          next = due.next;
          missed = due.missed;
        } catch (err) {
          this.log.warn(`workflow ${w.id}: schedule no longer valid: ${(err as Error).message}`);
        }
        const ran = await this.repo.transaction(async (client) => {
          // Whoever moves next_run_at from the value read owns this tick.
          if (!(await this.repo.claimTick(client, w.id, seen, next))) return false;
          await this.engine.startRuns(client, [
            {
              workflowId: w.id,
              projectId: w.project_id,
              triggerType: 'schedule',
              trigger: { event: 'schedule', scheduled_for: seen.toISOString(), missed },
              input: null,
              depth: 0,
              eventId: null,
              definition: w.steps,
            },
          ]);
          return true;
        });
        if (ran) started++;
      }
    } finally {
      this.ticking = false;
    }
    return started;
  }
}
