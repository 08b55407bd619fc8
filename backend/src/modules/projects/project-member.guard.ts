import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PROJECT_ROLE_KEY } from '../../common/auth/project-role.decorator';
import type { AdminPrincipal } from '../../common/auth/principal';
import { AppError } from '../../common/errors/app-error';
import type { MembershipEntity, ProjectRole } from './membership.entity';
import { ProjectsService, roleAtLeast } from './projects.service';
import { isUuid } from '../../common/util/uuid';

export interface ProjectScopedRequest {
  user?: AdminPrincipal;
  params: Record<string, string>;
  method: string;
  membership?: MembershipEntity;
}

/**
 * Runs after AdminAuthGuard: a non-member sees 404 exactly like an unknown project;
 * a member below the route's role gets 403. Reads need viewer, writes developer, unless the route says more.
 */
@Injectable()
export class ProjectMemberGuard implements CanActivate {
  constructor(
    private readonly projects: ProjectsService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<ProjectScopedRequest>();
    const projectId = req.params.projectId;
    if (!req.user || !projectId || !isUuid(projectId)) throw AppError.notFound('Project');
    const membership = await this.projects.findMembership(projectId.toLowerCase(), req.user.userId);
    if (!membership) throw AppError.notFound('Project');
    const needed =
      this.reflector.getAllAndOverride<ProjectRole | undefined>(PROJECT_ROLE_KEY, [
        ctx.getHandler(),
        ctx.getClass(),
      ]) ?? (req.method === 'GET' || req.method === 'HEAD' ? 'viewer' : 'developer');
    if (!roleAtLeast(membership.role, needed)) {
      throw AppError.forbidden(`This action needs the ${needed} role or higher`);
    }
    req.membership = membership;
    return true;
  }
}
