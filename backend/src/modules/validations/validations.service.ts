import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { AppError, type FieldError } from '../../common/errors/app-error';
import type { FieldMeta } from '../../schema-engine/catalog.types';
import { CacheSyncService } from '../cache-sync/cache-sync.service';
import { CatalogService } from '../catalog/catalog.service';
import type { CatalogCollection, ProjectCatalog } from '../catalog/catalog.types';
import { updateMeta, type JsonObject } from '../change-log/change-event';
import { ChangeLogService } from '../change-log/change-log.service';
import type {
  CreateRuleDto,
  RuleResponseDto,
  RuleTypesResponseDto,
  UpdateRuleDto,
  ValidatePayloadDto,
  ValidateResultDto,
} from './dto/validation-rule.dto';
import { PatternQueueFullError, PatternRunner } from './pattern-runner';
import {
  checkRecord,
  type CheckOutcome,
  type DeferredMatch,
  type RuleRow,
  type WriteMode,
} from './record-validator';
import {
  fieldConfigProblems,
  isRuleType,
  isSecretField,
  parseConfig,
  RULE_TYPE_INFO,
  RULE_TYPES,
  ruleAppliesTo,
  type RuleType,
} from './rule-types';
import { ValidationsRepository, type StoredRule } from './validations.repository';

type RulesByCollection = Map<string, StoredRule[]>;

/** Rules one field may hold; refused at save beyond it. */
export const MAX_RULES_PER_FIELD = 20;
/**
 * Pattern work a write may do on the event loop (input characters × RE2 program size, about
 * 20 ms at RE2's slowest); costlier checks go to the worker thread.
 */
export const INLINE_MATCH_COST = 200_000;
/** Worker time one write's pattern checks may take before the write is refused (400). */
export const MATCH_BUDGET_MS = 500;
/** Synchronous validation time after which a write yields to the event loop (bulk, import). */
const YIELD_AFTER_MS = 20;

@Injectable()
export class ValidationsService implements OnModuleDestroy {
  private readonly runner = new PatternRunner(MATCH_BUDGET_MS);
  /** Validation time spent on the event loop since it last yielded. */
  private busyMs = 0;

  /** Per project: the active rules, valid while the catalog snapshot they were loaded beside is current. */
  private readonly cache = new Map<
    string,
    { catalog: ProjectCatalog; rules: Promise<RulesByCollection> }
  >();

  constructor(
    private readonly repo: ValidationsRepository,
    private readonly catalog: CatalogService,
    private readonly cacheSync: CacheSyncService,
    private readonly changeLog: ChangeLogService,
  ) {
    cacheSync.onStale('validations', (projectId) =>
      projectId ? this.cache.delete(projectId) : this.cache.clear(),
    );
  }

  /**
   * Checks a create/update payload against the collection's active rules and throws
   * 400 VALIDATION_FAILED with `errors: [{field, rule, message}]` when any rule fails.
   * On update pass only the changed fields as `payload` and the stored row as `existing`.
   */
  async validateForWrite(
    projectId: string,
    collectionId: string,
    payload: Record<string, unknown>,
    mode: WriteMode,
    existing?: Record<string, unknown>,
  ): Promise<void> {
    const errors = await this.check(projectId, collectionId, payload, mode, existing);
    if (errors.length > 0) throw AppError.validation('Validation failed', errors);
  }

