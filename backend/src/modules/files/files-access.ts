import { randomUUID } from 'node:crypto';
import { AppError, type FieldError } from '../../common/errors/app-error';
import type { FilterAst } from '../../query-engine/filter';
import type { CollectionMeta, FieldMeta } from '../../schema-engine/catalog.types';
import type { FieldTypeName } from '../../schema-engine/field-types/field-type';
import type { DataPrincipal, RecordAction } from '../access/access-context';
import { ConditionError, parseCondition } from '../policies/condition';
import {
  decide,
  evaluateInMemory,
  POLICY_EFFECTS,
  preparePolicies,
  PRINCIPAL_KINDS,
  type PolicyDefinition,
  type PolicyEffect,
  type PreparedPolicy,
  type PrincipalKind,
} from '../policies/policy-engine';
import { deniedError } from '../policies/policy-decisions.service';
import { ROLE_NAME_PATTERN } from '../rbac/dto/role.dto';

/** What a bucket policy governs: `read` = list, get and download; `write` = upload and delete. */
export const BUCKET_POLICY_ACTIONS = ['read', 'write'] as const;
export type BucketPolicyAction = (typeof BUCKET_POLICY_ACTIONS)[number];

/** A bucket policy as stored (jsonb on the bucket row) and answered. */
export interface BucketPolicy {
  id: string;
  name: string;
  action: BucketPolicyAction;
  effect: PolicyEffect;
  condition: unknown;
  is_active: boolean;
  priority: number;
  allowed_principals: PrincipalKind[];
  require_email_verified: boolean;
  allowed_roles: string[];
  created_at: string;
}

function field(
  name: string,
  type: FieldTypeName,
  opts: { hidden?: boolean; required?: boolean } = {},
): FieldMeta {
  return {
    id: `files.${name}`,
    name,
    displayName: name,
    column: name,
    type,
    options: {},
    isRequired: opts.required ?? false,
    isUnique: false,
    isIndexed: false,
    isHidden: opts.hidden ?? false,
    isSystem: true,
    isDeleted: false,
    defaultValue: null,
  };
}

/**
 * The files table as the query engine sees a collection: bucket policies are written in the
 * collection policy language and compiled by the one query compiler against these columns
 * (`created_by_app_user_id = $current_app_user_id` included). Hidden columns are for server-built
 * filters only; a policy cannot name them.
 */
export const FILES_META: CollectionMeta = {
  id: 'backendify.files',
  projectId: '',
  name: 'files',
  displayName: 'Files',
  schema: 'backendify',
  table: 'files',
  isSystem: true,
  idType: 'uuid',
  fields: [
    field('bucket', 'string', { required: true }),
    field('filename', 'string', { required: true }),
    field('original_filename', 'string', { required: true }),
    field('content_type', 'string', { required: true }),
    field('size_bytes', 'int', { required: true }),
    field('is_public', 'bool', { required: true }),
    field('collection_id', 'uuid'),
    field('record_id', 'string'),
    field('field_name', 'string'),
    field('uploaded_by_user_id', 'uuid'),
    field('created_by_api_key_id', 'uuid'),
    field('project_id', 'uuid', { hidden: true, required: true }),
    field('bucket_id', 'uuid', { hidden: true, required: true }),
    field('status', 'string', { hidden: true, required: true }),
  ],
};

/** Read policies guard list/get/download; write policies guard upload (create) and delete. */
export function preparedBucketPolicies(policies: readonly BucketPolicy[]): PreparedPolicy[] {
  const defs: PolicyDefinition[] = [];
  for (const p of policies) {
    const actions: RecordAction[] = p.action === 'read' ? ['read', 'list'] : ['create', 'delete'];
    for (const action of actions)
      defs.push({
        id: p.id,
        name: p.name,
        action,
        effect: p.effect,
        condition: p.condition ?? null,
        isActive: p.is_active,
        priority: p.priority,
        allowedPrincipals: p.allowed_principals,
        requireEmailVerified: p.require_email_verified,
        allowedRoles: p.allowed_roles,
        readFields: null,
        writeFields: null,
        createdAt: new Date(p.created_at),
      });
  }
  return preparePolicies(defs, FILES_META);
}

/**
 * The row filter for `principal` on a bucket's files, null = every file; throws 401/403 when no
 * policy lets it act at all (the same decision as collections).
 */
export function bucketRowFilter(
  policies: readonly PreparedPolicy[],
  principal: DataPrincipal,
  action: RecordAction,
): FilterAst | null {
  const d = decide(policies, principal, action);
  if (d.kind === 'deny') throw deniedError(principal, action);
  if (action === 'create' && d.kind === 'filter' && d.filter.kind === 'literal')
    throw deniedError(principal, action);
  return d.kind === 'all' ? null : d.filter;
}

