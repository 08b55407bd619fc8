import type { CatalogService } from '../catalog/catalog.service';
import type { ProjectCatalog } from '../catalog/catalog.types';
import type { StoredRule, ValidationsRepository } from './validations.repository';
import { ValidationsService } from './validations.service';
import { CacheSyncService } from '../cache-sync/cache-sync.service';
import type { ChangeLogService } from '../change-log/change-log.service';

const meta = {
  id: 'c1',
  projectId: 'p1',
  name: 'items',
  displayName: 'Items',
  schema: 'p_1',
  table: 'items',
  isSystem: false,
  idType: 'bigint' as const,
  fields: ['a', 'b', 'c'].map((name) => ({
    id: `f-${name}`,
    name,
    displayName: name,
    column: name,
    type: 'string' as const,
    options: {},
    isRequired: false,
    isUnique: false,
    isIndexed: false,
    isHidden: false,
    isSystem: false,
    isDeleted: false,
    defaultValue: null,
  })),
};

const rule = (fieldId: string): StoredRule => ({
  id: `r-${fieldId}`,
  fieldId,
  collectionId: 'c1',
  ruleType: 'min_length',
  config: { min: 2 },
  errorMessage: null,
  priority: 0,
  isActive: true,
  createdAt: new Date(),
  updatedAt: new Date(),
});

const newSnapshot = (): ProjectCatalog => ({
  projectId: 'p1',
  schema: 'p_1',
  byName: new Map(),
  byId: new Map([['c1', { meta, record: {} as never, fieldRecords: new Map() }]]),
  collectionAliases: new Map(),
  fieldAliases: new Map(),
});

describe('ValidationsService.validateForWrite', () => {
  let loads: number;
  let snapshot: ProjectCatalog;
  let sut: ValidationsService;

  beforeEach(() => {
    loads = 0;
    snapshot = newSnapshot();
    const catalog = { project: async () => snapshot } as unknown as CatalogService;
    const repo = {
      activeForProject: async () => {
        loads++;
        return ['f-a', 'f-b', 'f-c'].map(rule);
      },
    } as unknown as ValidationsRepository;
    // The bump itself is covered by cache-sync.repository.pg.spec; here only the local drop matters.
    const cacheSync = new CacheSyncService(
      { bump: async () => undefined } as unknown as ConstructorParameters<
        typeof CacheSyncService
      >[0],
      { on: () => undefined } as unknown as ConstructorParameters<typeof CacheSyncService>[1],
    );
    // Rule writes (and their change events) are covered by admin-events.e2e-spec.
    sut = new ValidationsService(repo, catalog, cacheSync, {} as ChangeLogService);
  });

  it('loads all rules of a project in one query and caches them', async () => {
    await sut.validateForWrite('p1', 'c1', { a: 'xx', b: 'yy', c: 'zz' }, 'create');
    await sut.validateForWrite('p1', 'c1', { a: 'xx' }, 'update');
    expect(loads).toBe(1);
  });

  it('throws VALIDATION_FAILED with every failing field', async () => {
    await expect(
      sut.validateForWrite('p1', 'c1', { a: 'x', c: 'z' }, 'create'),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      detail: 'Validation failed',
      errors: [
        { field: 'a', rule: 'min_length', message: 'Must be at least 2 characters' },
        { field: 'c', rule: 'min_length', message: 'Must be at least 2 characters' },
      ],
    });
  });

  it('reloads after invalidation, and when the catalog snapshot changes', async () => {
    await sut.check('p1', 'c1', {}, 'create');
    await sut.invalidate('p1');
    await sut.check('p1', 'c1', {}, 'create');
    expect(loads).toBe(2);
    snapshot = newSnapshot();
    await sut.check('p1', 'c1', {}, 'create');
    expect(loads).toBe(3);
  });

  it('404s an unknown collection', async () => {
    await expect(sut.check('p1', 'zz', {}, 'create')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
