import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentAdmin } from '../../common/auth/current-admin.decorator';
import type { AdminPrincipal } from '../../common/auth/principal';
import { ProjectAdminRoute } from '../../common/auth/project-admin.decorator';
import { CreateFieldDto, FieldResponseDto, UpdateFieldDto } from './dto/field.dto';
import { FieldsService } from './fields.service';

@ApiTags('schema: fields')
@Controller('projects/:projectId/schema/collections/:collectionName/fields')
@ProjectAdminRoute()
export class FieldsController {
  constructor(private readonly fields: FieldsService) {}

  @Post()
  @ApiCreatedResponse({ type: FieldResponseDto })
  create(
    @Param('projectId') projectId: string,
    @Param('collectionName') collectionName: string,
    @CurrentAdmin() admin: AdminPrincipal,
    @Body() dto: CreateFieldDto,
  ): Promise<FieldResponseDto> {
    return this.fields.create(projectId, admin.userId, collectionName, dto);
  }

  @Get()
  @ApiOkResponse({ type: [FieldResponseDto] })
  @ApiQuery({ name: 'include_hidden', required: false, description: 'default true' })
  @ApiQuery({
    name: 'include_deleted',
    required: false,
    description: 'default false (soft-deleted fields)',
  })
  list(
    @Param('projectId') projectId: string,
    @Param('collectionName') collectionName: string,
    @Query('include_hidden') includeHidden?: string,
    @Query('include_deleted') includeDeleted?: string,
  ): Promise<FieldResponseDto[]> {
    return this.fields.list(projectId, collectionName, {
      includeHidden: includeHidden !== 'false',
      includeDeleted: includeDeleted === 'true',
    });
  }

  @Get(':fieldName')
  @ApiOkResponse({ type: FieldResponseDto })
  get(
    @Param('projectId') projectId: string,
    @Param('collectionName') collectionName: string,
    @Param('fieldName') fieldName: string,
  ): Promise<FieldResponseDto> {
    return this.fields.get(projectId, collectionName, fieldName);
  }

  @Patch(':fieldName')
  @ApiOkResponse({ type: FieldResponseDto })
  update(
    @Param('projectId') projectId: string,
    @Param('collectionName') collectionName: string,
    @Param('fieldName') fieldName: string,
    @CurrentAdmin() admin: AdminPrincipal,
    @Body() dto: UpdateFieldDto,
  ): Promise<FieldResponseDto> {
    return this.fields.update(projectId, admin.userId, collectionName, fieldName, dto);
  }

  @Delete(':fieldName')
  @HttpCode(204)
  async delete(
    @Param('projectId') projectId: string,
    @Param('collectionName') collectionName: string,
    @Param('fieldName') fieldName: string,
    @CurrentAdmin() admin: AdminPrincipal,
  ): Promise<void> {
    await this.fields.delete(projectId, admin.userId, collectionName, fieldName);
  }
}
