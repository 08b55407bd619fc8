import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProjectAdminRoute } from '../../common/auth/project-admin.decorator';
import { ProjectStatsDto, StatsQueryDto, UsageQueryDto, UsageReportDto } from './dto/usage.dto';
import { UsageService } from './usage.service';

/** Usage at a glance (issue 15.5): what the Project Overview charts. Members read. */
@ApiTags('usage')
@Controller('projects/:projectId')
@ProjectAdminRoute()
export class UsageController {
  constructor(private readonly usage: UsageService) {}

  @Get('usage')
  @ApiOperation({
    summary: 'Requests, error rate and p95 latency per route group',
    description:
      'Counted in memory by every API process and added to the database every USAGE_FLUSH_MS (10 s), so the last seconds may not show yet. Route groups: data, auth, files, realtime (socket opens), functions, views, sql, admin.',
  })
  @ApiOkResponse({ type: UsageReportDto })
  @ApiBadRequestResponse({ description: '`VALIDATION_FAILED`: `range` is not 1h or 24h' })
  report(
    @Param('projectId') projectId: string,
    @Query() q: UsageQueryDto,
  ): Promise<UsageReportDto> {
    return this.usage.usage(projectId, q.range ?? '1h');
  }

  @Get('stats')
  @ApiOperation({
    summary: 'Records per collection, storage used, webhook deliveries and workflow runs',
    description:
      "Record counts are exact up to 10,000 rows and the planner's estimate above (`estimate: true`).",
  })
  @ApiOkResponse({ type: ProjectStatsDto })
  @ApiBadRequestResponse({ description: '`VALIDATION_FAILED`: `range` is not 1h or 24h' })
  stats(
    @Param('projectId') projectId: string,
    @Query() q: StatsQueryDto,
  ): Promise<ProjectStatsDto> {
    return this.usage.stats(projectId, q.range ?? '24h');
  }
}
