import { Injectable } from '@nestjs/common';
import { isDeepStrictEqual } from 'node:util';
import { AppError, type FieldError } from '../../common/errors/app-error';
import { resolveColumn } from '../../query-engine/field-resolver';
import type { CollectionMeta } from '../../schema-engine/catalog.types';
import { CatalogService } from '../catalog/catalog.service';
import { updateMeta, type JsonObject } from '../change-log/change-event';
import { ChangeLogService } from '../change-log/change-log.service';
import type { RecordAction } from '../access/access-context';
import { ROLE_NAME_PATTERN } from '../rbac/dto/role.dto';
import { ConditionError, conditionFromJsonText, parseCondition } from './condition';
import type {
  CreatePolicyDto,
  PolicyResponseDto,
  ProjectPolicyResponseDto,
  UpdatePolicyDto,
} from './dto/policy.dto';
import {
  DEFAULT_PRINCIPALS,
  POLICY_ACTIONS,
  POLICY_EFFECTS,
  PRINCIPAL_KINDS,
  type PolicyEffect,
  type PrincipalKind,
} from './policy-engine';
import { PoliciesRepository, type PolicyWrite, type StoredPolicy } from './policies.repository';
import { PolicyDecisionsService } from './policy-decisions.service';
import { isUuid } from '../../common/util/uuid';
import { isConcealedField } from '../access/concealed-fields';

function toDto(p: StoredPolicy): PolicyResponseDto {
  return {
    id: p.id,
    collection_id: p.collectionId,
    name: p.name,
    action: p.action,
    effect: p.effect,
    condition_json: p.condition === null ? null : JSON.stringify(p.condition),
    condition: p.condition,
    is_active: p.isActive,
    priority: p.priority,
    allowed_principals: (p.allowedPrincipals.length > 0
      ? p.allowedPrincipals
      : DEFAULT_PRINCIPALS
    ).join(','),
    require_email_verified: p.requireEmailVerified,
    allowed_roles: p.allowedRoles.length > 0 ? p.allowedRoles.join(',') : null,
    read_fields: p.readFields ? [...p.readFields] : null,
    write_fields: p.writeFields ? [...p.writeFields] : null,
    created_at: p.createdAt.toISOString(),
    updated_at: p.updatedAt.toISOString(),
  };
}

/** What the audit log says of a policy: its settings (it holds no secret). */
function policyMeta(p: StoredPolicy): JsonObject {
  return {
    policy_id: p.id,
    name: p.name,
    action: p.action,
    effect: p.effect,
    priority: p.priority,
    is_active: p.isActive,
    condition: p.condition,
    allowed_principals: [...p.allowedPrincipals],
    require_email_verified: p.requireEmailVerified,
    allowed_roles: [...p.allowedRoles],
    read_fields: p.readFields ? [...p.readFields] : null,
    write_fields: p.writeFields ? [...p.writeFields] : null,
  };
}

function commaList(raw: unknown, field: string): string[] | null {
  if (raw === undefined) return null;
  if (raw === null) return [];
  const items = typeof raw === 'string' ? raw.split(',') : raw;
  if (!Array.isArray(items) || !items.every((i) => typeof i === 'string')) {
    throw AppError.validation(`${field} must be a comma string or an array of strings`, [
      { field, rule: 'type', message: `${field} must be a comma string or an array of strings` },
    ]);
  }
  const out = (items as string[]).map((i) => i.trim()).filter((i) => i !== '');
  return [...new Set(out)];
}

/** Admin CRUD of a collection's policies; every save is validated (fail closed) and invalidates the cache. */
@Injectable()
export class PoliciesAdminService {
  constructor(
    private readonly repo: PoliciesRepository,
    private readonly catalog: CatalogService,
    private readonly decisions: PolicyDecisionsService,
    private readonly changeLog: ChangeLogService,
  ) {}

  async list(
    projectId: string,
    collectionName: string,
    includeInactive = false,
  ): Promise<PolicyResponseDto[]> {
    const { meta } = await this.catalog.collectionByName(projectId, collectionName);
    return (await this.repo.forCollection(meta.id, !includeInactive)).map(toDto);
  }

