import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { quoteQualified } from '../../schema-engine/identifiers';
import { CatalogService } from '../catalog/catalog.service';
import type {
  CreateRoleDto,
  RoleResponseDto,
  UpdateRoleDto,
  UserRolesResponseDto,
} from './dto/role.dto';
import { isUuid } from '../../common/util/uuid';

interface RoleRow {
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

const COLUMNS =
  'id, project_id, name, display_name, description, is_default, is_system, created_at, updated_at';
/** How long `rolesOf` answers from memory; changes made here invalidate at once. */
export const ROLES_CACHE_TTL_MS = 10_000;

/** The roles `/initialize` creates; `member` is the default unless the project already has one. */
const SYSTEM_ROLES = [
  { name: 'admin', displayName: 'Administrator', description: 'Full access', isDefault: false },
  { name: 'member', displayName: 'Member', description: 'Default role', isDefault: true },
  { name: 'viewer', displayName: 'Viewer', description: 'Read-only access', isDefault: false },
];

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

function toRole(r: RoleRow): RoleResponseDto {
  return {
    id: r.id,
    project_id: r.project_id,
    name: r.name,
    display_name: r.display_name,
    description: r.description,
    is_default: r.is_default,
    is_system: r.is_system,
    created_at: r.created_at.toISOString(),
    updated_at: r.updated_at.toISOString(),
  };
}

function isUniqueViolation(err: unknown, constraint: string): boolean {
  const e = err as {
    code?: string;
    constraint?: string;
    driverError?: { code?: string; constraint?: string };
  };
  const code = e.driverError?.code ?? e.code;
  const name = e.driverError?.constraint ?? e.constraint;
  return code === '23505' && name === constraint;
}

/** Per-project roles and their assignment to app users (reference §2.10, §4.6, with the fixes). */
@Injectable()
export class RbacService {
  private readonly rolesCache = new Map<string, { expires: number; roles: Promise<string[]> }>();

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly catalog: CatalogService,
  ) {}

  // ---------------------------------------------------------------- API for other modules

  /** Role names an app user holds in a project (cached briefly; empty for unknown users). */
  async rolesOf(projectId: string, appUserId: string): Promise<string[]> {
    if (!isUuid(appUserId)) return [];
    const key = `${projectId}:${appUserId.toLowerCase()}`;
    const hit = this.rolesCache.get(key);
    if (hit && hit.expires > Date.now()) return [...(await hit.roles)];
    const roles = this.ds
      .query(
        `SELECT r.name FROM backendify.app_user_roles a
           JOIN backendify.roles r ON r.id = a.role_id
          WHERE a.project_id = $1 AND a.app_user_id = $2 ORDER BY r.name`,
        [projectId, appUserId],
      )
      .then((rows: { name: string }[]) => rows.map((r) => r.name));
    this.rolesCache.set(key, { expires: Date.now() + ROLES_CACHE_TTL_MS, roles });
    roles.catch(() => this.rolesCache.delete(key));
    return [...(await roles)];
  }

  /** Gives a new app user the project's default role, if it has one; returns its name. Idempotent. */
  async assignDefaultRole(
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
    this.invalidate(projectId, appUserId);
    return rows[0]?.name ?? null;
  }

  /** Drops cached role lists: one user's, or the whole project's. */
  invalidate(projectId: string, appUserId?: string): void {
    if (appUserId) {
      this.rolesCache.delete(`${projectId}:${appUserId.toLowerCase()}`);
      return;
    }
    for (const key of this.rolesCache.keys())
      if (key.startsWith(`${projectId}:`)) this.rolesCache.delete(key);
  }

  // ---------------------------------------------------------------- roles

  async listRoles(projectId: string): Promise<RoleResponseDto[]> {
    const rows: RoleRow[] = await this.ds.query(
      `SELECT ${COLUMNS} FROM backendify.roles WHERE project_id = $1 ORDER BY is_system DESC, name`,
      [projectId],
    );
    return rows.map(toRole);
  }

  async getRole(projectId: string, roleId: string): Promise<RoleResponseDto> {
    return toRole(await this.findRole(projectId, roleId));
  }

