import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentAdmin } from '../../common/auth/current-admin.decorator';
import type { AdminPrincipal } from '../../common/auth/principal';
import { ProjectAdminRoute } from '../../common/auth/project-admin.decorator';
import { RequireProjectRole } from '../../common/auth/project-role.decorator';
import { ParseUuidPipe } from '../../common/pipes/parse-uuid.pipe';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyResponseDto, CreateApiKeyDto, CreatedApiKeyResponseDto } from './dto/api-key.dto';

@ApiTags('api keys')
@Controller('projects/:projectId/api-keys')
@ProjectAdminRoute()
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @RequireProjectRole('admin')
  @ApiCreatedResponse({ type: CreatedApiKeyResponseDto })
  create(
    @Param('projectId') projectId: string,
    @CurrentAdmin() admin: AdminPrincipal,
    @Body() dto: CreateApiKeyDto,
  ): Promise<CreatedApiKeyResponseDto> {
    return this.keys.create(projectId, admin.userId, dto.name, dto.expires_at, dto.kind);
  }

  @Get()
  @RequireProjectRole('admin')
  @ApiOkResponse({ type: [ApiKeyResponseDto] })
  list(@Param('projectId') projectId: string): Promise<ApiKeyResponseDto[]> {
    return this.keys.list(projectId);
  }

  @Post(':keyId/revoke')
  @HttpCode(204)
  @RequireProjectRole('admin')
  async revoke(
    @Param('projectId') projectId: string,
    @Param('keyId', ParseUuidPipe) keyId: string,
  ): Promise<void> {
    await this.keys.revoke(projectId, keyId);
  }

  @Delete(':keyId')
  @HttpCode(204)
  @RequireProjectRole('admin')
  async delete(
    @Param('projectId') projectId: string,
    @Param('keyId', ParseUuidPipe) keyId: string,
  ): Promise<void> {
    await this.keys.delete(projectId, keyId);
  }
}
