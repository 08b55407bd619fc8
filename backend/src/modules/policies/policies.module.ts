import { Global, Module } from '@nestjs/common';
import { RbacModule } from '../rbac/rbac.module';
import { PoliciesAdminService } from './policies-admin.service';
import { PoliciesController } from './policies.controller';
import { PoliciesRepository } from './policies.repository';
import { PolicyDecisionsService } from './policy-decisions.service';
import { PolicyExplainService } from './policy-explain.service';
import { ProjectPoliciesController } from './project-policies.controller';

/** Global so the data layer can call `PolicyDecisionsService.decide`. */
@Global()
@Module({
  imports: [RbacModule],
  controllers: [PoliciesController, ProjectPoliciesController],
  providers: [
    PolicyDecisionsService,
    PoliciesAdminService,
    PolicyExplainService,
    PoliciesRepository,
  ],
  exports: [PolicyDecisionsService, PoliciesAdminService],
})
export class PoliciesModule {}
