import { Worker } from 'node:worker_threads';

/** One value to test against one compiled pattern (see CompiledPattern.re2). */
export interface MatchJob {
  re2: string;
  caseInsensitive: boolean;
  input: string;
}

/** The write's checks did not finish within the time budget; the worker was stopped. */
export class PatternBudgetError extends Error {
  constructor(readonly budgetMs: number) {
    super(`pattern checks took longer than ${budgetMs} ms`);
    this.name = 'PatternBudgetError';
  }
}

/** Too many writes are already waiting for the worker. */
export class PatternQueueFullError extends Error {
  constructor() {
    super('too many pattern checks are waiting');
    this.name = 'PatternQueueFullError';
  }
}

// Plain CommonJS evaluated in the worker, so it runs the same from src (tests) and dist.
const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const { RE2JS } = require(workerData.re2js);
const cache = new Map();
parentPort.postMessage({ ready: true });
parentPort.on('message', (job) => {
  const results = [];
  let error = null;
  try {
    for (const c of job.checks) {
      const key = (c.caseInsensitive ? 'i/' : '/') + c.re2;
      let re = cache.get(key);
      if (!re) {
        re = RE2JS.compile(c.re2, c.caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0);
        if (cache.size >= 200) cache.delete(cache.keys().next().value);
        cache.set(key, re);
      }
      results.push(re.testExact(c.input));
    }
  } catch (e) {
    error = String((e && e.message) || e);
  }
  parentPort.postMessage({ id: job.id, results, error });
});
`;

interface Pending {
  id: number;
  checks: MatchJob[];
  resolve: (results: boolean[]) => void;
  reject: (err: Error) => void;
}

/**
 * Runs costly pattern checks on a worker thread, one write at a time, so the event loop keeps
 * serving every tenant. A write whose checks run past `budgetMs` is refused and the worker is
 * replaced (RE2 cannot be interrupted from outside).
 */
export class PatternRunner {
  private worker: Worker | null = null;
  /** Whether the worker has loaded RE2: start-up time is not charged to a write's budget. */
  private ready = false;
  private readonly queue: Pending[] = [];
  private running: { job: Pending; timer: NodeJS.Timeout } | null = null;
  private nextId = 1;
  private closed = false;

  constructor(
    readonly budgetMs: number,
    private readonly maxQueue = 64,
  ) {}

  run(checks: MatchJob[]): Promise<boolean[]> {
    if (checks.length === 0) return Promise.resolve([]);
    if (this.closed) return Promise.reject(new Error('pattern runner is closed'));
    if (this.queue.length >= this.maxQueue) return Promise.reject(new PatternQueueFullError());
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, checks, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('pattern runner is closed'));
    if (this.running) this.finish(this.running.job.id, new Error('pattern runner is closed'));
    await this.stopWorker();
  }

  private pump(): void {
    if (this.running || this.closed || this.queue.length === 0) return;
    const worker = this.ensureWorker();
    if (!this.ready) return;
    const job = this.queue.shift();
    if (!job) return;
    const timer = setTimeout(() => {
      this.finish(job.id, new PatternBudgetError(this.budgetMs));
      void this.stopWorker();
      this.pump();
    }, this.budgetMs);
    this.running = { job, timer };
    worker.postMessage({ id: job.id, checks: job.checks });
  }

  /** Settles the running job (if it is still `id`) with results or an error. */
  private finish(id: number, outcome: boolean[] | Error): void {
    if (!this.running || this.running.job.id !== id) return;
    const { job, timer } = this.running;
    clearTimeout(timer);
    this.running = null;
    if (outcome instanceof Error) job.reject(outcome);
    else job.resolve(outcome);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_CODE, {
      eval: true,
      workerData: { re2js: require.resolve('re2js') },
      // RE2 keeps its DFA caches under 8 MB a pattern; this bounds a runaway anyway.
      resourceLimits: { maxOldGenerationSizeMb: 256 },
    });
    worker.unref();
    worker.on(
      'message',
      (m: { ready?: true; id: number; results: boolean[]; error: string | null }) => {
        if (m.ready) {
          if (this.worker === worker) this.ready = true;
          this.pump();
          return;
        }
        this.finish(m.id, m.error === null ? m.results : new Error(m.error));
        this.pump();
      },
    );
    const lost = (err: Error) => {
      if (this.worker !== worker) return;
      const started = this.ready;
      this.worker = null;
      this.ready = false;
      if (this.running) this.finish(this.running.job.id, err);
      // A worker that never started would fail again: fail the waiting writes, not loop.
      if (!started) for (const job of this.queue.splice(0)) job.reject(err);
      this.pump();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`pattern worker exited (${code})`)));
    this.worker = worker;
    return worker;
  }

  private async stopWorker(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.ready = false;
    if (worker) await worker.terminate();
  }
}
