import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppError } from '../../common/errors/app-error';
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

const toDto = (p: ProjectEntity, role: ProjectRole): ProjectResponseDto => ({
  id: p.id,
  name: p.name,
  role,
  created_at: p.createdAt.toISOString(),
  updated_at: p.updatedAt.toISOString(),
});

@Injectable()
export class ProjectsService {
  constructor(
    private readonly repo: ProjectsRepository,
    private readonly migrator: SchemaMigrator,
    private readonly hooks: ProjectProvisioningHooks,
  ) {}

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

  async rename(
    projectId: string,
    membership: MembershipEntity,
    name: string,
  ): Promise<ProjectResponseDto> {
    await this.repo.renameProject(projectId, name);
    return this.get(projectId, membership);
  }

  /** Drops the project's schema with every table in it, then its system rows, atomically. */
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
      await this.repo.deleteProject(m, projectId);
    });
  }

  async listMembers(projectId: string): Promise<MemberResponseDto[]> {
    return (await this.repo.listMembers(projectId)).map((r) => ({
      user_id: r.userId,
      email: r.email,
      role: r.role,
      created_at: r.createdAt.toISOString(),
    }));
  }

  async addMember(projectId: string, email: string, role: ProjectRole): Promise<MemberResponseDto> {
    const user = await this.repo.findAdminByEmail(email);
    if (!user) throw AppError.notFound('User');
    if (await this.repo.findMembership(projectId, user.id)) {
      throw AppError.conflict('User is already a member of this project');
    }
    try {
      await this.repo.transaction((m) => this.repo.insertMembership(m, projectId, user.id, role));
    } catch (err) {
      if ((err as { code?: string }).code === '23505') {
        throw AppError.conflict('User is already a member of this project');
      }
      throw err;
    }
    const member = (await this.listMembers(projectId)).find((x) => x.user_id === user.id);
    if (!member) throw AppError.notFound('Member');
    return member;
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
    await this.repo.updateMemberRole(projectId, userId, role);
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
    await this.repo.deleteMember(projectId, userId);
  }
}
