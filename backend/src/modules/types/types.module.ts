import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { AppAuthModule } from '../app-auth/app-auth.module';
import { AuthModule } from '../auth/auth.module';
import { ProjectsModule } from '../projects/projects.module';
import { DataRateLimiter } from '../records/data-rate-limiter';
import { TypesController } from './types.controller';
import { TypesService } from './types.service';

@Module({
  // The data guard (members, API keys, app users) needs what the records module gives its own controller.
  imports: [AuthModule, ApiKeysModule, AppAuthModule, ProjectsModule],
  controllers: [TypesController],
  providers: [TypesService, DataRateLimiter],
})
export class TypesModule {}
