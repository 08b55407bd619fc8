import { Global, Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { AppAuthModule } from '../app-auth/app-auth.module';
import { DataAccessGuard } from './data-access.guard';
import { DataRateLimiter } from './data-rate-limiter';
import { RecordHooks } from './record-hooks';
import { RecordValidationHook } from './record-validation.hook';
import { RecordTransferService } from './record-transfer.service';
import { RecordsController } from './records.controller';
import { RecordsRepository } from './records.repository';
import { RecordsService } from './records.service';

@Global()
@Module({
  imports: [AuthModule, ApiKeysModule, AppAuthModule],
  controllers: [RecordsController],
  providers: [
    RecordsService,
    RecordsRepository,
    RecordTransferService,
    RecordHooks,
    DataAccessGuard,
    DataRateLimiter,
    RecordValidationHook,
  ],
  exports: [RecordsService, RecordHooks],
})
export class RecordsModule {}
