import { Global, Module } from '@nestjs/common';
import { RbacController } from './rbac.controller';
import { RbacRepository } from './rbac.repository';
import { RbacService } from './rbac.service';

/** Global so app-user auth can call `assignDefaultRole` and the data layer `rolesOf`. */
@Global()
@Module({
  controllers: [RbacController],
  providers: [RbacService, RbacRepository],
  exports: [RbacService],
})
export class RbacModule {}
