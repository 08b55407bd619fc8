import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';

/** One pino JSON logger for Fastify's request logs and Nest's own messages. */
export function createPinoLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'backendify' },
    redact: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie'],
  });
}

export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    if (message && typeof message === 'object') this.logger.error({ context, ...message }, 'error');
    else this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
