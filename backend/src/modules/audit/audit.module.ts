import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { AppAuthModule } from '../app-auth/app-auth.module';
import { AuthModule } from '../auth/auth.module';
import { AuditController } from './audit.controller';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { RecordHistoryController } from './record-history.controller';
import { DataRateLimiter } from '../records/data-rate-limiter';

@Module({
  // The data guard of the history routes needs what the records module gives its own controller.
  imports: [AuthModule, ApiKeysModule, AppAuthModule],
  controllers: [AuditController, RecordHistoryController],
  // The limiter keeps its counts in the shared throttler storage, so this instance adds no budget.
  providers: [AuditService, AuditRepository, DataRateLimiter],
  exports: [AuditService],
})
export class AuditModule {}
