import { typeormTransaction } from '../../database/transaction';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { PoolClient } from 'pg';
import { AdminUserEntity } from '../auth/admin-user.entity';
import { MembershipEntity, type ProjectRole } from './membership.entity';
import { ProjectEntity } from './project.entity';

export interface ProjectWithRole {
  project: ProjectEntity;
  role: ProjectRole;
}

export interface MemberRow {
  userId: string;
  email: string;
  role: ProjectRole;
  createdAt: Date;
}

@Injectable()
export class ProjectsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Runs `fn` in one transaction, handing it both the TypeORM manager and its raw pg client for DDL. */
  transaction<T>(fn: (m: EntityManager, client: PoolClient) => Promise<T>): Promise<T> {
    return typeormTransaction(this.ds, fn);
  }

  async insertProject(
    m: EntityManager,
    id: string,
    name: string,
    schemaName: string,
  ): Promise<ProjectEntity> {
    const repo = m.getRepository(ProjectEntity);
    return repo.save(repo.create({ id, name, schemaName }));
  }

  async insertMembership(
    m: EntityManager,
    projectId: string,
    userId: string,
    role: ProjectRole,
  ): Promise<void> {
    await m.getRepository(MembershipEntity).insert({ projectId, userId, role });
  }

  async listForUser(userId: string): Promise<ProjectWithRole[]> {
    const rows = await this.ds
      .getRepository(ProjectEntity)
      .createQueryBuilder('p')
      .innerJoin(MembershipEntity, 'm', 'm.project_id = p.id AND m.user_id = :userId', { userId })
      .addSelect('m.role', 'member_role')
      .orderBy('p.created_at', 'DESC')
      .getRawAndEntities<{ member_role: ProjectRole }>();
    return rows.entities.map((project, i) => ({ project, role: rows.raw[i].member_role }));
  }

  findProject(id: string): Promise<ProjectEntity | null> {
    return this.ds.getRepository(ProjectEntity).findOneBy({ id });
  }

  /** The project row, locked until the end of the caller's transaction (a read-modify-write). */
  lockProject(m: EntityManager, id: string): Promise<ProjectEntity | null> {
    return m
      .getRepository(ProjectEntity)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  findMembership(projectId: string, userId: string): Promise<MembershipEntity | null> {
    return this.ds.getRepository(MembershipEntity).findOneBy({ projectId, userId });
  }

  async updateProject(
    m: EntityManager,
    id: string,
    patch: {
      name?: string;
      rateLimits?: Record<string, number | null>;
      allowedOrigins?: string[] | null;
    },
  ): Promise<void> {
    const set: Partial<ProjectEntity> = {};
    if (patch.allowedOrigins !== undefined) set.allowedOrigins = patch.allowedOrigins;
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.rateLimits !== undefined) set.rateLimits = patch.rateLimits;
    if (Object.keys(set).length) await m.getRepository(ProjectEntity).update({ id }, set);
  }

  async deleteProject(m: EntityManager, id: string): Promise<void> {
    await m.getRepository(ProjectEntity).delete({ id });
  }

  async listMembers(projectId: string): Promise<MemberRow[]> {
    const rows = await this.ds
      .getRepository(MembershipEntity)
      .createQueryBuilder('m')
      .innerJoin(AdminUserEntity, 'u', 'u.id = m.user_id')
      .select([
        'm.user_id AS user_id',
        'u.email AS email',
        'm.role AS role',
        'm.created_at AS created_at',
      ])
      .where('m.project_id = :projectId', { projectId })
      .orderBy('m.created_at', 'ASC')
      .getRawMany<{ user_id: string; email: string; role: ProjectRole; created_at: Date }>();
    return rows.map((r) => ({
      userId: r.user_id,
      email: r.email,
      role: r.role,
      createdAt: r.created_at,
    }));
  }

  findAdminByEmail(email: string): Promise<AdminUserEntity | null> {
    return this.ds
      .getRepository(AdminUserEntity)
      .createQueryBuilder('u')
      .where('lower(u.email) = lower(:email)', { email })
      .getOne();
  }

  findAdminById(id: string): Promise<AdminUserEntity | null> {
    return this.ds.getRepository(AdminUserEntity).findOneBy({ id });
  }

  async updateMemberRole(
    m: EntityManager,
    projectId: string,
    userId: string,
    role: ProjectRole,
  ): Promise<void> {
    await m.getRepository(MembershipEntity).update({ projectId, userId }, { role });
  }

  async deleteMember(m: EntityManager, projectId: string, userId: string): Promise<void> {
    await m.getRepository(MembershipEntity).delete({ projectId, userId });
  }

  countOwners(projectId: string): Promise<number> {
    return this.ds.getRepository(MembershipEntity).countBy({ projectId, role: 'owner' });
  }
}
