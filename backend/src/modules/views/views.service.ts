import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { AppError } from '../../common/errors/app-error';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import {
  bindViewParams,
  compileView,
  describeViewColumns,
  finishView,
  outputResolver,
  parseJsonFilterParam,
  parseQueryFilters,
  parseViewSort,
  planView,
  type CompiledView,
  type FilterAst,
  type QueryParams,
  type ViewAccess,
  type ViewDefinition,
  type ViewPlan,
} from '../../query-engine';
import { andFilters } from '../../query-engine/filter';
import { queryError } from '../../query-engine/query-errors';
import { identifierProblem } from '../../schema-engine/identifiers';
import type { CollectionMeta } from '../../schema-engine/catalog.types';
import type { AccessContext } from '../access/access-context';
import { CatalogService } from '../catalog/catalog.service';
import type { ProjectCatalog } from '../catalog/catalog.types';
import { ChangeLogService } from '../change-log/change-log.service';
import { PolicyDecisionsService } from '../policies/policy-decisions.service';
import { DataViews } from '../records/data-views';
import { catalogLookup } from '../records/record-target';
import { RecordsReadingService } from '../records/records-reading.service';
import type {
  CreateViewDto,
  ExecuteResultDto,
  PreviewResultDto,
  UpdateViewDto,
  ViewDefinitionDto,
  ViewDto,
  ViewVersionDto,
} from './dto/view.dto';
import { ViewsRepository, type ViewRow, type ViewVersionRow } from './views.repository';

const DENY: ViewAccess = { rowFilter: { kind: 'literal', value: false }, readable: null };
const UNRESTRICTED: ViewAccess = { rowFilter: null, readable: null };
/** Query keys of `/data/{view}` that are not filters. */
const VIEW_RESERVED_KEYS = ['limit', 'offset', 'sort', 'fields', 'filter', 'params', 'count'];
const UNSUPPORTED_KEYS = ['expand', 'search', 'after'];

const iso = (d: Date) => new Date(d).toISOString();

function definitionFields(def: ViewDefinition) {
  return {
    base_collection_id: def.base_collection_id,
    projection: def.projection,
    filters: def.filters,
    sorts: def.sorts,
    joins: def.joins,
    group_by: def.group_by,
    aggregates: def.aggregates,
    having: def.having,
    params_schema: def.params_schema,
    default_limit: def.default_limit,
    max_limit: def.max_limit,
  };
}

export function toViewDto(v: ViewRow, catalog: ProjectCatalog | null): ViewDto {
  return {
    id: v.id,
    name: v.name,
    display_name: v.display_name,
    description: v.description,
    ...definitionFields(v.definition),
    base_collection: catalog?.byId.get(v.base_collection_id)?.meta.name ?? null,
    version: v.version,
    is_active: v.is_active,
    created_at: iso(v.created_at),
    updated_at: iso(v.updated_at),
  };
}

function toVersionDto(v: ViewVersionRow): ViewVersionDto {
  return {
    id: v.id,
    view_id: v.view_id,
    version: v.version,
    display_name: v.display_name,
    description: v.description,
    ...definitionFields(v.definition),
    created_at: iso(v.created_at),
    created_by_user_id: v.created_by_user_id,
  };
}

