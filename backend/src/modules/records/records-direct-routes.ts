import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { FastifyInstance, FastifyReply, RouteOptions } from 'fastify';
import { DATA_VERB_KEY, type DataVerb } from '../../common/auth/data-verb.decorator';
import { assertBodyType, declaredBodyTypes } from '../../common/http/media-type.guard';
import type { QueryParams } from '../../query-engine';
import { DataAccessGuard, type DataRequest } from './data-access.guard';
import { RecordsController } from './records.controller';

const BASE = '/api/projects/:projectId/data/:collection';

type Params = { collection: string; id: string };

/** The data CRUD routes (issue 8.6: the hot path) and how each calls its controller method. */
const DIRECT: Record<
  string,
  {
    method: keyof RecordsController;
    call: (c: RecordsController, req: DataRequest, p: Params) => Promise<unknown>;
  }
> = {
  [`GET ${BASE}`]: {
    method: 'list',
    call: (c, req, p) => c.list(req, p.collection, req.query as QueryParams),
  },
  [`POST ${BASE}`]: { method: 'create', call: (c, req, p) => c.create(req, p.collection) },
  [`GET ${BASE}/:id`]: {
    method: 'get',
    call: (c, req, p) => c.get(req, p.collection, p.id, req.query as QueryParams),
  },
  [`PATCH ${BASE}/:id`]: {
    method: 'update',
    call: (c, req, p) => c.update(req, p.collection, p.id),
  },
  [`DELETE ${BASE}/:id`]: {
    method: 'delete',
    call: (c, req, p) => c.delete(req, p.collection, p.id),
  },
};

export interface DirectRouteDeps {
  controller: RecordsController;
  guard: DataAccessGuard;
  reflector: Reflector;
  /** The app's global exception filter: errors get the same problem+json answer. */
  filter: ExceptionFilter;
}

/**
 * Serves the five data CRUD routes without Nest's router pipeline (execution context, guard and
 * pipe consumers, the adapter's reply): measured at 5–8% of a get by id (docs/perf-profile.md).
 * Nest still declares and registers the routes (OpenAPI, metrics' route names, HEAD routes);
 * Fastify's `onRoute` hook swaps in a handler doing what Nest did for them: the global media-type
 * check, DataAccessGuard, the controller method itself, Nest's status codes, and the global
 * filter on any throw. Fastify's own hooks (CORS, request id, rate-limit headers, the request
 * context, logging, metrics) run as before. The global ValidationPipe passes these routes'
 * parameters through untouched (plain strings and the query object), so it has nothing to do.
 * Call before the app initialises (Nest adds its routes then).
 */
export function serveDataRoutesDirectly(fastify: FastifyInstance, deps: DirectRouteDeps): void {
  fastify.addHook('onRoute', (route: RouteOptions) => {
    if (typeof route.method !== 'string') return;
    const direct = DIRECT[`${route.method} ${route.url}`];
    if (!direct) return;
    route.handler = handlerFor(direct, deps);
  });
}

function handlerFor(direct: (typeof DIRECT)[string], deps: DirectRouteDeps) {
  const { controller, guard, reflector, filter } = deps;
  const fn = controller[direct.method] as object;
  const verb = reflector.get<DataVerb>(DATA_VERB_KEY, fn as () => void);
  const declared = declaredBodyTypes(reflector, fn, RecordsController);
  // Nest's defaults: 201 for POST, 200 otherwise, unless @HttpCode says otherwise.
  const status =
    (Reflect.getMetadata(HTTP_CODE_METADATA, fn) as number | undefined) ??
    (direct.method === 'create' ? 201 : 200);
  return async function directDataRoute(req: DataRequest, reply: FastifyReply) {
    const params = req.params as Params & Record<string, string>;
    // As Nest's adapter: an empty path segment (`/data//x`) is no match.
    for (const name in params) {
      if (params[name] === '') return reply.callNotFound();
    }
    try {
      assertBodyType(req, declared);
      await guard.authorize(req, reply, verb);
      const result = await direct.call(controller, req, params);
      return reply.status(status).send(result);
    } catch (err) {
      filter.catch(err, new ExecutionContextHost([req, reply]) as ArgumentsHost);
      return reply;
    }
  };
}
