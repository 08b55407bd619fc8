import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { HealthRepository } from './health.repository';
import { Metrics } from './metrics';

@ApiTags('ops')
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthRepository,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  @Get('health')
  @ApiOkResponse({ description: 'The process is alive', schema: { example: { ok: true } } })
  live(): { ok: true } {
    return { ok: true };
  }

  @Get('ready')
  @ApiOkResponse({ description: 'Database reachable and migrations done' })
  @ApiServiceUnavailableResponse({ description: 'Not ready yet' })
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const state = await this.health.ready();
    const ok = state.database && state.migrations;
    reply.status(ok ? 200 : 503).send({ ok, ...state });
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  metricsText(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
