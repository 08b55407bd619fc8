import { Global, Module } from '@nestjs/common';
import { ProjectMemberGuard } from './project-member.guard';
import { ProjectProvisioningHooks } from './project-provisioning.hooks';
import { ProjectsController } from './projects.controller';
import { ProjectsRepository } from './projects.repository';
import { ProjectsService } from './projects.service';

@Global()
@Module({
  controllers: [ProjectsController],
  providers: [ProjectsService, ProjectsRepository, ProjectMemberGuard, ProjectProvisioningHooks],
  exports: [ProjectsService, ProjectsRepository, ProjectMemberGuard, ProjectProvisioningHooks],
})
export class ProjectsModule {}
