import { Global, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { ChangeLogRepository } from './change-log.repository';
import { ChangeLogService } from './change-log.service';
import { ChangeNotifier } from './change-notifier';
import { REQUEST_CONTEXT } from './request-context';

@Global()
@Module({
  providers: [ChangeLogService, ChangeLogRepository, ChangeNotifier],
  exports: [ChangeLogService, ChangeLogRepository, ChangeNotifier],
})
export class ChangeLogModule implements OnModuleInit {
  constructor(private readonly http: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.http.httpAdapter?.getInstance<FastifyInstance>();
    // Every change made while serving a request knows that request (actor, IP, user agent, id);
    // entered after body parsing, whose stream callbacks would lose the context.
    fastify?.addHook('preHandler', (req, _reply, done) => REQUEST_CONTEXT.run({ req }, done));
  }
}
