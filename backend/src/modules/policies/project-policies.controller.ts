import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ProjectAdminRoute } from '../../common/auth/project-admin.decorator';
import { ProjectPoliciesQueryDto, ProjectPolicyResponseDto } from './dto/policy.dto';
import { PoliciesAdminService } from './policies-admin.service';

/** The policies of every collection at once: what the roles page shows each role is used by. */
@ApiTags('schema: policies')
@Controller('projects/:projectId/policies')
@ProjectAdminRoute()
export class ProjectPoliciesController {
  constructor(private readonly policies: PoliciesAdminService) {}

  @Get()
  @ApiOkResponse({ type: [ProjectPolicyResponseDto] })
  list(
    @Param('projectId') projectId: string,
    @Query() query: ProjectPoliciesQueryDto,
  ): Promise<ProjectPolicyResponseDto[]> {
    return this.policies.listProject(projectId, query.role);
  }
}
