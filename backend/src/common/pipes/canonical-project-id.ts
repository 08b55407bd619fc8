import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isUuid } from '../util/uuid';

/**
 * Lower-cases a uuid `:projectId` path param before any guard, pipe or handler reads it, so every
 * spelling of a project id names one project and one cache entry (DESIGN §5). Non-uuids are left
 * for the guards to answer 404.
 */
export function canonicalizeProjectId(req: FastifyRequest): void {
  const params = req.params as Record<string, string> | undefined;
  if (!params) return;
  const id = params.projectId;
  if (isUuid(id)) params.projectId = id.toLowerCase();
}

/** One hook for every route: the router has filled the params by `onRequest`. */
export function registerCanonicalProjectId(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (req) => canonicalizeProjectId(req));
}
