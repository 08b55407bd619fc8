import { Global, Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { AppAuthModule } from '../app-auth/app-auth.module';
import { DataAccessGuard } from './data-access.guard';
import { DataPrincipalResolver } from './data-principal.resolver';
import { DataRateLimiter } from './data-rate-limiter';
import { RecordHooks } from './record-hooks';
import { RecordValidationHook } from './record-validation.hook';
import { RecordTransferService } from './record-transfer.service';
import { RecordsController } from './records.controller';
import { RecordsRepository } from './records.repository';
import { RecordExpansionService } from './record-expansion.service';
import { RecordTargets } from './record-target';
import { DataViews } from './data-views';
import { RecordsReadingService } from './records-reading.service';
import { RecordsWritingService } from './records-writing.service';

@Global()
@Module({
  imports: [AuthModule, ApiKeysModule, AppAuthModule],
  controllers: [RecordsController],
  providers: [
    RecordTargets,
    DataViews,
    RecordsReadingService,
    RecordsWritingService,
    RecordExpansionService,
    RecordsRepository,
    RecordTransferService,
    RecordHooks,
    DataAccessGuard,
    DataPrincipalResolver,
    DataRateLimiter,
    RecordValidationHook,
  ],
  exports: [
    RecordsReadingService,
    RecordsWritingService,
    RecordHooks,
    DataPrincipalResolver,
    DataViews,
    DataAccessGuard,
    DataRateLimiter,
  ],
})
export class RecordsModule {}
