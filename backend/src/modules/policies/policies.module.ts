import { Global, Module } from '@nestjs/common';
import { RbacModule } from '../rbac/rbac.module';
import { PoliciesController } from './policies.controller';
import { PoliciesRepository } from './policies.repository';
import { PoliciesService } from './policies.service';

/** Global so the data layer can call `PoliciesService.rowFilter` / `checkCreate` / `fieldAccess`. */
@Global()
@Module({
  imports: [RbacModule],
  controllers: [PoliciesController],
  providers: [PoliciesService, PoliciesRepository],
  exports: [PoliciesService],
})
export class PoliciesModule {}
