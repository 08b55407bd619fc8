import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProjectAdminRoute } from '../../common/auth/project-admin.decorator';
import { RequireProjectRole } from '../../common/auth/project-role.decorator';
import { ParseUuidPipe } from '../../common/pipes/parse-uuid.pipe';
import { AuthSettingsService } from './auth-settings.service';
import { AuthSettingsResponseDto, UpdateAuthSettingsDto } from './dto/auth-settings.dto';

@ApiTags('auth settings')
@ProjectAdminRoute()
@Controller('projects/:projectId/settings/auth')
export class AuthSettingsController {
  constructor(private readonly settings: AuthSettingsService) {}

  @Get()
  @ApiOperation({ summary: 'App-user auth settings (created with defaults on first read)' })
  @ApiOkResponse({ type: AuthSettingsResponseDto })
  get(@Param('projectId', ParseUuidPipe) projectId: string): Promise<AuthSettingsResponseDto> {
    return this.settings.getDto(projectId);
  }

  @Put()
  @RequireProjectRole('admin')
  @ApiOperation({ summary: 'Partial update; OAuth client secrets are write-only' })
  @ApiOkResponse({ type: AuthSettingsResponseDto })
  update(
    @Param('projectId', ParseUuidPipe) projectId: string,
    @Body() dto: UpdateAuthSettingsDto,
  ): Promise<AuthSettingsResponseDto> {
    return this.settings.update(projectId, dto);
  }
}
