import { readFileSync } from 'node:fs';
import variant from '@jitl/quickjs-wasmfile-release-sync';
import {
  newQuickJSWASMModuleFromVariant,
  newVariant,
  type QuickJSContext,
  type QuickJSHandle,
  type QuickJSWASMModule,
} from 'quickjs-emscripten-core';

export type ScriptErrorCode = 'SCRIPT_TIMEOUT' | 'SCRIPT_MEMORY' | 'SCRIPT_ERROR' | 'SCRIPT_OUTPUT';

/** One script to run: the context travels as JSON so nothing of the host reaches the VM. */
export interface VmRequest {
  code: string;
  contextJson: string;
  timeoutMs: number;
  memoryMb: number;
}

export type VmResult =
  | { ok: true; json: string; logs: string[] }
  | { ok: false; code: ScriptErrorCode; message: string; logs: string[] };

/** The return value's JSON may be at most this long. */
export const MAX_SCRIPT_OUTPUT_CHARS = 1024 * 1024;
export const MAX_LOG_LINES = 100;
export const MAX_LOG_LINE_CHARS = 1000;
// Well inside a worker thread's native stack, so deep recursion is QuickJS's own error.
export const MAX_STACK_BYTES = 256 * 1024;

// The WebAssembly globals this file uses (the Node typings of this project do not declare them).
interface WasmMemory {
  grow(deltaPages: number): number;
}
declare const WebAssembly: {
  compile(bytes: Uint8Array): Promise<object>;
  Memory: new (descriptor: { initial: number; maximum: number }) => WasmMemory;
};

const PAGE = 64 * 1024;
/** The WASM module asks for at least this much memory (its static data, stack and first heap). */
const MIN_PAGES = 256;
/** Room for the module's static data and stack beside the script's heap. */
const OVERHEAD_BYTES = 4 * 1024 * 1024;

/**
 * The QuickJS WASM module, compiled once, with one instance kept for the last memory limit.
 * The instance's memory has a fixed maximum: the engine's own limit counts allocations, not
 * bytes, in this build, so the cap on linear memory is what makes a script run out of memory.
 */
export class QuickJsInstances {
  private cached: { pages: number; qjs: QuickJSWASMModule } | null = null;
  private growthRefused = false;

  private constructor(private readonly wasm: object) {}

  static async load(): Promise<QuickJsInstances> {
    const file = require.resolve('@jitl/quickjs-wasmfile-release-sync/wasm');
    return new QuickJsInstances(await WebAssembly.compile(readFileSync(file)));
  }

  /** An instance whose linear memory cannot grow past `memoryMb` (plus the module's own). */
  async forLimit(memoryMb: number): Promise<QuickJSWASMModule> {
    const pages = Math.max(MIN_PAGES, Math.ceil((memoryMb * 1024 * 1024 + OVERHEAD_BYTES) / PAGE));
    this.growthRefused = false;
    if (this.cached?.pages === pages) return this.cached.qjs;
    this.cached = null;
    const memory = new WebAssembly.Memory({ initial: MIN_PAGES, maximum: pages });
    const grow = memory.grow.bind(memory);
    // Emscripten grows the heap through this call; a refusal is how a script runs out of memory.
    memory.grow = (delta: number) => {
      try {
        return grow(delta);
      } catch (err) {
        this.growthRefused = true;
        throw err;
      }
    };
    const qjs = await newQuickJSWASMModuleFromVariant(
      newVariant(variant, { wasmModule: this.wasm, wasmMemory: memory }),
    );
    this.cached = { pages, qjs };
    return qjs;
  }

  /** Whether the instance's memory hit its maximum since the last `forLimit`. */
  get exhausted(): boolean {
    return this.growthRefused;
  }

  /** Drops the instance (after a failure inside it); the next run gets a new one. */
  discard(): void {
    this.cached = null;
  }
}

