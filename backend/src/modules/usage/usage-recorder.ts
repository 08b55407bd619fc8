import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { isUuid } from '../../common/util/uuid';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { JobsService } from '../../jobs/jobs.service';
import { UsageAggregator, type RouteGroup } from './usage-aggregator';
import { UsageRepository } from './usage.repository';

const PRUNE_JOB = 'usage:prune';
const DAY_MS = 86_400_000;

/**
 * Counts every project request in memory (a map update on the response hook) and adds the
 * counts to `usage_minutes` every USAGE_FLUSH_MS and at shutdown, in one statement per flush.
 */
@Injectable()
export class UsageRecorder implements OnModuleInit, BeforeApplicationShutdown {
  private readonly log = new Logger('Usage');
  private readonly aggregator = new UsageAggregator();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repo: UsageRepository,
    private readonly jobs: JobsService,
  ) {}

  onModuleInit(): void {
    this.jobs.register(PRUNE_JOB, async () => {
      const n = await this.repo.prune(
        new Date(Date.now() - this.config.usageRetentionDays * DAY_MS),
      );
      if (n > 0) this.log.log(`pruned ${n} usage rows`);
    });
    this.jobs.schedule('41 3 * * *', PRUNE_JOB);
    this.timer = setInterval(() => void this.flush(), this.config.usageFlushMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  /** One HTTP response: `route` is the matched route template; requests outside projects are not counted. */
  observeHttp(route: string, params: unknown, status: number, ms: number): void {
    const group = this.aggregator.groupOf(route);
    if (!group) return;
    const id = (params as Record<string, unknown> | undefined)?.projectId;
    if (typeof id === 'string') this.record(id, group, status, ms);
  }

  record(projectId: string, group: RouteGroup, status: number, ms: number): void {
    // Only ids that can be projects (lower-cased by the canonical-project-id hook and the
    // realtime gateway); the flush keeps rows of projects that exist.
    if (!isUuid(projectId)) return;
    this.aggregator.record(projectId, group, status, ms, Date.now());
  }

  /** Writes what was counted so far (tests call it instead of waiting for the timer). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      const cells = this.aggregator.drain();
      if (cells.length === 0) return;
      try {
        await this.repo.flush(cells);
      } catch (err) {
        this.aggregator.restore(cells);
        this.log.warn(`usage flush failed, kept for the next one: ${(err as Error).message}`);
      }
    });
    return this.flushing;
  }
}
