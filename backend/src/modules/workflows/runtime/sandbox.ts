import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ScriptErrorCode, VmRequest, VmResult } from './sandbox-vm';
import type { WorkerMessage, WorkerRequest } from './sandbox-worker';

export { MAX_SCRIPT_OUTPUT_CHARS, type ScriptErrorCode } from './sandbox-vm';

/** Per-run limits of a `script` step. */
export interface ScriptLimits {
  timeoutMs: number;
  memoryMb: number;
}

export interface ScriptRun {
  value: unknown;
  /** console output, at most MAX_LOG_LINES lines of MAX_LOG_LINE_CHARS characters. */
  logs: string[];
}

/** A script that failed; `message` is the script's own, never a host stack. */
export class ScriptError extends Error {
  constructor(
    readonly code: ScriptErrorCode,
    message: string,
    readonly logs: string[] = [],
  ) {
    super(message);
    this.name = 'ScriptError';
  }
}

export const MAX_SCRIPT_TIMEOUT_MS = 60_000;
export const MAX_SCRIPT_MEMORY_MB = 1024;
/** The worker is stopped from outside if the engine's own interrupt has not ended the run. */
export const HARD_KILL_MARGIN_MS = 1000;
const MAX_QUEUE = 256;

/**
 * Runs `code` as the body of an async function that sees `ctx` (and `input`, `trigger`,
 * `steps`, `env` from it) and answers its JSON return value. Each run has a fresh QuickJS
 * runtime on a worker thread: no require, process, timers, network or file system.
 */
export async function runScript(
  code: string,
  context: unknown,
  limits: ScriptLimits,
): Promise<unknown> {
  return (await runScriptWithLogs(code, context, limits)).value;
}

/** {@link runScript}, also answering the script's console lines. */
export async function runScriptWithLogs(
  code: string,
  context: unknown,
  limits: ScriptLimits,
): Promise<ScriptRun> {
  return defaultPool().run(code, context, limits);
}

/** Stops the shared pool's workers (shutdown, tests); a later run starts new ones. */
export async function closeSandbox(): Promise<void> {
  const pool = shared;
  shared = null;
  await pool?.close();
}

let shared: SandboxPool | null = null;

function defaultPool(): SandboxPool {
  shared ??= new SandboxPool(Math.min(4, Math.max(1, availableParallelism() - 1)));
  return shared;
}

interface Task {
  id: number;
  req: VmRequest;
  resolve: (run: ScriptRun) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  running: { task: Task; timer: NodeJS.Timeout } | null;
}

