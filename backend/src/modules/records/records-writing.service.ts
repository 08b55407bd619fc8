import { Injectable, Logger } from '@nestjs/common';
import { afterCommit } from '../../database/transaction';
import { AppError } from '../../common/errors/app-error';
import type { CollectionMeta } from '../../schema-engine/catalog.types';
import {
  compileDelete,
  compileInsert,
  compileUpdate,
  splitPreviousRow,
  parseRecordId,
  POLICY_CHECK_SQLSTATE,
  serializeRows,
  type CompiledQuery,
  type JsonRecord,
} from '../../query-engine';
import { compileJunctionReplace } from '../../query-engine/junction';
import type { AccessContext, RecordAction } from '../access/access-context';
import {
  deniedError,
  PolicyDecisionsService,
  type AccessDecision,
} from '../policies/policy-decisions.service';
import { RecordExpansionService } from './record-expansion.service';
import { RecordHooks } from './record-hooks';
import { RecordTargets, type RecordTarget } from './record-target';
import { constraintViolation } from './records.errors';
import {
  RecordsRepository,
  type RecordsExecutor,
  type RecordsTransaction,
  type Row,
} from './records.repository';
import { parseWritePayload, type ParsedWrite } from './write-payload';
import { ChangeLogService } from '../change-log/change-log.service';
import {
  actorFromPrincipal,
  recordChange,
  type ChangeEventInput,
} from '../change-log/change-event';
import { ACTOR_COLUMNS, type ReadableFields } from '../../query-engine/readable';

export interface BulkInput {
  create?: unknown[];
  update?: unknown[];
  delete?: unknown[];
}

const MAX_BULK = 1000;

/**
 * Creates, updates, deletes and bulk writes. The create/update policy is checked on the row as
 * stored, in the same SQL statement as the write; answers carry only readable fields.
 */
@Injectable()
export class RecordsWritingService {
  private readonly log = new Logger('RecordsWriting');

  constructor(
    private readonly targets: RecordTargets,
    private readonly repo: RecordsRepository,
    private readonly hooks: RecordHooks,
    private readonly policies: PolicyDecisionsService,
    private readonly expansion: RecordExpansionService,
    private readonly changeLog: ChangeLogService,
  ) {}

  async create(access: AccessContext, name: string, body: unknown): Promise<JsonRecord> {
    const t = await this.targets.resolve(access, name, 'create');
    const d = await this.policies.decide(access, t.meta, 'create');
    const write = parseWritePayload(t.meta, body, 'create', t.lookup, t.aliases);
    assertWritable(access, t.meta, d, write.byName);
    await this.hooks.beforeWrite({
      access,
      collection: t.meta,
      mode: 'create',
      payload: write.byName,
    });
    // Always a transaction: the change-log event commits with the row or not at all.
    return this.withErrors(t.meta, () =>
      this.repo.transaction(access, (tx) => this.insertOne(access, tx, t, write, d)),
    );
  }

  async update(
    access: AccessContext,
    name: string,
    rawId: string,
    body: unknown,
  ): Promise<JsonRecord> {
    const t = await this.targets.resolve(access, name, 'update');
    const d = await this.policies.decide(access, t.meta, 'update');
    const id = parseRecordId(rawId, t.meta);
    const write = parseWritePayload(t.meta, body, 'update', t.lookup, t.aliases);
    assertWritable(access, t.meta, d, write.byName);
    await this.hooks.beforeWrite({
      access,
      collection: t.meta,
      mode: 'update',
      payload: write.byName,
      recordId: id,
    });
    return this.withErrors(t.meta, () =>
      this.repo.transaction(access, (tx) => this.updateOne(access, tx, t, id, write, d)),
    );
  }

  async delete(access: AccessContext, name: string, rawId: string): Promise<void> {
    const t = await this.targets.resolve(access, name, 'delete');
    const d = await this.policies.decide(access, t.meta, 'delete');
    const id = parseRecordId(rawId, t.meta);
    await this.withErrors(t.meta, () =>
      this.repo.transaction(access, (tx) => this.deleteOne(access, tx, t, id, d)),
    );
  }

