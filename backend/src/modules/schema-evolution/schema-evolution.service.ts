import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { AppError } from '../../common/errors/app-error';
import { describeOp } from '../../schema-engine/ddl/describe-op';
import { renderOp } from '../../schema-engine/ddl/render-op';
import { SYSTEM_COLUMNS, type FieldMeta } from '../../schema-engine/catalog.types';
import type { FieldOptions, FieldTypeName } from '../../schema-engine/field-types/field-type';
import { normalizeFieldTypeName } from '../../schema-engine/field-types/registry';
import { identifierProblem } from '../../schema-engine/identifiers';
import type { MetadataWriter } from '../catalog/catalog-writer';
import { CatalogService } from '../catalog/catalog.service';
import type { CatalogCollection, CollectionMeta, ProjectCatalog } from '../catalog/catalog.types';
import { SchemaChangeService } from '../catalog/schema-change.service';
import { castDefault, checkOptions } from '../fields/field-rules';
import { tablesInSchema } from '../relations/relations.service';
import {
  EVOLUTION_OPERATIONS,
  OPERATION_ALIASES,
  OPERATION_NAMES,
  type AliasesResponseDto,
  type ApplyResultDto,
  type EvolutionOperation,
  type EvolutionResultDto,
  type PendingChangeDto,
  type PreviewResultDto,
  type SafeConversionDto,
  type SchemaOpResponseDto,
  type SchemaOpsQueryDto,
} from './dto/schema-evolution.dto';
import { SchemaEvolutionRepository, type PendingChangeRow } from './schema-evolution.repository';

export const ALIAS_DAYS = 30;

/** Conversions PostgreSQL performs without losing or rejecting well-formed values. */
const SAFE_BASE: SafeConversionDto[] = [
  { from: 'int', to: 'float', description: 'Integer to floating point' },
  { from: 'int', to: 'decimal', description: 'Integer to fixed-point decimal' },
  { from: 'string', to: 'text', description: 'String to unlimited text' },
  { from: 'date', to: 'datetime', description: 'Date to timestamp (midnight UTC)' },
];
const TO_TEXT_SOURCES: FieldTypeName[] = [
  'string',
  'text',
  'int',
  'float',
  'decimal',
  'bool',
  'date',
  'datetime',
  'uuid',
  'json',
  'enum',
  'file',
];
export const SAFE_CONVERSIONS: SafeConversionDto[] = [
  ...SAFE_BASE,
  ...TO_TEXT_SOURCES.flatMap((from) =>
    (['string', 'text'] as const)
      .filter((to) => to !== from && !SAFE_BASE.some((s) => s.from === from && s.to === to))
      .map((to) => ({ from, to, description: `Any value to its text form (${from} to ${to})` })),
  ),
];

const isSafe = (from: string, to: string) =>
  SAFE_CONVERSIONS.some((s) => s.from === from && s.to === to);

/** The `_users` password hash: never addressable, not even by admins. */
const isSecret = (f: FieldMeta) => f.isSystem && f.isHidden;

const bad = (detail: string) => AppError.badRequest(detail);

/** One evolution step, computed against the current catalog; applying it is all or nothing. */
interface PlannedChange {
  operation: EvolutionOperation;
  collection: CatalogCollection;
  after: CollectionMeta;
  warnings: string[];
  writeMetadata: (
    client: PoolClient,
    meta: MetadataWriter,
    actorUserId: string | null,
  ) => Promise<void>;
  details: (fresh: ProjectCatalog) => Record<string, unknown>;
}

function canonicalOperation(operation: string): EvolutionOperation {
  if ((EVOLUTION_OPERATIONS as readonly string[]).includes(operation))
    return operation as EvolutionOperation;
  const alias = OPERATION_ALIASES[operation];
  if (!alias) throw bad(`Unknown operation: ${operation}`);
  return alias;
}

const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.length > 0 ? v : undefined;

const truthy = (v: unknown) => v === true || v === 'true' || v === 'True' || v === '1';

@Injectable()
export class SchemaEvolutionService {
  constructor(
    private readonly catalog: CatalogService,
    private readonly schema: SchemaChangeService,
    private readonly repo: SchemaEvolutionRepository,
  ) {}

