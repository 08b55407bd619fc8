import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { AppError } from '../../common/errors/app-error';
import { describeOp } from '../../schema-engine/ddl/describe-op';
import { renderOp } from '../../schema-engine/ddl/render-op';
import { CatalogService } from '../catalog/catalog.service';
import { DataViews } from '../records/data-views';
import type { CatalogCollection } from '../catalog/catalog.types';
import { SchemaChangeService } from '../catalog/schema-change.service';
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
import { SAFE_CONVERSIONS } from './operations/change-column-type.operation';
import { bad, type OperationPlan } from './operations/evolution-operation';
import { EVOLUTION_OPERATION_REGISTRY } from './operations/registry';
import { SchemaEvolutionRepository, type PendingChangeRow } from './schema-evolution.repository';

/** One evolution step, computed against the current catalog; applying it is all or nothing. */
interface PlannedChange extends OperationPlan {
  operation: EvolutionOperation;
  collection: CatalogCollection;
}

function canonicalOperation(operation: string): EvolutionOperation {
  if ((EVOLUTION_OPERATIONS as readonly string[]).includes(operation))
    return operation as EvolutionOperation;
  const alias = OPERATION_ALIASES[operation];
  if (!alias) throw bad(`Unknown operation: ${operation}`);
  return alias;
}

/** Dispatches each operation to its planner (`operations/`) and owns the apply, preview and queue. */
@Injectable()
export class SchemaEvolutionService {
  constructor(
    private readonly catalog: CatalogService,
    private readonly schema: SchemaChangeService,
    private readonly repo: SchemaEvolutionRepository,
    private readonly views: DataViews,
  ) {}

  /** Validates an operation and computes its target metadata; throws the 4xx it deserves. */
  async planChange(
    projectId: string,
    collectionId: string,
    operationName: string,
    params: Record<string, unknown>,
  ): Promise<PlannedChange> {
    const operation = canonicalOperation(operationName);
    const catalog = await this.catalog.project(projectId);
    const collection = catalog.byId.get(collectionId);
    if (!collection) throw AppError.notFound('Collection');
    const definition = EVOLUTION_OPERATION_REGISTRY[operation];
    const input = definition.parse(params);
    const planned = definition.plan({ catalog, collection }, input);
    const newName = planned.after.name;
    // `/data/{name}` reads a view of that name: a rename must not take it.
    if (newName !== collection.meta.name && (await this.views.find(projectId, newName)))
      throw AppError.nameTaken(
        `A view named '${newName}' exists; a collection is read at /data/{name}, so names must differ`,
        'new_name',
      );
    return { ...planned, operation, collection };
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
        await change.writeMetadata(meta);
        if (change.logicalOp) {
          await this.repo.insertLogicalOp(client, {
            projectId,
            collectionId: change.collection.meta.id,
            opType: change.operation,
            payload: change.logicalOp.payload,
            actorUserId,
          });
        }
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