/** Whether the new file row (as it will be stored) passes the bucket's write policy. */
export function mayCreate(
  policies: readonly PreparedPolicy[],
  principal: DataPrincipal,
  row: Readonly<Record<string, unknown>>,
): boolean {
  return evaluateInMemory(policies, principal, row, 'create');
}

function list(raw: unknown, field: string, errors: FieldError[]): string[] | null {
  if (raw === undefined || raw === null) return null;
  const items = typeof raw === 'string' ? raw.split(',') : raw;
  if (!Array.isArray(items) || !items.every((i) => typeof i === 'string')) {
    errors.push({ field, rule: 'type', message: `${field} must be a comma string or an array` });
    return null;
  }
  return [...new Set((items as string[]).map((i) => i.trim()).filter((i) => i !== ''))];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Validates bucket policies as sent (fail closed: an unknown action, principal, role or a
 * condition the files columns cannot satisfy is a 400) and keeps the ids and ages of those that stay.
 */
export function normalizeBucketPolicies(
  raw: unknown,
  previous: readonly BucketPolicy[] = [],
): BucketPolicy[] {
  if (!Array.isArray(raw)) {
    throw AppError.validation('policies must be an array', [
      { field: 'policies', rule: 'type', message: 'policies must be an array' },
    ]);
  }
  if (raw.length > 50)
    throw AppError.validation('A bucket has at most 50 policies', [
      { field: 'policies', rule: 'max_items', message: 'At most 50 policies' },
    ]);
  const errors: FieldError[] = [];
  const out: BucketPolicy[] = [];
  const now = new Date().toISOString();
  raw.forEach((item, i) => {
    const at = (k: string) => `policies[${i}].${k}`;
    if (!isObject(item)) {
      errors.push({ field: `policies[${i}]`, rule: 'type', message: 'must be an object' });
      return;
    }
    const name = typeof item.name === 'string' ? item.name.trim() : '';
    if (name.length < 1 || name.length > 63)
      errors.push({ field: at('name'), rule: 'length', message: 'name: 1 to 63 characters' });
    const action = item.action;
    if (!(BUCKET_POLICY_ACTIONS as readonly unknown[]).includes(action))
      errors.push({ field: at('action'), rule: 'enum', message: 'action must be read or write' });
    const effect = item.effect ?? 'allow';
    if (!(POLICY_EFFECTS as readonly unknown[]).includes(effect))
      errors.push({ field: at('effect'), rule: 'enum', message: 'effect must be allow or deny' });
    const priority = item.priority ?? 0;
    if (!Number.isSafeInteger(priority) || Math.abs(priority as number) > 1_000_000)
      errors.push({ field: at('priority'), rule: 'type', message: 'priority must be an integer' });
    const principals = list(item.allowed_principals, at('allowed_principals'), errors) ?? [];
    const badPrincipal = principals.find(
      (p) => !(PRINCIPAL_KINDS as readonly string[]).includes(p),
    );
    if (badPrincipal !== undefined)
      errors.push({
        field: at('allowed_principals'),
        rule: 'enum',
        message: `Invalid principal '${badPrincipal}'. Must be one of: ${PRINCIPAL_KINDS.join(', ')}`,
      });
    const roles = list(item.allowed_roles, at('allowed_roles'), errors) ?? [];
    const badRole = roles.find((r) => !ROLE_NAME_PATTERN.test(r));
    if (badRole !== undefined)
      errors.push({
        field: at('allowed_roles'),
        rule: 'pattern',
        message: `Invalid role name '${badRole}'`,
      });
    for (const flag of ['is_active', 'require_email_verified'] as const)
      if (item[flag] !== undefined && typeof item[flag] !== 'boolean')
        errors.push({ field: at(flag), rule: 'type', message: `${flag} must be a boolean` });
    const condition = item.condition ?? null;
    if (condition !== null) {
      try {
        parseCondition(condition, FILES_META);
      } catch (err) {
        if (!(err instanceof ConditionError)) throw err;
        errors.push(...err.errors.map((e) => ({ ...e, field: at(`condition.${e.field}`) })));
      }
    }
    const kept = typeof item.id === 'string' ? previous.find((p) => p.id === item.id) : undefined;
    out.push({
      id: kept?.id ?? randomUUID(),
      name,
      action: action as BucketPolicyAction,
      effect: effect as PolicyEffect,
      condition,
      is_active: item.is_active === undefined ? true : Boolean(item.is_active),
      priority: priority as number,
      allowed_principals: principals as PrincipalKind[],
      require_email_verified: Boolean(item.require_email_verified),
      allowed_roles: roles,
      created_at: kept?.created_at ?? now,
    });
  });
  if (errors.length > 0)
    throw AppError.validation(
      `Invalid bucket policies: ${errors.map((e) => e.message).join('; ')}`,
      errors,
    );
  return out;
}
