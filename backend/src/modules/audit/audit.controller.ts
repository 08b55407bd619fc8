import { Body, Controller, Get, Header, Param, Put, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ProjectAdminRoute } from '../../common/auth/project-admin.decorator';
import { RequireProjectRole } from '../../common/auth/project-role.decorator';
import { AuditService, toCsv } from './audit.service';
import {
  AuditEventsPageDto,
  AuditEventsQueryDto,
  AuditExportQueryDto,
  AuditSettingsDto,
} from './dto/audit.dto';

@ApiTags('audit')
@Controller('projects/:projectId/audit')
@ProjectAdminRoute()
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('events')
  @ApiOperation({
    summary: 'Audit events of the project, newest first',
    description:
      'Every committed change: record create/update/delete, `auth.*`, `schema.<op_type>`, `<resource>.<verb>`. Members read; nobody edits. Keyset paging: pass `next_cursor` as `after`.',
  })
  @ApiOkResponse({ type: AuditEventsPageDto })
  list(
    @Param('projectId') projectId: string,
    @Query() query: AuditEventsQueryDto,
  ): Promise<AuditEventsPageDto> {
    return this.audit.list(projectId, query);
  }

  @Get('events/export')
  @ApiOperation({ summary: 'The filtered audit view as CSV (default) or JSON, newest first' })
  @ApiProduces('text/csv', 'application/json')
  async export(
    @Param('projectId') projectId: string,
    @Query() query: AuditExportQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string | object> {
    const rows = await this.audit.exportRows(projectId, query);
    const format = query.format ?? 'csv';
    reply.header('content-disposition', `attachment; filename="audit-${projectId}.${format}"`);
    if (format === 'json') return rows;
    reply.type('text/csv; charset=utf-8');
    return toCsv(rows);
  }

  @Get('settings')
  @ApiOperation({ summary: 'Audit retention of the project (null = keep)' })
  @ApiOkResponse({ type: AuditSettingsDto })
  settings(@Param('projectId') projectId: string): Promise<AuditSettingsDto> {
    return this.audit.settings(projectId);
  }

  @Put('settings')
  @RequireProjectRole('admin')
  @Header('cache-control', 'no-store')
  @ApiOperation({
    summary: 'Set audit retention: days and/or max rows, enforced by an hourly job in batches',
  })
  @ApiOkResponse({ type: AuditSettingsDto })
  saveSettings(
    @Param('projectId') projectId: string,
    @Body() dto: AuditSettingsDto,
  ): Promise<AuditSettingsDto> {
    return this.audit.saveSettings(projectId, dto);
  }
}
