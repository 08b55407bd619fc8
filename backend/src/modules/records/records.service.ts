import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import type { CollectionMeta, FieldMeta } from '../../schema-engine/catalog.types';
import {
  compileCount,
  compileCountEstimate,
  compileDelete,
  compileGetById,
  compileInsert,
  compileManyToManyIds,
  compileSelect,
  compileUpdate,
  expandRecords,
  finishPage,
  parseExpand,
  parseListQuery,
  parseRecordId,
  planRows,
  serializeRows,
  type CompiledSelect,
  type ExpandNode,
  type FilterAst,
  type JsonRecord,
  type QueryParams,
} from '../../query-engine';
import type { CatalogLookup } from '../../query-engine/field-resolver';
import { compileJunctionReplace } from '../../query-engine/junction';
import { CatalogService } from '../catalog/catalog.service';
import type { CatalogCollection, ProjectCatalog } from '../catalog/catalog.types';
import type { AccessContext, RecordAction } from './access-context';
import { RecordsRepository, type RecordsExecutor, type Row } from './records.repository';
import { parseWritePayload, type ParsedWrite } from './write-payload';
import { RecordHooks } from './record-hooks';
import { constraintViolation } from './records.errors';
import { PoliciesService } from '../policies/policies.service';
import { unknownField as unknownFieldError } from '../../query-engine/query-errors';
import { SYSTEM_COLUMNS } from '../../schema-engine/catalog.types';

export interface ListResult {
  records: JsonRecord[];
  total: number | null;
  /** Only with `count=estimated`: whether `total` is the planner's estimate. */
  total_estimated?: boolean;
  limit: number;
  offset: number;
  next_cursor: string | null;
}

export interface BulkInput {
  create?: unknown[];
  update?: unknown[];
  delete?: unknown[];
}

const MAX_BULK = 1000;
const DENY: FilterAst = { kind: 'literal', value: false };
const LOOKUPS = new WeakMap<ProjectCatalog, CatalogLookup>();

export function catalogLookup(catalog: ProjectCatalog): CatalogLookup {
  let lookup = LOOKUPS.get(catalog);
  if (!lookup) {
    lookup = {
      getCollection: (id) => catalog.byId.get(id)?.meta,
      findCollectionByName: (name) => catalog.byName.get(name)?.meta,
    };
    LOOKUPS.set(catalog, lookup);
  }
  return lookup;
}

interface Target {
  catalog: ProjectCatalog;
  entry: CatalogCollection;
  meta: CollectionMeta;
  lookup: CatalogLookup;
  aliases: ReadonlyMap<string, string> | undefined;
}

@Injectable()
export class RecordsService {
  constructor(
    private readonly catalog: CatalogService,
    private readonly repo: RecordsRepository,
    private readonly hooks: RecordHooks,
    private readonly policies: PoliciesService,
  ) {}

  /** Collection by current or aliased name; missing collections are 404 exactly like forbidden ones. */
  async target(access: AccessContext, name: string): Promise<Target> {
    const catalog = await this.catalog.project(access.projectId);
    const entry = await this.catalog.collectionByName(access.projectId, name, { aliases: true });
    return {
      catalog,
      entry,
      meta: entry.meta,
      lookup: catalogLookup(catalog),
      aliases: catalog.fieldAliases.get(entry.meta.id),
    };
  }

  /**
   * The row filter a caller gets for an action; null = every row. Policies decide (PoliciesService);
   * the result is AND-ed into every compiled statement at one point in the compiler.
   */
  policyFilter(
    access: AccessContext,
    collection: CollectionMeta,
    action: RecordAction,
  ): Promise<FilterAst | null> {
    return this.policies.rowFilter(access, collection, action);
  }

  /** Field-level read rules: hidden from output, and never usable in filters, sort or search. */
  private async readableFields(
    access: AccessContext,
    meta: CollectionMeta,
    action: RecordAction,
  ): Promise<Set<string> | null> {
    if (access.principal.kind === 'admin') return null;
    return (await this.policies.fieldAccess(access, meta, action)).read;
  }

