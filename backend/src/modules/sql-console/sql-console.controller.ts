import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentMembership } from '../../common/auth/current-membership.decorator';
import { ProjectAdminRoute } from '../../common/auth/project-admin.decorator';
import { RequireProjectRole } from '../../common/auth/project-role.decorator';
import type { MembershipEntity } from '../projects/membership.entity';
import { RunSqlDto, SqlHistoryDto, SqlHistoryQueryDto, SqlResultDto } from './dto/sql.dto';
import { SqlConsoleService } from './sql-console.service';

/** The SQL console (DESIGN §5): project owners and admins; writes are the owners'. */
@ApiTags('sql')
@Controller('projects/:projectId/sql')
@ProjectAdminRoute()
@RequireProjectRole('admin')
export class SqlConsoleController {
  constructor(private readonly sql: SqlConsoleService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Run one SQL statement as the project role',
    description:
      "Runs as the project's own PostgreSQL role (its schema only), READ ONLY unless an owner sends `read_only: false`, under a 5 s `statement_timeout`, at most 1000 rows. Audited as `sql.execute`.",
  })
  @ApiOkResponse({ type: SqlResultDto })
  @ApiBadRequestResponse({
    description:
      '`SQL_ERROR`: PostgreSQL refused or failed the statement; `errors[0].rule` is the SQLSTATE',
  })
  run(
    @Param('projectId') projectId: string,
    @CurrentMembership() membership: MembershipEntity,
    @Body() dto: RunSqlDto,
  ): Promise<SqlResultDto> {
    return this.sql.run(projectId.toLowerCase(), membership, dto);
  }

  @Get('history')
  @ApiOperation({ summary: "The caller's SQL runs in this project, newest first" })
  @ApiOkResponse({ type: SqlHistoryDto })
  history(
    @Param('projectId') projectId: string,
    @CurrentMembership() membership: MembershipEntity,
    @Query() q: SqlHistoryQueryDto,
  ): Promise<SqlHistoryDto> {
    return this.sql.history(projectId.toLowerCase(), membership.userId, q.limit);
  }
}
