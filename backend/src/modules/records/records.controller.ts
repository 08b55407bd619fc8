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
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AppError } from '../../common/errors/app-error';
import type { QueryParams } from '../../query-engine';
import type { AccessContext } from './access-context';
import { DataAccessGuard, type DataRequest } from './data-access.guard';
import { RecordTransferService } from './record-transfer.service';
import { RecordsService, type ListResult } from './records.service';

const access = (req: DataRequest): AccessContext => req.access as AccessContext;
const FILTER_DOC =
  'Filters: `<field>__<op>=value` with eq neq gt gte lt lte contains icontains startswith endswith in notin isnull like ilike between; ' +
  '`filter=<JSON {and|or|not} tree>`, `search=`, `sort=-a,b`, `fields=a,b`, `expand=rel,rel.sub`, `limit` (1..1000, default 100), `offset`, `after=<next_cursor>`, `count=true|false|estimated` (estimated: exact up to COUNT_ESTIMATE_THRESHOLD matches, the planner estimate above, with `total_estimated`).';

@ApiTags('data')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('projects/:projectId/data/:collection')
@UseGuards(DataAccessGuard)
export class RecordsController {
  constructor(
    private readonly records: RecordsService,
    private readonly transfer: RecordTransferService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List records', description: FILTER_DOC })
  @ApiOkResponse({ description: '{records, total, limit, offset, next_cursor}' })
  list(
    @Req() req: DataRequest,
    @Param('collection') collection: string,
    @Query() query: QueryParams,
  ): Promise<ListResult> {
    return this.records.list(access(req), collection, query);
  }

  @Get('export')
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
  @HttpCode(200)
  @ApiOperation({ summary: 'Import records: text/csv or a JSON array; all or nothing' })
  @ApiConsumes('text/csv', 'application/json', 'multipart/form-data')
  @ApiOkResponse({ description: '{inserted}' })
  async import(
    @Req() req: DataRequest,
    @Param('collection') collection: string,
  ): Promise<{ inserted: number }> {
    const type = String(req.headers['content-type'] ?? '');
    if (type.startsWith('multipart/form-data')) {
      const file = await req.file();
      if (!file) throw AppError.validation('Send the data as a multipart field named file');
      const isJson =
        file.mimetype.includes('json') || file.filename.toLowerCase().endsWith('.json');
      if (!isJson) return this.transfer.import(access(req), collection, 'text/csv', file.file);
      let body: unknown;
      try {
        body = JSON.parse((await file.toBuffer()).toString('utf8'));
      } catch {
        throw AppError.validation('The uploaded file is not valid JSON');
      }
      return this.transfer.import(access(req), collection, 'application/json', body);
    }
    return this.transfer.import(access(req), collection, type, req.body);
  }
  @Post('bulk')
  @HttpCode(200)
  @ApiOperation({ summary: 'Create, update and delete many records in one transaction' })
  @ApiBody({
    schema: { example: { create: [{ title: 'a' }], update: [{ id: 1, title: 'b' }], delete: [2] } },
  })
  bulk(@Req() req: DataRequest, @Param('collection') collection: string) {
    return this.records.bulk(access(req), collection, req.body);
  }

  @Post()
  @ApiOperation({ summary: 'Create a record' })
  @ApiBody({ schema: { type: 'object', additionalProperties: true } })
  @ApiCreatedResponse({ description: 'The stored record' })
  create(@Req() req: DataRequest, @Param('collection') collection: string) {
    return this.records.create(access(req), collection, req.body);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a record', description: 'Supports `fields` and `expand`.' })
  get(
    @Req() req: DataRequest,
    @Param('collection') collection: string,
    @Param('id') id: string,
    @Query() query: QueryParams,
  ) {
    return this.records.get(access(req), collection, id, query);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Update a record (partial)' })
  @ApiBody({ schema: { type: 'object', additionalProperties: true } })
  update(
    @Req() req: DataRequest,
    @Param('collection') collection: string,
    @Param('id') id: string,
  ) {
    return this.records.update(access(req), collection, id, req.body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  async delete(
    @Req() req: DataRequest,
    @Param('collection') collection: string,
    @Param('id') id: string,
  ): Promise<void> {
    await this.records.delete(access(req), collection, id);
  }
}