  /** Creates, updates and deletes many records in one transaction: all or nothing. */
  async bulk(
    access: AccessContext,
    name: string,
    input: unknown,
  ): Promise<{ created: JsonRecord[]; updated: JsonRecord[]; deleted: unknown[] }> {
    const t = await this.targets.resolve(access, name, 'create');
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
    const decision = (action: RecordAction, needed: boolean) =>
      needed ? this.policies.decide(access, t.meta, action) : Promise.resolve(null);
    const createD = await decision('create', create.length > 0);
    const updateD = await decision('update', update.length > 0);
    const deleteD = await decision('delete', del.length > 0);
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
      try {
        assertWritable(access, t.meta, createD as AccessDecision, w.byName);
      } catch (e) {
        prefixed(i, 'create')(e);
      }
      await this.hooks
        .beforeWrite({ access, collection: t.meta, mode: 'create', payload: w.byName })
        .catch(prefixed(i, 'create'));
    }
    for (const [i, u] of updates.entries()) {
      try {
        assertWritable(access, t.meta, updateD as AccessDecision, u.write.byName);
      } catch (e) {
        prefixed(i, 'update')(e);
      }
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
        for (const [i, w] of creates.entries()) {
          created.push(
            await this.insertOne(access, tx, t, w, createD as AccessDecision).catch(
              prefixed(i, 'create'),
            ),
          );
        }
        const updated: JsonRecord[] = [];
        for (const [i, u] of updates.entries()) {
          updated.push(
            await this.updateOne(access, tx, t, u.id, u.write, updateD as AccessDecision).catch(
              prefixed(i, 'update'),
            ),
          );
        }
        const deleted: unknown[] = [];
        for (const [i, id] of deletes.entries()) {
          await this.deleteOne(access, tx, t, id, deleteD as AccessDecision).catch(
            prefixed(i, 'delete'),
          );
          deleted.push(id);
        }
        return { created, updated, deleted };
      }),
    );
  }

  /** Write-field rules and validation hooks of one parsed row (import); the policy is checked in SQL. */
  async checkImportRow(
    access: AccessContext,
    meta: CollectionMeta,
    decision: AccessDecision,
    write: ParsedWrite,
  ): Promise<void> {
    assertWritable(access, meta, decision, write.byName);
    await this.hooks.beforeWrite({
      access,
      collection: meta,
      mode: 'create',
      payload: write.byName,
    });
  }

  private async insertOne(
    access: AccessContext,
    exec: RecordsTransaction,
    t: RecordTarget,
    write: ParsedWrite,
    d: AccessDecision,
  ): Promise<JsonRecord> {
    const values: Record<string, unknown> = { ...write.values };
    const p = access.principal;
    if (p.kind === 'admin') values.created_by_user_id = p.userId;
    if (p.kind === 'app_user') values.created_by_app_user_id = p.userId;
    const compiled = compileInsert({
      collection: t.meta,
      values,
      catalog: t.lookup,
      // Every visible column comes back for the change-log event; the answer keeps the readable ones.
      check: d.rowFilter,
    });
    const rows = await runChecked(exec, compiled, access, 'create');
    const stored = serializeRows(rows, compiled.columns)[0];
    this.changeLog.appendAtCommit(
      exec,
      byPrincipal(
        access,
        recordChange(access.projectId, t.meta, 'create', withSets(stored, write), null),
      ),
    );
    const record = onlyReadable(t.meta, stored, d.readableFields);
    await this.writeSets(exec, t, record, write, d);
    return record;
  }

  private async updateOne(
    access: AccessContext,
    exec: RecordsTransaction,
    t: RecordTarget,
    id: unknown,
    write: ParsedWrite,
    d: AccessDecision,
  ): Promise<JsonRecord> {
    const compiled = compileUpdate({
      collection: t.meta,
      id,
      values: write.values,
      policyFilter: d.rowFilter,
      check: d.rowFilter,
      catalog: t.lookup,
      returnPrevious: true,
    });
    const rows = await runChecked(exec, compiled, access, 'update');
    if (rows.length === 0) throw AppError.notFound('Record');
    const { current, previous } = splitPreviousRow(rows[0], compiled);
    const stored = serializeRows([current], compiled.columns)[0];
    const before = serializeRows([previous], compiled.columns)[0];
    const event = recordChange(access.projectId, t.meta, 'update', withSets(stored, write), before);
    // Many-to-many sets are known only when sent; they count as changed then.
    event.changed = (event.changed ?? []).filter(
      (k) => k in before || write.sets.some((s) => s.field.name === k),
    );
    this.changeLog.appendAtCommit(exec, byPrincipal(access, event));
    const record = onlyReadable(t.meta, stored, d.readableFields);
    await this.writeSets(exec, t, record, write, d);
    return record;
  }

  private async deleteOne(
    access: AccessContext,
    exec: RecordsTransaction,
    t: RecordTarget,
    id: unknown,
    d: AccessDecision,
  ): Promise<void> {
    const compiled = compileDelete({
      collection: t.meta,
      id,
      policyFilter: d.rowFilter,
      catalog: t.lookup,
    });
    const rows = await exec.run(compiled);
    if (rows.length === 0) throw AppError.notFound('Record');
    const old = serializeRows(rows, compiled.columns)[0];
    this.changeLog.appendAtCommit(
      exec,
      byPrincipal(access, recordChange(access.projectId, t.meta, 'delete', null, old)),
    );
    if (t.meta.fields.some((f) => f.type === 'file' && !f.isDeleted))
      afterCommit(() => {
        this.hooks
          .afterDelete({ access, collection: t.meta, record: old })
          .catch((err: Error) => this.log.warn(`after-delete hook failed: ${err.message}`));
      });
  }

  /** Replaces many-to-many sets, then reads every readable set of the record for the answer. */
  private async writeSets(
    exec: RecordsExecutor,
    t: RecordTarget,
    record: JsonRecord,
    write: ParsedWrite,
    d: AccessDecision,
  ): Promise<void> {
    for (const s of write.sets) {
      for (const q of compileJunctionReplace(s.field, t.meta, record.id, s.ids, s.targetIdType))
        await exec.run(q);
    }
    await this.expansion.attachSets(exec, t, [record], null, d.readableFields);
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

/**
 * A workflow's write names the workflow as actor (no request carries it) and records its run and
 * depth, which bound the runs its own writes can trigger (WORKFLOW_MAX_DEPTH).
 */
function byPrincipal(access: AccessContext, event: ChangeEventInput): ChangeEventInput {
  const p = access.principal;
  if (p.kind !== 'workflow') return event;
  return {
    ...event,
    actor: actorFromPrincipal(p),
    meta: { ...event.meta, workflow_id: p.workflowId, workflow_run_id: p.runId, depth: p.depth },
  };
}

/** The many-to-many sets a write replaced, beside the stored row (the event's view of the record). */
function withSets(record: JsonRecord, write: ParsedWrite): JsonRecord {
  if (!write.sets.length) return record;
  const out = { ...record };
  for (const s of write.sets) out[s.field.name] = s.ids;
  return out;
}

/** The answer's view of a stored row: only the fields the caller may read. */
function onlyReadable(
  meta: CollectionMeta,
  record: JsonRecord,
  readable: ReadableFields,
): JsonRecord {
  if (!readable) return record;
  const out = { ...record };
  for (const f of meta.fields) {
    if (!readable.has(f.name)) {
      delete out[f.name];
      delete out[f.column];
    }
  }
  for (const c of ACTOR_COLUMNS) if (!readable.has(c)) delete out[c];
  return out;
}

/** Runs a write whose stored row is policy-checked in SQL; a failed check (the write undone) → 401/403. */
export async function runChecked(
  exec: RecordsExecutor,
  query: CompiledQuery,
  access: AccessContext,
  action: RecordAction,
): Promise<Row[]> {
  try {
    return await exec.run(query);
  } catch (err) {
    if ((err as { code?: unknown })?.code === POLICY_CHECK_SQLSTATE)
      throw deniedError(access.principal, action);
    throw err;
  }
}

/** `_users` system fields belong to the auth API; `write_fields` limit everything else. */
export function assertWritable(
  access: AccessContext,
  meta: CollectionMeta,
  decision: AccessDecision,
  payload: Record<string, unknown>,
): void {
  if (access.principal.kind === 'admin') return;
  if (meta.isSystem) {
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
  const write = decision.writableFields;
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

function parseRecordIdOr400(raw: unknown, meta: CollectionMeta): unknown {
  try {
    return parseRecordId(raw, meta);
  } catch {
    throw AppError.validation('Invalid record id', [
      { field: 'id', rule: 'type', message: 'Invalid record id' },
    ]);
  }
}
