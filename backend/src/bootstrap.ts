import 'reflect-metadata';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NestFactory, Reflector } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import type { DestinationStream } from 'pino';
import { AppModule } from './app.module';
import type { AppConfig } from './config/app-config';
import { ProblemDetailsFilter } from './common/errors/problem-details.filter';
import { corsDelegator, publicRouteProject } from './common/http/cors';
import { registerJsonParser, tooLarge } from './common/http/json-body';
import { MediaTypeGuard } from './common/http/media-type.guard';
import { requestIdFor } from './common/http/request-id';
import { ProjectsService } from './modules/projects/projects.service';
import { createValidationPipe } from './common/pipes/validation.pipe';
import { registerCanonicalProjectId } from './common/pipes/canonical-project-id';
import { Metrics } from './modules/health/metrics';
import { UsageRecorder } from './modules/usage/usage-recorder';
import { DataAccessGuard } from './modules/records/data-access.guard';
import { serveDataRoutesDirectly } from './modules/records/records-direct-routes';
import { RecordsController } from './modules/records/records.controller';
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

const JSON_BODY_LIMIT = 10 * 1024 * 1024;
// Imports take IMPORT_MAX_BYTES (JSON arrays too); every other JSON body takes JSON_BODY_LIMIT.
const IMPORT_ROUTE = /^\/api\/projects\/[^/?#]+\/data\/[^/?#]+\/import(?:[?#]|$)/;

/** Builds the Nest app on Fastify with every cross-cutting concern; the caller listens. */
export async function createApp(
  config: AppConfig,
  /** Where logs go (stdout by default; tests capture them). */
  logDestination?: DestinationStream,
): Promise<NestFastifyApplication> {
  const logger = createPinoLogger(config.logLevel, logDestination);
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    // genReqId validates a client's X-Request-Id before it is echoed or logged.
    requestIdHeader: false,
    genReqId: requestIdFor,
    bodyLimit: JSON_BODY_LIMIT,
    trustProxy: config.trustProxy,
    // One 'request completed' line per request (onResponse below) instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: new PinoNestLogger(logger.child({ component: 'nest' })),
    // Bodies are parsed by registerJsonParser (empty body, depth and per-route byte limits).
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();

  const projects = app.get(ProjectsService);
  await app.register((await import('@fastify/cors')).default, {
    hook: 'onRequest',
    delegator: corsDelegator({
      adminOrigins: config.corsOrigins,
      projectOrigins: (projectId) => projects.allowedOrigins(projectId),
    }),
  });
  registerJsonParser(fastify, {
    bodyLimit: JSON_BODY_LIMIT,
    limitFor: (req) => (IMPORT_ROUTE.test(req.url) ? config.importMaxBytes : undefined),
  });

  await app.register((await import('@fastify/multipart')).default, {
    limits: { fileSize: 50 * 1024 * 1024, files: 1, fields: 10 },
  });
  // CSV imports are parsed as a stream by the import route, never buffered whole.
  fastify.addContentTypeParser('text/csv', (req, payload, done) => {
    const declared = Number(req.headers['content-length']);
    if (declared > config.importMaxBytes) return done(tooLarge(config.importMaxBytes), undefined);
    done(null, payload);
  });
  registerCanonicalProjectId(fastify);
  const metrics = app.get(Metrics);
  const usage = app.get(UsageRecorder);
  fastify.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply) => {
    reply.headers(SECURITY_HEADERS);
    // App routes are meant to be read from other origins (images from files, fetches from apps).
    if (publicRouteProject(req.url)) reply.header('cross-origin-resource-policy', 'cross-origin');
    reply.header('x-request-id', req.id);
    if (req.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
  });
  const logRequests = logger.isLevelEnabled('info');
  fastify.addHook('onResponse', async (req: FastifyRequest, reply: FastifyReply) => {
    const route = req.routeOptions?.url ?? 'unmatched';
    const ms = reply.elapsedTime;
    metrics.observe(req.method, route, reply.statusCode, ms / 1000);
    usage.observeHttp(route, req.params, reply.statusCode, ms);
    if (logRequests) {
      req.log.info(
        {
          // The req serializer redacts secret query parameters.
          req,
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
      // The build writes .br and .gz beside each asset (vite-plugin-compression2).
      preCompressed: true,
      setHeaders: (reply, path) => {
        // Vite names every file it writes under assets/ by its content hash (the path here may
        // be the .br or .gz beside it): such a file never changes.
        const hashed = /[\\/]assets[\\/][^\\/]+$/.test(path);
        reply.header(
          'cache-control',
          hashed ? 'public, max-age=31536000, immutable' : 'public, max-age=0, must-revalidate',
        );
      },
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
  const filter = new ProblemDetailsFilter(spaFallback);
  app.useGlobalFilters(filter);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalGuards(new MediaTypeGuard(app.get(Reflector)));
  // The data CRUD routes skip Nest's router pipeline, doing the same checks (issue 8.6).
  serveDataRoutesDirectly(fastify, {
    controller: app.get(RecordsController),
    guard: app.get(DataAccessGuard),
    reflector: app.get(Reflector),
    filter,
  });

  const doc = new DocumentBuilder()
    .setTitle('Backendify API')
    .setDescription(
      'Admin, project and data API of Backendify. Errors are application/problem+json {type,title,status,detail,code,errors?}. ' +
        'Realtime is a WebSocket, outside this document: GET /api/realtime?project=<pid>[&token=<jwt>|&api_key=<key>], then ' +
        '{"type":"subscribe","id","collection","filter"?,"since"?} → {"type":"subscribed"} and ' +
        '{"type":"record.created|record.updated|record.deleted","subscription","event_id","collection","record","old_record"?}; ' +
        'the protocol, leaves and close codes are in the README (Realtime).',
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
