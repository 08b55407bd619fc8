import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AdminAuthGuard } from '../../common/auth/admin-auth.guard';
import { CurrentAdmin } from '../../common/auth/current-admin.decorator';
import { CurrentMembership } from '../../common/auth/current-membership.decorator';
import type { AdminPrincipal } from '../../common/auth/principal';
import { ProjectAdminRoute } from '../../common/auth/project-admin.decorator';
import { RequireProjectRole } from '../../common/auth/project-role.decorator';
import { ParseUuidPipe } from '../../common/pipes/parse-uuid.pipe';
import type { MembershipEntity } from './membership.entity';
import { InvitationsService } from './invitations.service';
import {
  AcceptInvitationDto,
  AcceptInvitationResponseDto,
  AddMemberDto,
  CreateProjectDto,
  InvitationResponseDto,
  InvitedResponseDto,
  MemberResponseDto,
  ProjectResponseDto,
  UpdateMemberDto,
  UpdateProjectDto,
} from './dto/project.dto';
import { ProjectsService } from './projects.service';

@ApiTags('projects')
@Controller('projects')
export class ProjectsController {
  constructor(
    private readonly projects: ProjectsService,
    private readonly invitations: InvitationsService,
  ) {}

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
  @ApiCreatedResponse({ type: MemberResponseDto, description: 'A verified admin joined' })
  @ApiAcceptedResponse({
    type: InvitedResponseDto,
    description: 'Any other address: an invitation (token=) was mailed to it',
  })
  @ApiForbiddenResponse({ description: 'EMAIL_NOT_VERIFIED: the caller must verify first' })
  async addMember(
    @Param('projectId') projectId: string,
    @CurrentAdmin() admin: AdminPrincipal,
    @Body() dto: AddMemberDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MemberResponseDto | InvitedResponseDto> {
    const out = await this.invitations.addOrInvite(projectId, admin.userId, dto.email, dto.role);
    if ('member' in out) return out.member;
    reply.status(202);
    return out.invited;
  }

  @Get(':projectId/invitations')
  @ProjectAdminRoute()
  @ApiOkResponse({ type: [InvitationResponseDto], description: 'Pending invitations' })
  listInvitations(@Param('projectId') projectId: string): Promise<InvitationResponseDto[]> {
    return this.invitations.list(projectId);
  }

  @Post(':projectId/invitations/:invitationId/resend')
  @HttpCode(200)
  @ProjectAdminRoute()
  @RequireProjectRole('owner')
  @ApiOkResponse({ type: InvitationResponseDto, description: 'New token and expiry, mailed again' })
  resendInvitation(
    @Param('projectId') projectId: string,
    @Param('invitationId', ParseUuidPipe) invitationId: string,
    @CurrentAdmin() admin: AdminPrincipal,
  ): Promise<InvitationResponseDto> {
    return this.invitations.resend(projectId, admin.userId, invitationId);
  }

  @Delete(':projectId/invitations/:invitationId')
  @HttpCode(204)
  @ProjectAdminRoute()
  @RequireProjectRole('owner')
  @ApiNoContentResponse()
  async revokeInvitation(
    @Param('projectId') projectId: string,
    @Param('invitationId', ParseUuidPipe) invitationId: string,
  ): Promise<void> {
    await this.invitations.revoke(projectId, invitationId);
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

@ApiTags('projects')
@Controller('auth/invitations')
export class InvitationsController {
  constructor(private readonly invitations: InvitationsService) {}

  @Post('accept')
  @HttpCode(200)
  @UseGuards(AdminAuthGuard)
  @ApiBearerAuth()
  @ApiOkResponse({
    type: AcceptInvitationResponseDto,
    description: 'The signed-in admin of the invited address joins; the address counts as verified',
  })
  accept(
    @CurrentAdmin() admin: AdminPrincipal,
    @Body() dto: AcceptInvitationDto,
  ): Promise<AcceptInvitationResponseDto> {
    return this.invitations.accept(admin.userId, dto.token);
  }
}