  private async collection(projectId: string, collectionId: string) {
    const catalog = await this.catalog.project(projectId);
    const c = catalog.byId.get(collectionId);
    if (!c) throw AppError.notFound('Collection');
    return { catalog, c };
  }

  private field(c: CatalogCollection, fieldId: string | undefined): FieldMeta {
    const f = c.meta.fields.find((x) => x.id === fieldId);
    if (!f || isSecret(f)) throw AppError.notFound('Field');
    return f;
  }

  private aliasExpiry(): Date {
    return new Date(Date.now() + ALIAS_DAYS * 24 * 60 * 60 * 1000);
  }

  /** Validates an operation and computes its target metadata; throws the 4xx it deserves. */
  async planChange(
    projectId: string,
    collectionId: string,
    operationName: string,
    params: Record<string, unknown>,
  ): Promise<PlannedChange> {
    const operation = canonicalOperation(operationName);
    const { catalog, c } = await this.collection(projectId, collectionId);
    const replaceField = (next: FieldMeta): CollectionMeta => ({
      ...c.meta,
      fields: c.meta.fields.map((x) => (x.id === next.id ? next : x)),
    });

    switch (operation) {
      case 'rename_table': {
        const newName = str(params.new_name);
        if (!newName) throw bad('new_name is required');
        if (c.meta.isSystem)
          throw bad(`Collection '${c.meta.name}' is a system collection and cannot be renamed`);
        const problem = identifierProblem(newName);
        if (problem)
          throw AppError.validation(`Invalid collection name: ${newName} (${problem})`, [
            { field: 'new_name', rule: 'identifier', message: `Collection name ${problem}` },
          ]);
        if (newName === c.meta.name) throw bad('New name is the same as the current name');
        if (catalog.byName.has(newName) || tablesInSchema(catalog).has(newName)) {
          throw AppError.conflict(`A collection or table named '${newName}' already exists`);
        }
        const displayName = str(params.new_display_name) ?? c.meta.displayName;
        const oldName = c.meta.name;
        const expires = this.aliasExpiry();
        return {
          operation,
          collection: c,
          after: { ...c.meta, name: newName, table: newName, displayName },
          warnings: [`Old name '${oldName}' will be aliased for ${ALIAS_DAYS} days`],
          writeMetadata: async (_client, meta) => {
            await meta.updateCollection(c.meta.id, {
              name: newName,
              sqlTableName: newName,
              displayName,
            });
            await meta.deleteAliasesNamed(null, newName);
            await meta.deleteAliasesNamed(null, oldName);
            await meta.insertCollectionAlias(c.meta.id, oldName, expires);
          },
          details: () => ({
            old_name: oldName,
            new_name: newName,
            alias_expires_at: expires.toISOString(),
          }),
        };
      }

      case 'rename_column': {
        const newName = str(params.new_name);
        const fieldId = str(params.field_id);
        if (!newName || !fieldId) throw bad('field_id and new_name are required');
        const f = this.field(c, fieldId);
        if (f.isSystem) throw bad(`Field '${f.name}' is a system field and cannot be renamed`);
        const problem = identifierProblem(newName);
        if (problem)
          throw AppError.validation(`Invalid field name: ${newName} (${problem})`, [
            { field: 'new_name', rule: 'identifier', message: `Field name ${problem}` },
          ]);
        if (newName === f.name) throw bad('New name is the same as the current name');
        // many_to_many fields have no column of their own; their junction table keeps its name.
        const column = f.relation?.kind === 'many_to_one' ? `${newName}_id` : newName;
        if (identifierProblem(column))
          throw bad(`Invalid field name: ${newName} (column ${column} is too long)`);
        for (const name of new Set([newName, column])) {
          if ((SYSTEM_COLUMNS as readonly string[]).includes(name)) {
            throw bad(`'${name}' is a system column of every collection`);
          }
          const clash = c.meta.fields.find(
            (x) => x.id !== f.id && (x.name === name || x.column === name),
          );
          if (clash) throw AppError.conflict(`Field with the name '${name}' already exists`);
        }
        const next: FieldMeta = {
          ...f,
          name: newName,
          column,
          displayName: str(params.new_display_name) ?? f.displayName,
        };
        const oldName = f.name;
        const expires = this.aliasExpiry();
        return {
          operation,
          collection: c,
          after: replaceField(next),
          warnings: [`Old name '${oldName}' will be aliased for ${ALIAS_DAYS} days`],
          writeMetadata: async (_client, meta) => {
            await meta.updateField(next);
            await meta.deleteAliasesNamed(c.meta.id, newName);
            await meta.deleteAliasesNamed(c.meta.id, oldName);
            await meta.insertFieldAlias(c.meta.id, f.id, oldName, expires);
            if (c.record.displayField === oldName) {
              await meta.updateCollection(c.meta.id, { displayField: newName });
            }
            await meta.retargetDisplayFields(catalog, c.meta.id, oldName, newName);
          },
          details: () => ({
            old_name: oldName,
            new_name: newName,
            alias_expires_at: expires.toISOString(),
          }),
        };
      }

      case 'soft_delete_column':
      case 'restore_column': {
        const fieldId = str(params.field_id);
        if (!fieldId) throw bad('field_id is required');
        const f = this.field(c, fieldId);
        const deleting = operation === 'soft_delete_column';
        if (f.isSystem)
          throw bad(
            `Field '${f.name}' is a system field and cannot be ${deleting ? 'deleted' : 'restored'}`,
          );
        if (deleting && f.isDeleted) throw bad('Field is already deleted');
        if (!deleting && !f.isDeleted) throw bad('Field is not deleted');
        const next: FieldMeta = { ...f, isDeleted: deleting };
        return {
          operation,
          collection: c,
          after: replaceField(next),
          warnings: deleting
            ? ['The field will be hidden and read-only; its data is kept until a hard delete']
            : f.isRequired
              ? ['The field is required again; this fails if rows written meanwhile have no value']
              : [],
          writeMetadata: async (client, meta, actorUserId) => {
            await meta.updateField(next);
            await this.repo.insertLogicalOp(client, {
              projectId,
              collectionId: c.meta.id,
              opType: operation,
              payload: deleting
                ? { field_id: f.id, field_name: f.name, sql_column_name: f.column }
                : { field_id: f.id, field_name: f.name },
              actorUserId,
            });
          },
          details: (fresh) => {
            if (!deleting) return { field_id: f.id, field_name: f.name, restored: true };
            const rec = fresh.byId.get(c.meta.id)?.fieldRecords.get(f.id);
            return {
              field_id: f.id,
              field_name: f.name,
              deleted_at: (rec?.deletedAt ?? new Date()).toISOString(),
            };
          },
        };
      }

      case 'drop_column': {
        const fieldId = str(params.field_id);
        if (!fieldId) throw bad('field_id is required');
        const f = this.field(c, fieldId);
        if (f.isSystem) throw bad(`Field '${f.name}' is a system field and cannot be deleted`);
        if (!f.isDeleted && !truthy(params.force)) {
          throw bad('Field must be soft-deleted first. Use force=true to skip.');
        }
        return {
          operation,
          collection: c,
          after: { ...c.meta, fields: c.meta.fields.filter((x) => x.id !== f.id) },
          warnings: ['THIS WILL PERMANENTLY DELETE ALL DATA IN THIS COLUMN'],
          writeMetadata: async (_client, meta) => {
            await meta.deleteField(f.id);
            if (c.record.displayField === f.name) {
              await meta.updateCollection(c.meta.id, { displayField: null });
            }
            await meta.retargetDisplayFields(catalog, c.meta.id, f.name, null);
          },
          details: () => ({ field_id: f.id, field_name: f.name, dropped: true }),
        };
      }

      case 'change_column_type': {
        const fieldId = str(params.field_id);
        const newTypeName = str(params.new_type);
        if (!fieldId || !newTypeName) throw bad('field_id and new_type are required');
        const f = this.field(c, fieldId);
        if (f.isSystem) throw bad(`Field '${f.name}' is a system field and its type cannot change`);
        const newType = normalizeFieldTypeName(newTypeName);
        if (!newType) throw bad(`Invalid field type: ${newTypeName}`);
        const optionsChanged = params.options !== undefined;
        if (newType === f.type && !optionsChanged)
          throw bad('New type is the same as current type');
        if (newType !== f.type && !isSafe(f.type, newType)) {
          throw bad(
            `Unsafe type conversion from ${f.type} to ${newType}. Use the migration wizard for complex conversions.`,
          );
        }
        if (newType === f.type && f.type !== 'string' && f.type !== 'decimal') {
          throw bad('New type is the same as current type');
        }
        const rawOptions = params.options;
        if (
          rawOptions !== undefined &&
          (typeof rawOptions !== 'object' || rawOptions === null || Array.isArray(rawOptions))
        ) {
          throw bad('options must be an object');
        }
        const options = checkOptions(newType, rawOptions as FieldOptions | undefined);
        const next: FieldMeta = {
          ...f,
          type: newType,
          options,
          defaultValue: castDefault(newType, options, f.defaultValue),
        };
        return {
          operation,
          collection: c,
          after: replaceField(next),
          warnings: [
            'Existing values are converted; the change fails and nothing changes if one cannot be',
          ],
          writeMetadata: (_client, meta) => meta.updateField(next),
          details: () => ({
            field_id: f.id,
            field_name: f.name,
            old_type: f.type,
            new_type: newType,
          }),
        };
      }
    }
  }

