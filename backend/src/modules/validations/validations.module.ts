import { Global, Module } from '@nestjs/common';
import { ValidationsController } from './validations.controller';
import { ValidationsRepository } from './validations.repository';
import { ValidationsService } from './validations.service';

/** Global so the records module can call `ValidationsService.validateForWrite` on every write. */
@Global()
@Module({
  controllers: [ValidationsController],
  providers: [ValidationsService, ValidationsRepository],
  exports: [ValidationsService],
})
export class ValidationsModule {}
