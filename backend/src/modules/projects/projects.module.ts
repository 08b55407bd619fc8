import { Global, Module } from '@nestjs/common';
import { ProjectMemberGuard } from './project-member.guard';
import { ProjectProvisioningHooks } from './project-provisioning.hooks';
import { MailModule } from '../mail/mail.module';
import { InvitationsRepository } from './invitations.repository';
import { InvitationsService } from './invitations.service';
import { InvitationsController, ProjectsController } from './projects.controller';
import { ProjectsRepository } from './projects.repository';
import { ProjectsService } from './projects.service';

@Global()
@Module({
  imports: [MailModule],
  controllers: [ProjectsController, InvitationsController],
  providers: [
    ProjectsService,
    ProjectsRepository,
    ProjectMemberGuard,
    ProjectProvisioningHooks,
    InvitationsService,
    InvitationsRepository,
  ],
  exports: [ProjectsService, ProjectMemberGuard, ProjectProvisioningHooks],
})
export class ProjectsModule {}
