import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentAdmin } from '../../common/auth/current-admin.decorator';
import type { AdminPrincipal } from '../../common/auth/principal';
import { ProjectAdminRoute } from '../../common/auth/project-admin.decorator';
import { RequireProjectRole } from '../../common/auth/project-role.decorator';
import {
  AssignRolesDto,
  CreateRoleDto,
  InitializeRolesResponseDto,
  RoleResponseDto,
  UpdateRoleDto,
  UserRolesResponseDto,
} from './dto/role.dto';
import { RbacService } from './rbac.service';

@ApiTags('rbac')
@Controller('projects/:projectId/rbac')
@ProjectAdminRoute()
export class RbacController {
  constructor(private readonly rbac: RbacService) {}

  @Post('roles')
  @ApiCreatedResponse({ type: RoleResponseDto })
  @ApiConflictResponse({ description: 'Role name already exists in this project' })
  createRole(
    @Param('projectId') projectId: string,
    @Body() dto: CreateRoleDto,
  ): Promise<RoleResponseDto> {
    return this.rbac.createRole(projectId, dto);
  }

  @Get('roles')
  @ApiOkResponse({ type: [RoleResponseDto] })
  listRoles(@Param('projectId') projectId: string): Promise<RoleResponseDto[]> {
    return this.rbac.listRoles(projectId);
  }

  @Get('roles/:roleId')
  @ApiOkResponse({ type: RoleResponseDto })
  getRole(
    @Param('projectId') projectId: string,
    @Param('roleId') roleId: string,
  ): Promise<RoleResponseDto> {
    return this.rbac.getRole(projectId, roleId);
  }

  @Patch('roles/:roleId')
  @ApiOkResponse({ type: RoleResponseDto })
  @ApiForbiddenResponse({ description: 'Cannot modify system roles' })
  updateRole(
    @Param('projectId') projectId: string,
    @Param('roleId') roleId: string,
    @Body() dto: UpdateRoleDto,
  ): Promise<RoleResponseDto> {
    return this.rbac.updateRole(projectId, roleId, dto);
  }

  @Delete('roles/:roleId')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiForbiddenResponse({ description: 'Cannot delete system roles' })
  async deleteRole(
    @Param('projectId') projectId: string,
    @Param('roleId') roleId: string,
  ): Promise<void> {
    await this.rbac.deleteRole(projectId, roleId);
  }

  @Post('initialize')
  @ApiCreatedResponse({ type: InitializeRolesResponseDto })
  initialize(@Param('projectId') projectId: string): Promise<InitializeRolesResponseDto> {
    return this.rbac.initialize(projectId);
  }

  @Get('users/:userId/roles')
  @ApiOkResponse({ type: UserRolesResponseDto })
  userRoles(
    @Param('projectId') projectId: string,
    @Param('userId') userId: string,
  ): Promise<UserRolesResponseDto> {
    return this.rbac.userRoles(projectId, userId);
  }

  @Post('users/:userId/roles')
  @RequireProjectRole('admin')
  @ApiCreatedResponse({ type: UserRolesResponseDto })
  assign(
    @Param('projectId') projectId: string,
    @Param('userId') userId: string,
    @CurrentAdmin() admin: AdminPrincipal,
    @Body() dto: AssignRolesDto,
  ): Promise<UserRolesResponseDto> {
    return this.rbac.assign(projectId, userId, dto.role_ids, admin.userId);
  }

  @Delete('users/:userId/roles/:roleId')
  @RequireProjectRole('admin')
  @HttpCode(204)
  @ApiNoContentResponse()
  async unassign(
    @Param('projectId') projectId: string,
    @Param('userId') userId: string,
    @Param('roleId') roleId: string,
  ): Promise<void> {
    await this.rbac.unassign(projectId, userId, roleId);
  }
}
