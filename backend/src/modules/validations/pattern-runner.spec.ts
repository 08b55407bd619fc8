import { compilePattern } from './pattern';
import { PatternBudgetError, PatternQueueFullError, PatternRunner } from './pattern-runner';

const job = (pattern: string, input: string, flags = '') => {
  const p = compilePattern(pattern, flags);
  return { re2: p.re2, caseInsensitive: p.caseInsensitive, input };
};
const cls = '[a-z0-9 ,._:;/+=()#&@!?%*-]';
const HEAVY = `^(?:${cls}{0,300}${cls}{0,300}${cls}{0,300}${cls}{0,300})*$`;

describe('PatternRunner', () => {
  let runner: PatternRunner;
  afterEach(() => runner.close());

  it('answers each check of a write in order, as compiled in this thread', async () => {
    runner = new PatternRunner(5_000);
    await expect(
      runner.run([job('ab', 'abc'), job('bc', 'abc'), job('[a-z]+$', 'HELLO', 'i')]),
    ).resolves.toEqual([true, false, true]);
  });

  it('stops a write over its budget, then serves the next one on a fresh worker', async () => {
    runner = new PatternRunner(50);
    await expect(runner.run([job(HEAVY, `${'-'.repeat(9_999)}\n`)])).rejects.toBeInstanceOf(
      PatternBudgetError,
    );
    const quick = new PatternRunner(5_000);
    try {
      await expect(quick.run([job('a+$', 'aaa')])).resolves.toEqual([true]);
    } finally {
      await quick.close();
    }
    // The same runner recovers too (its budget is the only thing that was short).
    await expect(runner.run([job('x', 'x')])).resolves.toEqual([true]);
  });

  it('refuses new writes when too many are waiting', async () => {
    runner = new PatternRunner(5_000, 2); // both wait while the worker starts
    const first = runner.run([job('a', 'a')]);
    const second = runner.run([job('a', 'a')]);
    await expect(runner.run([job('a', 'a')])).rejects.toBeInstanceOf(PatternQueueFullError);
    await expect(Promise.all([first, second])).resolves.toEqual([[true], [true]]);
  });
});