  /** Every policy of the project (inactive ones too) with its collection; optionally by role. */
  async listProject(projectId: string, role?: string): Promise<ProjectPolicyResponseDto[]> {
    await this.catalog.project(projectId);
    return (await this.repo.forProject(projectId, role ?? null)).map((p) => ({
      ...toDto(p),
      collection: p.collectionName,
    }));
  }

  async get(
    projectId: string,
    collectionName: string,
    policyId: string,
  ): Promise<PolicyResponseDto> {
    const { meta } = await this.catalog.collectionByName(projectId, collectionName);
    return toDto(await this.find(meta.id, policyId));
  }

  async create(
    projectId: string,
    collectionName: string,
    dto: CreatePolicyDto,
  ): Promise<PolicyResponseDto> {
    const { meta } = await this.catalog.collectionByName(projectId, collectionName);
    if (!(POLICY_ACTIONS as readonly string[]).includes(dto.action)) {
      throw AppError.validation(`Invalid action. Must be one of: ${POLICY_ACTIONS.join(', ')}`, [
        {
          field: 'action',
          rule: 'enum',
          message: `action must be one of: ${POLICY_ACTIONS.join(', ')}`,
        },
      ]);
    }
    const write = this.normalize(meta, dto, {
      name: dto.name,
      action: dto.action as RecordAction,
      effect: 'allow',
      condition: null,
      isActive: true,
      priority: 0,
      allowedPrincipals: [],
      requireEmailVerified: false,
      allowedRoles: [],
      readFields: null,
      writeFields: null,
    });
    const saved = await this.repo.transaction(async (m, client) => {
      const p = await this.repo.insert(m, meta.id, write);
      await this.changeLog.appendAdmin(client, projectId, 'policy.create', policyMeta(p), meta);
      return p;
    });
    await this.decisions.invalidate(projectId);
    return toDto(saved);
  }

  async update(
    projectId: string,
    collectionName: string,
    policyId: string,
    dto: UpdatePolicyDto,
  ): Promise<PolicyResponseDto> {
    const { meta } = await this.catalog.collectionByName(projectId, collectionName);
    const current = await this.find(meta.id, policyId);
    const write = this.normalize(meta, dto, {
      name: current.name,
      action: current.action,
      effect: current.effect,
      condition: current.condition,
      isActive: current.isActive,
      priority: current.priority,
      allowedPrincipals: [...current.allowedPrincipals],
      requireEmailVerified: current.requireEmailVerified,
      allowedRoles: [...current.allowedRoles],
      readFields: current.readFields ? [...current.readFields] : null,
      writeFields: current.writeFields ? [...current.writeFields] : null,
    });
    const saved = await this.repo.transaction(async (m, client) => {
      const p = await this.repo.update(m, meta.id, current.id, write);
      if (!p) throw AppError.notFound('Policy');
      const change = updateMeta(policyMeta(current), policyMeta(p));
      await this.changeLog.appendAdmin(client, projectId, 'policy.update', change, meta);
      return p;
    });
    await this.decisions.invalidate(projectId);
    return toDto(saved);
  }

  async delete(projectId: string, collectionName: string, policyId: string): Promise<void> {
    const { meta } = await this.catalog.collectionByName(projectId, collectionName);
    if (!isUuid(policyId)) throw AppError.notFound('Policy');
    await this.repo.transaction(async (m, client) => {
      const p = await this.repo.delete(m, meta.id, policyId);
      if (!p) throw AppError.notFound('Policy');
      await this.changeLog.appendAdmin(client, projectId, 'policy.delete', policyMeta(p), meta);
    });
    await this.decisions.invalidate(projectId);
  }

  private async find(collectionId: string, policyId: string): Promise<StoredPolicy> {
    const p = isUuid(policyId) ? await this.repo.find(collectionId, policyId.toLowerCase()) : null;
    if (!p) throw AppError.notFound('Policy');
    return p;
  }

