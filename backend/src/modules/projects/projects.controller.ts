import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminAuthGuard } from '../../common/auth/admin-auth.guard';
import { CurrentAdmin } from '../../common/auth/current-admin.decorator';
import { CurrentMembership } from '../../common/auth/current-membership.decorator';
import type { AdminPrincipal } from '../../common/auth/principal';
import { ProjectAdminRoute } from '../../common/auth/project-admin.decorator';
import { RequireProjectRole } from '../../common/auth/project-role.decorator';
import { ParseUuidPipe } from '../../common/pipes/parse-uuid.pipe';
import type { MembershipEntity } from './membership.entity';
import {
  AddMemberDto,
  CreateProjectDto,
  MemberResponseDto,
  ProjectResponseDto,
  UpdateMemberDto,
  UpdateProjectDto,
} from './dto/project.dto';
import { ProjectsService } from './projects.service';

@ApiTags('projects')
@Controller('projects')
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Post()
  @UseGuards(AdminAuthGuard)
  @ApiBearerAuth()
  @ApiCreatedResponse({ type: ProjectResponseDto })
  create(
    @CurrentAdmin() admin: AdminPrincipal,
    @Body() dto: CreateProjectDto,
  ): Promise<ProjectResponseDto> {
    return this.projects.create(admin.userId, dto.name);
  }

  @Get()
  @UseGuards(AdminAuthGuard)
  @ApiBearerAuth()
  @ApiOkResponse({ type: [ProjectResponseDto] })
  list(@CurrentAdmin() admin: AdminPrincipal): Promise<ProjectResponseDto[]> {
    return this.projects.list(admin.userId);
  }

  @Get(':projectId')
  @ProjectAdminRoute()
  @ApiOkResponse({ type: ProjectResponseDto })
  get(
    @Param('projectId') projectId: string,
    @CurrentMembership() m: MembershipEntity,
  ): Promise<ProjectResponseDto> {
    return this.projects.get(projectId, m);
  }

  @Patch(':projectId')
  @ProjectAdminRoute()
  @RequireProjectRole('admin')
  @ApiOkResponse({ type: ProjectResponseDto })
  rename(
    @Param('projectId') projectId: string,
    @CurrentMembership() m: MembershipEntity,
    @Body() dto: UpdateProjectDto,
  ): Promise<ProjectResponseDto> {
    return this.projects.update(projectId, m, dto);
  }

  @Delete(':projectId')
  @HttpCode(204)
  @ProjectAdminRoute()
  @RequireProjectRole('owner')
  async delete(
    @Param('projectId') projectId: string,
    @CurrentAdmin() admin: AdminPrincipal,
  ): Promise<void> {
    await this.projects.delete(projectId, admin.userId);
  }

  @Get(':projectId/members')
  @ProjectAdminRoute()
  @ApiOkResponse({ type: [MemberResponseDto] })
  members(@Param('projectId') projectId: string): Promise<MemberResponseDto[]> {
    return this.projects.listMembers(projectId);
  }

  @Post(':projectId/members')
  @ProjectAdminRoute()
  @RequireProjectRole('owner')
  @ApiCreatedResponse({ type: MemberResponseDto })
  addMember(
    @Param('projectId') projectId: string,
    @Body() dto: AddMemberDto,
  ): Promise<MemberResponseDto> {
    return this.projects.addMember(projectId, dto.email, dto.role);
  }

  @Patch(':projectId/members/:userId')
  @ProjectAdminRoute()
  @RequireProjectRole('owner')
  @ApiOkResponse({ type: MemberResponseDto })
  updateMember(
    @Param('projectId') projectId: string,
    @Param('userId', ParseUuidPipe) userId: string,
    @Body() dto: UpdateMemberDto,
  ): Promise<MemberResponseDto> {
    return this.projects.updateMember(projectId, userId, dto.role);
  }

  @Delete(':projectId/members/:userId')
  @HttpCode(204)
  @ProjectAdminRoute()
  @RequireProjectRole('owner')
  async removeMember(
    @Param('projectId') projectId: string,
    @Param('userId', ParseUuidPipe) userId: string,
  ): Promise<void> {
    await this.projects.removeMember(projectId, userId);
  }
}