// Runs before the script: keeps JSON.stringify, an error formatter and a console that formats
// inside the VM (under its limits) and hands the host at most one short string a call.
const PRELUDE = `(function (hostLog, maxChars) {
  const stringify = JSON.stringify;
  const toText = String;
  const clip = (s) => (s.length > maxChars ? s.slice(0, maxChars) + '…' : s);
  const show = (v) => {
    if (typeof v === 'string') return v;
    try { const s = stringify(v); return s === undefined ? toText(v) : s; } catch { return toText(v); }
  };
  const describe = (e) => {
    if (e !== null && typeof e === 'object' && 'message' in e) {
      const name = typeof e.name === 'string' && e.name ? e.name : 'Error';
      return clip(name + ': ' + toText(e.message));
    }
    return clip('Uncaught ' + show(e));
  };
  const make = (level) => (...args) => {
    hostLog(level, clip(args.map(show).join(' ')));
  };
  globalThis.console = Object.freeze({
    log: make('log'), info: make('info'), warn: make('warn'), error: make('error'), debug: make('debug'),
  });
  return { stringify, describe };
})`;

// The script is the body of an async function, so `return` and `await` work; the prelude's
// variables are out of its reach and `ctx` is parsed before any script code runs.
const wrap = (code: string): string =>
  `(function (json) { const ctx = JSON.parse(json); ` +
  `const { input, trigger, steps, env } = ctx !== null && typeof ctx === 'object' ? ctx : {}; ` +
  `return (async function () { ${code}\n}).call(undefined); })`;

