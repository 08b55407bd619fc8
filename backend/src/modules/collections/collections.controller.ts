import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentAdmin } from '../../common/auth/current-admin.decorator';
import type { AdminPrincipal } from '../../common/auth/principal';
import { ProjectAdminRoute } from '../../common/auth/project-admin.decorator';
import { CollectionsService } from './collections.service';
import {
  CollectionResponseDto,
  CreateCollectionDto,
  UpdateCollectionDto,
} from './dto/collection.dto';

@ApiTags('schema: collections')
@Controller('projects/:projectId/schema/collections')
@ProjectAdminRoute()
export class CollectionsController {
  constructor(private readonly collections: CollectionsService) {}

  @Post()
  @ApiCreatedResponse({ type: CollectionResponseDto })
  create(
    @Param('projectId') projectId: string,
    @CurrentAdmin() admin: AdminPrincipal,
    @Body() dto: CreateCollectionDto,
  ): Promise<CollectionResponseDto> {
    return this.collections.create(projectId, admin.userId, dto);
  }

  @Get()
  @ApiOkResponse({ type: [CollectionResponseDto] })
  list(@Param('projectId') projectId: string): Promise<CollectionResponseDto[]> {
    return this.collections.list(projectId);
  }

  @Get(':collectionName')
  @ApiOkResponse({ type: CollectionResponseDto })
  get(
    @Param('projectId') projectId: string,
    @Param('collectionName') name: string,
  ): Promise<CollectionResponseDto> {
    return this.collections.get(projectId, name);
  }

  @Patch(':collectionName')
  @ApiOkResponse({ type: CollectionResponseDto })
  update(
    @Param('projectId') projectId: string,
    @Param('collectionName') name: string,
    @Body() dto: UpdateCollectionDto,
  ): Promise<CollectionResponseDto> {
    return this.collections.update(projectId, name, dto);
  }

  @Delete(':collectionName')
  @HttpCode(204)
  @ApiQuery({ name: 'confirm', description: 'The collection name again', required: true })
  async delete(
    @Param('projectId') projectId: string,
    @Param('collectionName') name: string,
    @CurrentAdmin() admin: AdminPrincipal,
    @Query('confirm') confirm?: string,
  ): Promise<void> {
    await this.collections.delete(projectId, admin.userId, name, confirm);
  }
}
