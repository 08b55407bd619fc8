import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentAdmin } from '../../common/auth/current-admin.decorator';
import type { AdminPrincipal } from '../../common/auth/principal';
import { ProjectAdminRoute } from '../../common/auth/project-admin.decorator';
import {
  CreateDocumentedRelationDto,
  CreateRelationDto,
  RelationOptionsResponseDto,
  RelationResponseDto,
  ReverseRelationResponseDto,
} from './dto/relation.dto';
import { RelationsService } from './relations.service';

@ApiTags('schema: relations')
@Controller('projects/:projectId/schema/relations')
@ProjectAdminRoute()
export class RelationsController {
  constructor(private readonly relations: RelationsService) {}

  @Post('collections/:collectionId/relations')
  @ApiOperation({ summary: 'Create a many_to_one (FK column) or many_to_many (junction) relation' })
  @ApiCreatedResponse({ type: RelationResponseDto })
  @ApiBadRequestResponse({ description: 'Invalid name, type, on_delete, target or display_field' })
  @ApiConflictResponse({ description: 'A field, column or table with that name already exists' })
  create(
    @Param('projectId') projectId: string,
    @Param('collectionId') collectionId: string,
    @CurrentAdmin() admin: AdminPrincipal,
    @Body() dto: CreateRelationDto,
  ): Promise<RelationResponseDto> {
    return this.relations.create(projectId, admin.userId, collectionId, dto);
  }

  @Get('collections/:collectionId/relations')
  @ApiOkResponse({ type: [RelationResponseDto] })
  list(
    @Param('projectId') projectId: string,
    @Param('collectionId') collectionId: string,
  ): Promise<RelationResponseDto[]> {
    return this.relations.list(projectId, collectionId);
  }

  @Get('collections/:collectionId/reverse-relations')
  @ApiOperation({ summary: 'Relations of other collections that point at this one' })
  @ApiOkResponse({ type: [ReverseRelationResponseDto] })
  reverse(
    @Param('projectId') projectId: string,
    @Param('collectionId') collectionId: string,
  ): Promise<ReverseRelationResponseDto[]> {
    return this.relations.reverse(projectId, collectionId);
  }

  @Delete('collections/:collectionId/relations/:relationId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Drop the relation: its FK and column, or its junction table' })
  @ApiNoContentResponse()
  async delete(
    @Param('projectId') projectId: string,
    @Param('collectionId') collectionId: string,
    @Param('relationId') relationId: string,
    @CurrentAdmin() admin: AdminPrincipal,
  ): Promise<void> {
    await this.relations.delete(projectId, admin.userId, relationId, collectionId);
  }

  @Get('relation-options')
  @ApiOkResponse({ type: RelationOptionsResponseDto })
  options(): RelationOptionsResponseDto {
    return this.relations.options();
  }

  @Post()
  @ApiOperation({
    summary: 'Create a relation in the documented form (belongs_to, has_many, many_to_many)',
  })
  @ApiCreatedResponse({ type: RelationResponseDto })
  createDocumented(
    @Param('projectId') projectId: string,
    @CurrentAdmin() admin: AdminPrincipal,
    @Body() dto: CreateDocumentedRelationDto,
  ): Promise<RelationResponseDto> {
    return this.relations.createDocumented(projectId, admin.userId, dto);
  }

  @Get()
  @ApiOperation({ summary: 'All relations of the project' })
  @ApiOkResponse({ type: [RelationResponseDto] })
  listAll(@Param('projectId') projectId: string): Promise<RelationResponseDto[]> {
    return this.relations.listAll(projectId);
  }

  @Delete(':relationId')
  @HttpCode(204)
  @ApiNoContentResponse()
  async deleteById(
    @Param('projectId') projectId: string,
    @Param('relationId') relationId: string,
    @CurrentAdmin() admin: AdminPrincipal,
  ): Promise<void> {
    await this.relations.delete(projectId, admin.userId, relationId);
  }
}
