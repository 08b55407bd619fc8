import { Controller, Delete, Get, HttpCode, Param } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProjectAdminRoute } from '../../common/auth/project-admin.decorator';
import { RequireProjectRole } from '../../common/auth/project-role.decorator';
import { ParseUuidPipe } from '../../common/pipes/parse-uuid.pipe';
import { MailService, type MailboxMessageDto } from './mail.service';

/** The dev mailbox: mail written while SMTP_URL is unset. It holds live tokens, so admins only. */
@ApiTags('mail')
@ProjectAdminRoute()
@RequireProjectRole('admin')
@Controller('projects/:projectId/mailbox')
export class MailboxController {
  constructor(private readonly mail: MailService) {}

  @Get()
  @ApiOperation({ summary: 'Dev mailbox, newest first' })
  @ApiOkResponse({ description: '{messages:[{id,to,subject,text,html,kind,created_at}]}' })
  list(
    @Param('projectId', ParseUuidPipe) projectId: string,
  ): Promise<{ messages: MailboxMessageDto[] }> {
    return this.mail.listMailbox(projectId);
  }

  @Delete()
  @HttpCode(204)
  @ApiNoContentResponse()
  async clear(@Param('projectId', ParseUuidPipe) projectId: string): Promise<void> {
    await this.mail.clearMailbox(projectId);
  }
}
