import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { CacheSyncService } from '../cache-sync/cache-sync.service';
import { CatalogService } from '../catalog/catalog.service';
import { updateMeta, type JsonObject } from '../change-log/change-event';
import { ChangeLogService } from '../change-log/change-log.service';
import type {
  CreateRoleDto,
  RoleResponseDto,
  UpdateRoleDto,
  UserRolesResponseDto,
} from './dto/role.dto';
import { isUuid } from '../../common/util/uuid';
import { RbacRepository, type RoleRow, type RoleWithCount } from './rbac.repository';

const withCount = (r: RoleWithCount) => toRole(r, r.user_count);

/** How long `rolesOf` answers from memory; changes invalidate at once, in every process. */
export const ROLES_CACHE_TTL_MS = 10_000;

/** The roles `/initialize` creates; `member` is the default unless the project already has one. */
const SYSTEM_ROLES = [
  { name: 'admin', displayName: 'Administrator', description: 'Full access', isDefault: false },
  { name: 'member', displayName: 'Member', description: 'Default role', isDefault: true },
  { name: 'viewer', displayName: 'Viewer', description: 'Read-only access', isDefault: false },
];

function toRole(r: RoleRow, userCount: number): RoleResponseDto {
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
    user_count: userCount,
  };
}

/** What the audit log says of a role. */
function roleMeta(r: RoleRow): JsonObject {
  return {
    role_id: r.id,
    name: r.name,
    display_name: r.display_name,
    description: r.description,
    is_default: r.is_default,
    is_system: r.is_system,
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
    private readonly repo: RbacRepository,
    private readonly catalog: CatalogService,
    private readonly cacheSync: CacheSyncService,
    private readonly changeLog: ChangeLogService,
  ) {
    cacheSync.onStale('roles', (projectId) => {
      if (projectId === null) return this.rolesCache.clear();
      for (const key of this.rolesCache.keys())
        if (key.startsWith(`${projectId}:`)) this.rolesCache.delete(key);
    });
  }

  // ---------------------------------------------------------------- API for other modules

  /** Role names an app user holds in a project (cached briefly; empty for unknown users). */
  async rolesOf(projectId: string, appUserId: string): Promise<string[]> {
    if (!isUuid(appUserId)) return [];
    const key = `${projectId}:${appUserId.toLowerCase()}`;
    const hit = this.rolesCache.get(key);
    if (hit && hit.expires > Date.now()) return [...(await hit.roles)];
    const roles = this.repo.roleNamesOf(projectId, appUserId);
    this.rolesCache.set(key, { expires: Date.now() + ROLES_CACHE_TTL_MS, roles });
    roles.catch(() => this.rolesCache.delete(key));
    return [...(await roles)];
  }

  /** Gives a new app user the project's default role, if it has one; returns its name. Idempotent. */
  async assignDefaultRole(
    projectId: string,
    appUserId: string,
    manager?: EntityManager,
  ): Promise<string | null> {
    const name = await this.repo.assignDefault(projectId, appUserId, manager);
    // Local only: no process can hold roles of a user that did not exist, and a bump per signup
    // would make every signup of a project wait on one row lock.
    this.rolesCache.delete(`${projectId}:${appUserId.toLowerCase()}`);
    return name;
  }

  // ---------------------------------------------------------------- roles

  async listRoles(projectId: string): Promise<RoleResponseDto[]> {
    return (await this.repo.list(projectId)).map(withCount);
  }

  async getRole(projectId: string, roleId: string): Promise<RoleResponseDto> {
    return withCount(await this.findRole(projectId, roleId));
  }

  async createRole(projectId: string, dto: CreateRoleDto): Promise<RoleResponseDto> {
    try {
      return await this.repo.transaction(async (m, client) => {
        if (dto.is_default) await this.repo.clearDefault(m, projectId);
        const row = await this.repo.insert(m, projectId, {
          name: dto.name,
          displayName: dto.display_name ?? dto.name,
          description: dto.description ?? null,
          isDefault: dto.is_default ?? false,
        });
        await this.changeLog.appendAdmin(client, projectId, 'role.create', roleMeta(row));
        return toRole(row, 0);
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
      return await this.repo.transaction(async (m, client) => {
        if (dto.is_default === true) await this.repo.clearDefault(m, projectId);
        const row = await this.repo.update(m, projectId, role.id, {
          displayName: dto.display_name,
          description: dto.description,
          isDefault: dto.is_default,
        });
        const change = updateMeta(roleMeta(role), roleMeta(row));
        await this.changeLog.appendAdmin(client, projectId, 'role.update', change);
        return toRole(row, role.user_count);
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
    await this.repo.transaction(async (m, client) => {
      await this.repo.delete(m, projectId, role.id);
      await this.changeLog.appendAdmin(client, projectId, 'role.delete', roleMeta(role));
    });
    await this.cacheSync.changed('roles', projectId);
  }

  /** Creates the missing system roles; idempotent. Never makes a second default. */
  async initialize(projectId: string): Promise<{ roles_created: number }> {
    return this.repo.transaction(async (m, client) => {
      await this.repo.lockProject(m, projectId);
      const hasDefault = await this.repo.hasDefault(m, projectId);
      const created: string[] = [];
      for (const r of SYSTEM_ROLES) {
        const made = await this.repo.insertIfMissing(m, projectId, {
          name: r.name,
          displayName: r.displayName,
          description: r.description,
          isSystem: true,
          isDefault: r.isDefault && !hasDefault,
        });
        if (made) created.push(r.name);
      }
      // A repeated initialisation changes nothing and so writes no event.
      if (created.length > 0)
        await this.changeLog.appendAdmin(client, projectId, 'role.initialize', {
          roles_created: created.length,
          names: created,
        });
      return { roles_created: created.length };
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
    await this.repo.transaction(async (m, client) => {
      if ((await this.repo.countRoles(m, projectId, ids)) !== ids.length)
        throw AppError.notFound('Role');
      await this.repo.assign(m, projectId, id, ids, adminUserId);
      await this.cacheSync.bumpIn(m, 'roles', projectId);
      await this.changeLog.appendAdmin(client, projectId, 'role.assign', {
        app_user_id: id,
        role_ids: ids,
      });
    });
    this.cacheSync.dropLocal('roles', projectId);
    return { app_user_id: id, roles: await this.rolesFor(projectId, id) };
  }

  async unassign(projectId: string, appUserId: string, roleId: string): Promise<void> {
    const id = await this.requireAppUser(projectId, appUserId);
    const role = await this.findRole(projectId, roleId);
    await this.repo.transaction(async (m, client) => {
      if (!(await this.repo.unassign(m, projectId, id, role.id)))
        throw new AppError('NOT_FOUND', 'User does not have this role');
      await this.changeLog.appendAdmin(client, projectId, 'role.unassign', {
        app_user_id: id,
        role_id: role.id,
        name: role.name,
      });
    });
    await this.cacheSync.changed('roles', projectId);
  }

  // ---------------------------------------------------------------- helpers

  private async rolesFor(projectId: string, appUserId: string): Promise<RoleResponseDto[]> {
    return (await this.repo.rolesOfUser(projectId, appUserId)).map(withCount);
  }

  private async findRole(projectId: string, roleId: string): Promise<RoleWithCount> {
    if (!isUuid(roleId)) throw AppError.notFound('Role');
    const row = await this.repo.find(projectId, roleId);
    if (!row) throw AppError.notFound('Role');
    return row;
  }

  /** The app user's id (lowercased) when they exist in the project's `_users`; 404 otherwise. */
  private async requireAppUser(projectId: string, appUserId: string): Promise<string> {
    if (!isUuid(appUserId)) throw AppError.notFound('App user');
    const { schema } = await this.catalog.project(projectId);
    const id = appUserId.toLowerCase();
    if (!(await this.repo.appUserExists(schema, id))) throw AppError.notFound('App user');
    return id;
  }
}