  private async assertWritable(
    access: AccessContext,
    meta: CollectionMeta,
    action: RecordAction,
    payload: Record<string, unknown>,
  ): Promise<void> {
    if (access.principal.kind === 'admin') return;
    if (meta.isSystem) {
      // `_users` system fields (email, verification, disabled) belong to the auth API, not to data writes.
      const managed = Object.keys(payload).filter((k) =>
        meta.fields.some((f) => f.isSystem && (f.name === k || f.column === k)),
      );
      if (managed.length) {
        throw new AppError(
          'FORBIDDEN',
          `Field ${managed[0]} is managed by the auth API`,
          managed.map((f) => ({
            field: f,
            rule: 'system_field',
            message: `Field ${f} is managed by the auth API`,
          })),
        );
      }
    }
    const { write } = await this.policies.fieldAccess(access, meta, action);
    if (!write) return;
    const blocked = Object.keys(payload).filter((k) => !write.has(k));
    if (blocked.length) {
      throw new AppError(
        'FORBIDDEN',
        `Field ${blocked[0]} is not writable`,
        blocked.map((f) => ({
          field: f,
          rule: 'write_fields',
          message: `Field ${f} is not writable`,
        })),
      );
    }
  }

  /** Filters, sorts and searches may only touch fields the caller can read (no oracle on the rest). */
  private assertQueryReadable(
    meta: CollectionMeta,
    readable: Set<string> | null,
    parsed: { filter: FilterAst | null; sort?: unknown; search?: string | null },
  ): void {
    if (!readable) return;
    const ok = (key: string) => {
      if ((SYSTEM_COLUMNS as readonly string[]).includes(key)) return true;
      const f = meta.fields.find((x) => x.name === key || x.column === key);
      return !f || readable.has(f.name);
    };
    const walk = (node: FilterAst | null): void => {
      if (!node) return;
      if (node.kind === 'cond' && !ok(node.field)) throw unknownFieldError(node.field);
      if (node.kind === 'and' || node.kind === 'or') node.children.forEach(walk);
      if (node.kind === 'not') walk(node.child);
    };
    walk(parsed.filter);
    if (Array.isArray(parsed.sort)) {
      for (const k of parsed.sort as { column: { key: string } }[])
        if (!ok(k.column.key)) throw unknownFieldError(k.column.key);
    }
    if (
      parsed.search &&
      meta.fields.some(
        (f) =>
          !f.isHidden &&
          !f.isDeleted &&
          (f.type === 'string' || f.type === 'text') &&
          !readable.has(f.name),
      )
    ) {
      throw AppError.validation('search is not available on this collection for this caller', [
        { field: 'search', rule: 'read_fields', message: 'search covers fields you cannot read' },
      ]);
    }
  }

  private stripUnreadable(
    meta: CollectionMeta,
    records: JsonRecord[],
    readable: Set<string> | null,
  ): void {
    if (!readable) return;
    const drop = meta.fields
      .filter((f) => !readable.has(f.name))
      .flatMap((f) => [f.name, f.column]);
    if (!drop.length) return;
    for (const r of records) for (const k of drop) delete r[k];
  }

