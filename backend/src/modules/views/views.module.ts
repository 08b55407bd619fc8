import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { AppAuthModule } from '../app-auth/app-auth.module';
import { AuthModule } from '../auth/auth.module';
import { DataRateLimiter } from '../records/data-rate-limiter';
import { ViewExecutionController, ViewsController } from './views.controller';
import { ViewsRepository } from './views.repository';
import { ViewsService } from './views.service';

@Module({
  // The execute route's data guard needs what the records module gives its own controller.
  imports: [AuthModule, ApiKeysModule, AppAuthModule],
  controllers: [ViewsController, ViewExecutionController],
  providers: [ViewsService, ViewsRepository, DataRateLimiter],
})
export class ViewsModule {}
