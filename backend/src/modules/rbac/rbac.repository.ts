import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PoolClient } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { typeormTransaction } from '../../database/transaction';
import { quoteQualified } from '../../schema-engine/identifiers';

export interface RoleRow {
  id: string;
  project_id: string;
  name: string;
  display_name: string;
  description: string | null;
  is_default: boolean;
  is_system: boolean;
  created_at: Date;
  updated_at: Date;
}

/** A role with how many app users hold it. */
export interface RoleWithCount extends RoleRow {
  user_count: number;
}

export interface RoleInsert {
  name: string;
  displayName: string;
  description: string | null;
  isDefault: boolean;
  isSystem?: boolean;
}

export interface RolePatch {
  displayName?: string;
  /** `undefined` keeps the description; `null` clears it. */
  description?: string | null;
  isDefault?: boolean;
}

const COLUMNS =
  'id, project_id, name, display_name, description, is_default, is_system, created_at, updated_at';
const R_COLUMNS = COLUMNS.split(', ')
  .map((c) => `r.${c}`)
  .join(', ');

const USER_COUNT = `(SELECT count(*)::int FROM backendify.app_user_roles a
  WHERE a.role_id = r.id) AS user_count`;

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

/** The only SQL of roles and role assignments (`backendify.roles`, `backendify.app_user_roles`). */
@Injectable()
export class RbacRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Runs `work` in one transaction; repository calls inside take its manager, the change log its client. */
  transaction<T>(work: (m: EntityManager, client: PoolClient) => Promise<T>): Promise<T> {
    return typeormTransaction(this.ds, work);
  }

  async roleNamesOf(projectId: string, appUserId: string): Promise<string[]> {
    const rows: { name: string }[] = await this.ds.query(
      `SELECT r.name FROM backendify.app_user_roles a
         JOIN backendify.roles r ON r.id = a.role_id
        WHERE a.project_id = $1 AND a.app_user_id = $2 ORDER BY r.name`,
      [projectId, appUserId],
    );
    return rows.map((r) => r.name);
  }

  async rolesOfUser(projectId: string, appUserId: string): Promise<RoleWithCount[]> {
    return this.ds.query(
      `SELECT ${R_COLUMNS}, ${USER_COUNT}
         FROM backendify.app_user_roles a JOIN backendify.roles r ON r.id = a.role_id
        WHERE a.project_id = $1 AND a.app_user_id = $2 ORDER BY r.name`,
      [projectId, appUserId],
    );
  }

  /** Assigns the project's default role (if any) to a user; answers its name. Idempotent. */
  async assignDefault(
    projectId: string,
    appUserId: string,
    manager: EntityManager = this.ds.manager,
  ): Promise<string | null> {
    const rows: { name: string }[] = await manager.query(
      `WITH d AS (SELECT id, name FROM backendify.roles WHERE project_id = $1 AND is_default),
            ins AS (INSERT INTO backendify.app_user_roles (project_id, app_user_id, role_id, assigned_by)
                    SELECT $1, $2, d.id, NULL FROM d
                    ON CONFLICT (app_user_id, role_id) DO NOTHING)
       SELECT name FROM d`,
      [projectId, appUserId],
    );
    return rows[0]?.name ?? null;
  }

  async list(projectId: string): Promise<RoleWithCount[]> {
    return this.ds.query(
      `SELECT ${R_COLUMNS}, ${USER_COUNT} FROM backendify.roles r
        WHERE r.project_id = $1 ORDER BY r.is_system DESC, r.name`,
      [projectId],
    );
  }

  async find(projectId: string, roleId: string): Promise<RoleWithCount | null> {
    const rows: RoleWithCount[] = await this.ds.query(
      `SELECT ${R_COLUMNS}, ${USER_COUNT} FROM backendify.roles r
        WHERE r.project_id = $1 AND r.id = $2`,
      [projectId, roleId],
    );
    return rows[0] ?? null;
  }

  async insert(m: EntityManager, projectId: string, role: RoleInsert): Promise<RoleRow> {
    const rows: RoleRow[] = await m.query(
      `INSERT INTO backendify.roles (project_id, name, display_name, description, is_default, is_system)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [
        projectId,
        role.name,
        role.displayName,
        role.description,
        role.isDefault,
        role.isSystem ?? false,
      ],
    );
    return rows[0];
  }

  /** Inserts a role unless one of that name exists; true when it was created. */
  async insertIfMissing(m: EntityManager, projectId: string, role: RoleInsert): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `INSERT INTO backendify.roles (project_id, name, display_name, description, is_system, is_default)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (project_id, name) DO NOTHING RETURNING id`,
      [
        projectId,
        role.name,
        role.displayName,
        role.description,
        role.isSystem ?? false,
        role.isDefault,
      ],
    );
    return rows.length > 0;
  }

  async update(
    m: EntityManager,
    projectId: string,
    roleId: string,
    patch: RolePatch,
  ): Promise<RoleRow> {
    const result: unknown = await m.query(
      `UPDATE backendify.roles SET
         display_name = COALESCE($3, display_name),
         description = CASE WHEN $4 THEN $5 ELSE description END,
         is_default = COALESCE($6, is_default),
         updated_at = now()
       WHERE project_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
      [
        projectId,
        roleId,
        patch.displayName ?? null,
        patch.description !== undefined,
        patch.description ?? null,
        patch.isDefault ?? null,
      ],
    );
    return rowsOf<RoleRow>(result)[0];
  }

  async delete(m: EntityManager, projectId: string, roleId: string): Promise<void> {
    await m.query(`DELETE FROM backendify.roles WHERE project_id = $1 AND id = $2`, [
      projectId,
      roleId,
    ]);
  }

  async clearDefault(m: EntityManager, projectId: string): Promise<void> {
    await m.query(
      `UPDATE backendify.roles SET is_default = false, updated_at = now()
        WHERE project_id = $1 AND is_default`,
      [projectId],
    );
  }

  /** Serialises concurrent role initialisations of one project (row lock on the project). */
  async lockProject(m: EntityManager, projectId: string): Promise<void> {
    await m.query(`SELECT id FROM backendify.projects WHERE id = $1 FOR UPDATE`, [projectId]);
  }

  async hasDefault(m: EntityManager, projectId: string): Promise<boolean> {
    const rows: { n: number }[] = await m.query(
      `SELECT count(*)::int AS n FROM backendify.roles WHERE project_id = $1 AND is_default`,
      [projectId],
    );
    return rows[0].n > 0;
  }

  /** How many of `roleIds` are roles of the project. */
  async countRoles(m: EntityManager, projectId: string, roleIds: string[]): Promise<number> {
    const found: { id: string }[] = await m.query(
      `SELECT id FROM backendify.roles WHERE project_id = $1 AND id = ANY($2::uuid[])`,
      [projectId, roleIds],
    );
    return found.length;
  }

  async assign(
    m: EntityManager,
    projectId: string,
    appUserId: string,
    roleIds: string[],
    adminUserId: string,
  ): Promise<void> {
    await m.query(
      `INSERT INTO backendify.app_user_roles (project_id, app_user_id, role_id, assigned_by)
       SELECT $1, $2, unnest($3::uuid[]), $4
       ON CONFLICT (app_user_id, role_id) DO NOTHING`,
      [projectId, appUserId, roleIds, adminUserId],
    );
  }

  /** Removes one assignment; false when the user did not hold the role. */
  async unassign(
    m: EntityManager,
    projectId: string,
    appUserId: string,
    roleId: string,
  ): Promise<boolean> {
    const result: unknown = await m.query(
      `DELETE FROM backendify.app_user_roles
        WHERE project_id = $1 AND app_user_id = $2 AND role_id = $3 RETURNING id`,
      [projectId, appUserId, roleId],
    );
    return rowsOf(result).length > 0;
  }

  /** Whether the app user exists in the project schema's `_users` (false without that table). */
  async appUserExists(schema: string, appUserId: string): Promise<boolean> {
    try {
      const rows: unknown[] = await this.ds.query(
        `SELECT 1 FROM ${quoteQualified(schema, '_users')} WHERE id = $1`,
        [appUserId],
      );
      return rows.length > 0;
    } catch (err) {
      // A project without a `_users` table has no app users.
      if ((err as { driverError?: { code?: string } }).driverError?.code === '42P01') return false;
      throw err;
    }
  }
}
