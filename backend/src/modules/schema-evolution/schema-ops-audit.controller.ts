import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProjectAdminRoute } from '../../common/auth/project-admin.decorator';
import { SchemaOpResponseDto, SchemaOpsQueryDto } from './dto/schema-evolution.dto';
import { SchemaEvolutionService } from './schema-evolution.service';

@ApiTags('audit')
@Controller('projects/:projectId/audit')
@ProjectAdminRoute()
export class SchemaOpsAuditController {
  constructor(private readonly evolution: SchemaEvolutionService) {}

  @Get('schema-ops')
  @ApiOperation({ summary: 'Schema changes of the project, newest first (applied and failed)' })
  @ApiOkResponse({ type: [SchemaOpResponseDto] })
  schemaOps(
    @Param('projectId') projectId: string,
    @Query() query: SchemaOpsQueryDto,
  ): Promise<SchemaOpResponseDto[]> {
    return this.evolution.schemaOps(projectId, query);
  }
}
