import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppError } from '../../common/errors/app-error';
import { CacheSyncService } from '../cache-sync/cache-sync.service';
import { CACHE_SCOPES } from '../cache-sync/cache-scope';
import { updateMeta, type JsonObject } from '../change-log/change-event';
import { ChangeLogService } from '../change-log/change-log.service';
import { projectSchemaName } from '../../schema-engine/identifiers';
import { SchemaMigrator } from '../../schema-engine/schema-migrator';
import { ProjectProvisioningHooks } from './project-provisioning.hooks';
import type { MembershipEntity, ProjectRole } from './membership.entity';
import type { ProjectEntity } from './project.entity';
import type { MemberResponseDto, ProjectResponseDto } from './dto/project.dto';
import { ProjectsRepository } from './projects.repository';

const ROLE_RANK: Record<ProjectRole, number> = { viewer: 1, developer: 2, admin: 3, owner: 4 };

export function roleAtLeast(role: ProjectRole, needed: ProjectRole): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[needed];
}

export interface ProjectRateLimits {
  api_key: number | null;
  app_user: number | null;
  anonymous: number | null;
  admin: number | null;
}

/** Defaults: API keys unlimited (server-to-server), app users 1200/min, anonymous 300/min per IP, member admins 6000/min. */
export const DEFAULT_RATE_LIMITS: ProjectRateLimits = {
  api_key: null,
  app_user: 1200,
  anonymous: 300,
  admin: 6000,
};
const RATE_LIMIT_CACHE_MS = 10_000;

const effectiveLimits = (stored: Record<string, number | null> | undefined): ProjectRateLimits => ({
  ...DEFAULT_RATE_LIMITS,
  ...(stored ?? {}),
});

const toDto = (p: ProjectEntity, role: ProjectRole): ProjectResponseDto => ({
  id: p.id,
  name: p.name,
  role,
  rate_limits: effectiveLimits(p.rateLimits),
  allowed_origins: p.allowedOrigins && p.allowedOrigins.length ? p.allowedOrigins : null,
  created_at: p.createdAt.toISOString(),
  updated_at: p.updatedAt.toISOString(),
});

/** What the audit log says of a project's settings. */
const projectMeta = (p: ProjectEntity): JsonObject => ({
  project_id: p.id,
  name: p.name,
  rate_limits: effectiveLimits(p.rateLimits),
  allowed_origins: p.allowedOrigins && p.allowedOrigins.length ? p.allowedOrigins : null,
});

/** What the audit log says of a membership (members are named by their admin's user id). */
export const memberMeta = (
  userId: string,
  email: string | null,
  role: ProjectRole,
): JsonObject => ({
  user_id: userId,
  email,
  role,
});

@Injectable()
export class ProjectsService {
  private readonly limitsCache = new Map<
    string,
    { limits: Promise<ProjectRateLimits>; at: number }
  >();
  private readonly originsCache = new Map<string, { origins: string[] | null; at: number }>();

  constructor(
    private readonly repo: ProjectsRepository,
    private readonly migrator: SchemaMigrator,
    private readonly hooks: ProjectProvisioningHooks,
    private readonly cacheSync: CacheSyncService,
    private readonly changeLog: ChangeLogService,
  ) {
    cacheSync.onStale('settings', (projectId) => {
      if (projectId === null) {
        this.limitsCache.clear();
        this.originsCache.clear();
        return;
      }
      this.limitsCache.delete(projectId);
      this.originsCache.delete(projectId);
    });
  }

  /** A user's membership of a project, or null; what every admin-side access check starts from. */
  findMembership(projectId: string, userId: string): Promise<MembershipEntity | null> {
    return this.repo.findMembership(projectId, userId);
  }

  /** Creates the project row, the owner membership, schema `p_<id>` and `_users` in one transaction. */
  async create(userId: string, name: string): Promise<ProjectResponseDto> {
    const id = randomUUID();
    const schema = projectSchemaName(id);
    const project = await this.repo.transaction(async (m, client) => {
      const p = await this.repo.insertProject(m, id, name, schema);
      await this.repo.insertMembership(m, id, userId, 'owner');
      await this.migrator.apply(client, {
        projectId: id,
        ops: [
          { kind: 'createSchema', schema },
          { kind: 'createUsersTable', schema },
        ],
        actorUserId: userId,
        inTransaction: true,
      });
      await this.hooks.afterSchemaCreated(m, client, {
        projectId: id,
        schema,
        actorUserId: userId,
      });
      return p;
    });
    return toDto(project, 'owner');
  }

  async list(userId: string): Promise<ProjectResponseDto[]> {
    return (await this.repo.listForUser(userId)).map((r) => toDto(r.project, r.role));
  }

  async get(projectId: string, membership: MembershipEntity): Promise<ProjectResponseDto> {
    const project = await this.repo.findProject(projectId);
    if (!project) throw AppError.notFound('Project');
    return toDto(project, membership.role);
  }