  private async applyPlanned(
    projectId: string,
    actorUserId: string | null,
    change: PlannedChange,
    extra?: (client: PoolClient) => Promise<void>,
  ): Promise<EvolutionResultDto> {
    await this.schema.apply({
      projectId,
      actorUserId,
      collectionId: change.collection.meta.id,
      before: change.collection.meta,
      after: change.after,
      writeMetadata: async (client, meta) => {
        await change.writeMetadata(client, meta, actorUserId);
        if (extra) await extra(client);
      },
    });
    const fresh = await this.catalog.project(projectId);
    return {
      success: true,
      operation: OPERATION_NAMES[change.operation],
      details: change.details(fresh),
    };
  }

  async run(
    projectId: string,
    actorUserId: string,
    collectionId: string,
    operation: EvolutionOperation,
    params: Record<string, unknown>,
  ): Promise<EvolutionResultDto> {
    const change = await this.planChange(projectId, collectionId, operation, params);
    return this.applyPlanned(projectId, actorUserId, change);
  }

  private async previewOf(projectId: string, change: PlannedChange) {
    const ops = await this.schema.plan({
      projectId,
      actorUserId: null,
      before: change.collection.meta,
      after: change.after,
    });
    return {
      steps: ops.flatMap((op) => renderOp(op)),
      descriptions: ops.map((op) => describeOp(op)),
      warnings: change.warnings,
    };
  }

