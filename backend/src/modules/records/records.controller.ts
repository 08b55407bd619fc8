import {
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DataRoute } from '../../common/auth/data-verb.decorator';
import { AppError } from '../../common/errors/app-error';
import { AcceptsBody } from '../../common/http/media-type.guard';
import type { QueryParams } from '../../query-engine';
import type { AccessContext } from '../access/access-context';
import { DataAccessGuard, type DataRequest } from './data-access.guard';
import { RecordTransferService } from './record-transfer.service';
import { RecordsReadingService, type ListResult } from './records-reading.service';
import { RecordsWritingService } from './records-writing.service';

const access = (req: DataRequest): AccessContext => req.access as AccessContext;
const FILTER_DOC =
  'Filters: `<field>__<op>=value` with eq neq gt gte lt lte contains icontains startswith endswith in notin isnull like ilike between; ' +
  '`filter=<JSON {and|or|not} tree>`, `search=`, `sort=-a,b`, `fields=a,b`, `expand=rel,rel.sub`, `limit` (1..1000, default 100), `offset`, `after=<next_cursor>`, `count=true|false|estimated` (estimated: exact up to COUNT_ESTIMATE_THRESHOLD matches, the planner estimate above, with `total_estimated`).';

@ApiTags('data')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('projects/:projectId/data/:collection')
@UseGuards(DataAccessGuard)
@ApiForbiddenResponse({
  description:
    'No policy allows it, the member role is too low (viewers only read), or a _users row or system field (app users change through …/settings/auth/users)',
})
export class RecordsController {
  constructor(
    private readonly reading: RecordsReadingService,
    private readonly writing: RecordsWritingService,
    private readonly transfer: RecordTransferService,
  ) {}

  @Get()
  @DataRoute('list')
  @ApiOperation({ summary: 'List records', description: FILTER_DOC })
  @ApiOkResponse({ description: '{records, total, limit, offset, next_cursor}' })
  list(
    @Req() req: DataRequest,
    @Param('collection') collection: string,
    @Query() query: QueryParams,
  ): Promise<ListResult> {
    return this.reading.list(access(req), collection, query);
  }

  @Get('export')
  @DataRoute('export')
  @ApiOperation({ summary: 'Export records (streamed)', description: FILTER_DOC })
  @ApiQuery({ name: 'format', enum: ['csv', 'json'] })
  async export(
    @Req() req: DataRequest,
    @Res() reply: FastifyReply,
    @Param('collection') collection: string,
    @Query() query: QueryParams,
  ): Promise<void> {
    const format = typeof query.format === 'string' ? query.format : 'json';
    const out = await this.transfer.export(access(req), collection, format, query);
    await reply
      .header('content-type', out.contentType)
      .header('content-disposition', `attachment; filename="${out.filename}"`)
      .send(out.stream);
  }

  @Post('import')
  @DataRoute('import')
  @HttpCode(200)
  @ApiOperation({ summary: 'Import records: text/csv or a JSON array; all or nothing' })
  @AcceptsBody('text/csv', 'multipart/form-data')
  @ApiOkResponse({ description: '{inserted}' })
  async import(
    @Req() req: DataRequest,
    @Param('collection') collection: string,
  ): Promise<{ inserted: number }> {
    const type = String(req.headers['content-type'] ?? '');
    if (type.startsWith('multipart/form-data')) {
      // One byte over the limit lets the import's own counter answer 413 rather than a silent truncation.
      const file = await req.file({ limits: { fileSize: this.transfer.importMaxBytes + 1 } });
      if (!file) throw AppError.validation('Send the data as a multipart field named file');
      const isJson =
        file.mimetype.includes('json') || file.filename.toLowerCase().endsWith('.json');
      if (!isJson) return this.transfer.import(access(req), collection, 'text/csv', file.file);
      const body = await this.transfer.parseJsonUpload(file.file);
      return this.transfer.import(access(req), collection, 'application/json', body);
    }
    return this.transfer.import(access(req), collection, type, req.body);
  }

  @Post('bulk')
  @DataRoute('bulk')
  @HttpCode(200)
  @ApiOperation({ summary: 'Create, update and delete many records in one transaction' })
  @ApiBody({
    schema: { example: { create: [{ title: 'a' }], update: [{ id: 1, title: 'b' }], delete: [2] } },
  })
  bulk(@Req() req: DataRequest, @Param('collection') collection: string) {
    return this.writing.bulk(access(req), collection, req.body);
  }

  @Post()
  @DataRoute('create')
  @ApiOperation({ summary: 'Create a record' })
  @ApiBody({ schema: { type: 'object', additionalProperties: true } })
  @ApiCreatedResponse({ description: 'The stored record' })
  create(@Req() req: DataRequest, @Param('collection') collection: string) {
    return this.writing.create(access(req), collection, req.body);
  }

  @Get(':id')
  @DataRoute('get')
  @ApiOperation({ summary: 'Get a record', description: 'Supports `fields` and `expand`.' })
  get(
    @Req() req: DataRequest,
    @Param('collection') collection: string,
    @Param('id') id: string,
    @Query() query: QueryParams,
  ) {
    return this.reading.get(access(req), collection, id, query);
  }

  @Patch(':id')
  @DataRoute('update')
  @ApiOperation({ summary: 'Update a record (partial)' })
  @ApiBody({ schema: { type: 'object', additionalProperties: true } })
  update(
    @Req() req: DataRequest,
    @Param('collection') collection: string,
    @Param('id') id: string,
  ) {
    return this.writing.update(access(req), collection, id, req.body);
  }

  @Delete(':id')
  @DataRoute('delete')
  @HttpCode(204)
  @ApiNoContentResponse()
  async delete(
    @Req() req: DataRequest,
    @Param('collection') collection: string,
    @Param('id') id: string,
  ): Promise<void> {
    await this.writing.delete(access(req), collection, id);
  }
}
