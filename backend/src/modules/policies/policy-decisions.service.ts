import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import type { FilterAst } from '../../query-engine/filter';
import { ACTOR_COLUMNS } from '../../query-engine/readable';
import type { CollectionMeta } from '../../schema-engine/catalog.types';
import { CacheSyncService } from '../cache-sync/cache-sync.service';
import type { AccessContext, DataPrincipal, RecordAction } from '../access/access-context';
import { usesVariable } from './condition';
import {
  bypassesPolicies,
  decide,
  evaluateInMemory,
  preparePolicies,
  principalKind,
  type EvalPrincipal,
  type PreparedPolicy,
} from './policy-engine';
import { PoliciesRepository } from './policies.repository';
import { isUuid } from '../../common/util/uuid';

/** What one caller may do with one collection for one action: the input of every compiled query. */
export interface AccessDecision {
  /**
   * Rows the action may touch; null = every row. For create and update it is also the condition
   * the row as stored must meet.
   */
  rowFilter: FilterAst | null;
  /** Fields an answer may carry and a query may name (filter, sort, search, expand); null = all. */
  readableFields: ReadonlySet<string> | null;
  /** Fields a write may set; null = all. */
  writableFields: ReadonlySet<string> | null;
}

const UNRESTRICTED: AccessDecision = {
  rowFilter: null,
  readableFields: null,
  writableFields: null,
};
const WRITE_ACTIONS: ReadonlySet<RecordAction> = new Set(['create', 'update', 'delete']);

/** The union of the deciding allow policies' field lists (null = all); `all` = no policy consulted. */
function fieldLists(
  deciding: readonly PreparedPolicy[],
  all: boolean,
): { read: Set<string> | null; write: Set<string> | null } {
  if (all && deciding.length === 0) return { read: null, write: null };
  const union = (pick: (p: PreparedPolicy) => readonly string[] | null): Set<string> | null => {
    const out = new Set<string>();
    for (const p of deciding) {
      const list = pick(p);
      if (list === null) return null;
      for (const f of list) out.add(f);
    }
    return out;
  };
  return { read: union((p) => p.readFields), write: union((p) => p.writeFields) };
}

function intersect(a: Set<string> | null, b: Set<string> | null): Set<string> | null {
  if (a === null) return b;
  if (b === null) return a;
  return new Set([...a].filter((x) => b.has(x)));
}

/**
 * Who wrote a row is kept from anonymous callers unless a deciding policy's `read_fields` names the
 * actor columns; everyone else sees them as before, whatever their field list.
 */
function withActors(
  readable: Set<string> | null,
  principal: DataPrincipal,
  collection: CollectionMeta,
): Set<string> | null {
  if (principal.kind !== 'anonymous') {
    if (readable) for (const c of ACTOR_COLUMNS) readable.add(c);
    return readable;
  }
  if (readable) return readable;
  return new Set(collection.fields.filter((f) => !f.isDeleted && !f.isHidden).map((f) => f.name));
}

/**
 * The answer when no policy lets the principal act: 401 for anonymous callers, else 403. The
 * original's sentence comes first (its clients read it), then which policy is missing, named by
 * what the caller already knows (principal, action, collection), so it reveals no policy and a
 * missing collection reads like one without policies.
 */
export function deniedError(
  principal: DataPrincipal,
  action: RecordAction,
  collection?: string,
): AppError {
  const missing = `No policy allows ${principalKind(principal)} ${action} on ${collection ?? 'this collection'}`;
  return principal.kind === 'anonymous'
    ? AppError.unauthenticated(`Authentication required. ${missing}`)
    : AppError.forbidden(`Permission denied for action: ${action}. ${missing}`);
}

/**
 * Policy decisions for the data layer: one `decide` per request and collection gives the row
 * filter and the readable and writable fields every compiled query takes.
 */
@Injectable()
export class PolicyDecisionsService {
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
    private readonly cacheSync: CacheSyncService,
  ) {
    cacheSync.onStale('policies', (projectId) => {
      for (const [id, hit] of this.cache)
        if (projectId === null || hit.meta.projectId === projectId) this.cache.delete(id);
    });
  }

  /**
   * The one policies call of a data request: what `access` may do with `collection` for `action`.
   * Throws 401 (anonymous) / 403 when no policy lets the principal act at all.
   */
  async decide(
    access: AccessContext,
    collection: CollectionMeta,
    action: RecordAction,
  ): Promise<AccessDecision> {
    if (bypassesPolicies(access.principal)) return UNRESTRICTED;
    const { policies, principal } = await this.inputs(access, collection);
    const d = decide(policies, principal, action);
    if (d.kind === 'deny') throw deniedError(access.principal, action, collection.name);
    if (action === 'create' && d.kind === 'filter' && d.filter.kind === 'literal')
      throw deniedError(access.principal, action, collection.name);
    const fields = fieldLists(d.deciding, d.kind === 'all' && d.deciding.length === 0);
    let readable = fields.read;
    if (WRITE_ACTIONS.has(action)) {
      // A write's answer never shows more than a read of the row would.
      const r = decide(policies, principal, 'read');
      if (r.kind !== 'deny')
        readable = intersect(readable, fieldLists(r.deciding, r.kind === 'all').read);
    }
    return {
      rowFilter: d.kind === 'all' ? null : d.filter,
      readableFields: withActors(readable, access.principal, collection),
      writableFields: fields.write,
    };
  }

  /**
   * Whether `access` may see/act on one existing row, in memory (no throw): for realtime events,
   * webhooks and other places that hold a row rather than a query. Same three-valued semantics
   * as the SQL row filter of `decide`.
   */
  async allows(
    access: AccessContext,
    collection: CollectionMeta,
    action: RecordAction,
    row: Record<string, unknown>,
  ): Promise<boolean> {
    if (bypassesPolicies(access.principal)) return true;
    const { policies, principal } = await this.inputs(access, collection);
    if (decide(policies, principal, action).kind === 'deny') return false;
    return evaluateInMemory(policies, principal, row, action);
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

  /** After a policy change: drops the project's cached policies here and in every other process. */
  invalidate(projectId: string): Promise<void> {
    return this.cacheSync.changed('policies', projectId);
  }

  private async withEmail(
    principal: DataPrincipal,
    collection: CollectionMeta,
    policies: readonly PreparedPolicy[],
  ): Promise<EvalPrincipal> {
    // `$current_user_email` is set for verified app users only.
    if (principal.kind !== 'app_user' || !principal.emailVerified) return principal;
    const given = (principal as EvalPrincipal).email;
    if (given !== undefined) return principal;
    if (!policies.some((p) => p.parsed && usesVariable(p.parsed, '$current_user_email')))
      return principal;
    const email = isUuid(principal.userId)
      ? await this.repo.appUserEmail(collection.schema, principal.userId)
      : null;
    return { ...principal, email };
  }
}
