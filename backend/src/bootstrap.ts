import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import { AppModule } from './app.module';
import type { AppConfig } from './config/app-config';
import { ProblemDetailsFilter } from './common/errors/problem-details.filter';
import { createValidationPipe } from './common/pipes/validation.pipe';
import { Metrics } from './modules/health/metrics';
import { createPinoLogger, PinoNestLogger } from './common/logging/pino-logger';

const CONSOLE_DIR = resolve(__dirname, '../../frontend/dist');

const CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/** Helmet's defaults, computed once rather than per request (this is on every hot path). */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CSP,
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'strict-transport-security': 'max-age=15552000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'DENY',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

/** Credentials in query strings (realtime `token=`, `api_key=`) never reach the logs. */
const SECRET_PARAMS = /([?&](?:token|api_key|access_token|refresh_token|code)=)[^&]*/gi;
const redactUrl = (url: string) =>
  url.includes('=') ? url.replace(SECRET_PARAMS, '$1[redacted]') : url;

/** Builds the Nest app on Fastify with every cross-cutting concern; the caller listens. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const logger = createPinoLogger(config.logLevel);
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    bodyLimit: 10 * 1024 * 1024,
    trustProxy: false,
    // One 'request completed' line per request (onResponse below) instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: new PinoNestLogger(logger.child({ component: 'nest' })),
  });
  const fastify = app.getHttpAdapter().getInstance();

  await app.register((await import('@fastify/cors')).default, {
    origin: config.corsOrigins,
    credentials: true,
    exposedHeaders: [
      'Retry-After',
      'X-Request-Id',
      'X-RateLimit-Limit',
      'X-RateLimit-Remaining',
      'X-RateLimit-Reset',
    ],
  });

  await app.register((await import('@fastify/multipart')).default, {
    limits: { fileSize: 50 * 1024 * 1024, files: 1, fields: 10 },
  });
  // CSV imports are parsed as a stream by the import route, never buffered whole.
  fastify.addContentTypeParser('text/csv', (_req, payload, done) => done(null, payload));
  const metrics = app.get(Metrics);
  fastify.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply) => {
    reply.headers(SECURITY_HEADERS);
    reply.header('x-request-id', req.id);
    if (req.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
  });
  const logRequests = logger.isLevelEnabled('info');
  fastify.addHook('onResponse', async (req: FastifyRequest, reply: FastifyReply) => {
    const route = req.routeOptions?.url ?? 'unmatched';
    const ms = reply.elapsedTime;
    metrics.observe(req.method, route, reply.statusCode, ms / 1000);
    if (logRequests) {
      req.log.info(
        {
          req: { method: req.method, url: redactUrl(req.url) },
          res: { statusCode: reply.statusCode },
          responseTime: ms,
        },
        'request completed',
      );
    }
  });

  const indexHtml = existsSync(join(CONSOLE_DIR, 'index.html'))
    ? readFileSync(join(CONSOLE_DIR, 'index.html'), 'utf8')
    : null;
  if (indexHtml) {
    await app.register((await import('@fastify/static')).default, {
      root: CONSOLE_DIR,
      prefix: '/',
      wildcard: false,
      index: false,
    });
  }
  const spaFallback = (req: FastifyRequest, reply: FastifyReply): boolean => {
    const path = req.url.split('?')[0];
    if (!indexHtml || req.method !== 'GET' || path.startsWith('/api') || path.startsWith('/docs'))
      return false;
    reply
      .status(200)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(indexHtml);
    return true;
  };

  app.setGlobalPrefix('api', { exclude: ['health', 'ready', 'metrics'] });
  app.useGlobalFilters(new ProblemDetailsFilter(spaFallback));
  app.useGlobalPipes(createValidationPipe());

  const doc = new DocumentBuilder()
    .setTitle('Backendify API')
    .setDescription(
      'Admin, project and data API of Backendify. Errors are application/problem+json {type,title,status,detail,code,errors?}.',
    )
    .setVersion('0.1.0')
    .addBearerAuth()
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'api-key')
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, doc), {
    jsonDocumentUrl: 'docs/openapi.json',
  });
  return app;
}
