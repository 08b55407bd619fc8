import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PoolClient } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { typeormTransaction } from '../../database/transaction';
import { quoteQualified } from '../../schema-engine/identifiers';
import type { RecordAction } from '../access/access-context';
import type { PolicyDefinition, PolicyEffect, PrincipalKind } from './policy-engine';

interface PolicyRow {
  id: string;
  collection_id: string;
  name: string;
  action: RecordAction;
  effect: PolicyEffect;
  condition: unknown;
  is_active: boolean;
  priority: number;
  allowed_principals: string[];
  require_email_verified: boolean;
  allowed_roles: string[];
  read_fields: string[] | null;
  write_fields: string[] | null;
  created_at: Date;
  updated_at: Date;
}

/** A stored policy with its collection and timestamps. */
export interface StoredPolicy extends PolicyDefinition {
  collectionId: string;
  updatedAt: Date;
}

export interface PolicyWrite {
  name: string;
  action: RecordAction;
  effect: PolicyEffect;
  condition: unknown;
  isActive: boolean;
  priority: number;
  allowedPrincipals: PrincipalKind[];
  requireEmailVerified: boolean;
  allowedRoles: string[];
  readFields: string[] | null;
  writeFields: string[] | null;
}

const COLUMNS = `id, collection_id, name, action, effect, condition, is_active, priority,
  allowed_principals, require_email_verified, allowed_roles, read_fields, write_fields,
  created_at, updated_at`;
const ORDER = 'ORDER BY priority DESC, created_at, id';

/** TypeORM's postgres driver answers UPDATE/DELETE with `[rows, affected]`; other statements with rows. */
function rowsOf<T>(result: unknown): T[] {
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as T[];
  }
  return result as T[];
}

function toPolicy(r: PolicyRow): StoredPolicy {
  return {
    id: r.id,
    collectionId: r.collection_id,
    name: r.name,
    action: r.action,
    effect: r.effect,
    condition: r.condition ?? null,
    isActive: r.is_active,
    priority: r.priority,
    allowedPrincipals: r.allowed_principals as PrincipalKind[],
    requireEmailVerified: r.require_email_verified,
    allowedRoles: r.allowed_roles,
    readFields: r.read_fields,
    writeFields: r.write_fields,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function params(w: PolicyWrite): unknown[] {
  return [
    w.name,
    w.action,
    w.effect,
    w.condition === null ? null : JSON.stringify(w.condition),
    w.isActive,
    w.priority,
    w.allowedPrincipals,
    w.requireEmailVerified,
    w.allowedRoles,
    w.readFields,
    w.writeFields,
  ];
}

@Injectable()
export class PoliciesRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** One transaction: writes below take its manager, the change log its pg client. */
  transaction<T>(fn: (m: EntityManager, client: PoolClient) => Promise<T>): Promise<T> {
    return typeormTransaction(this.ds, fn);
  }

  async forCollection(collectionId: string, activeOnly: boolean): Promise<StoredPolicy[]> {
    const rows: PolicyRow[] = await this.ds.query(
      `SELECT ${COLUMNS} FROM backendify.policies
        WHERE collection_id = $1 AND ($2 = false OR is_active) ${ORDER}`,
      [collectionId, activeOnly],
    );
    return rows.map(toPolicy);
  }

  /** Every policy of a project's live collections, with the collection's name; by role if given. */
  async forProject(
    projectId: string,
    role: string | null,
  ): Promise<(StoredPolicy & { collectionName: string })[]> {
    const rows: (PolicyRow & { collection_name: string })[] = await this.ds.query(
      `SELECT ${COLUMNS.split(',')
        .map((c) => `p.${c.trim()}`)
        .join(', ')}, c.name AS collection_name
         FROM backendify.policies p JOIN backendify.collections c ON c.id = p.collection_id
        WHERE c.project_id = $1 AND ($2::text IS NULL OR $2 = ANY(p.allowed_roles))
        ORDER BY c.name, p.action, p.priority DESC, p.created_at, p.id`,
      [projectId, role],
    );
    return rows.map((r) => ({ ...toPolicy(r), collectionName: r.collection_name }));
  }

  async find(collectionId: string, id: string): Promise<StoredPolicy | null> {
    const rows: PolicyRow[] = await this.ds.query(
      `SELECT ${COLUMNS} FROM backendify.policies WHERE collection_id = $1 AND id = $2`,
      [collectionId, id],
    );
    return rows[0] ? toPolicy(rows[0]) : null;
  }

  async insert(m: EntityManager, collectionId: string, w: PolicyWrite): Promise<StoredPolicy> {
    const rows: PolicyRow[] = await m.query(
      `INSERT INTO backendify.policies (collection_id, name, action, effect, condition, is_active,
         priority, allowed_principals, require_email_verified, allowed_roles, read_fields, write_fields)
       VALUES ($12, $1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9, $10, $11)
       RETURNING ${COLUMNS}`,
      [...params(w), collectionId],
    );
    return toPolicy(rows[0]);
  }

  async update(
    m: EntityManager,
    collectionId: string,
    id: string,
    w: PolicyWrite,
  ): Promise<StoredPolicy | null> {
    const rows = rowsOf<PolicyRow>(
      await m.query(
        `UPDATE backendify.policies SET name = $1, action = $2, effect = $3, condition = $4::jsonb,
         is_active = $5, priority = $6, allowed_principals = $7, require_email_verified = $8,
         allowed_roles = $9, read_fields = $10, write_fields = $11, updated_at = now()
       WHERE collection_id = $12 AND id = $13
       RETURNING ${COLUMNS}`,
        [...params(w), collectionId, id],
      ),
    );
    return rows[0] ? toPolicy(rows[0]) : null;
  }

  /** Deletes a policy and answers it as it was; null when there was none. */
  async delete(m: EntityManager, collectionId: string, id: string): Promise<StoredPolicy | null> {
    const rows = rowsOf<PolicyRow>(
      await m.query(
        `DELETE FROM backendify.policies WHERE collection_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
        [collectionId, id],
      ),
    );
    return rows[0] ? toPolicy(rows[0]) : null;
  }

  /** The e-mail of an app user (for `$current_user_email`), or null. */
  async appUserEmail(schema: string, appUserId: string): Promise<string | null> {
    const rows: { email: string }[] = await this.ds.query(
      `SELECT email FROM ${quoteQualified(schema, '_users')} WHERE id = $1`,
      [appUserId],
    );
    return rows[0]?.email ?? null;
  }

  /** An app user's verification flag, or null when there is no such user. */
  async appUser(
    schema: string,
    appUserId: string,
  ): Promise<{ email: string; is_email_verified: boolean } | null> {
    const rows: { email: string; is_email_verified: boolean }[] = await this.ds.query(
      `SELECT email, is_email_verified FROM ${quoteQualified(schema, '_users')} WHERE id = $1`,
      [appUserId],
    );
    return rows[0] ?? null;
  }
}
