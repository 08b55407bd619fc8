import { applyDecorators, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ProjectMemberGuard } from '../../modules/projects/project-member.guard';
import { AdminAuthGuard } from './admin-auth.guard';

/** Admin token + project membership (404 for non-members) on every route of a controller. */
export const ProjectAdminRoute = () =>
  applyDecorators(
    UseGuards(AdminAuthGuard, ProjectMemberGuard),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'Missing or invalid admin token' }),
    ApiNotFoundResponse({ description: 'Unknown project, or the caller is not a member' }),
    ApiForbiddenResponse({
      description: 'The member role is below the route (viewer reads, developer writes)',
    }),
  );
