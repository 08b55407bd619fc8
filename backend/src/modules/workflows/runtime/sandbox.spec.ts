import {
  closeSandbox,
  HARD_KILL_MARGIN_MS,
  MAX_SCRIPT_OUTPUT_CHARS,
  runScript,
  runScriptWithLogs,
  SandboxPool,
  ScriptError,
  type ScriptErrorCode,
} from './sandbox';
import { MAX_LOG_LINE_CHARS, MAX_LOG_LINES } from './sandbox-vm';

const limits = { timeoutMs: 1000, memoryMb: 32 };

const failure = async (
  code: string,
  context: unknown = {},
  l = limits,
): Promise<{ error: ScriptError; ms: number }> => {
  const started = Date.now();
  try {
    await runScript(code, context, l);
  } catch (err) {
    if (!(err instanceof ScriptError)) throw err;
    return { error: err, ms: Date.now() - started };
  }
  throw new Error(`expected ${code} to fail`);
};

const expectCode = async (code: string, expected: ScriptErrorCode, l = limits) => {
  const { error } = await failure(code, {}, l);
  expect(error.code).toBe(expected);
  return error;
};

afterAll(() => closeSandbox());

describe('runScript', () => {
  const ctx = {
    trigger: { event: 'record.created', record: { id: 'r1', qty: 3 } },
    input: { a: 2, b: 5 },
    steps: [{ output: { status: 200 } }],
    env: { KEY: 'k' },
  };

  it.each([
    ['return input.a + input.b', 7],
    ['return trigger.record.qty * 2', 6],
    ['return steps[0].output.status', 200],
    ['return env.KEY', 'k'],
    ['return ctx.input.a', 2],
    [
      'return { sum: input.a + input.b, list: [1, "x", null, true] }',
      { sum: 7, list: [1, 'x', null, true] },
    ],
    ['const input = 10; return input', 10],
    ['let steps = "shadowed"; return steps', 'shadowed'],
    ['await null; return 1', 1],
    ['return Promise.resolve(41).then((n) => n + 1)', 42],
    ['const f = async (x) => x * 3; return await f(input.a)', 6],
    ['return', null],
    ['return undefined', null],
    ['return () => 1', null],
    ['return new Date(0)', '1970-01-01T00:00:00.000Z'],
    ['return [input.missing, NaN]', [null, null]],
  ])('%s → %j', async (code, expected) => {
    expect(await runScript(code, ctx, limits)).toEqual(expected);
  });

  it('gives the script a copy of the context', async () => {
    const context = { input: { list: [1] } };
    expect(await runScript('input.list.push(2); return input.list', context, limits)).toEqual([
      1, 2,
    ]);
    expect(context.input.list).toEqual([1]);
  });

  it('accepts a context that is not an object', async () => {
    expect(await runScript('return [ctx, typeof input]', 5, limits)).toEqual([5, 'undefined']);
    expect(await runScript('return ctx', undefined, limits)).toBeNull();
  });

  it('reaches nothing of the host', async () => {
    const seen = await runScript(
      `return {
        require: typeof require, process: typeof process, module: typeof module,
        setTimeout: typeof setTimeout, setInterval: typeof setInterval, fetch: typeof fetch,
        std: typeof std, os: typeof os, WebAssembly: typeof WebAssembly, Buffer: typeof Buffer,
        escaped: (function () { return this.constructor.constructor('return typeof process')(); })(),
        viaFunction: Function('return typeof globalThis.process')(),
        importFails: await import('fs').then(() => 'imported', (e) => 'failed'),
      }`,
      {},
      limits,
    );
    expect(seen).toEqual({
      require: 'undefined',
      process: 'undefined',
      module: 'undefined',
      setTimeout: 'undefined',
      setInterval: 'undefined',
      fetch: 'undefined',
      std: 'undefined',
      os: 'undefined',
      WebAssembly: 'undefined',
      Buffer: 'undefined',
      escaped: 'undefined',
      viaFunction: 'undefined',
      importFails: 'failed',
    });
  });

  it('starts every run with fresh globals', async () => {
    await runScript(
      'globalThis.leak = 1; Object.prototype.polluted = 1; JSON.parse = () => 0; return 1',
      {},
      limits,
    );
    expect(
      await runScript('return [typeof leak, ({}).polluted, JSON.parse("[1]")]', {}, limits),
    ).toEqual(['undefined', null, [1]]);
  });

  it('runs scripts side by side', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        runScript('return input.i * input.i', { input: { i } }, limits),
      ),
    );
    expect(results).toEqual([0, 1, 4, 9, 16, 25, 36, 49]);
  });
});

