import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { AdminAuthGuard } from '../../common/auth/admin-auth.guard';
import { CurrentAdmin } from '../../common/auth/current-admin.decorator';
import type { AdminPrincipal } from '../../common/auth/principal';
import { ProjectAdminRoute } from '../../common/auth/project-admin.decorator';
import { RequireProjectRole } from '../../common/auth/project-role.decorator';
import { ParseUuidPipe } from '../../common/pipes/parse-uuid.pipe';
import { AcceptsBody } from '../../common/http/media-type.guard';
import { ProjectResponseDto } from '../projects/dto/project.dto';
import { BackupsService } from './backups.service';
import {
  BackupDto,
  BackupScheduleDto,
  CreateBackupDto,
  PutBackupScheduleDto,
  RestoreQueryDto,
} from './dto/backup.dto';

const ARCHIVE_TYPES = ['application/gzip', 'application/x-gzip', 'application/octet-stream'];

function sendArchive(reply: FastifyReply, name: string, body: Readable): FastifyReply {
  return reply
    .header('content-type', 'application/gzip')
    .header('content-disposition', `attachment; filename="${name}"`)
    .send(body);
}

const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');

/** Backups of one project (DESIGN §5): owners and admins. */
@ApiTags('backups')
@Controller('projects/:projectId')
@ProjectAdminRoute()
@RequireProjectRole('admin')
export class BackupsController {
  constructor(private readonly backups: BackupsService) {}

  @Get('backup')
  @ApiOperation({
    summary: 'Stream an archive of the project',
    description:
      'A gzip tar: manifest.json, catalog.json (schema, relations, validations, policies, roles, settings, buckets, webhooks, workflows), files, data per collection as NDJSON, role assignments, checksums.json. Secrets are left out.',
  })
  @ApiProduces('application/gzip')
  @ApiOkResponse({ description: 'The archive' })
  download(
    @Param('projectId') projectId: string,
    @CurrentAdmin() admin: AdminPrincipal,
    @Res() reply: FastifyReply,
  ): FastifyReply {
    // `:projectId` is already lower-cased by the canonical-project-id hook.
    return sendArchive(
      reply,
      `backup-${projectId}-${stamp()}.tar.gz`,
      this.backups.archive(projectId, admin.userId),
    );
  }

  @Get('backups')
  @ApiOperation({ summary: 'Stored backups, newest first' })
  @ApiOkResponse({ type: [BackupDto] })
  list(@Param('projectId') projectId: string): Promise<BackupDto[]> {
    return this.backups.list(projectId);
  }

  @Post('backups')
  @ApiOperation({ summary: 'Back up now to the target (local DATA_DIR/backups or s3)' })
  @ApiCreatedResponse({ type: BackupDto })
  create(
    @Param('projectId') projectId: string,
    @CurrentAdmin() admin: AdminPrincipal,
    @Body() dto: CreateBackupDto,
  ): Promise<BackupDto> {
    return this.backups.store(projectId, 'manual', admin.userId, dto?.target);
  }

  @Get('backups/schedule')
  @ApiOperation({ summary: "The project's backup schedule" })
  @ApiOkResponse({ type: BackupScheduleDto })
  schedule(@Param('projectId') projectId: string): Promise<BackupScheduleDto> {
    return this.backups.getSchedule(projectId);
  }

  @Put('backups/schedule')
  @ApiOperation({ summary: 'Set the backup schedule (cron, keep last N, target)' })
  @ApiOkResponse({ type: BackupScheduleDto })
  putSchedule(
    @Param('projectId') projectId: string,
    @Body() dto: PutBackupScheduleDto,
  ): Promise<BackupScheduleDto> {
    return this.backups.putSchedule(projectId, dto);
  }

  @Get('backups/:backupId/download')
  @ApiOperation({ summary: 'Download a stored backup' })
  @ApiProduces('application/gzip')
  @ApiOkResponse({ description: 'The archive' })
  async downloadStored(
    @Param('projectId') projectId: string,
    @Param('backupId', ParseUuidPipe) backupId: string,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    const { row, body } = await this.backups.open(projectId, backupId);
    return sendArchive(
      reply,
      `backup-${row.project_id}-${row.created_at.replace(/[:.]/g, '-')}.tar.gz`,
      body,
    );
  }

  @Delete('backups/:backupId')
  @HttpCode(204)
  @ApiNoContentResponse()
  async remove(
    @Param('projectId') projectId: string,
    @Param('backupId', ParseUuidPipe) backupId: string,
  ): Promise<void> {
    await this.backups.remove(projectId, backupId);
  }

  @Post('backups/:backupId/restore')
  @ApiOperation({ summary: 'Restore a stored backup into a new project' })
  @ApiCreatedResponse({ type: ProjectResponseDto })
  restoreStored(
    @Param('projectId') projectId: string,
    @Param('backupId', ParseUuidPipe) backupId: string,
    @CurrentAdmin() admin: AdminPrincipal,
    @Query() q: RestoreQueryDto,
  ): Promise<ProjectResponseDto> {
    return this.backups.restoreStored(projectId, backupId, admin.userId, q.name);
  }
}

/** `POST /api/projects/restore`: any signed-in admin may create a project from an archive. */
@ApiTags('backups')
@Controller('projects')
export class RestoreController {
  constructor(private readonly backups: BackupsService) {}

  @Post('restore')
  @UseGuards(AdminAuthGuard)
  @AcceptsBody(...ARCHIVE_TYPES)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Create a new project from a backup archive (the body)',
    description:
      'The archive as the raw body (application/gzip). A failed restore leaves no project behind.',
  })
  @ApiConsumes(...ARCHIVE_TYPES)
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiCreatedResponse({ type: ProjectResponseDto })
  @ApiBadRequestResponse({
    description: 'Not a readable backup archive (format, checksums, entry names)',
  })
  @ApiPayloadTooLargeResponse({ description: 'The archive is larger than the restore limit' })
  @ApiUnsupportedMediaTypeResponse({ description: 'The body is not application/gzip' })
  restore(
    @CurrentAdmin() admin: AdminPrincipal,
    @Query() q: RestoreQueryDto,
    @Req() req: FastifyRequest,
  ): Promise<ProjectResponseDto> {
    return this.backups.restore(admin.userId, req.body as Readable, q.name);
  }
}

export { ARCHIVE_TYPES };
