import { Global, Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { HealthRepository } from './health.repository';
import { Metrics } from './metrics';

@Global()
@Module({
  controllers: [HealthController],
  providers: [HealthRepository, { provide: Metrics, useFactory: () => new Metrics() }],
  exports: [Metrics],
})
export class HealthModule {}