describe('runScript failures', () => {
  it.each([
    ['throw new Error("boom")', 'Error: boom'],
    ['throw new TypeError("bad type")', 'TypeError: bad type'],
    ['null.x', "TypeError: cannot read property 'x' of null"],
    ['throw "plain"', 'Uncaught plain'],
    ['throw { code: 7 }', 'Uncaught {"code":7}'],
    ['await Promise.reject(new RangeError("nope"))', 'RangeError: nope'],
    ['return (', "SyntaxError: unexpected token in expression: '}'"],
    ['function f() { return f() + 1 } return f()', 'RangeError: maximum call stack size exceeded'],
    ['await new Promise(() => {})', 'script awaited a promise that never settles'],
  ])('%s fails with SCRIPT_ERROR %j', async (code, message) => {
    const { error } = await failure(code);
    expect(error).toBeInstanceOf(ScriptError);
    expect(error.code).toBe('SCRIPT_ERROR');
    expect(error.message).toBe(message);
  });

  it('keeps host stacks and paths out of the message', async () => {
    const { error } = await failure('const e = new Error("x"); e.name = "Custom"; throw e');
    expect(error.message).toBe('Custom: x');
    expect(error.message).not.toMatch(/node_modules|\/work|\bat /);
  });

  it('stops an endless loop at the timeout', async () => {
    const { error, ms } = await failure('while (true) {}', {}, { timeoutMs: 300, memoryMb: 32 });
    expect(error.code).toBe('SCRIPT_TIMEOUT');
    expect(error.message).toBe('script ran longer than 300 ms');
    expect(ms).toBeLessThan(300 + 2000);
  });

  it('stops a loop of costly built-ins, which the engine checks rarely, within the hard margin', async () => {
    const { error, ms } = await failure(
      'let n = 0; while (true) n += "x".repeat(1e6).length',
      {},
      { timeoutMs: 300, memoryMb: 32 },
    );
    expect(error.code).toBe('SCRIPT_TIMEOUT');
    expect(ms).toBeLessThan(300 + HARD_KILL_MARGIN_MS + 2000);
    expect(await runScript('return "alive"', {}, limits)).toBe('alive');
  });

  it.each([
    ['strings', 'const a = []; while (true) a.push("x".repeat(1e6))', 32],
    ['arrays', 'const a = []; while (true) a.push(new Array(1e5).fill(1))', 16],
    ['typed arrays', 'const a = []; while (true) a.push(new Uint8Array(1e6))', 64],
    ['objects', 'const a = []; for (let i = 0; ; i++) a.push({ i, s: "v" + i })', 8],
  ])('stops a memory bomb of %s at the memory limit', async (_kind, code, memoryMb) => {
    const before = process.memoryUsage().heapUsed;
    const error = await expectCode(code, 'SCRIPT_MEMORY', { timeoutMs: 5000, memoryMb });
    expect(error.message).toBe(`script ran out of memory (limit ${memoryMb} MB)`);
    // The script's heap lives in the worker's WASM memory, not the host's.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(50 * 1024 * 1024);
    expect(await runScript('return [1, 2].map((n) => n * 2)', {}, limits)).toEqual([2, 4]);
  });

  it('lets a script use memory up to its limit', async () => {
    const code =
      'const a = []; for (let i = 0; i < 20; i++) a.push("x".repeat(1e6)); return a.length';
    expect(await runScript(code, {}, { timeoutMs: 5000, memoryMb: 32 })).toBe(20);
    await expectCode(code, 'SCRIPT_MEMORY', { timeoutMs: 5000, memoryMb: 8 });
  });

  it('refuses a context larger than the memory limit', async () => {
    const { error } = await failure(
      'return 1',
      { big: 'x'.repeat(2 * 1024 * 1024) },
      {
        timeoutMs: 1000,
        memoryMb: 1,
      },
    );
    expect(error.code).toBe('SCRIPT_MEMORY');
  });

  it('caps the output', async () => {
    const near = await runScript(`return "x".repeat(${MAX_SCRIPT_OUTPUT_CHARS - 2})`, {}, limits);
    expect((near as string).length).toBe(MAX_SCRIPT_OUTPUT_CHARS - 2);
    const error = await expectCode(
      `return "x".repeat(${MAX_SCRIPT_OUTPUT_CHARS})`,
      'SCRIPT_OUTPUT',
    );
    expect(error.message).toMatch(/more than 1048576/);
  });

  it.each([
    ['const a = {}; a.self = a; return a', /^return value is not JSON: TypeError: circular/],
    ['return 10n', /^return value is not JSON: TypeError/],
  ])('rejects a return value that is not JSON: %s', async (code, message) => {
    const error = await expectCode(code, 'SCRIPT_OUTPUT');
    expect(error.message).toMatch(message);
  });

  it('refuses a context that is not JSON', async () => {
    const { error } = await failure('return 1', { n: 1n });
    expect(error.code).toBe('SCRIPT_ERROR');
    expect(error.message).toMatch(/^context is not JSON/);
  });

  it.each([
    [{ timeoutMs: 0, memoryMb: 32 }],
    [{ timeoutMs: 1000, memoryMb: 0 }],
    [{ timeoutMs: Number.NaN, memoryMb: 32 }],
    [{ timeoutMs: 1000, memoryMb: 4096 }],
  ])('rejects limits %j', async (bad) => {
    await expect(runScript('return 1', {}, bad)).rejects.toThrow(RangeError);
  });
});

