import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { AppAuthModule } from '../app-auth/app-auth.module';
import { AuthModule } from '../auth/auth.module';
import { MailModule } from '../mail/mail.module';
import { DataRateLimiter } from '../records/data-rate-limiter';
import { FunctionsController } from './functions.controller';
import { StepActions } from './step-actions.service';
import { WorkflowEngine } from './workflow-engine.service';
import { WorkflowTriggers } from './workflow-triggers.service';
import { WorkflowsController } from './workflows.controller';
import { WorkflowsRepository } from './workflows.repository';
import { WorkflowsService } from './workflows.service';

@Module({
  // The functions route's data guard needs what the records module gives its own controller.
  imports: [AuthModule, ApiKeysModule, AppAuthModule, MailModule],
  controllers: [WorkflowsController, FunctionsController],
  providers: [
    WorkflowsService,
    WorkflowsRepository,
    WorkflowEngine,
    WorkflowTriggers,
    StepActions,
    DataRateLimiter,
  ],
  exports: [WorkflowsService],
})
export class WorkflowsModule {}
