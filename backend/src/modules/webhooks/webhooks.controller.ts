import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentAdmin } from '../../common/auth/current-admin.decorator';
import type { AdminPrincipal } from '../../common/auth/principal';
import { ProjectAdminRoute } from '../../common/auth/project-admin.decorator';
import {
  CreateWebhookDto,
  DeliveriesPageDto,
  DeliveriesQueryDto,
  DeliveryDetailDto,
  DeliveryDto,
  ReplayDto,
  ReplayResultDto,
  TestResultDto,
  UpdateWebhookDto,
  WebhookDto,
  WebhookSecretDto,
  WebhookWithSecretDto,
} from './dto/webhook.dto';
import { WebhooksService } from './webhooks.service';

const uuid = new ParseUUIDPipe({ version: undefined });

@ApiTags('webhooks')
@Controller('projects/:projectId/webhooks')
@ProjectAdminRoute()
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @Header('cache-control', 'no-store')
  @ApiOperation({
    summary: 'Create a webhook; the signing secret is returned only in this answer',
    description:
      'Deliveries come from the change log, at least once, signed with `X-Webhook-Signature` and the Standard Webhooks headers.',
  })
  @ApiCreatedResponse({ type: WebhookWithSecretDto })
  create(
    @Param('projectId') projectId: string,
    @CurrentAdmin() admin: AdminPrincipal,
    @Body() dto: CreateWebhookDto,
  ): Promise<WebhookWithSecretDto> {
    return this.webhooks.create(projectId, admin.userId, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Webhooks of the project (secrets are never shown again)' })
  @ApiOkResponse({ type: [WebhookDto] })
  list(@Param('projectId') projectId: string): Promise<WebhookDto[]> {
    return this.webhooks.list(projectId);
  }

  @Get(':webhookId')
  @ApiOkResponse({ type: WebhookDto })
  get(
    @Param('projectId') projectId: string,
    @Param('webhookId', uuid) id: string,
  ): Promise<WebhookDto> {
    return this.webhooks.get(projectId, id);
  }

  @Patch(':webhookId')
  @ApiOperation({ summary: 'Change a webhook; `is_active: true` re-enables a disabled endpoint' })
  @ApiOkResponse({ type: WebhookDto })
  update(
    @Param('projectId') projectId: string,
    @Param('webhookId', uuid) id: string,
    @Body() dto: UpdateWebhookDto,
  ): Promise<WebhookDto> {
    return this.webhooks.update(projectId, id, dto);
  }

  @Delete(':webhookId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted, with its delivery log' })
  async remove(
    @Param('projectId') projectId: string,
    @Param('webhookId', uuid) id: string,
  ): Promise<void> {
    await this.webhooks.remove(projectId, id);
  }

  @Post(':webhookId/rotate-secret')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'Replace the signing secret; the new one is shown only here' })
  @ApiOkResponse({ type: WebhookSecretDto })
  rotate(
    @Param('projectId') projectId: string,
    @Param('webhookId', uuid) id: string,
  ): Promise<WebhookSecretDto> {
    return this.webhooks.rotateSecret(projectId, id);
  }

  @Post(':webhookId/test')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a `webhook.test` event to this endpoint (one attempt)' })
  @ApiAcceptedResponse({ type: TestResultDto })
  @ApiConflictResponse({ description: 'The webhook is disabled' })
  test(
    @Param('projectId') projectId: string,
    @Param('webhookId', uuid) id: string,
  ): Promise<TestResultDto> {
    return this.webhooks.test(projectId, id);
  }

  @Get(':webhookId/deliveries')
  @ApiOperation({ summary: 'Delivery log, newest first' })
  @ApiOkResponse({ type: DeliveriesPageDto })
  deliveries(
    @Param('projectId') projectId: string,
    @Param('webhookId', uuid) id: string,
    @Query() q: DeliveriesQueryDto,
  ): Promise<DeliveriesPageDto> {
    return this.webhooks.deliveries(projectId, id, q);
  }

  @Get(':webhookId/deliveries/:deliveryId')
  @ApiOperation({ summary: 'One delivery with its payload, request headers and every attempt' })
  @ApiOkResponse({ type: DeliveryDetailDto })
  delivery(
    @Param('projectId') projectId: string,
    @Param('webhookId', uuid) id: string,
    @Param('deliveryId', uuid) deliveryId: string,
  ): Promise<DeliveryDetailDto> {
    return this.webhooks.deliveryDetail(projectId, id, deliveryId);
  }

  @Post(':webhookId/deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send the same event again as a new delivery (same X-Webhook-Id)' })
  @ApiAcceptedResponse({ type: DeliveryDto })
  redeliver(
    @Param('projectId') projectId: string,
    @Param('webhookId', uuid) id: string,
    @Param('deliveryId', uuid) deliveryId: string,
  ): Promise<DeliveryDto> {
    return this.webhooks.redeliver(projectId, id, deliveryId);
  }

  @Post(':webhookId/replay')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Queue again every subscribed event committed in [from, to) (at most 10,000)',
  })
  @ApiAcceptedResponse({ type: ReplayResultDto })
  replay(
    @Param('projectId') projectId: string,
    @Param('webhookId', uuid) id: string,
    @Body() dto: ReplayDto,
  ): Promise<ReplayResultDto> {
    return this.webhooks.replay(projectId, id, dto.from, dto.to);
  }
}
