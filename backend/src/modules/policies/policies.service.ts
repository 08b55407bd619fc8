import { Injectable } from '@nestjs/common';
import { isDeepStrictEqual } from 'node:util';
import { AppError, type FieldError } from '../../common/errors/app-error';
import type { FilterAst } from '../../query-engine/filter';
import { resolveColumn } from '../../query-engine/field-resolver';
import type { CollectionMeta } from '../../schema-engine/catalog.types';
import { CatalogService } from '../catalog/catalog.service';
import type { AccessContext, DataPrincipal, RecordAction } from '../records/access-context';
import { RbacService } from '../rbac/rbac.service';
import { ROLE_NAME_PATTERN } from '../rbac/dto/role.dto';
import {
  ConditionError,
  conditionFromJsonText,
  parseCondition,
  usesVariable,
  type Condition,
} from './condition';
import type { CreatePolicyDto, PolicyResponseDto, UpdatePolicyDto } from './dto/policy.dto';
import {
  decide,
  DEFAULT_PRINCIPALS,
  evaluateInMemory,
  filterToText,
  gateFailure,
  POLICY_ACTIONS,
  POLICY_EFFECTS,
  preparePolicies,
  PRINCIPAL_KINDS,
  conditionToFilter,
  varsOf,
  type EvalPrincipal,
  type PolicyEffect,
  type PreparedPolicy,
  type PrincipalKind,
} from './policy-engine';
import { PoliciesRepository, type PolicyWrite, type StoredPolicy } from './policies.repository';
import { isUuid } from '../../common/util/uuid';

export interface FieldAccess {
  /** Field names readable; null = all. */
  read: Set<string> | null;
  /** Field names writable; null = all. */
  write: Set<string> | null;
}

export interface ExplainStep {
  policy_id: string;
  name: string;
  priority: number;
  effect: PolicyEffect;
  result: 'skipped' | 'matches_all_rows' | 'matches_some_rows' | 'matches_no_rows' | 'not_reached';
  reason: string;
  condition: string | null;
}

export interface ExplainResult {
  action: RecordAction;
  as: string;
  principal: Record<string, unknown>;
  decision: 'allow_all' | 'row_filter' | 'deny';
  /** The HTTP status a data request would get when denied (401/403), else 200. */
  status: number;
  detail: string;
  decided_by: { id: string; name: string; effect: PolicyEffect } | null;
  steps: ExplainStep[];
  row_filter: string | null;
}

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