  async preview(
    projectId: string,
    collectionId: string,
    operation: string,
    params: Record<string, unknown>,
  ): Promise<PreviewResultDto> {
    const change = await this.planChange(projectId, collectionId, operation, params);
    const p = await this.previewOf(projectId, change);
    return { operation, collection: change.collection.meta.name, ...p, params };
  }

  async aliases(projectId: string): Promise<AliasesResponseDto> {
    const rows = await this.repo.aliases(projectId);
    return {
      collection_aliases: rows.collectionAliases.map((a) => ({
        old_name: a.old_name,
        collection_id: a.collection_id,
        expires_at: a.expires_at.toISOString(),
      })),
      field_aliases: rows.fieldAliases.map((a) => ({
        old_name: a.old_name,
        field_id: a.field_id,
        collection_id: a.collection_id,
        expires_at: a.expires_at.toISOString(),
      })),
    };
  }

  safeConversions(): { safe_conversions: SafeConversionDto[] } {
    return { safe_conversions: SAFE_CONVERSIONS };
  }

  // ---- pending → preview → apply ----

  private async pendingDto(projectId: string, row: PendingChangeRow): Promise<PendingChangeDto> {
    let steps: string[] = [];
    let warnings: string[] = [];
    if (row.status === 'pending' && row.collection_id) {
      try {
        const change = await this.planChange(
          projectId,
          row.collection_id,
          row.operation,
          row.params,
        );
        ({ steps, warnings } = await this.previewOf(projectId, change));
      } catch (err) {
        // An earlier pending change (e.g. a rename) may make this one invalid until it is applied.
        warnings = [
          `Not valid against the current schema: ${err instanceof AppError ? err.detail : 'unknown error'}`,
        ];
      }
    }
    return {
      id: row.id,
      collection_id: row.collection_id ?? '',
      operation: row.operation,
      params: row.params,
      status: row.status,
      error: row.error,
      created_by_user_id: row.created_by_user_id,
      created_at: row.created_at.toISOString(),
      applied_at: row.applied_at ? row.applied_at.toISOString() : null,
      steps,
      warnings,
    };
  }