  async createRole(projectId: string, dto: CreateRoleDto): Promise<RoleResponseDto> {
    try {
      return await this.ds.transaction(async (m) => {
        if (dto.is_default) await this.clearDefault(m, projectId);
        const rows: RoleRow[] = await m.query(
          `INSERT INTO backendify.roles (project_id, name, display_name, description, is_default)
           VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
          [
            projectId,
            dto.name,
            dto.display_name ?? dto.name,
            dto.description ?? null,
            dto.is_default ?? false,
          ],
        );
        return toRole(rows[0]);
      });
    } catch (err) {
      if (isUniqueViolation(err, 'uq_roles_project_name'))
        throw AppError.conflict(`Role '${dto.name}' already exists in this project`);
      if (isUniqueViolation(err, 'uq_roles_project_default'))
        throw AppError.conflict('Another role became the default at the same time; retry');
      throw err;
    }
  }

  async updateRole(
    projectId: string,
    roleId: string,
    dto: UpdateRoleDto,
  ): Promise<RoleResponseDto> {
    const role = await this.findRole(projectId, roleId);
    if (role.is_system) throw AppError.forbidden('Cannot modify system roles');
    try {
      return await this.ds.transaction(async (m) => {
        if (dto.is_default === true) await this.clearDefault(m, projectId);
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
            dto.display_name ?? null,
            dto.description !== undefined,
            dto.description ?? null,
            dto.is_default ?? null,
          ],
        );
        return toRole(rowsOf<RoleRow>(result)[0]);
      });
    } catch (err) {
      if (isUniqueViolation(err, 'uq_roles_project_default'))
        throw AppError.conflict('Another role became the default at the same time; retry');
      throw err;
    }
  }

  async deleteRole(projectId: string, roleId: string): Promise<void> {
    const role = await this.findRole(projectId, roleId);
    if (role.is_system) throw AppError.forbidden('Cannot delete system roles');
    await this.ds.query(`DELETE FROM backendify.roles WHERE project_id = $1 AND id = $2`, [
      projectId,
      roleId,
    ]);
    this.invalidate(projectId);
  }

  /** Creates the missing system roles; idempotent. Never makes a second default. */
  async initialize(projectId: string): Promise<{ roles_created: number }> {
    return this.ds.transaction(async (m) => {
      // Serialise concurrent initialisations of one project.
      await m.query(`SELECT id FROM backendify.projects WHERE id = $1 FOR UPDATE`, [projectId]);
      const existing: { n: number }[] = await m.query(
        `SELECT count(*)::int AS n FROM backendify.roles WHERE project_id = $1 AND is_default`,
        [projectId],
      );
      const hasDefault = existing[0].n > 0;
      let created = 0;
      for (const r of SYSTEM_ROLES) {
        const rows: unknown[] = await m.query(
          `INSERT INTO backendify.roles (project_id, name, display_name, description, is_system, is_default)
           VALUES ($1, $2, $3, $4, true, $5)
           ON CONFLICT (project_id, name) DO NOTHING RETURNING id`,
          [projectId, r.name, r.displayName, r.description, r.isDefault && !hasDefault],
        );
        created += rows.length;
      }
      return { roles_created: created };
    });
  }

  // ---------------------------------------------------------------- assignments

  async userRoles(projectId: string, appUserId: string): Promise<UserRolesResponseDto> {
    const id = await this.requireAppUser(projectId, appUserId);
    return { app_user_id: id, roles: await this.rolesFor(projectId, id) };
  }

  /** Assigns every listed role or none (the original kept the ones before an unknown id). */
  async assign(
    projectId: string,
    appUserId: string,
    roleIds: string[],
    adminUserId: string,
  ): Promise<UserRolesResponseDto> {
    const id = await this.requireAppUser(projectId, appUserId);
    const ids = [...new Set(roleIds.map((r) => r.toLowerCase()))];
    if (ids.some((r) => !isUuid(r))) throw AppError.notFound('Role');
    await this.ds.transaction(async (m) => {
      const found: { id: string }[] = await m.query(
        `SELECT id FROM backendify.roles WHERE project_id = $1 AND id = ANY($2::uuid[])`,
        [projectId, ids],
      );
      if (found.length !== ids.length) throw AppError.notFound('Role');
      await m.query(
        `INSERT INTO backendify.app_user_roles (project_id, app_user_id, role_id, assigned_by)
         SELECT $1, $2, unnest($3::uuid[]), $4
         ON CONFLICT (app_user_id, role_id) DO NOTHING`,
        [projectId, id, ids, adminUserId],
      );
    });
    this.invalidate(projectId, id);
    return { app_user_id: id, roles: await this.rolesFor(projectId, id) };
  }

  async unassign(projectId: string, appUserId: string, roleId: string): Promise<void> {
    const id = await this.requireAppUser(projectId, appUserId);
    await this.findRole(projectId, roleId);
    const result: unknown = await this.ds.query(
      `DELETE FROM backendify.app_user_roles
        WHERE project_id = $1 AND app_user_id = $2 AND role_id = $3 RETURNING id`,
      [projectId, id, roleId],
    );
    if (rowsOf(result).length === 0)
      throw new AppError('NOT_FOUND', 'User does not have this role');
    this.invalidate(projectId, id);
  }

  // ---------------------------------------------------------------- helpers

  private async rolesFor(projectId: string, appUserId: string): Promise<RoleResponseDto[]> {
    const rows: RoleRow[] = await this.ds.query(
      `SELECT ${COLUMNS.split(', ')
        .map((c) => `r.${c}`)
        .join(', ')}
         FROM backendify.app_user_roles a JOIN backendify.roles r ON r.id = a.role_id
        WHERE a.project_id = $1 AND a.app_user_id = $2 ORDER BY r.name`,
      [projectId, appUserId],
    );
    return rows.map(toRole);
  }

  private async findRole(projectId: string, roleId: string): Promise<RoleRow> {
    if (!isUuid(roleId)) throw AppError.notFound('Role');
    const rows: RoleRow[] = await this.ds.query(
      `SELECT ${COLUMNS} FROM backendify.roles WHERE project_id = $1 AND id = $2`,
      [projectId, roleId],
    );
    if (!rows[0]) throw AppError.notFound('Role');
    return rows[0];
  }

  private async clearDefault(m: EntityManager, projectId: string): Promise<void> {
    await m.query(
      `UPDATE backendify.roles SET is_default = false, updated_at = now()
        WHERE project_id = $1 AND is_default`,
      [projectId],
    );
  }

  /** The app user's id (lowercased) when they exist in the project's `_users`; 404 otherwise. */
  private async requireAppUser(projectId: string, appUserId: string): Promise<string> {
    if (!isUuid(appUserId)) throw AppError.notFound('App user');
    const { schema } = await this.catalog.project(projectId);
    const id = appUserId.toLowerCase();
    let rows: unknown[];
    try {
      rows = await this.ds.query(
        `SELECT 1 FROM ${quoteQualified(schema, '_users')} WHERE id = $1`,
        [id],
      );
    } catch (err) {
      // A project without a `_users` table has no app users.
      if ((err as { driverError?: { code?: string } }).driverError?.code === '42P01')
        throw AppError.notFound('App user');
      throw err;
    }
    if (rows.length === 0) throw AppError.notFound('App user');
    return id;
  }
}