function humanize(name: string): string {
  const words = name.replace(/_/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A definition from a body, over `previous` for a PATCH (absent keys keep their value). */
function definitionOf(
  dto: ViewDefinitionDto,
  baseId: string,
  previous: ViewDefinition | null,
): ViewDefinition {
  const keep = <K extends keyof ViewDefinition>(key: K, fallback: ViewDefinition[K]) =>
    previous ? previous[key] : fallback;
  return {
    base_collection_id: baseId,
    projection:
      dto.projection !== undefined
        ? dto.projection && dto.projection.length > 0
          ? dto.projection
          : null
        : keep('projection', null),
    joins:
      dto.joins?.map((j) => ({
        relation: j.relation,
        type: j.type ?? 'left',
        fields: j.fields ?? [],
      })) ?? keep('joins', []),
    filters: dto.filters !== undefined ? (dto.filters ?? []) : keep('filters', []),
    sorts:
      dto.sorts?.map((s) => ({
        field: s.field,
        desc: s.desc ?? false,
        ...(s.is_param ? { is_param: true, param_name: s.param_name } : {}),
        ...(s.desc_is_param ? { desc_is_param: true, desc_param_name: s.desc_param_name } : {}),
      })) ?? keep('sorts', []),
    group_by: dto.group_by ?? keep('group_by', []),
    aggregates:
      dto.aggregates?.map((a) => ({ fn: a.fn, field: a.field ?? null, as: a.as })) ??
      keep('aggregates', []),
    having: dto.having !== undefined ? (dto.having ?? null) : keep('having', null),
    params_schema:
      (dto.params_schema as ViewDefinition['params_schema'] | undefined) ??
      keep('params_schema', {}),
    default_limit: dto.default_limit ?? keep('default_limit', 100),
    max_limit: dto.max_limit ?? keep('max_limit', 1000),
  };
}

interface Compiled {
  row: { name: string; version: number };
  plan: ViewPlan;
  compiled: CompiledView;
}

/**
 * Views: saved, versioned queries. Definitions are checked against the catalog at save time and
 * again at every run (the schema may have moved); every run compiles to one statement under the
 * caller's policies of every collection involved.
 */
@Injectable()
export class ViewsService implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repo: ViewsRepository,
    private readonly catalog: CatalogService,
    private readonly changeLog: ChangeLogService,
    private readonly policies: PolicyDecisionsService,
    private readonly reading: RecordsReadingService,
    private readonly dataViews: DataViews,
  ) {}

  onModuleInit(): void {
    this.dataViews.register({
      exists: (projectId, name) =>
        identifierProblem(name) ? Promise.resolve(false) : this.repo.exists(projectId, name),
      list: (access, name, query) => this.listAsData(access, name, query),
    });
  }

  async list(projectId: string): Promise<ViewDto[]> {
    const catalog = await this.catalog.project(projectId);
    return (await this.repo.list(projectId)).map((v) => toViewDto(v, catalog));
  }

  async get(projectId: string, name: string): Promise<ViewDto> {
    const catalog = await this.catalog.project(projectId);
    return toViewDto(await this.mustGet(projectId, name), catalog);
  }

  async create(projectId: string, userId: string, dto: CreateViewDto): Promise<ViewDto> {
    const problem = identifierProblem(dto.name);
    if (problem)
      throw AppError.validation(`Invalid view name: ${dto.name}`, [
        { field: 'name', rule: 'identifier', message: `View name ${problem}` },
      ]);
    const catalog = await this.catalog.project(projectId);
    if (catalog.byName.has(dto.name) || catalog.collectionAliases.has(dto.name))
      throw AppError.nameTaken(
        `A collection named '${dto.name}' exists; a view is read at /data/{name}, so names must differ`,
        'name',
      );
    const base = this.baseOf(catalog, dto.base_collection_id, dto.base_collection, null);
    const definition = definitionOf(dto, base.id, null);
    planView(definition, base, catalogLookup(catalog));
    const row = await this.repo.transaction(async (c) => {
      if (await this.repo.byName(c, projectId, dto.name))
        throw AppError.conflict(`View with name '${dto.name}' already exists`);
      const v = await this.repo.insert(c, {
        project_id: projectId,
        name: dto.name,
        display_name: dto.display_name?.trim() || humanize(dto.name),
        description: dto.description ?? null,
        base_collection_id: base.id,
        definition,
        created_by_user_id: userId,
      });
      await this.repo.snapshot(c, v, userId);
      await this.audit(c, projectId, 'view.create', v);
      return v;
    });
    return toViewDto(row, catalog);
  }

  async update(
    projectId: string,
    userId: string,
    name: string,
    dto: UpdateViewDto,
  ): Promise<ViewDto> {
    const catalog = await this.catalog.project(projectId);
    const row = await this.repo.transaction(async (c) => {
      const current = await this.repo.byName(c, projectId, name, true);
      if (!current) throw AppError.notFound('View');
      const baseChanged = dto.base_collection_id !== undefined || dto.base_collection !== undefined;
      const base = this.baseOf(
        catalog,
        dto.base_collection_id,
        dto.base_collection,
        baseChanged ? null : current.base_collection_id,
      );
      const definition = definitionOf(dto, base.id, current.definition);
      planView(definition, base, catalogLookup(catalog));
      const v = await this.repo.update(c, current.id, {
        display_name: dto.display_name?.trim() || current.display_name,
        description: dto.description !== undefined ? dto.description : current.description,
        base_collection_id: base.id,
        definition,
      });
      await this.repo.snapshot(c, v, userId);
      await this.audit(c, projectId, 'view.update', v, {
        changed: Object.keys(dto),
        previous_version: current.version,
      });
      return v;
    });
    return toViewDto(row, catalog);
  }

  async remove(projectId: string, name: string): Promise<void> {
    await this.repo.transaction(async (c) => {
      const v = await this.repo.byName(c, projectId, name, true);
      if (!v) throw AppError.notFound('View');
      await this.repo.deactivate(c, v.id);
      await this.audit(c, projectId, 'view.delete', v);
    });
  }

  async versions(projectId: string, name: string): Promise<ViewVersionDto[]> {
    const v = await this.mustGet(projectId, name);
    return (await this.repo.versions(v.id)).map(toVersionDto);
  }

  /** Writes the definition of `version` back as a new version (checked against today's catalog). */
  async rollback(
    projectId: string,
    userId: string,
    name: string,
    version: number,
  ): Promise<ViewDto> {
    const catalog = await this.catalog.project(projectId);
    const row = await this.repo.transaction(async (c) => {
      const current = await this.repo.byName(c, projectId, name, true);
      if (!current) throw AppError.notFound('View');
      const old = await this.repo.version(c, current.id, version);
      if (!old) throw AppError.notFound('View version');
      const base = this.baseOf(catalog, old.definition.base_collection_id, undefined, null);
      planView(old.definition, base, catalogLookup(catalog));
      const v = await this.repo.update(c, current.id, {
        display_name: old.display_name,
        description: old.description,
        base_collection_id: base.id,
        definition: old.definition,
      });
      await this.repo.snapshot(c, v, userId);
      await this.audit(c, projectId, 'view.rollback', v, {
        restored_version: version,
        previous_version: current.version,
      });
      return v;
    });
    return toViewDto(row, catalog);
  }

  /** `POST …/views/{name}/execute`: the original's answer, under the caller's policies. */
  async execute(
    access: AccessContext,
    name: string,
    body: { params?: unknown; limit?: number; offset?: number },
  ): Promise<ExecuteResultDto> {
    const { row, compiled } = await this.compileFor(access, name, {
      params: body.params,
      limit: body.limit,
      offset: body.offset,
    });
    const { data, total } = await this.run(access, compiled);
    return {
      data,
      total,
      limit: compiled.limit,
      offset: compiled.offset,
      view_name: row.name,
      view_version: row.version,
    };
  }

  /** `GET /data/{view}`: the data query language over the view's output columns. */
  async listAsData(access: AccessContext, name: string, query: QueryParams) {
    for (const key of UNSUPPORTED_KEYS)
      if (query[key] !== undefined)
        throw queryError(key, 'unsupported', `${key} is not available on a view`);
    const single = (key: string): string | undefined => {
      const v = query[key];
      if (Array.isArray(v)) throw queryError(key, 'duplicate_parameter', `${key} is given twice`);
      return v;
    };
    const int = (key: string): number | undefined => {
      const raw = single(key);
      if (raw === undefined || raw === '') return undefined;
      if (!/^\d{1,10}$/.test(raw))
        throw queryError(key, 'invalid_value', `${key} must be a non-negative integer`);
      return Number(raw);
    };
    const limit = int('limit');
    if (limit !== undefined && (limit < 1 || limit > 1000))
      throw queryError('limit', 'out_of_range', 'limit must be an integer between 1 and 1000');
    let params: unknown;
    const rawParams = single('params');
    if (rawParams) {
      try {
        params = JSON.parse(rawParams);
      } catch {
        throw queryError('params', 'invalid_json', 'params must be a JSON object');
      }
    }
    const rawFields = single('fields');
    const { row, compiled } = await this.compileFor(
      access,
      name,
      { params, limit, offset: int('offset') },
      (plan, base) => {
        const columns = outputResolver(plan.columns);
        const rawFilter = single('filter');
        return {
          filter: andFilters(
            parseQueryFilters(query, base, VIEW_RESERVED_KEYS, { columns }),
            rawFilter ? parseJsonFilterParam(rawFilter, base, { columns }) : null,
          ),
          sort: parseViewSort(single('sort'), plan.columns),
          fields: rawFields
            ? rawFields
                .split(',')
                .map((f) => f.trim())
                .filter(Boolean)
            : null,
        };
      },
    );
    const { data, total } = await this.run(access, compiled);
    const withTotal = single('count') !== 'false' && single('count') !== '0';
    return {
      records: data,
      total: withTotal ? total : null,
      limit: compiled.limit,
      offset: compiled.offset,
      next_cursor: null,
      view_name: row.name,
      view_version: row.version,
    };
  }

  /** The SQL, bind values, columns and first rows of a definition, saved or not (console). */
  async preview(
    access: AccessContext,
    dto: ViewDefinitionDto & {
      base_collection_id?: string;
      base_collection?: string;
      params?: unknown;
      limit?: number;
    },
  ): Promise<PreviewResultDto> {
    const catalog = await this.catalog.project(access.projectId);
    const base = this.baseOf(catalog, dto.base_collection_id, dto.base_collection, null);
    const definition = definitionOf(dto, base.id, null);
    const plan = planView(definition, base, catalogLookup(catalog));
    const compiled = await this.compilePlan(access, plan, {
      params: dto.params,
      limit: dto.limit ?? 20,
    });
    const { data, total } = await this.run(access, compiled);
    return {
      sql: compiled.text,
      params: compiled.values,
      columns: describeViewColumns(plan),
      rows: data,
      total,
    };
  }

  /** The compiled statement of a saved view for the calling admin (no rows run). */
  async sql(access: AccessContext, name: string, params: unknown) {
    const { row, plan, compiled } = await this.compileFor(access, name, { params });
    return {
      view_name: row.name,
      view_version: row.version,
      sql: compiled.text,
      params: compiled.values,
      columns: describeViewColumns(plan),
    };
  }

  /** The original's self-documentation of a view (§4.11 meta). */
  async meta(projectId: string, name: string, baseUrl: string) {
    const v = await this.mustGet(projectId, name);
    const catalog = await this.catalog.project(projectId);
    const base = this.baseOf(catalog, v.base_collection_id, undefined, null);
    const plan = planView(v.definition, base, catalogLookup(catalog));
    const def = v.definition;
    const url = `${baseUrl}/api/projects/${projectId}/views/${v.name}/execute`;
    const paramFields = Object.entries(def.params_schema).map(([pname, spec]) => ({
      name: pname,
      type: spec.type,
      required: spec.required ?? false,
      description: spec.description ?? null,
      example: spec.example ?? null,
    }));
    const exampleBody = {
      limit: def.default_limit,
      offset: 0,
      ...(paramFields.length
        ? {
            params: Object.fromEntries(
              paramFields.map((p) => [p.name, p.example ?? `<${p.type}>`]),
            ),
          }
        : {}),
    };
    return {
      view_name: v.name,
      display_name: v.display_name,
      description: v.description,
      base_collection: base.name,
      version: v.version,
      endpoint: {
        url,
        method: 'POST',
        auth: ['Bearer Token (JWT)', 'API Key (X-API-Key header)'],
        data_url: `${baseUrl}/api/projects/${projectId}/data/${v.name}`,
      },
      request: {
        body: {
          limit: {
            type: 'integer',
            default: def.default_limit,
            max: def.max_limit,
            description: 'Rows per page',
          },
          offset: { type: 'integer', default: 0, description: 'Rows to skip' },
          params: paramFields.length ? { type: 'object', fields: paramFields } : null,
        },
      },
      response: {
        fields: describeViewColumns(plan).map((c) => ({
          name: c.name,
          type: c.type,
          display_name: c.name,
          kind: c.kind,
        })),
        pagination: {
          type: 'offset',
          default_limit: def.default_limit,
          max_limit: def.max_limit,
        },
      },
      filters: {
        allowed_fields: plan.columns.map((c) => c.name),
        operators: [
          'eq',
          'neq',
          'gt',
          'gte',
          'lt',
          'lte',
          'contains',
          'icontains',
          'startswith',
          'endswith',
          'in',
          'notin',
          'isnull',
          'between',
        ],
        predefined: def.filters,
      },
      sorts: {
        allowed_fields: plan.columns.map((c) => c.name),
        default: def.sorts.length ? def.sorts : null,
        predefined: def.sorts,
      },
      examples: {
        curl: `curl -X POST '${url}' -H 'X-API-Key: <key>' -H 'Content-Type: application/json' -d '${JSON.stringify(exampleBody)}'`,
        fetch: `await fetch('${url}', { method: 'POST', headers: { 'X-API-Key': '<key>', 'Content-Type': 'application/json' }, body: JSON.stringify(${JSON.stringify(exampleBody)}) })`,
      },
    };
  }

  // ---------------------------------------------------------------------------------------------

  private async compileFor(
    access: AccessContext,
    name: string,
    run: { params?: unknown; limit?: number; offset?: number },
    outer?: (
      plan: ViewPlan,
      base: CollectionMeta,
    ) => {
      filter: FilterAst | null;
      sort: ReturnType<typeof parseViewSort>;
      fields: string[] | null;
    },
  ): Promise<Compiled> {
    const row = await this.mustGet(access.projectId, name);
    const catalog = await this.catalog.project(access.projectId);
    const entry = catalog.byId.get(row.base_collection_id);
    if (!entry)
      throw AppError.validation(`The base collection of view ${name} no longer exists`, [
        { field: 'base_collection_id', rule: 'exists', message: 'Base collection not found' },
      ]);
    const plan = planView(row.definition, entry.meta, catalogLookup(catalog));
    const extra = outer ? outer(plan, entry.meta) : null;
    const compiled = await this.compilePlan(access, plan, { ...run, ...(extra ?? {}) });
    return { row, plan, compiled };
  }

  private async compilePlan(
    access: AccessContext,
    plan: ViewPlan,
    run: {
      params?: unknown;
      limit?: number;
      offset?: number;
      filter?: FilterAst | null;
      sort?: ReturnType<typeof parseViewSort>;
      fields?: string[] | null;
    },
  ): Promise<CompiledView> {
    // The base decides like a list of that collection (401/403 when no policy lets the caller list).
    const baseDecision = await this.policies.decide(access, plan.base.collection, 'list');
    const joins: ViewAccess[] = [];
    for (const j of plan.joins) {
      // A collection the caller may not list at all: a left join gives NULLs, an inner join no row.
      const d = await this.policies.decide(access, j.collection, 'list').catch((err: unknown) => {
        if (err instanceof AppError) return null;
        throw err;
      });
      joins.push(d ? { rowFilter: d.rowFilter, readable: d.readableFields } : DENY);
    }
    return compileView(plan, {
      access: {
        base: baseDecision
          ? { rowFilter: baseDecision.rowFilter, readable: baseDecision.readableFields }
          : UNRESTRICTED,
        joins,
      },
      params: bindViewParams(plan, run.params),
      limit: run.limit,
      offset: run.offset,
      filter: run.filter ?? null,
      sort: run.sort ?? null,
      fields: run.fields ?? null,
    });
  }

  private async run(access: AccessContext, compiled: CompiledView) {
    const rows = await this.reading.runReadOnly(
      access,
      compiled,
      this.config.viewStatementTimeoutMs,
    );
    return finishView(rows, compiled);
  }

  private baseOf(
    catalog: ProjectCatalog,
    id: string | undefined,
    name: string | undefined,
    fallbackId: string | null,
  ): CollectionMeta {
    const entry =
      id !== undefined
        ? catalog.byId.get(id)
        : name !== undefined
          ? catalog.byName.get(name)
          : fallbackId
            ? catalog.byId.get(fallbackId)
            : undefined;
    if (!entry) {
      const field = name !== undefined ? 'base_collection' : 'base_collection_id';
      throw AppError.validation('Base collection not found', [
        { field, rule: 'exists', message: 'Base collection not found' },
      ]);
    }
    return entry.meta;
  }

  private async mustGet(projectId: string, name: string): Promise<ViewRow> {
    const v = identifierProblem(name)
      ? null
      : await this.repo.byName(this.repo.db(), projectId, name);
    if (!v) throw AppError.notFound('View');
    return v;
  }

  private audit(
    c: PoolClient,
    projectId: string,
    action: string,
    v: ViewRow,
    extra: Record<string, unknown> = {},
  ): Promise<string> {
    return this.changeLog.appendAdmin(c, projectId, action, {
      view_id: v.id,
      name: v.name,
      version: v.version,
      base_collection_id: v.base_collection_id,
      ...extra,
    } as never);
  }
}
