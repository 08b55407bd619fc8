import { Global, Module } from '@nestjs/common';
import { UsageController } from './usage.controller';
import { UsageRecorder } from './usage-recorder';
import { UsageRepository } from './usage.repository';
import { UsageService } from './usage.service';

/** Usage at a glance (issue 15.5); the recorder is global so the HTTP hook and realtime count into it. */
@Global()
@Module({
  controllers: [UsageController],
  providers: [UsageRecorder, UsageRepository, UsageService],
  exports: [UsageRecorder],
})
export class UsageModule {}
