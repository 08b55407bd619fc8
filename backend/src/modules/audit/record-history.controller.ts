import { Controller, Get, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { DataRoute } from '../../common/auth/data-verb.decorator';
import type { AccessContext } from '../access/access-context';
import { DataAccessGuard, type DataRequest } from '../records/data-access.guard';
import { AuditService } from './audit.service';
import { RecordVersionDto } from './dto/audit.dto';

const access = (req: DataRequest): AccessContext => req.access as AccessContext;

/** Per-record history under the data routes: the same guard, so read access to the record is needed. */
@ApiTags('data')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('projects/:projectId/data/:collection/:id/history')
@UseGuards(DataAccessGuard)
export class RecordHistoryController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @DataRoute('get')
  @ApiOperation({
    summary:
      'Versions of a record, newest first: who, when, the record after the change, changed fields',
  })
  @ApiOkResponse({ type: [RecordVersionDto] })
  history(
    @Req() req: DataRequest,
    @Param('collection') collection: string,
    @Param('id') id: string,
  ): Promise<RecordVersionDto[]> {
    return this.audit.history(access(req), collection, id);
  }

  @Post(':versionId/revert')
  @DataRoute('update')
  @ApiOperation({
    summary:
      'Write a version back through the normal update (policies, validations; a new version)',
  })
  @ApiOkResponse({ description: 'The record as updated' })
  revert(
    @Req() req: DataRequest,
    @Param('collection') collection: string,
    @Param('id') id: string,
    @Param('versionId') versionId: string,
  ): Promise<Record<string, unknown>> {
    return this.audit.revert(access(req), collection, id, versionId);
  }
}