  /** Same as validateForWrite, returning the failures instead of throwing. */
  async check(
    projectId: string,
    collectionId: string,
    payload: Record<string, unknown>,
    mode: WriteMode,
    existing?: Record<string, unknown>,
  ): Promise<FieldError[]> {
    const catalog = await this.catalog.project(projectId);
    const collection = catalog.byId.get(collectionId);
    if (!collection) throw AppError.notFound('Collection');
    const rules = (await this.rulesFor(projectId, catalog)).get(collectionId) ?? [];
    if (rules.length === 0) return [];
    const started = performance.now();
    const outcomes = checkRecord(
      collection.meta,
      rules,
      payload,
      mode,
      existing,
      INLINE_MATCH_COST,
    );
    this.busyMs += performance.now() - started;
    const errors = await this.settle(outcomes);
    // Rows of a bulk or an import validate back to back without I/O: let other requests in.
    if (this.busyMs >= YIELD_AFTER_MS) {
      this.busyMs = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
    return errors;
  }

  onModuleDestroy(): Promise<void> {
    return this.runner.close();
  }

  /** Runs the deferred pattern checks on the worker within the write's budget. */
  private async settle(outcomes: CheckOutcome[]): Promise<FieldError[]> {
    const deferred = outcomes.flatMap((o) => ('deferred' in o ? [o.deferred] : []));
    let results: boolean[] | null = null;
    if (deferred.length > 0) {
      try {
        results = await this.runner.run(
          deferred.map((d) => ({
            re2: d.pattern.re2,
            caseInsensitive: d.pattern.caseInsensitive,
            input: d.input,
          })),
        );
      } catch (e) {
        if (e instanceof PatternQueueFullError) {
          throw new AppError(
            'RATE_LIMITED',
            'Too many writes are waiting for pattern checks; retry shortly',
            undefined,
            { 'retry-after': '1' },
          );
        }
        // Over the time budget, or the worker died on the pattern (memory): refused alike.
        results = null;
      }
    }
    const passed = new Map<DeferredMatch, boolean>(
      deferred.map((d, i) => [d, results?.[i] ?? false]),
    );
    const errors: FieldError[] = [];
    for (const o of outcomes) {
      if ('error' in o) errors.push(o.error);
      else if (results === null) errors.push({ ...o.deferred.error, message: overBudget() });
      else if (!passed.get(o.deferred)) errors.push(o.deferred.error);
    }
    return errors;
  }

  /** After a rule change: drops this project's cached rules here and in every other process. */
  invalidate(projectId: string): Promise<void> {
    return this.cacheSync.changed('validations', projectId);
  }

  ruleTypes(): RuleTypesResponseDto {
    return { rule_types: RULE_TYPES.map((t) => ({ ...RULE_TYPE_INFO[t] })) };
  }

  async create(
    projectId: string,
    collectionName: string,
    fieldName: string,
    dto: CreateRuleDto,
  ): Promise<RuleResponseDto> {
    const c = await this.catalog.collectionByName(projectId, collectionName);
    const field = ruleField(c, fieldName);
    if (!isRuleType(dto.rule_type)) {
      const detail = `Invalid rule type: ${dto.rule_type}. Valid types: ${RULE_TYPES.join(', ')}`;
      throw AppError.validation(detail, [{ field: 'rule_type', rule: 'enum', message: detail }]);
    }
    const type = dto.rule_type;
    if (!ruleAppliesTo(type, field)) {
      const detail = `Rule type '${type}' cannot be applied to field type '${field.type}'`;
      throw AppError.validation(detail, [
        { field: 'rule_type', rule: 'field_type', message: detail },
      ]);
    }
    const config = checkConfig(type, dto.config, field, c);
    if ((await this.repo.forField(field.id, true)).length >= MAX_RULES_PER_FIELD) {
      const detail = `A field holds at most ${MAX_RULES_PER_FIELD} validation rules`;
      throw AppError.validation(detail, [
        { field: 'field_name', rule: 'max_rules', message: detail },
      ]);
    }
    const write = {
      fieldId: field.id,
      ruleType: type,
      config,
      errorMessage: dto.error_message ?? null,
      priority: dto.priority ?? 0,
      isActive: dto.is_active ?? true,
    };
    const id = await this.repo.transaction(async (m, client) => {
      const ruleId = await this.repo.insert(m, write);
      const meta = ruleMeta({ ...write, id: ruleId }, field);
      await this.changeLog.appendAdmin(client, projectId, 'validation.create', meta, c.meta);
      return ruleId;
    });
    await this.invalidate(projectId);
    return this.get(projectId, id);
  }

  async list(
    projectId: string,
    collectionName: string,
    fieldName: string,
    includeInactive: boolean,
  ): Promise<RuleResponseDto[]> {
    const c = await this.catalog.collectionByName(projectId, collectionName);
    const field = ruleField(c, fieldName);
    const rules = await this.repo.forField(field.id, includeInactive);
    return rules.map((r) => toDto(r, field));
  }

  async get(projectId: string, ruleId: string): Promise<RuleResponseDto> {
    const { rule, field } = await this.findRule(projectId, ruleId);
    return toDto(rule, field);
  }

  async update(projectId: string, ruleId: string, dto: UpdateRuleDto): Promise<RuleResponseDto> {
    const { rule, field, collection } = await this.findRule(projectId, ruleId);
    const type = rule.ruleType as RuleType;
    const config =
      dto.config !== undefined
        ? checkConfig(type, dto.config ?? {}, field, collection)
        : rule.config;
    const patch = {
      config,
      errorMessage: dto.error_message !== undefined ? dto.error_message : rule.errorMessage,
      priority: dto.priority ?? rule.priority,
      isActive: dto.is_active ?? rule.isActive,
    };
    await this.repo.transaction(async (m, client) => {
      await this.repo.update(m, rule.id, patch);
      const change = updateMeta(ruleMeta(rule, field), ruleMeta({ ...rule, ...patch }, field));
      await this.changeLog.appendAdmin(
        client,
        projectId,
        'validation.update',
        change,
        collection.meta,
      );
    });
    await this.invalidate(projectId);
    return this.get(projectId, rule.id);
  }

  async delete(projectId: string, ruleId: string): Promise<void> {
    const { rule, field, collection } = await this.findRule(projectId, ruleId);
    await this.repo.transaction(async (m, client) => {
      await this.repo.delete(m, rule.id);
      const meta = ruleMeta(rule, field);
      await this.changeLog.appendAdmin(
        client,
        projectId,
        'validation.delete',
        meta,
        collection.meta,
      );
    });
    await this.invalidate(projectId);
  }

  /** The console's "try a payload": 200 with the failures, never a 400 for failing rules. */
  async validatePayload(
    projectId: string,
    collectionName: string,
    dto: ValidatePayloadDto,
  ): Promise<ValidateResultDto> {
    const c = await this.catalog.collectionByName(projectId, collectionName, { aliases: true });
    const errors = await this.check(
      projectId,
      c.meta.id,
      dto.data,
      dto.mode ?? 'create',
      dto.existing,
    );
    return { valid: errors.length === 0, is_valid: errors.length === 0, errors };
  }

  private async findRule(
    projectId: string,
    ruleId: string,
  ): Promise<{ rule: StoredRule; field: FieldMeta; collection: CatalogCollection }> {
    const rule = await this.repo.find(projectId, ruleId);
    const catalog = await this.catalog.project(projectId);
    const collection = rule ? catalog.byId.get(rule.collectionId) : undefined;
    const field = collection?.meta.fields.find((f) => f.id === rule?.fieldId);
    if (!rule || !collection || !field || isSecretField(field) || !isRuleType(rule.ruleType)) {
      throw AppError.notFound('Rule');
    }
    return { rule, field, collection };
  }

  private rulesFor(projectId: string, catalog: ProjectCatalog): Promise<RulesByCollection> {
    const hit = this.cache.get(projectId);
    if (hit && hit.catalog === catalog) return hit.rules;
    const rules = this.repo.activeForProject(projectId).then((rows) => {
      const grouped: RulesByCollection = new Map();
      for (const r of rows) {
        const list = grouped.get(r.collectionId) ?? [];
        list.push(r);
        grouped.set(r.collectionId, list);
      }
      return grouped;
    });
    const entry = { catalog, rules };
    this.cache.set(projectId, entry);
    rules.catch(() => {
      if (this.cache.get(projectId) === entry) this.cache.delete(projectId);
    });
    return rules;
  }
}

const overBudget = () =>
  `Took longer than the ${MATCH_BUDGET_MS} ms budget per write to check against the pattern; use a simpler pattern or a shorter value`;

/** Rules attach to live, non-secret fields; anything else looks like a missing field. */
function ruleField(c: CatalogCollection, name: string): FieldMeta {
  const f = c.meta.fields.find((x) => x.name === name && !x.isDeleted);
  if (!f || isSecretField(f)) throw AppError.notFound('Field');
  return f;
}

function checkConfig(
  type: RuleType,
  config: Record<string, unknown> | undefined,
  field: FieldMeta,
  c: CatalogCollection,
): Record<string, unknown> {
  const parsed = parseConfig(type, config ?? {});
  const problems = parsed.ok
    ? fieldConfigProblems(type, parsed.config, field, c.meta.fields)
    : parsed.problems;
  if (!parsed.ok || problems.length > 0) {
    throw AppError.validation(
      `Invalid config for rule type '${type}': ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`,
      problems,
    );
  }
  return parsed.config;
}

/** What the audit log says of a rule: its settings and the field it guards. */
function ruleMeta(r: RuleRow, field: FieldMeta): JsonObject {
  return {
    rule_id: r.id,
    field_id: r.fieldId,
    field_name: field.name,
    rule_type: r.ruleType,
    config: r.config,
    error_message: r.errorMessage,
    priority: r.priority,
    is_active: r.isActive,
  };
}

function toDto(r: StoredRule, field: FieldMeta): RuleResponseDto {
  return {
    id: r.id,
    field_id: r.fieldId,
    field_name: field.name,
    collection_id: r.collectionId,
    rule_type: r.ruleType,
    config: r.config,
    error_message: r.errorMessage,
    priority: r.priority,
    is_active: r.isActive,
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
  };
}