  async submitPending(
    projectId: string,
    actorUserId: string,
    collectionId: string,
    operation: string,
    params: Record<string, unknown>,
  ): Promise<PendingChangeDto> {
    const canonical = canonicalOperation(operation);
    await this.planChange(projectId, collectionId, canonical, params);
    const row = await this.repo.insertPending({
      projectId,
      collectionId,
      operation: canonical,
      params,
      userId: actorUserId,
    });
    return this.pendingDto(projectId, row);
  }

  async listPending(projectId: string, status = 'pending'): Promise<PendingChangeDto[]> {
    const statuses = status === 'all' ? ['pending', 'failed', 'applied', 'discarded'] : [status];
    const rows = await this.repo.listPending(projectId, statuses);
    const out: PendingChangeDto[] = [];
    for (const row of rows) out.push(await this.pendingDto(projectId, row));
    return out;
  }

  /** Applies pending changes in submission order, each atomically; stops at the first failure. */
  async applyPending(
    projectId: string,
    actorUserId: string,
    ids?: string[],
  ): Promise<ApplyResultDto> {
    let rows = await this.repo.listPending(projectId, ['pending']);
    if (ids) {
      const known = new Set(rows.map((r) => r.id));
      const missing = ids.find((id) => !known.has(id));
      if (missing) throw AppError.notFound(`Pending change ${missing}`);
      const wanted = new Set(ids);
      rows = rows.filter((r) => wanted.has(r.id));
    }
    const result: ApplyResultDto = { success: true, applied: [], failed: null, not_attempted: [] };
    for (const [index, row] of rows.entries()) {
      try {
        if (!row.collection_id) throw AppError.notFound('Collection');
        const change = await this.planChange(
          projectId,
          row.collection_id,
          row.operation,
          row.params,
        );
        const done = await this.applyPlanned(projectId, actorUserId, change, async (client) => {
          if (!(await this.repo.markApplied(client, row.id))) {
            throw AppError.conflict('The change is no longer pending');
          }
        });
        result.applied.push({ id: row.id, ...done });
      } catch (err) {
        const appErr = err instanceof AppError ? err : null;
        const message = appErr ? appErr.detail : 'The schema change failed.';
        await this.repo.markFailed(row.id, message);
        result.success = false;
        result.failed = {
          id: row.id,
          operation: row.operation,
          code: appErr?.code ?? 'INTERNAL',
          error: message,
        };
        result.not_attempted = rows.slice(index + 1).map((r) => r.id);
        break;
      }
    }
    return result;
  }

  async discardPending(projectId: string, id: string): Promise<void> {
    if (!(await this.repo.discard(projectId, id))) throw AppError.notFound('Pending change');
  }

  async schemaOps(projectId: string, q: SchemaOpsQueryDto): Promise<SchemaOpResponseDto[]> {
    const rows = await this.repo.schemaOps(projectId, {
      collectionId: q.collection_id,
      opType: q.op_type,
      limit: q.limit ?? 100,
      offset: q.offset ?? 0,
    });
    return rows.map((r) => ({
      id: r.id,
      project_id: r.project_id,
      collection_id: r.collection_id,
      op_type: r.op_type,
      payload_json: JSON.stringify(r.payload_json ?? {}),
      sql: r.sql,
      status: r.status,
      error: r.error,
      actor_user_id: r.actor_user_id,
      created_at: r.created_at.toISOString(),
    }));
  }
}