  /** Applies a create/patch body over `base`, validating everything (fail closed). */
  private normalize(meta: CollectionMeta, dto: UpdatePolicyDto, base: PolicyWrite): PolicyWrite {
    const out: PolicyWrite = { ...base };
    const errors: FieldError[] = [];
    if (dto.name !== undefined) out.name = dto.name;
    if (dto.effect !== undefined) {
      if (!(POLICY_EFFECTS as readonly string[]).includes(dto.effect)) {
        throw AppError.validation(`Invalid effect. Must be one of: ${POLICY_EFFECTS.join(', ')}`, [
          {
            field: 'effect',
            rule: 'enum',
            message: `effect must be one of: ${POLICY_EFFECTS.join(', ')}`,
          },
        ]);
      }
      out.effect = dto.effect as PolicyEffect;
    }
    if (dto.priority !== undefined) out.priority = dto.priority;
    if (dto.is_active !== undefined) out.isActive = dto.is_active;
    if (dto.require_email_verified !== undefined)
      out.requireEmailVerified = dto.require_email_verified;

    const principals = commaList(dto.allowed_principals, 'allowed_principals');
    if (principals) {
      const bad = principals.find((p) => !(PRINCIPAL_KINDS as readonly string[]).includes(p));
      if (bad !== undefined) {
        const msg = `Invalid principal '${bad}'. Must be one of: ${PRINCIPAL_KINDS.join(', ')}`;
        throw AppError.validation(msg, [
          { field: 'allowed_principals', rule: 'enum', message: msg },
        ]);
      }
      out.allowedPrincipals = principals as PrincipalKind[];
    }
    const roles = commaList(dto.allowed_roles, 'allowed_roles');
    if (roles) {
      const bad = roles.find((r) => !ROLE_NAME_PATTERN.test(r));
      if (bad !== undefined) {
        const msg = `Invalid role name '${bad}'`;
        throw AppError.validation(msg, [{ field: 'allowed_roles', rule: 'pattern', message: msg }]);
      }
      out.allowedRoles = roles;
    }

    for (const key of ['read_fields', 'write_fields'] as const) {
      const list = dto[key];
      if (list === undefined) continue;
      if (list === null) {
        out[key === 'read_fields' ? 'readFields' : 'writeFields'] = null;
        continue;
      }
      const names: string[] = [];
      for (const name of list) {
        if (isConcealedField(meta, name)) {
          errors.push({
            field: key,
            rule: 'hidden_field',
            message: `Field '${name}' is hidden and cannot be listed in ${key}`,
          });
          continue;
        }
        const col = resolveColumn(meta, name);
        const field = meta.fields.find((f) => !f.isDeleted && f.name === name);
        if (!col && !field)
          errors.push({ field: key, rule: 'unknown_field', message: `Unknown field '${name}'` });
        else names.push(col ? col.key : name);
      }
      out[key === 'read_fields' ? 'readFields' : 'writeFields'] = [...new Set(names)];
    }

    const condition = this.conditionOf(dto);
    if (condition !== undefined) {
      if (condition !== null) {
        try {
          parseCondition(condition, meta);
        } catch (err) {
          if (!(err instanceof ConditionError)) throw err;
          errors.push(...err.errors);
        }
      }
      out.condition = condition;
    }
    if (errors.length > 0)
      throw AppError.validation(
        `Invalid policy: ${errors.map((e) => e.message).join('; ')}`,
        errors,
      );
    return out;
  }

  /** `condition_json` (text) and `condition` (object) are one value; undefined = unchanged. */
  private conditionOf(dto: UpdatePolicyDto): unknown {
    const fromText =
      dto.condition_json === undefined
        ? undefined
        : dto.condition_json === null || dto.condition_json.trim() === ''
          ? null
          : this.parseJsonText(dto.condition_json);
    const fromObject = dto.condition;
    if (
      fromText !== undefined &&
      fromObject !== undefined &&
      !isDeepStrictEqual(fromText, fromObject)
    ) {
      throw AppError.validation('condition and condition_json disagree; send one of them', [
        {
          field: 'condition',
          rule: 'conflict',
          message: 'condition and condition_json must be the same value',
        },
      ]);
    }
    return fromObject !== undefined ? fromObject : fromText;
  }

  private parseJsonText(text: string): unknown {
    try {
      return conditionFromJsonText(text);
    } catch (err) {
      if (err instanceof ConditionError)
        throw AppError.validation('Invalid condition JSON', err.errors);
      throw err;
    }
  }
}
