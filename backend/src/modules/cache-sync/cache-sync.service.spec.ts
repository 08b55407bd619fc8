import type { CacheScope, StaleScope } from './cache-scope';
import { CacheSyncService } from './cache-sync.service';

type Repo = ConstructorParameters<typeof CacheSyncService>[0];
type Notifier = ConstructorParameters<typeof CacheSyncService>[1];

const P = '0b5c8a3e-7d1f-4c2a-9e6b-3f4d5a6b7c8d';

/** A `cache_versions` stand-in whose bumps and reads can be made to fail (the pg spec covers SQL). */
function fakeRepo() {
  const state = {
    down: false,
    bumps: [] as { scopes: readonly CacheScope[]; projectId: string | null }[],
    pending: [] as StaleScope[],
  };
  const repo = {
    async bump(_db: unknown, scopes: readonly CacheScope[], projectId: string | null) {
      if (state.down) throw new Error('connection refused');
      state.bumps.push({ scopes, projectId });
    },
    async changedSince(snapshot: string | null) {
      if (state.down) throw new Error('connection refused');
      const changed = snapshot === null ? [] : state.pending.splice(0);
      return { snapshot: 's', changed };
    },
  };
  return { state, repo: repo as unknown as Repo };
}

const notifier = { on: () => undefined } as unknown as Notifier;

describe('CacheSyncService', () => {
  it('retries a bump that failed after its change committed, on the next sync', async () => {
    const { state, repo } = fakeRepo();
    const sut = new CacheSyncService(repo, notifier);
    await sut.sync();
    state.down = true;
    await expect(sut.changed('api_keys', P)).resolves.toBeUndefined();
    expect(state.bumps).toEqual([]);
    await sut.sync();
    expect(state.bumps).toEqual([]);
    state.down = false;
    await sut.sync();
    expect(state.bumps).toEqual([{ scopes: ['api_keys'], projectId: P }]);
    await sut.sync();
    expect(state.bumps).toHaveLength(1);
  });

  it('drops every scope on the first read that succeeds when the one at start failed', async () => {
    const { state, repo } = fakeRepo();
    const sut = new CacheSyncService(repo, notifier);
    const dropped: [string, string | null][] = [];
    sut.onStale('catalog', (p) => dropped.push(['catalog', p]));
    sut.onStale('roles', (p) => dropped.push(['roles', p]));
    state.down = true;
    await sut.sync();
    expect(dropped).toEqual([]);
    state.down = false;
    await sut.sync();
    expect(dropped).toEqual([
      ['catalog', null],
      ['roles', null],
    ]);
  });

  it('drops what the read names, per scope and project', async () => {
    const { state, repo } = fakeRepo();
    const sut = new CacheSyncService(repo, notifier);
    const dropped: [string, string | null][] = [];
    sut.onStale('catalog', (p) => dropped.push(['catalog', p]));
    sut.onStale('policies', (p) => dropped.push(['policies', p]));
    await sut.sync();
    dropped.length = 0;
    state.pending.push({ scope: 'policies', projectId: P });
    await sut.sync();
    expect(dropped).toEqual([['policies', P]]);
  });

  it('a failing listener does not keep the others from dropping', async () => {
    const { repo } = fakeRepo();
    const sut = new CacheSyncService(repo, notifier);
    const dropped: string[] = [];
    sut.onStale('settings', () => {
      throw new Error('boom');
    });
    sut.onStale('settings', (p) => dropped.push(String(p)));
    sut.dropLocal('settings', P);
    expect(dropped).toEqual([P]);
  });

  it('drops locally but writes no bump for an id no project can have', async () => {
    const { state, repo } = fakeRepo();
    const sut = new CacheSyncService(repo, notifier);
    const dropped: (string | null)[] = [];
    sut.onStale('api_keys', (p) => dropped.push(p));
    await sut.changed('api_keys', 'not-a-uuid');
    expect(dropped).toEqual(['not-a-uuid']);
    expect(state.bumps).toEqual([]);
  });
});
