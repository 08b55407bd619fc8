import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { isUuid } from '../../common/util/uuid';
import { ChangeNotifier } from '../change-log/change-notifier';
import { CACHE_CHANNEL, CACHE_SCOPES, type CacheScope } from './cache-scope';
import { CacheSyncRepository, type StatementRunner } from './cache-sync.repository';

/** How often every process reads the versions even without a NOTIFY (a lost hint costs at most this). */
export const CACHE_POLL_MS = 1000;

/** Drops a scope's entries of one project (null = of every project). */
export type StaleListener = (projectId: string | null) => void;

const asList = (s: CacheScope | readonly CacheScope[]): readonly CacheScope[] =>
  typeof s === 'string' ? [s] : s;

/**
 * Per-process caches kept in step across processes (DESIGN §4). A change bumps its scope's row of
 * `cache_versions` (in its own transaction when it has one) with a coalesced NOTIFY; every
 * process, on the hint and on a 1 s poll, reads the rows committed since its last snapshot and
 * drops what they name. Caches register a listener per scope and never talk to each other.
 */
@Injectable()
export class CacheSyncService
  implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly log = new Logger('CacheSync');
  private readonly listeners = new Map<CacheScope, StaleListener[]>();
  /** Snapshot of the last successful read; null until the first one. */
  private snapshot: string | null = null;
  private synced = false;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  /** Bumps that failed after their change committed, retried on every sync. */
  private readonly unsent = new Map<string, { scopes: CacheScope[]; projectId: string | null }>();

  constructor(
    private readonly repo: CacheSyncRepository,
    private readonly notifier: ChangeNotifier,
  ) {}

  onModuleInit(): void {
    this.notifier.on(CACHE_CHANNEL, () => void this.sync());
  }

  /** Takes the first snapshot before the server listens, so no cache entry predates it. */
  async onApplicationBootstrap(): Promise<void> {
    await this.sync();
    this.timer = setInterval(() => void this.sync(), CACHE_POLL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Registers how a cache drops its stale entries of `scope`. */
  onStale(scope: CacheScope, listener: StaleListener): void {
    const list = this.listeners.get(scope) ?? [];
    list.push(listener);
    this.listeners.set(scope, list);
  }

  /** Drops this process's entries now (after a change's commit, or a change made outside the API). */
  dropLocal(scopes: CacheScope | readonly CacheScope[], projectId: string | null): void {
    for (const scope of asList(scopes))
      for (const l of this.listeners.get(scope) ?? []) {
        try {
          l(projectId);
        } catch (err) {
          this.log.warn(`dropping ${scope} failed: ${(err as Error).message}`);
        }
      }
  }

  /**
   * Writes the bump inside the change's transaction (`db` is its client or manager), so it
   * commits or rolls back with the change. Call `dropLocal` after the commit.
   */
  bumpIn(
    db: StatementRunner,
    scopes: CacheScope | readonly CacheScope[],
    projectId: string | null,
  ): Promise<void> {
    return this.repo.bump(db, asList(scopes), projectId);
  }

  /**
   * The committed version of `scope` per project, for a cache that must be exact at a point of
   * a transaction (e.g. a change-log consumer deciding which workflows an event starts): an entry
   * is current iff its version still matches.
   */
  versionsIn(
    db: StatementRunner | null,
    scope: CacheScope,
    projectIds: readonly string[],
  ): Promise<Map<string, string>> {
    return this.repo.versions(db, scope, projectIds);
  }

  /**
   * After a change that ran outside a transaction: drops here at once and bumps for the others.
   * Never throws: the change is committed; a failed bump is retried on every sync until it lands.
   */
  async changed(
    scopes: CacheScope | readonly CacheScope[],
    projectId: string | null,
  ): Promise<void> {
    const list = [...asList(scopes)];
    this.dropLocal(list, projectId);
    // No project has such an id, so no process can have cached anything under it.
    if (projectId !== null && !isUuid(projectId)) return;
    try {
      await this.repo.bump(null, list, projectId);
    } catch (err) {
      this.log.warn(`cache bump failed, will retry: ${(err as Error).message}`);
      this.unsent.set(`${list.sort().join(',')}:${projectId ?? '*'}`, {
        scopes: list,
        projectId,
      });
    }
  }

  /** Reads the versions committed since the last read and drops what they name; single-flight. */
  sync(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.syncOnce();
        } while (this.again);
      } catch (err) {
        this.log.warn(`cache sync failed: ${(err as Error).message}`);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private async syncOnce(): Promise<void> {
    for (const [key, b] of this.unsent) {
      try {
        await this.repo.bump(null, b.scopes, b.projectId);
        this.unsent.delete(key);
      } catch {
        break; // still failing; the read below says whether the database is back
      }
    }
    const { snapshot, changed } = await this.repo.changedSince(this.snapshot);
    this.snapshot = snapshot;
    if (!this.synced) {
      this.synced = true;
      // Anything cached before the first snapshot could predate a change: start clean.
      return this.dropLocal(CACHE_SCOPES, null);
    }
    for (const c of changed) this.dropLocal(c.scope, c.projectId);
  }
}
