import { Controller, Get, Header, Req, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { DataRoute } from '../../common/auth/data-verb.decorator';
import type { AccessContext } from '../access/access-context';
import { DataAccessGuard, type DataRequest } from '../records/data-access.guard';
import { TypesService } from './types.service';

@ApiTags('types')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('projects/:projectId')
@UseGuards(DataAccessGuard)
export class TypesController {
  constructor(private readonly types: TypesService) {}

  @Get('types.ts')
  @DataRoute('get')
  @Header('content-type', 'application/typescript; charset=utf-8')
  @Header('cache-control', 'no-store')
  @ApiOperation({
    summary: 'TypeScript types of every collection, for `createClient<Database>()`',
    description:
      'Per collection: the row as the data API answers it, Insert and Update types, and Relations (what `expand` adds); plus `Database`. `pnpm backendify types --project <id> --out src/backendify.d.ts` writes it. Members and service API keys only.',
  })
  @ApiProduces('application/typescript')
  @ApiResponse({ status: 200, description: 'The types as TypeScript source' })
  @ApiForbiddenResponse({ description: 'An app user, a public key or an anonymous caller' })
  typescript(@Req() req: DataRequest): Promise<string> {
    const access = req.access as AccessContext;
    return this.types.typescript(access.projectId, access.principal);
  }
}
