import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import type { CollectionMeta } from '../../schema-engine/catalog.types';
import { CatalogService } from '../catalog/catalog.service';
import type { RecordAction } from '../access/access-context';
import { RbacService } from '../rbac/rbac.service';
import type { Condition } from './condition';
import {
  conditionToFilter,
  bypassesPolicies,
  decide,
  filterToText,
  gateFailure,
  varsOf,
  type EvalPrincipal,
  type PolicyEffect,
} from './policy-engine';
import { PoliciesRepository } from './policies.repository';
import { deniedError, PolicyDecisionsService } from './policy-decisions.service';
import { isUuid } from '../../common/util/uuid';

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

/** `GET …/policies/explain`: which policy decides for a principal, why, and the row filter. */
@Injectable()
export class PolicyExplainService {
  constructor(
    private readonly repo: PoliciesRepository,
    private readonly catalog: CatalogService,
    private readonly rbac: RbacService,
    private readonly decisions: PolicyDecisionsService,
  ) {}

  async explain(
    projectId: string,
    collectionName: string,
    action: RecordAction,
    as: string,
  ): Promise<ExplainResult> {
    const { meta } = await this.catalog.collectionByName(projectId, collectionName);
    const principal = await this.principalFor(projectId, meta, as);
    const policies = await this.decisions.prepared(meta);
    const now = new Date();
    const base = {
      action,
      as,
      principal: this.describePrincipal(principal),
      steps: [] as ExplainStep[],
      decided_by: null as ExplainResult['decided_by'],
    };
    if (bypassesPolicies(principal)) {
      return {
        ...base,
        decision: 'allow_all',
        status: 200,
        detail:
          principal.kind === 'admin'
            ? 'Project admins bypass policies'
            : 'Service API keys bypass policies and readable-field lists',
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
          step.reason =
            f.value === null
              ? 'condition is unknown for this principal (it compares with a variable the principal lacks)'
              : 'condition can never hold for this principal';
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
      const err = deniedError(principal, action, meta.name);
      return {
        ...base,
        decision: 'deny',
        status: err.status,
        detail: `${err.detail} (${d.reason})`,
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
    const none = d.filter.kind === 'literal';
    if (none && action === 'create') {
      const err = deniedError(principal, action, meta.name);
      return {
        ...base,
        decision: 'deny',
        status: err.status,
        detail: `${err.detail} (no allow policy applies)`,
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

  private async principalFor(
    projectId: string,
    meta: CollectionMeta,
    as: string,
  ): Promise<EvalPrincipal> {
    if (as === 'anonymous') return { kind: 'anonymous' };
    // `api_key` is a public key (under policies, the original's meaning); a service key passes.
    if (as === 'api_key' || as === 'public_key')
      return { kind: 'api_key', keyId: 'explain', keyKind: 'public' };
    if (as === 'service_key') return { kind: 'api_key', keyId: 'explain', keyKind: 'service' };
    if (as === 'admin' || as === 'admin_user')
      return { kind: 'admin', userId: 'explain', role: 'owner' };
    const m = /^app_user:(.+)$/.exec(as);
    if (!m) {
      const msg =
        'as must be app_user:<id>, api_key (a public key), service_key, anonymous or admin';
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
    if (p.kind === 'api_key') return { kind: 'api_key', key_kind: p.keyKind };
    return { kind: p.kind === 'admin' ? 'admin_user' : p.kind };
  }
}