/** A fixed number of sandbox workers, each running one script at a time. */
export class SandboxPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;

  constructor(readonly size: number) {}

  async run(code: string, context: unknown, limits: ScriptLimits): Promise<ScriptRun> {
    if (this.closed) throw new Error('the script sandbox is closed');
    if (typeof code !== 'string') throw new TypeError('code must be a string');
    assertLimits(limits);
    let contextJson: string;
    try {
      contextJson = JSON.stringify(context ?? null);
    } catch (err) {
      throw new ScriptError('SCRIPT_ERROR', `context is not JSON: ${(err as Error).message}`);
    }
    if (this.queue.length >= MAX_QUEUE) {
      throw new Error('too many scripts are waiting for the sandbox');
    }
    const req: VmRequest = {
      code,
      contextJson,
      timeoutMs: limits.timeoutMs,
      memoryMb: limits.memoryMb,
    };
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, req, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const closed = new Error('the script sandbox is closed');
    for (const task of this.queue.splice(0)) task.reject(closed);
    await Promise.all(
      this.slots.splice(0).map((slot) => {
        if (slot.running) this.settle(slot, closed);
        return slot.worker.terminate();
      }),
    );
  }

  private pump(): void {
    if (this.closed) return;
    const free = this.slots.filter((slot) => !slot.running).length;
    for (let n = free; n < this.queue.length && this.slots.length < this.size; n++) this.spawn();
    for (const slot of this.slots) {
      if (!slot.ready || slot.running || this.queue.length === 0) continue;
      const task = this.queue.shift() as Task;
      const timer = setTimeout(() => {
        this.settle(slot, timeoutError(task.req.timeoutMs));
        this.retire(slot);
      }, task.req.timeoutMs + HARD_KILL_MARGIN_MS);
      slot.running = { task, timer };
      slot.worker.postMessage({ id: task.id, req: task.req } satisfies WorkerRequest);
    }
  }

  private spawn(): void {
    const source = extname(__filename);
    const worker = new Worker(WORKER_BOOT, {
      eval: true,
      workerData: {
        entry: join(__dirname, `sandbox-worker${source}`),
        // From src (tests, `pnpm dev`) the worker compiles TypeScript the way the host does.
        register: source === '.ts' ? require.resolve('@swc-node/register') : null,
      },
      // The scripts live in WASM memory; this bounds the worker's own JavaScript heap.
      resourceLimits: { maxOldGenerationSizeMb: 256 },
    });
    worker.unref();
    const slot: Slot = { worker, ready: false, running: null };
    worker.on('message', (m: WorkerMessage) => {
      if (m.ready) {
        slot.ready = true;
      } else if (slot.running?.task.id === m.id) {
        this.settle(slot, m.result);
      }
      this.pump();
    });
    const lost = (err: Error & { code?: string }) => {
      if (!this.slots.includes(slot)) return;
      const started = slot.ready;
      this.remove(slot);
      if (slot.running) {
        this.settle(
          slot,
          err.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new ScriptError('SCRIPT_MEMORY', 'script ran out of memory')
            : new ScriptError('SCRIPT_ERROR', 'the sandbox stopped unexpectedly'),
        );
      }
      // A worker that never started would fail again: fail the waiting scripts, not loop.
      if (!started) {
        const reason = new Error(`the script sandbox could not start: ${err.message}`);
        for (const task of this.queue.splice(0)) task.reject(reason);
      }
      this.pump();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`sandbox worker exited (${code})`)));
    this.slots.push(slot);
  }

  private settle(slot: Slot, outcome: VmResult | Error): void {
    const running = slot.running;
    if (!running) return;
    clearTimeout(running.timer);
    slot.running = null;
    const { task } = running;
    if (outcome instanceof Error) return task.reject(outcome);
    if (!outcome.ok)
      return task.reject(new ScriptError(outcome.code, outcome.message, outcome.logs));
    task.resolve({ value: JSON.parse(outcome.json) as unknown, logs: outcome.logs });
  }

  private retire(slot: Slot): void {
    this.remove(slot);
    void slot.worker.terminate();
    this.pump();
  }

  private remove(slot: Slot): void {
    const at = this.slots.indexOf(slot);
    if (at >= 0) this.slots.splice(at, 1);
  }
}

// Plain CommonJS evaluated in the worker, so the same boot runs from src and from dist.
const WORKER_BOOT = `
const { workerData } = require('node:worker_threads');
if (workerData.register) require(workerData.register);
require(workerData.entry).serveSandbox().catch((err) => { throw err; });
`;

function timeoutError(timeoutMs: number): ScriptError {
  return new ScriptError('SCRIPT_TIMEOUT', `script ran longer than ${timeoutMs} ms`);
}

function assertLimits(limits: ScriptLimits): void {
  const { timeoutMs, memoryMb } = limits;
  if (!Number.isFinite(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_SCRIPT_TIMEOUT_MS) {
    throw new RangeError(`timeoutMs must be between 1 and ${MAX_SCRIPT_TIMEOUT_MS}`);
  }
  if (!Number.isFinite(memoryMb) || memoryMb < 1 || memoryMb > MAX_SCRIPT_MEMORY_MB) {
    throw new RangeError(`memoryMb must be between 1 and ${MAX_SCRIPT_MEMORY_MB}`);
  }
}
