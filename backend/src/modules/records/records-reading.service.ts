import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import {
  compileCount,
  compileCountEstimate,
  compileGetById,
  compileSelect,
  finishPage,
  parseExpand,
  parseListQuery,
  parseRecordId,
  planRows,
  serializeRows,
  type ExpandNode,
  type JsonRecord,
  type QueryParams,
} from '../../query-engine';
import type { CompiledQuery } from '../../query-engine/sql-params';
import type { AccessContext } from '../access/access-context';
import { PolicyDecisionsService } from '../policies/policy-decisions.service';
import { RecordExpansionService } from './record-expansion.service';
import { RecordHooks } from './record-hooks';
import type { CollectionMeta } from '../../schema-engine/catalog.types';
import { RecordTargets } from './record-target';
import { RecordsRepository } from './records.repository';

export interface ListResult {
  records: JsonRecord[];
  total: number | null;
  /** Only with `count=estimated`: whether `total` is the planner's estimate. */
  total_estimated?: boolean;
  limit: number;
  offset: number;
  next_cursor: string | null;
}

/** List and get: one policies decision per request feeds the row filter and readable fields into the compiler. */
@Injectable()
export class RecordsReadingService {
  constructor(
    private readonly targets: RecordTargets,
    private readonly repo: RecordsRepository,
    private readonly policies: PolicyDecisionsService,
    private readonly expansion: RecordExpansionService,
    private readonly hooks: RecordHooks,
  ) {}

  async list(access: AccessContext, name: string, rawQuery: QueryParams): Promise<ListResult> {
    const view = await this.targets.viewFor(access, name);
    if (view) return (await view.list(access, name, rawQuery)) as ListResult;
    const t = await this.targets.resolve(access, name, 'list');
    const d = await this.policies.decide(access, t.meta, 'list');
    const { query, fileFields } = splitFileExpand(rawQuery, t.meta, d.readableFields);
    const parsed = parseListQuery(query, t.meta, { aliases: t.aliases, catalog: t.lookup });
    const plan = parsed.expand.length
      ? await this.expansion.plan(access, t, parsed.expand, d.readableFields)
      : null;
    // count=estimated: count at most threshold+1 matches in the list statement, estimate above.
    const countCap = parsed.countMode === 'estimated' ? this.repo.countEstimateThreshold + 1 : null;
    const compiled = compileSelect({
      ...parsed,
      collection: t.meta,
      policyFilter: d.rowFilter,
      readable: d.readableFields,
      countCap,
    });
    const exec = this.repo.executor(access);
    const rows = await exec.run(compiled);
    const page = finishPage(rows, compiled);
    let total = page.total;
    const where = {
      collection: t.meta,
      filter: parsed.filter,
      search: parsed.search,
      policyFilter: d.rowFilter,
      readable: d.readableFields,
      catalog: t.lookup,
      countCap,
    };
    if (compiled.withTotal && total === null) {
      total = Number((await exec.run(compileCount(where)))[0]?.total ?? 0);
    }
    const estimated = countCap !== null && total !== null && total >= countCap;
    if (estimated) {
      total = Math.max(countCap, planRows(await exec.run(compileCountEstimate(where))));
    }
    const records = serializeRows(page.rows, compiled.columns);
    await this.expansion.apply(exec, t, records, plan, parsed.fields ?? null, d.readableFields);
    await this.hooks.expandFiles({ access, collection: t.meta, fields: fileFields, records });
    return {
      records,
      total,
      ...(parsed.countMode === 'estimated' ? { total_estimated: estimated } : {}),
      limit: compiled.limit,
      offset: compiled.offset,
      next_cursor: page.nextCursor,
    };
  }

  /** One read-only statement under its own statement_timeout (views). */
  runReadOnly(access: AccessContext, query: CompiledQuery, timeoutMs: number) {
    return this.repo.readOnly(access, query, timeoutMs);
  }

  async get(
    access: AccessContext,
    name: string,
    rawId: string,
    rawQuery: QueryParams,
  ): Promise<JsonRecord> {
    const t = await this.targets.resolve(access, name, 'read');
    const d = await this.policies.decide(access, t.meta, 'read');
    const { query, fileFields } = splitFileExpand(rawQuery, t.meta, d.readableFields);
    const id = parseRecordId(rawId, t.meta);
    const fields = typeof query.fields === 'string' ? query.fields : null;
    const expand =
      typeof query.expand === 'string' && query.expand
        ? parseExpand(query.expand, t.meta, t.lookup)
        : [];
    const plan = expand.length
      ? await this.expansion.plan(access, t, expand, d.readableFields)
      : null;
    const compiled = compileGetById({
      collection: t.meta,
      id,
      policyFilter: d.rowFilter,
      readable: d.readableFields,
      fields: fields ? withExpandColumns(fields, expand) : null,
      catalog: t.lookup,
    });
    const exec = this.repo.executor(access);
    const rows = await exec.run(compiled);
    if (rows.length === 0) throw AppError.notFound('Record');
    const records = serializeRows(rows, compiled.columns);
    await this.expansion.apply(exec, t, records, plan, fields, d.readableFields);
    await this.hooks.expandFiles({ access, collection: t.meta, fields: fileFields, records });
    return records[0];
  }
}

function withExpandColumns(fields: string, expand: readonly ExpandNode[]): string {
  const extra = expand.filter((n) => n.kind === 'many_to_one').map((n) => n.fkColumn);
  const expanded = new Set(expand.map((n) => n.name));
  return [
    ...fields
      .split(',')
      .map((f) => f.trim())
      .filter((f) => f && !expanded.has(f)),
    ...extra,
  ].join(',');
}

/**
 * `expand=` names of readable `file` fields are filled by the files module (metadata and URL in
 * place of the id); the rest go to the relation expander.
 */
function splitFileExpand(
  query: QueryParams,
  meta: CollectionMeta,
  readable: ReadonlySet<string> | null,
): { query: QueryParams; fileFields: string[] } {
  if (typeof query.expand !== 'string' || query.expand === '') return { query, fileFields: [] };
  const files = new Set(
    meta.fields
      .filter((f) => f.type === 'file' && !f.isDeleted && !f.isHidden)
      .filter((f) => !readable || readable.has(f.name))
      .map((f) => f.name),
  );
  if (files.size === 0) return { query, fileFields: [] };
  const paths = query.expand
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const fileFields = [...new Set(paths.filter((p) => files.has(p)))];
  const rest = paths.filter((p) => !files.has(p)).join(',');
  return { query: { ...query, expand: rest === '' ? undefined : rest }, fileFields };
}