  async list(access: AccessContext, name: string, query: QueryParams): Promise<ListResult> {
    const t = await this.target(access, name);
    const policy = await this.policyFilter(access, t.meta, 'list');
    const readable = await this.readableFields(access, t.meta, 'list');
    const parsed = parseListQuery(query, t.meta, { aliases: t.aliases, catalog: t.lookup });
    this.assertQueryReadable(t.meta, readable, parsed);
    // count=estimated: count at most threshold+1 matches in the list statement, estimate above.
    const countCap = parsed.countMode === 'estimated' ? this.repo.countEstimateThreshold + 1 : null;
    const compiled = compileSelect({
      ...parsed,
      collection: t.meta,
      policyFilter: policy,
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
      policyFilter: policy,
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
    await this.decorate(access, exec, t, records, compiled, parsed.expand, parsed.fields ?? null);
    this.stripUnreadable(t.meta, records, readable);
    return {
      records,
      total,
      ...(parsed.countMode === 'estimated' ? { total_estimated: estimated } : {}),
      limit: compiled.limit,
      offset: compiled.offset,
      next_cursor: page.nextCursor,
    };
  }

  async get(
    access: AccessContext,
    name: string,
    rawId: string,
    query: QueryParams,
  ): Promise<JsonRecord> {
    const t = await this.target(access, name);
    const policy = await this.policyFilter(access, t.meta, 'read');
    const readable = await this.readableFields(access, t.meta, 'read');
    const id = parseRecordId(rawId, t.meta);
    const fields = typeof query.fields === 'string' ? query.fields : null;
    const expand =
      typeof query.expand === 'string' && query.expand
        ? parseExpand(query.expand, t.meta, t.lookup)
        : [];
    const compiled = compileGetById({
      collection: t.meta,
      id,
      policyFilter: policy,
      fields: fields ? withExpandColumns(fields, expand) : null,
      catalog: t.lookup,
    });
    const exec = this.repo.executor(access);
    const rows = await exec.run(compiled);
    if (rows.length === 0) throw AppError.notFound('Record');
    const records = serializeRows(rows, compiled.columns);
    await this.decorate(access, exec, t, records, null, expand, fields);
    this.stripUnreadable(t.meta, records, readable);
    return records[0];
  }

  async create(access: AccessContext, name: string, body: unknown): Promise<JsonRecord> {
    const t = await this.target(access, name);
    await this.policyFilter(access, t.meta, 'create');
    const write = parseWritePayload(t.meta, body, 'create', t.lookup, t.aliases);
    await this.assertWritable(access, t.meta, 'create', write.byName);
    await this.policies.checkCreate(access, t.meta, this.newRow(access, write));
    await this.hooks.beforeWrite({
      access,
      collection: t.meta,
      mode: 'create',
      payload: write.byName,
    });
    const record = await this.withErrors(t.meta, () =>
      write.sets.length === 0
        ? this.insertOne(access, this.repo.executor(access), t, write)
        : this.repo.transaction(access, (tx) => this.insertOne(access, tx, t, write)),
    );
    return record;
  }

  async update(
    access: AccessContext,
    name: string,
    rawId: string,
    body: unknown,
  ): Promise<JsonRecord> {
    const t = await this.target(access, name);
    const policy = await this.policyFilter(access, t.meta, 'update');
    const id = parseRecordId(rawId, t.meta);
    const write = parseWritePayload(t.meta, body, 'update', t.lookup, t.aliases);
    await this.assertWritable(access, t.meta, 'update', write.byName);
    await this.hooks.beforeWrite({
      access,
      collection: t.meta,
      mode: 'update',
      payload: write.byName,
      recordId: id,
    });
    return this.withErrors(t.meta, () =>
      // A restricted caller's change is checked again on the new row, so it must be able to roll back.
      write.sets.length === 0 && policy === null
        ? this.updateOne(access, this.repo.executor(access), t, id, write, policy)
        : this.repo.transaction(access, (tx) => this.updateOne(access, tx, t, id, write, policy)),
    );
  }

  async delete(access: AccessContext, name: string, rawId: string): Promise<void> {
    const t = await this.target(access, name);
    const policy = await this.policyFilter(access, t.meta, 'delete');
    const id = parseRecordId(rawId, t.meta);
    await this.withErrors(t.meta, () => this.deleteOne(this.repo.executor(access), t, id, policy));
  }

  /** Creates, updates and deletes many records in one transaction: all or nothing. */
  async bulk(
    access: AccessContext,
    name: string,
    input: unknown,
  ): Promise<{ created: JsonRecord[]; updated: JsonRecord[]; deleted: unknown[] }> {
    const t = await this.target(access, name);
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw AppError.validation(
        'The bulk body must be an object with create, update and delete arrays',
      );
    }
    const {
      create = [],
      update = [],
      delete: del = [],
      ...rest
    } = input as BulkInput & Record<string, unknown>;
    const unknownKeys = Object.keys(rest);
    if (unknownKeys.length)
      throw AppError.validation(`Unknown bulk key: ${unknownKeys[0]}`, [
        {
          field: unknownKeys[0],
          rule: 'unknown_field',
          message: `Unknown bulk key: ${unknownKeys[0]}`,
        },
      ]);
    for (const [key, list] of [
      ['create', create],
      ['update', update],
      ['delete', del],
    ] as const) {
      if (!Array.isArray(list))
        throw AppError.validation(`${key} must be an array`, [
          { field: key, rule: 'type', message: `${key} must be an array` },
        ]);
    }
    if (create.length + update.length + del.length > MAX_BULK) {
      throw AppError.validation(`A bulk request holds at most ${MAX_BULK} operations`);
    }
    if (create.length) await this.policyFilter(access, t.meta, 'create');
    const updatePolicy = update.length ? await this.policyFilter(access, t.meta, 'update') : null;
    const deletePolicy = del.length ? await this.policyFilter(access, t.meta, 'delete') : null;
    const prefixed = (i: number, kind: string) => (err: unknown) => {
      if (err instanceof AppError) {
        throw new AppError(
          err.code,
          `${kind}[${i}]: ${err.detail}`,
          err.errors?.map((e) => ({ ...e, row: i })),
          err.headers,
        );
      }
      throw err;
    };
    const creates = create.map((body, i) => {
      try {
        return parseWritePayload(t.meta, body, 'create', t.lookup, t.aliases);
      } catch (e) {
        return prefixed(i, 'create')(e);
      }
    });
    const updates = update.map((body, i) => {
      try {
        if (typeof body !== 'object' || body === null || !('id' in body))
          throw AppError.validation('Each update needs an id');
        const { id, ...rest2 } = body as Record<string, unknown>;
        return {
          id: parseRecordIdOr400(id, t.meta),
          write: parseWritePayload(t.meta, rest2, 'update', t.lookup, t.aliases),
        };
      } catch (e) {
        return prefixed(i, 'update')(e);
      }
    });
    const deletes = del.map((id, i) => {
      try {
        return parseRecordIdOr400(id, t.meta);
      } catch (e) {
        return prefixed(i, 'delete')(e);
      }
    });
    for (const [i, w] of creates.entries()) {
      await this.assertWritable(access, t.meta, 'create', w.byName).catch(prefixed(i, 'create'));
      await this.policies
        .checkCreate(access, t.meta, this.newRow(access, w))
        .catch(prefixed(i, 'create'));
      await this.hooks
        .beforeWrite({ access, collection: t.meta, mode: 'create', payload: w.byName })
        .catch(prefixed(i, 'create'));
    }
    for (const [i, u] of updates.entries()) {
      await this.assertWritable(access, t.meta, 'update', u.write.byName).catch(
        prefixed(i, 'update'),
      );
      await this.hooks
        .beforeWrite({
          access,
          collection: t.meta,
          mode: 'update',
          payload: u.write.byName,
          recordId: u.id,
        })
        .catch(prefixed(i, 'update'));
    }
    return this.withErrors(t.meta, () =>
      this.repo.transaction(access, async (tx) => {
        const created: JsonRecord[] = [];
        for (const w of creates) created.push(await this.insertOne(access, tx, t, w));
        const updated: JsonRecord[] = [];
        for (const [i, u] of updates.entries()) {
          updated.push(
            await this.updateOne(access, tx, t, u.id, u.write, updatePolicy).catch(
              prefixed(i, 'update'),
            ),
          );
        }
        const deleted: unknown[] = [];
        for (const [i, id] of deletes.entries()) {
          await this.deleteOne(tx, t, id, deletePolicy).catch(prefixed(i, 'delete'));
          deleted.push(id);
        }
        return { created, updated, deleted };
      }),
    );
  }

  /** Write-field and create-policy checks for one parsed row (used by import). */
  async checkCreateRow(
    access: AccessContext,
    meta: CollectionMeta,
    write: ParsedWrite,
  ): Promise<void> {
    await this.assertWritable(access, meta, 'create', write.byName);
    await this.policies.checkCreate(access, meta, this.newRow(access, write));
    await this.hooks.beforeWrite({
      access,
      collection: meta,
      mode: 'create',
      payload: write.byName,
    });
  }

  /** The row a create would store, keyed by field name, for create policies. */
  private newRow(access: AccessContext, write: ParsedWrite): Record<string, unknown> {
    const p = access.principal;
    return {
      ...write.byName,
      created_by_user_id: p.kind === 'admin' ? p.userId : null,
      created_by_app_user_id: p.kind === 'app_user' ? p.userId : null,
    };
  }

  private async insertOne(
    access: AccessContext,
    exec: RecordsExecutor,
    t: Target,
    write: ParsedWrite,
  ): Promise<JsonRecord> {
    const values: Record<string, unknown> = { ...write.values };
    const p = access.principal;
    if (p.kind === 'admin') values.created_by_user_id = p.userId;
    if (p.kind === 'app_user') values.created_by_app_user_id = p.userId;
    const compiled = compileInsert({ collection: t.meta, values, catalog: t.lookup });
    const rows = await exec.run(compiled);
    const record = serializeRows(rows, compiled.columns)[0];
    await this.writeSets(exec, t, record, write);
    return record;
  }

  private async updateOne(
    access: AccessContext,
    exec: RecordsExecutor,
    t: Target,
    id: unknown,
    write: ParsedWrite,
    policy: FilterAst | null,
  ): Promise<JsonRecord> {
    const compiled = compileUpdate({
      collection: t.meta,
      id,
      values: write.values,
      policyFilter: policy,
      catalog: t.lookup,
    });
    const rows = await exec.run(compiled);
    if (rows.length === 0) throw AppError.notFound('Record');
    const record = serializeRows(rows, compiled.columns)[0];
    if (policy && !(await this.policies.allows(access, t.meta, 'update', rows[0]))) {
      throw AppError.forbidden('Permission denied for action: update');
    }
    await this.writeSets(exec, t, record, write);
    return record;
  }

  private async deleteOne(
    exec: RecordsExecutor,
    t: Target,
    id: unknown,
    policy: FilterAst | null,
  ): Promise<void> {
    const rows = await exec.run(
      compileDelete({ collection: t.meta, id, policyFilter: policy, catalog: t.lookup }),
    );
    if (rows.length === 0) throw AppError.notFound('Record');
  }

  /** Replaces many-to-many sets, then reads every set of the record so the response shows them. */
  private async writeSets(
    exec: RecordsExecutor,
    t: Target,
    record: JsonRecord,
    write: ParsedWrite,
  ): Promise<void> {
    for (const s of write.sets) {
      for (const q of compileJunctionReplace(s.field, t.meta, record.id, s.ids, s.targetIdType))
        await exec.run(q);
    }
    await this.attachSets(exec, t, [record], null);
  }

  private manyToManyFields(
    meta: CollectionMeta,
    fields: string | readonly string[] | null,
  ): FieldMeta[] {
    const wanted =
      fields === null
        ? null
        : new Set(typeof fields === 'string' ? fields.split(',').map((f) => f.trim()) : fields);
    return meta.fields.filter(
      (f) =>
        f.type === 'relation' &&
        f.relation?.kind === 'many_to_many' &&
        !f.isDeleted &&
        !f.isHidden &&
        (!wanted || wanted.has(f.name)),
    );
  }

  private async attachSets(
    exec: RecordsExecutor,
    t: Target,
    records: JsonRecord[],
    fields: string | readonly string[] | null,
  ): Promise<void> {
    if (records.length === 0) return;
    const ids = records.map((r) => r.id);
    for (const f of this.manyToManyFields(t.meta, fields)) {
      const rows = await exec.run(compileManyToManyIds(f, t.meta, ids));
      const groups = new Map<string, unknown[]>();
      const targetIdType =
        t.lookup.getCollection(f.relation?.targetCollectionId ?? '')?.idType ?? 'bigint';
      for (const row of rows as Row[]) {
        const key = String(row.__parent);
        const list = groups.get(key) ?? [];
        list.push(
          targetIdType === 'bigint' && Number.isSafeInteger(Number(row.id))
            ? Number(row.id)
            : row.id,
        );
        groups.set(key, list);
      }
      for (const r of records) r[f.name] = groups.get(String(r.id)) ?? [];
    }
  }

  private async decorate(
    access: AccessContext,
    exec: RecordsExecutor,
    t: Target,
    records: JsonRecord[],
    _compiled: CompiledSelect | null,
    expand: ExpandNode[],
    fields: string | readonly string[] | null,
  ): Promise<void> {
    const expanded = new Set(expand.map((n) => n.name));
    const plainFields =
      fields === null
        ? null
        : (typeof fields === 'string' ? fields.split(',') : fields).filter((f) => !expanded.has(f));
    await this.attachSets(exec, t, records, fields === null ? null : plainFields);
    if (expand.length) {
      const filters = await this.expandPolicies(access, expand);
      await expandRecords(records, t.meta, expand, {
        catalog: t.lookup,
        run: (q) => exec.run(q),
        policyFor: (c) => (filters.has(c.id) ? (filters.get(c.id) as FilterAst | null) : DENY),
      });
      await this.stripExpanded(access, records, expand);
    }
  }

  /** Field-level read rules of each expanded collection apply to its nested records too. */
  private async stripExpanded(
    access: AccessContext,
    records: JsonRecord[],
    nodes: readonly ExpandNode[],
  ): Promise<void> {
    if (access.principal.kind === 'admin') return;
    for (const node of nodes) {
      const readable = await this.readableFields(access, node.target, 'list').catch(
        () => new Set<string>(),
      );
      const children = records.flatMap((r) => {
        const v = r[node.name];
        return Array.isArray(v)
          ? (v as JsonRecord[])
          : v && typeof v === 'object'
            ? [v as JsonRecord]
            : [];
      });
      this.stripUnreadable(node.target, children, readable);
      if (node.children.length) await this.stripExpanded(access, children, node.children);
    }
  }

  /** Read policies of every collection an expand reaches; a denied one yields no rows (null / []). */
  private async expandPolicies(
    access: AccessContext,
    nodes: readonly ExpandNode[],
  ): Promise<Map<string, FilterAst | null>> {
    const out = new Map<string, FilterAst | null>();
    const visit = async (list: readonly ExpandNode[]) => {
      for (const n of list) {
        if (!out.has(n.target.id)) {
          out.set(
            n.target.id,
            await this.policyFilter(access, n.target, 'list').catch((err) => {
              if (err instanceof AppError) return DENY;
              throw err;
            }),
          );
        }
        await visit(n.children);
      }
    };
    await visit(nodes);
    return out;
  }

  /** Database constraint errors → 409/400 naming the field; never the SQL. */
  private async withErrors<T>(meta: CollectionMeta, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw constraintViolation(err, meta) ?? err;
    }
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

function parseRecordIdOr400(raw: unknown, meta: CollectionMeta): unknown {
  try {
    return parseRecordId(raw, meta);
  } catch {
    throw AppError.validation('Invalid record id', [
      { field: 'id', rule: 'type', message: 'Invalid record id' },
    ]);
  }
}