describe('runScriptWithLogs', () => {
  it('captures console lines with their level', async () => {
    const run = await runScriptWithLogs(
      'console.log("a", 1, { b: [2] }); console.warn("careful"); console.error(new Error("e").message); return "done"',
      {},
      limits,
    );
    expect(run).toEqual({ value: 'done', logs: ['a 1 {"b":[2]}', '[warn] careful', '[error] e'] });
  });

  it('bounds the number and length of lines', async () => {
    const run = await runScriptWithLogs(
      `console.log("y".repeat(${MAX_LOG_LINE_CHARS + 500})); for (let i = 0; i < 150; i++) console.log(i); return 1`,
      {},
      limits,
    );
    expect(run.logs).toHaveLength(MAX_LOG_LINES + 1);
    expect(run.logs[0]).toBe(`${'y'.repeat(MAX_LOG_LINE_CHARS)}…`);
    expect(run.logs[1]).toBe('0');
    expect(run.logs[MAX_LOG_LINES]).toBe('… 51 more lines');
  });

  it('keeps the lines logged before a failure', async () => {
    const { error } = await failure('console.log("before"); throw new Error("after")');
    expect(error.logs).toEqual(['before']);
  });
});

describe('SandboxPool', () => {
  it('refuses runs once closed', async () => {
    const sut = new SandboxPool(1);
    expect(await sut.run('return 2', {}, limits)).toEqual({ value: 2, logs: [] });
    await sut.close();
    await expect(sut.run('return 3', {}, limits)).rejects.toThrow(/closed/);
  });
});
