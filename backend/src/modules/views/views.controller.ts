import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  Patch,
  Post,
  Query,
  Req,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiResponse,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentAdmin } from '../../common/auth/current-admin.decorator';
import { CurrentMembership } from '../../common/auth/current-membership.decorator';
import { DataRoute } from '../../common/auth/data-verb.decorator';
import type { AdminPrincipal } from '../../common/auth/principal';
import { ProjectAdminRoute } from '../../common/auth/project-admin.decorator';
import { AppError } from '../../common/errors/app-error';
import { VIEW_OPERATORS } from '../../query-engine/view-definition';
import type { AccessContext } from '../access/access-context';
import type { MembershipEntity } from '../projects/membership.entity';
import { DataAccessGuard, type DataRequest } from '../records/data-access.guard';
import {
  CreateViewDto,
  ExecuteResultDto,
  ExecuteViewDto,
  PreviewResultDto,
  PreviewViewDto,
  UpdateViewDto,
  ViewDto,
  ViewVersionDto,
} from './dto/view.dto';
import { ViewsService } from './views.service';

function adminAccess(
  projectId: string,
  membership: MembershipEntity,
  req: FastifyRequest,
): AccessContext {
  return {
    projectId: projectId.toLowerCase(),
    principal: { kind: 'admin', userId: membership.userId, role: membership.role },
    ip: req.ip ?? null,
    userAgent: (req.headers['user-agent'] ?? '').slice(0, 512) || null,
  };
}

function paramsQuery(raw: string | undefined): unknown {
  if (!raw) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw AppError.validation('params must be a JSON object', [
      { field: 'params', rule: 'invalid_json', message: 'params must be a JSON object' },
    ]);
  }
}

/** The views catalog: member admins (viewers read, developers change). */
@ApiTags('views')
@Controller('projects/:projectId/views')
@ProjectAdminRoute()
export class ViewsController {
  constructor(private readonly views: ViewsService) {}

  @Post()
  @ApiOperation({
    summary: 'Create a view (version 1)',
    description:
      'A base collection, `joins` along relations (`relation.field` columns), `filters` with `{{param}}` values, `group_by`, `aggregates`, `having`, `sorts`, `params_schema`, `default_limit`, `max_limit`. Checked against the catalog; every problem is listed in `errors`.',
  })
  @ApiCreatedResponse({ type: ViewDto })
  @ApiConflictResponse({ description: 'A view or a collection already has this name' })
  create(
    @Param('projectId') projectId: string,
    @CurrentAdmin() admin: AdminPrincipal,
    @Body() dto: CreateViewDto,
  ): Promise<ViewDto> {
    return this.views.create(projectId.toLowerCase(), admin.userId, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Active views, ordered by name' })
  @ApiOkResponse({ type: [ViewDto] })
  list(@Param('projectId') projectId: string): Promise<ViewDto[]> {
    return this.views.list(projectId.toLowerCase());
  }

  @Get('operators')
  @ApiOperation({ summary: 'The filter operators (original names)' })
  operators() {
    return { operators: VIEW_OPERATORS };
  }

  @Post('preview')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Compile and run an unsaved definition: its SQL, bind values, columns and rows',
  })
  @ApiOkResponse({ type: PreviewResultDto })
  preview(
    @Param('projectId') projectId: string,
    @CurrentMembership() membership: MembershipEntity,
    @Req() req: FastifyRequest,
    @Body() dto: PreviewViewDto,
  ): Promise<PreviewResultDto> {
    return this.views.preview(adminAccess(projectId, membership, req), dto);
  }

  @Get(':viewName')
  @ApiOkResponse({ type: ViewDto })
  get(@Param('projectId') projectId: string, @Param('viewName') name: string): Promise<ViewDto> {
    return this.views.get(projectId.toLowerCase(), name);
  }

  @Patch(':viewName')
  @ApiOperation({
    summary: 'Change a view: every PATCH is a new version; the previous one is kept',
  })
  @ApiOkResponse({ type: ViewDto })
  update(
    @Param('projectId') projectId: string,
    @CurrentAdmin() admin: AdminPrincipal,
    @Param('viewName') name: string,
    @Body() dto: UpdateViewDto,
  ): Promise<ViewDto> {
    return this.views.update(projectId.toLowerCase(), admin.userId, name, dto);
  }

  @Delete(':viewName')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deactivated; the name is free again' })
  async remove(
    @Param('projectId') projectId: string,
    @Param('viewName') name: string,
  ): Promise<void> {
    await this.views.remove(projectId.toLowerCase(), name);
  }

  @Get(':viewName/versions')
  @ApiOperation({ summary: 'Every version of the view, newest first' })
  @ApiOkResponse({ type: [ViewVersionDto] })
  versions(
    @Param('projectId') projectId: string,
    @Param('viewName') name: string,
  ): Promise<ViewVersionDto[]> {
    return this.views.versions(projectId.toLowerCase(), name);
  }

  @Post(':viewName/versions/:version/rollback')
  @HttpCode(200)
  @ApiOperation({ summary: 'Write the definition of an older version back, as a new version' })
  @ApiOkResponse({ type: ViewDto })
  rollback(
    @Param('projectId') projectId: string,
    @CurrentAdmin() admin: AdminPrincipal,
    @Param('viewName') name: string,
    @Param('version', ParseIntPipe) version: number,
  ): Promise<ViewDto> {
    return this.views.rollback(projectId.toLowerCase(), admin.userId, name, version);
  }

  @Get(':viewName/meta')
  @ApiOperation({ summary: 'Self-documentation: endpoint, request, response fields, examples' })
  meta(
    @Param('projectId') projectId: string,
    @Param('viewName') name: string,
    @Req() req: FastifyRequest,
  ) {
    const base = `${req.protocol}://${req.headers.host ?? 'localhost'}`;
    return this.views.meta(projectId.toLowerCase(), name, base);
  }

  @Get(':viewName/sql')
  @ApiOperation({ summary: 'The one SQL statement the view compiles to (for the calling admin)' })
  @ApiQuery({ name: 'params', required: false, description: 'JSON object of param values' })
  sql(
    @Param('projectId') projectId: string,
    @Param('viewName') name: string,
    @CurrentMembership() membership: MembershipEntity,
    @Req() req: FastifyRequest,
    @Query('params') params?: string,
  ) {
    return this.views.sql(adminAccess(projectId, membership, req), name, paramsQuery(params));
  }
}

/** Running a view: member admins, API keys and app users alike, under the policies of every collection. */
@ApiTags('views')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('projects/:projectId/views')
@UseGuards(DataAccessGuard)
export class ViewExecutionController {
  constructor(private readonly views: ViewsService) {}

  @Post(':viewName/execute')
  @DataRoute('list')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Run a view: `{data, total, limit, offset, view_name, view_version}`',
    description:
      'Every collection involved applies the caller’s list policy and read_fields: a join never shows a row the caller could not list, aggregates count only visible rows, and a view that reads a field outside read_fields is refused (403 naming it).',
  })
  @ApiOkResponse({ type: ExecuteResultDto })
  @ApiForbiddenResponse({
    description: 'No list policy on the base, or a field outside read_fields',
  })
  @ApiResponse({ status: 503, description: 'TIMEOUT: the run outlasted VIEW_STATEMENT_TIMEOUT_MS' })
  execute(
    @Req() req: DataRequest,
    @Param('viewName') name: string,
    @Body() dto: ExecuteViewDto,
  ): Promise<ExecuteResultDto> {
    return this.views.execute(req.access as AccessContext, name, dto ?? {});
  }
}