/** Runs one script in a fresh QuickJS runtime (its own heap, limits and globals). */
export function executeInVm(
  qjs: QuickJSWASMModule,
  req: VmRequest,
  memoryExhausted: () => boolean = () => false,
): VmResult {
  const logs: string[] = [];
  let dropped = 0;
  if (req.contextJson.length > req.memoryMb * 1024 * 1024) {
    return {
      ok: false,
      code: 'SCRIPT_MEMORY',
      message: `the context is larger than the memory limit (${req.memoryMb} MB)`,
      logs,
    };
  }
  const runtime = qjs.newRuntime();
  const deadline = Date.now() + req.timeoutMs;
  let timedOut = false;
  runtime.setMemoryLimit(Math.floor(req.memoryMb * 1024 * 1024));
  runtime.setMaxStackSize(MAX_STACK_BYTES);
  runtime.setInterruptHandler(() => {
    if (Date.now() > deadline) timedOut = true;
    return timedOut;
  });
  const vm = runtime.newContext();
  const handles: QuickJSHandle[] = [];
  const keep = (h: QuickJSHandle): QuickJSHandle => (handles.push(h), h);

  const fail = (code: ScriptErrorCode, message: string): VmResult => ({
    ok: false,
    code,
    message,
    logs: withDropped(logs, dropped),
  });
  let describe: QuickJSHandle | null = null;
  const failFromVm = (errorHandle: QuickJSHandle): VmResult => {
    if (timedOut) return fail('SCRIPT_TIMEOUT', `script ran longer than ${req.timeoutMs} ms`);
    const message = describeError(vm, describe, errorHandle);
    // Out of memory can surface as any error (even `null`) from wherever an allocation failed.
    if (memoryExhausted() || /^InternalError: out of memory/.test(message)) {
      return fail('SCRIPT_MEMORY', `script ran out of memory (limit ${req.memoryMb} MB)`);
    }
    if (/^InternalError: stack overflow/.test(message)) {
      return fail('SCRIPT_ERROR', 'RangeError: maximum call stack size exceeded');
    }
    return fail('SCRIPT_ERROR', message);
  };

  try {
    const hostLog = keep(
      vm.newFunction('log', (levelHandle, lineHandle) => {
        if (logs.length >= MAX_LOG_LINES) {
          dropped++;
          return;
        }
        if (vm.typeof(levelHandle) !== 'string' || vm.typeof(lineHandle) !== 'string') return;
        const level = vm.getString(levelHandle);
        const line = vm.getString(lineHandle).slice(0, MAX_LOG_LINE_CHARS + 1);
        logs.push(level === 'log' ? line : `[${level}] ${line}`);
      }),
    );
    const prelude = vm.evalCode(PRELUDE, 'prelude.js');
    if (prelude.error) return failFromVm(keep(prelude.error));
    const maxChars = keep(vm.newNumber(MAX_LOG_LINE_CHARS));
    const installed = vm.callFunction(keep(prelude.value), vm.undefined, hostLog, maxChars);
    if (installed.error) return failFromVm(keep(installed.error));
    const tools = keep(installed.value);
    const stringify = keep(vm.getProp(tools, 'stringify'));
    describe = keep(vm.getProp(tools, 'describe'));

    const compiled = vm.evalCode(wrap(req.code), 'script.js');
    if (compiled.error) return failFromVm(keep(compiled.error));
    const json = keep(vm.newString(req.contextJson));
    const called = vm.callFunction(keep(compiled.value), vm.undefined, json);
    if (called.error) return failFromVm(keep(called.error));
    const promise = keep(called.value);

    let state = vm.getPromiseState(promise);
    while (state.type === 'pending' && runtime.hasPendingJob()) {
      const jobs = runtime.executePendingJobs();
      if (jobs.error) return failFromVm(keep(jobs.error));
      state = vm.getPromiseState(promise);
    }
    if (state.type === 'pending') {
      return fail('SCRIPT_ERROR', 'script awaited a promise that never settles');
    }
    if (state.type === 'rejected') return failFromVm(keep(state.error));

    const value = keep(state.value);
    const out = vm.callFunction(stringify, vm.undefined, value);
    if (out.error) {
      const err = keep(out.error);
      if (timedOut) return failFromVm(err);
      const message = describeError(vm, describe, err);
      if (memoryExhausted() || /^InternalError: out of memory/.test(message)) {
        return failFromVm(err);
      }
      return fail('SCRIPT_OUTPUT', `return value is not JSON: ${message}`);
    }
    const outHandle = keep(out.value);
    if (vm.typeof(outHandle) !== 'string') {
      return { ok: true, json: 'null', logs: withDropped(logs, dropped) };
    }
    const length = vm.getNumber(keep(vm.getProp(outHandle, 'length')));
    if (length > MAX_SCRIPT_OUTPUT_CHARS) {
      return fail(
        'SCRIPT_OUTPUT',
        `return value is ${length} characters of JSON, more than ${MAX_SCRIPT_OUTPUT_CHARS}`,
      );
    }
    return { ok: true, json: vm.getString(outHandle), logs: withDropped(logs, dropped) };
  } finally {
    for (const h of handles.reverse()) if (h.alive) h.dispose();
    vm.dispose();
    runtime.dispose();
  }
}

function withDropped(logs: string[], dropped: number): string[] {
  return dropped > 0 ? [...logs, `… ${dropped} more lines`] : logs;
}

/** `Name: message` of a thrown value, formatted inside the VM (no host stack, bounded). */
function describeError(
  vm: QuickJSContext,
  describe: QuickJSHandle | null,
  errorHandle: QuickJSHandle,
): string {
  if (describe) {
    const described = vm.callFunction(describe, vm.undefined, errorHandle);
    if (!described.error) {
      const text = vm.typeof(described.value) === 'string' ? vm.getString(described.value) : '';
      described.value.dispose();
      if (text) return text;
    } else {
      described.error.dispose();
    }
  }
  // The formatter itself failed (most likely out of memory): the engine's own errors are small.
  try {
    const dumped = vm.dump(errorHandle) as { name?: unknown; message?: unknown } | null;
    if (dumped && typeof dumped === 'object' && typeof dumped.message === 'string') {
      return `${String(dumped.name ?? 'Error')}: ${dumped.message.slice(0, MAX_LOG_LINE_CHARS)}`;
    }
  } catch {
    // fall through
  }
  return 'Error: script failed';
}
