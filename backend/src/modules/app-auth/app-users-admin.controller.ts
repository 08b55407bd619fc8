import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentAdmin } from '../../common/auth/current-admin.decorator';
import type { AdminPrincipal } from '../../common/auth/principal';
import { ProjectAdminRoute } from '../../common/auth/project-admin.decorator';
import { RequireProjectRole } from '../../common/auth/project-role.decorator';
import { ParseUuidPipe } from '../../common/pipes/parse-uuid.pipe';
import { AppUsersAdminService } from './app-users-admin.service';
import {
  AppUserDto,
  AppUserMailSentDto,
  CreateAppUserDto,
  ListAppUsersQueryDto,
  SendAppUserMailDto,
  UpdateAppUserDto,
} from './dto/app-users.dto';
import { SessionListDto } from './dto/app-auth.dto';

@ApiTags('app users (admin)')
@ProjectAdminRoute()
@Controller('projects/:projectId/settings/auth/users')
export class AppUsersAdminController {
  constructor(private readonly users: AppUsersAdminService) {}

  @Get()
  @ApiOkResponse({
    type: [AppUserDto],
    description: "The original's array, newest first; the total is in X-Total-Count",
  })
  @ApiHeader({ name: 'X-Total-Count', description: 'Users matching, ignoring limit/offset' })
  async list(
    @Param('projectId', ParseUuidPipe) projectId: string,
    @Query() q: ListAppUsersQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AppUserDto[]> {
    const page = await this.users.list(projectId, q);
    reply.header('X-Total-Count', String(page.total));
    return page.users;
  }

  @Post()
  @RequireProjectRole('admin')
  @ApiCreatedResponse({ type: AppUserDto })
  create(
    @Param('projectId', ParseUuidPipe) projectId: string,
    @Body() dto: CreateAppUserDto,
    @CurrentAdmin() admin: AdminPrincipal,
  ): Promise<AppUserDto> {
    return this.users.create(projectId, dto, admin.userId);
  }

  @Get(':userId')
  @ApiOkResponse({ type: AppUserDto })
  get(
    @Param('projectId', ParseUuidPipe) projectId: string,
    @Param('userId') userId: string,
  ): Promise<AppUserDto> {
    return this.users.get(projectId, userId.toLowerCase());
  }

  @Patch(':userId')
  @RequireProjectRole('admin')
  @ApiOkResponse({ type: AppUserDto })
  update(
    @Param('projectId', ParseUuidPipe) projectId: string,
    @Param('userId') userId: string,
    @Body() dto: UpdateAppUserDto,
  ): Promise<AppUserDto> {
    return this.users.update(projectId, userId.toLowerCase(), dto);
  }

  @Delete(':userId')
  @HttpCode(204)
  @RequireProjectRole('admin')
  @ApiNoContentResponse()
  async remove(
    @Param('projectId', ParseUuidPipe) projectId: string,
    @Param('userId') userId: string,
  ): Promise<void> {
    await this.users.remove(projectId, userId.toLowerCase());
  }

  @Post(':userId/revoke-sessions')
  @HttpCode(204)
  @RequireProjectRole('admin')
  @ApiNoContentResponse()
  async revokeSessions(
    @Param('projectId', ParseUuidPipe) projectId: string,
    @Param('userId') userId: string,
  ): Promise<void> {
    await this.users.revokeSessions(projectId, userId.toLowerCase());
  }

  /** Mails the user a password reset, a magic sign-in link or an address verification link. */
  @Post(':userId/send')
  @HttpCode(202)
  @RequireProjectRole('admin')
  @ApiAcceptedResponse({ type: AppUserMailSentDto })
  send(
    @Param('projectId', ParseUuidPipe) projectId: string,
    @Param('userId') userId: string,
    @Body() dto: SendAppUserMailDto,
  ): Promise<AppUserMailSentDto> {
    return this.users.sendMail(projectId, userId.toLowerCase(), dto.kind);
  }

  @Get(':userId/sessions')
  @RequireProjectRole('admin')
  @ApiOkResponse({ type: SessionListDto })
  sessions(@Param('projectId', ParseUuidPipe) projectId: string, @Param('userId') userId: string) {
    return this.users.sessions(projectId, userId.toLowerCase());
  }
}
