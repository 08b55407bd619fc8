import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
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
  AliasesResponseDto,
  ApplyPendingDto,
  ApplyResultDto,
  ChangeTypeDto,
  EvolutionResultDto,
  HardDeleteQueryDto,
  PendingChangeDto,
  PendingListQueryDto,
  PreviewMigrationDto,
  PreviewResultDto,
  RenameCollectionDto,
  RenameFieldDto,
  SafeConversionsResponseDto,
  SubmitPendingDto,
} from './dto/schema-evolution.dto';
import { SchemaEvolutionService } from './schema-evolution.service';

@ApiTags('schema: evolution')
@Controller('projects/:projectId/schema/evolution')
@ProjectAdminRoute()
@ApiBadRequestResponse({ description: 'Invalid operation, or existing data cannot be migrated' })
export class SchemaEvolutionController {
  constructor(private readonly evolution: SchemaEvolutionService) {}

  @Post('collections/:collectionId/rename')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rename a collection (table); the old name stays an alias for 30 days' })
  @ApiOkResponse({ type: EvolutionResultDto })
  @ApiConflictResponse({ description: 'A collection or table with that name exists' })
  renameCollection(
    @Param('projectId') projectId: string,
    @Param('collectionId') collectionId: string,
    @CurrentAdmin() admin: AdminPrincipal,
    @Body() dto: RenameCollectionDto,
  ): Promise<EvolutionResultDto> {
    return this.evolution.run(projectId, admin.userId, collectionId, 'rename_table', { ...dto });
  }

  @Post('collections/:collectionId/fields/:fieldId/rename')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rename a field (column); relation columns keep their _id suffix' })
  @ApiOkResponse({ type: EvolutionResultDto })
  @ApiConflictResponse({ description: 'A field with that name exists' })
  renameField(
    @Param('projectId') projectId: string,
    @Param('collectionId') collectionId: string,
    @Param('fieldId') fieldId: string,
    @CurrentAdmin() admin: AdminPrincipal,
    @Body() dto: RenameFieldDto,
  ): Promise<EvolutionResultDto> {
    return this.evolution.run(projectId, admin.userId, collectionId, 'rename_column', {
      ...dto,
      field_id: fieldId,
    });
  }

  @Post('collections/:collectionId/fields/:fieldId/soft-delete')
  @HttpCode(200)
  @ApiOperation({ summary: 'Hide a field and make it read-only; its data is kept' })
  @ApiOkResponse({ type: EvolutionResultDto })
  softDelete(
    @Param('projectId') projectId: string,
    @Param('collectionId') collectionId: string,
    @Param('fieldId') fieldId: string,
    @CurrentAdmin() admin: AdminPrincipal,
  ): Promise<EvolutionResultDto> {
    return this.evolution.run(projectId, admin.userId, collectionId, 'soft_delete_column', {
      field_id: fieldId,
    });
  }

  @Post('collections/:collectionId/fields/:fieldId/restore')
  @HttpCode(200)
  @ApiOkResponse({ type: EvolutionResultDto })
  restore(
    @Param('projectId') projectId: string,
    @Param('collectionId') collectionId: string,
    @Param('fieldId') fieldId: string,
    @CurrentAdmin() admin: AdminPrincipal,
  ): Promise<EvolutionResultDto> {
    return this.evolution.run(projectId, admin.userId, collectionId, 'restore_column', {
      field_id: fieldId,
    });
  }

  @Post('collections/:collectionId/fields/:fieldId/hard-delete')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Drop the column with its indexes, FKs, validation rules and aliases',
  })
  @ApiOkResponse({ type: EvolutionResultDto })
  hardDelete(
    @Param('projectId') projectId: string,
    @Param('collectionId') collectionId: string,
    @Param('fieldId') fieldId: string,
    @CurrentAdmin() admin: AdminPrincipal,
    @Query() query: HardDeleteQueryDto,
  ): Promise<EvolutionResultDto> {
    return this.evolution.run(projectId, admin.userId, collectionId, 'drop_column', {
      field_id: fieldId,
      force: query.force,
    });
  }

  @Post('collections/:collectionId/fields/:fieldId/change-type')
  @HttpCode(200)
  @ApiOperation({ summary: 'Change a field type (safe conversions only; see /safe-conversions)' })
  @ApiOkResponse({ type: EvolutionResultDto })
  changeType(
    @Param('projectId') projectId: string,
    @Param('collectionId') collectionId: string,
    @Param('fieldId') fieldId: string,
    @CurrentAdmin() admin: AdminPrincipal,
    @Body() dto: ChangeTypeDto,
  ): Promise<EvolutionResultDto> {
    return this.evolution.run(projectId, admin.userId, collectionId, 'change_column_type', {
      ...dto,
      field_id: fieldId,
    });
  }

  @Post('collections/:collectionId/preview-migration')
  @HttpCode(200)
  @ApiOperation({ summary: 'The SQL an operation would run, without running it' })
  @ApiOkResponse({ type: PreviewResultDto })
  preview(
    @Param('projectId') projectId: string,
    @Param('collectionId') collectionId: string,
    @Body() dto: PreviewMigrationDto,
  ): Promise<PreviewResultDto> {
    return this.evolution.preview(projectId, collectionId, dto.operation, dto.params ?? {});
  }

  @Get('aliases')
  @ApiOkResponse({ type: AliasesResponseDto })
  aliases(@Param('projectId') projectId: string): Promise<AliasesResponseDto> {
    return this.evolution.aliases(projectId);
  }

  @Get('safe-conversions')
  @ApiOkResponse({ type: SafeConversionsResponseDto })
  safeConversions(): SafeConversionsResponseDto {
    return this.evolution.safeConversions();
  }

  @Post('pending')
  @ApiOperation({ summary: 'Queue a change (validated now, applied by POST /apply)' })
  @ApiCreatedResponse({ type: PendingChangeDto })
  submitPending(
    @Param('projectId') projectId: string,
    @CurrentAdmin() admin: AdminPrincipal,
    @Body() dto: SubmitPendingDto,
  ): Promise<PendingChangeDto> {
    return this.evolution.submitPending(
      projectId,
      admin.userId,
      dto.collection_id,
      dto.operation,
      dto.params ?? {},
    );
  }

  @Get('pending')
  @ApiOperation({ summary: 'Queued changes with their SQL preview' })
  @ApiOkResponse({ type: [PendingChangeDto] })
  listPending(
    @Param('projectId') projectId: string,
    @Query() query: PendingListQueryDto,
  ): Promise<PendingChangeDto[]> {
    return this.evolution.listPending(projectId, query.status);
  }

  @Post('apply')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Apply pending changes in order, each atomically; the first failure is marked failed and stops the run',
  })
  @ApiOkResponse({ type: ApplyResultDto })
  apply(
    @Param('projectId') projectId: string,
    @CurrentAdmin() admin: AdminPrincipal,
    @Body() dto: ApplyPendingDto,
  ): Promise<ApplyResultDto> {
    return this.evolution.applyPending(projectId, admin.userId, dto.ids);
  }

  @Delete('pending/:pendingId')
  @HttpCode(204)
  @ApiNoContentResponse()
  async discard(
    @Param('projectId') projectId: string,
    @Param('pendingId') pendingId: string,
  ): Promise<void> {
    await this.evolution.discardPending(projectId, pendingId);
  }
}