function denied(principal: DataPrincipal, action: RecordAction): AppError {
  return principal.kind === 'anonymous'
    ? AppError.unauthenticated('Authentication required')
    : AppError.forbidden(`Permission denied for action: ${action}`);
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

/**
 * Policies: CRUD for admins, and the row filters the data layer applies (reference §4.5 with the
 * fail-open holes closed: conditions are validated at save and compiled to SQL row filters).
 */
@Injectable()
export class PoliciesService {
  /** Per collection: its active policies, prepared against the meta object they were parsed with. */
  private readonly cache = new Map<
    string,
    { meta: CollectionMeta; policies: Promise<PreparedPolicy[]> }
  >();

  /** Keyed by the request's access context, so it lives exactly as long as the request. */
  private readonly perRequest = new WeakMap<
    AccessContext,
    Map<CollectionMeta, Promise<{ policies: PreparedPolicy[]; principal: EvalPrincipal }>>
  >();

  constructor(
    private readonly repo: PoliciesRepository,
    private readonly catalog: CatalogService,
    private readonly rbac: RbacService,
  ) {}

  // ---------------------------------------------------------------- API for the data layer

  /**
   * The row filter `access` must apply for `action` on `collection`; null = every row.
   * Throws 401 (anonymous) / 403 when no policy lets the principal act at all.
   */
  async rowFilter(
    access: AccessContext,
    collection: CollectionMeta,
    action: RecordAction,
  ): Promise<FilterAst | null> {
    if (access.principal.kind === 'admin') return null;
    const { policies, principal } = await this.inputs(access, collection);
    const d = decide(policies, principal, action);
    if (d.kind === 'all') return null;
    if (d.kind === 'deny') throw denied(access.principal, action);
    if (action === 'create' && d.filter.kind === 'literal' && !d.filter.value)
      throw denied(access.principal, action);
    return d.filter;
  }

  /** Checks a new row (values keyed by field/system-column name) against the create policies. */
  async checkCreate(
    access: AccessContext,
    collection: CollectionMeta,
    row: Record<string, unknown>,
  ): Promise<void> {
    if (access.principal.kind === 'admin') return;
    const { policies, principal } = await this.inputs(access, collection);
    if (!evaluateInMemory(policies, principal, row, 'create'))
      throw denied(access.principal, 'create');
  }

  /**
   * Whether `access` may see/act on one existing row, in memory (no throw): for realtime events,
   * webhooks and other places that hold a row rather than a query. Same semantics as `rowFilter`.
   */
  async allows(
    access: AccessContext,
    collection: CollectionMeta,
    action: RecordAction,
    row: Record<string, unknown>,
  ): Promise<boolean> {
    if (access.principal.kind === 'admin') return true;
    const { policies, principal } = await this.inputs(access, collection);
    return evaluateInMemory(policies, principal, row, action);
  }

  /**
   * Field-level access under the allow policies that can decide for this principal and action
   * (the union of their `read_fields`/`write_fields`; null = all). Same denials as `rowFilter`.
   */
  async fieldAccess(
    access: AccessContext,
    collection: CollectionMeta,
    action: RecordAction,
  ): Promise<FieldAccess> {
    if (access.principal.kind === 'admin') return { read: null, write: null };
    const { policies, principal } = await this.inputs(access, collection);
    const d = decide(policies, principal, action);
    if (d.kind === 'deny') throw denied(access.principal, action);
    if (d.kind === 'all' && d.deciding.length === 0) return { read: null, write: null };
    const union = (pick: (p: PreparedPolicy) => readonly string[] | null): Set<string> | null => {
      const out = new Set<string>();
      for (const p of d.deciding) {
        const list = pick(p);
        if (list === null) return null;
        for (const f of list) out.add(f);
      }
      return out;
    };
    return { read: union((p) => p.readFields), write: union((p) => p.writeFields) };
  }

  /**
   * The prepared policies and the evaluated principal, once per request and collection: a request
   * asks for its row filter, field access and create check, and `$current_user_email` costs a query.
   */
  private inputs(
    access: AccessContext,
    collection: CollectionMeta,
  ): Promise<{ policies: PreparedPolicy[]; principal: EvalPrincipal }> {
    let perRequest = this.perRequest.get(access);
    if (!perRequest) this.perRequest.set(access, (perRequest = new Map()));
    let hit = perRequest.get(collection);
    if (!hit) {
      hit = this.prepared(collection).then(async (policies) => ({
        policies,
        principal: await this.withEmail(access.principal, collection, policies),
      }));
      perRequest.set(collection, hit);
    }
    return hit;
  }

  /** Active policies of a collection, prepared (cached; invalidated on every policy change). */
  async prepared(collection: CollectionMeta): Promise<PreparedPolicy[]> {
    const hit = this.cache.get(collection.id);
    if (hit && hit.meta === collection) return hit.policies;
    const policies = this.repo
      .forCollection(collection.id, true)
      .then((rows) => preparePolicies(rows, collection));
    this.cache.set(collection.id, { meta: collection, policies });
    policies.catch(() => this.cache.delete(collection.id));
    return policies;
  }

  /** Drops the cached policies of a collection (and tells other processes via the catalog). */
  invalidate(projectId: string, collectionId: string): void {
    this.cache.delete(collectionId);
    this.catalog.invalidate(projectId);
  }

  // ---------------------------------------------------------------- admin routes

  async list(
    projectId: string,
    collectionName: string,
    includeInactive = false,
  ): Promise<PolicyResponseDto[]> {
    const { meta } = await this.catalog.collectionByName(projectId, collectionName);
    return (await this.repo.forCollection(meta.id, !includeInactive)).map(toDto);
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
    const saved = await this.repo.insert(meta.id, write);
    this.invalidate(projectId, meta.id);
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
    const saved = await this.repo.update(meta.id, policyId, write);
    if (!saved) throw AppError.notFound('Policy');
    this.invalidate(projectId, meta.id);
    return toDto(saved);
  }

  async delete(projectId: string, collectionName: string, policyId: string): Promise<void> {
    const { meta } = await this.catalog.collectionByName(projectId, collectionName);
    if (!isUuid(policyId) || !(await this.repo.delete(meta.id, policyId)))
      throw AppError.notFound('Policy');
    this.invalidate(projectId, meta.id);
  }

  /** Which policy decides for `as`, why earlier ones were skipped, and the resulting row filter. */
  async explain(
    projectId: string,
    collectionName: string,
    action: RecordAction,
    as: string,
  ): Promise<ExplainResult> {
    const { meta } = await this.catalog.collectionByName(projectId, collectionName);
    const principal = await this.principalFor(projectId, meta, as);
    const policies = await this.prepared(meta);
    const now = new Date();
    const base = {
      action,
      as,
      principal: this.describePrincipal(principal),
      steps: [] as ExplainStep[],
      decided_by: null as ExplainResult['decided_by'],
    };
    if (principal.kind === 'admin') {
      return {
        ...base,
        decision: 'allow_all',
        status: 200,
        detail: 'Project admins bypass policies',
        row_filter: null,
      };
    }
    const d = decide(policies, principal, action, now);
    const vars = varsOf(principal, now);
    let reached = true;
    for (const p of policies.filter((x) => x.action === action)) {
      const step: ExplainStep = {
        policy_id: p.id,
        name: p.name,
        priority: p.priority,
        effect: p.effect,
        result: 'skipped',
        reason: '',
        condition: p.parsed ? filterToText(conditionToFilter(p.parsed, vars)) : null,
      };
      const gate = gateFailure(p, principal);
      if (!reached) {
        step.result = 'not_reached';
        step.reason = 'an earlier policy already decided every row';
      } else if (gate) {
        step.reason = gate;
      } else if (p.invalid) {
        step.result = p.effect === 'deny' ? 'matches_all_rows' : 'matches_no_rows';
        step.reason = `stored condition is no longer valid (${p.invalid}); it fails closed`;
      } else {
        const c: Condition | null = p.parsed;
        const f = c ? conditionToFilter(c, vars) : null;
        if (f === null || (f.kind === 'literal' && f.value)) {
          step.result = 'matches_all_rows';
          step.reason =
            f === null
              ? 'no condition: decides every remaining row'
              : 'condition is always true for this principal';
        } else if (f.kind === 'literal') {
          step.result = 'matches_no_rows';
          step.reason = 'condition can never hold for this principal';
        } else {
          step.result = 'matches_some_rows';
          step.reason = `decides the rows where ${filterToText(f)}`;
        }
        if (step.result === 'matches_all_rows') {
          reached = false;
          base.decided_by = { id: p.id, name: p.name, effect: p.effect };
        }
      }
      base.steps.push(step);
    }
    if (d.kind === 'deny') {
      const err = denied(principal, action);
      return {
        ...base,
        decision: 'deny',
        status: err.status,
        detail: `${err.detail}: ${d.reason}`,
        row_filter: null,
      };
    }
    if (d.kind === 'all') {
      const detail =
        policies.length === 0
          ? 'The collection has no active policies: API keys may act on every row'
          : 'Every row is allowed';
      return { ...base, decision: 'allow_all', status: 200, detail, row_filter: null };
    }
    const none = d.filter.kind === 'literal' && !d.filter.value;
    if (none && action === 'create') {
      const err = denied(principal, action);
      return {
        ...base,
        decision: 'deny',
        status: err.status,
        detail: `${err.detail}: no allow policy applies`,
        row_filter: 'FALSE',
      };
    }
    return {
      ...base,
      decision: 'row_filter',
      status: 200,
      detail: none
        ? 'No row can match: lists come back empty and reads 404'
        : 'Rows are allowed where the row filter holds; rows that no policy matches are denied',
      row_filter: filterToText(d.filter),
    };
  }

  // ---------------------------------------------------------------- helpers

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
        const col = resolveColumn(meta, name, { includeHidden: true });
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

  /** `$current_user_email` needs the app user's e-mail: looked up only when a policy uses it. */
  private async withEmail(
    principal: DataPrincipal,
    collection: CollectionMeta,
    policies: readonly PreparedPolicy[],
  ): Promise<EvalPrincipal> {
    if (principal.kind !== 'app_user') return principal;
    const given = (principal as EvalPrincipal).email;
    if (given !== undefined) return principal;
    if (!policies.some((p) => p.parsed && usesVariable(p.parsed, '$current_user_email')))
      return principal;
    const email = isUuid(principal.userId)
      ? await this.repo.appUserEmail(collection.schema, principal.userId)
      : null;
    return { ...principal, email };
  }

  private async principalFor(
    projectId: string,
    meta: CollectionMeta,
    as: string,
  ): Promise<EvalPrincipal> {
    if (as === 'anonymous') return { kind: 'anonymous' };
    if (as === 'api_key') return { kind: 'api_key', keyId: 'explain' };
    if (as === 'admin' || as === 'admin_user')
      return { kind: 'admin', userId: 'explain', role: 'owner' };
    const m = /^app_user:(.+)$/.exec(as);
    if (!m) {
      const msg = 'as must be app_user:<id>, api_key, anonymous or admin';
      throw AppError.validation(msg, [{ field: 'as', rule: 'enum', message: msg }]);
    }
    const id = m[1].toLowerCase();
    const user = isUuid(id) ? await this.repo.appUser(meta.schema, id) : null;
    if (!user) throw AppError.notFound('App user');
    return {
      kind: 'app_user',
      userId: id,
      emailVerified: user.is_email_verified,
      roles: await this.rbac.rolesOf(projectId, id),
      email: user.email,
    };
  }

  private describePrincipal(p: EvalPrincipal): Record<string, unknown> {
    if (p.kind === 'app_user')
      return {
        kind: 'app_user',
        id: p.userId,
        roles: p.roles,
        email_verified: p.emailVerified,
        email: p.email ?? null,
      };
    return { kind: p.kind === 'admin' ? 'admin_user' : p.kind };
  }
}
