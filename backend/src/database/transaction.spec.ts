import { setTimeout as sleep } from 'node:timers/promises';
import { afterCommit, withCommitHooks } from './transaction';

describe('commit hooks', () => {
  it('run once the scope resolves, in order, and not before', async () => {
    const seen: string[] = [];
    const out = await withCommitHooks(async () => {
      afterCommit(() => seen.push('a'));
      await sleep(5);
      afterCommit(() => seen.push('b'));
      seen.push('body done');
      return 42;
    });
    expect(out).toBe(42);
    expect(seen).toEqual(['body done', 'a', 'b']);
  });

  it('are dropped when the scope throws (a rollback)', async () => {
    const seen: string[] = [];
    await expect(
      withCommitHooks(async () => {
        afterCommit(() => seen.push('hint'));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await sleep(100);
    expect(seen).toEqual([]);
  });

  it('belong to the innermost scope', async () => {
    const seen: string[] = [];
    await withCommitHooks(async () => {
      await withCommitHooks(async () => afterCommit(() => seen.push('inner')));
      seen.push('after inner');
      afterCommit(() => seen.push('outer'));
    });
    expect(seen).toEqual(['inner', 'after inner', 'outer']);
  });

  it('outside any scope run a little later, not synchronously', async () => {
    const seen: string[] = [];
    afterCommit(() => seen.push('late'));
    expect(seen).toEqual([]);
    await sleep(200);
    expect(seen).toEqual(['late']);
  });
});