  async update(
    projectId: string,
    membership: MembershipEntity,
    patch: {
      name?: string;
      rate_limits?: Partial<ProjectRateLimits>;
      allowed_origins?: string[] | null;
    },
  ): Promise<ProjectResponseDto> {
    const allowedOrigins =
      patch.allowed_origins === undefined
        ? undefined
        : patch.allowed_origins === null || patch.allowed_origins.length === 0
          ? null
          : [...new Set(patch.allowed_origins.map((o) => o.toLowerCase()))];
    await this.repo.transaction(async (m, client) => {
      const current = await this.repo.lockProject(m, projectId);
      if (!current) throw AppError.notFound('Project');
      const rateLimits = patch.rate_limits
        ? { ...(current.rateLimits ?? {}), ...patch.rate_limits }
        : undefined;
      await this.repo.updateProject(m, projectId, { name: patch.name, rateLimits, allowedOrigins });
      const after: ProjectEntity = {
        ...current,
        name: patch.name ?? current.name,
        rateLimits: rateLimits ?? current.rateLimits,
        allowedOrigins: allowedOrigins === undefined ? current.allowedOrigins : allowedOrigins,
      };
      const change = updateMeta(projectMeta(current), projectMeta(after));
      await this.changeLog.appendAdmin(client, projectId, 'project.update', change);
    });
    await this.cacheSync.changed('settings', projectId);
    return this.get(projectId, membership);
  }

  /** Data-route limits, cached briefly for the hot path. */
  async rateLimits(projectId: string): Promise<ProjectRateLimits> {
    const hit = this.limitsCache.get(projectId);
    if (hit && Date.now() - hit.at < RATE_LIMIT_CACHE_MS) return hit.limits;
    // One lookup per expiry, shared by every request that arrives meanwhile (no stampede).
    const limits = this.repo.findProject(projectId).then((p) => effectiveLimits(p?.rateLimits));
    const entry = { limits, at: Date.now() };
    this.limitsCache.set(projectId, entry);
    limits.catch(() => {
      if (this.limitsCache.get(projectId) === entry) this.limitsCache.delete(projectId);
    });
    return limits;
  }

  /** The project's display name (404 when it does not exist). */
  async nameOf(projectId: string): Promise<string> {
    const project = await this.repo.findProject(projectId);
    if (!project) throw AppError.notFound('Project');
    return project.name;
  }

  /** The project's `allowed_origins` for CORS on its app routes (null = any), cached briefly. */
  async allowedOrigins(projectId: string): Promise<string[] | null> {
    const hit = this.originsCache.get(projectId);
    if (hit && Date.now() - hit.at < RATE_LIMIT_CACHE_MS) return hit.origins;
    const project = await this.repo.findProject(projectId);
    const origins = project?.allowedOrigins?.length ? project.allowedOrigins : null;
    if (this.originsCache.size > 10_000) this.originsCache.clear();
    this.originsCache.set(projectId, { origins, at: Date.now() });
    return origins;
  }

  /**
   * Drops the project's schema with every table in it, then its system rows, atomically. It
   * writes no `project.delete` event: the project's change log goes with it.
   */
  async delete(projectId: string, actorUserId: string): Promise<void> {
    const project = await this.repo.findProject(projectId);
    if (!project) throw AppError.notFound('Project');
    await this.repo.transaction(async (m, client) => {
      await this.migrator.apply(client, {
        projectId,
        ops: [{ kind: 'dropSchema', schema: project.schemaName, cascade: true }],
        actorUserId,
        inTransaction: true,
      });
      await this.changeLog.deleteProjectEvents(client, projectId);
      await this.repo.deleteProject(m, projectId);
      // Keys, catalog, settings: nothing of the project may answer from any process's memory.
      await this.cacheSync.bumpIn(m, CACHE_SCOPES, projectId);
    });
    this.cacheSync.dropLocal(CACHE_SCOPES, projectId);
  }

  async listMembers(projectId: string): Promise<MemberResponseDto[]> {
    return (await this.repo.listMembers(projectId)).map((r) => ({
      user_id: r.userId,
      email: r.email,
      role: r.role,
      created_at: r.createdAt.toISOString(),
    }));
  }

  async updateMember(
    projectId: string,
    userId: string,
    role: ProjectRole,
  ): Promise<MemberResponseDto> {
    const current = await this.repo.findMembership(projectId, userId);
    if (!current) throw AppError.notFound('Member');
    if (
      current.role === 'owner' &&
      role !== 'owner' &&
      (await this.repo.countOwners(projectId)) <= 1
    ) {
      throw AppError.conflict('A project must keep at least one owner');
    }
    const email = (await this.repo.findAdminById(userId))?.email ?? null;
    await this.repo.transaction(async (m, client) => {
      await this.repo.updateMemberRole(m, projectId, userId, role);
      const before = memberMeta(userId, email, current.role);
      const change = updateMeta(before, { ...before, role });
      await this.changeLog.appendAdmin(client, projectId, 'member.update', change);
    });
    const member = (await this.listMembers(projectId)).find((x) => x.user_id === userId);
    if (!member) throw AppError.notFound('Member');
    return member;
  }

  async removeMember(projectId: string, userId: string): Promise<void> {
    const current = await this.repo.findMembership(projectId, userId);
    if (!current) throw AppError.notFound('Member');
    if (current.role === 'owner' && (await this.repo.countOwners(projectId)) <= 1) {
      throw AppError.conflict('A project must keep at least one owner');
    }
    const email = (await this.repo.findAdminById(userId))?.email ?? null;
    await this.repo.transaction(async (m, client) => {
      await this.repo.deleteMember(m, projectId, userId);
      const meta = memberMeta(userId, email, current.role);
      await this.changeLog.appendAdmin(client, projectId, 'member.remove', meta);
    });
  }
}
