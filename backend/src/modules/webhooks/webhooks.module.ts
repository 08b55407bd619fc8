import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { WebhooksController } from './webhooks.controller';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

@Module({
  imports: [AuthModule],
  controllers: [WebhooksController],
  providers: [WebhooksService, WebhookDeliveryService, WebhooksRepository],
  exports: [WebhooksService],
})
export class WebhooksModule {}
