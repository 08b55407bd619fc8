import type { FastifyCorsOptions } from '@fastify/cors';
import type { FastifyRequest } from 'fastify';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

const EXPOSED_HEADERS = [
  'Retry-After',
  'X-Request-Id',
  'X-Total-Count',
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
  'Location',
  'ETag',
  'Upload-Offset',
  'Upload-Length',
  'Tus-Resumable',
  'Tus-Version',
  'Tus-Extension',
  'Tus-Max-Size',
  'Upload-Metadata',
  'Upload-Expires',
  // The id of the file a finished tus upload became (the client reads it from the last PATCH).
  'Backendify-File-Id',
];

/** Headers an app may send: tokens travel in headers, never cookies, plus the tus upload headers. */
const APP_ALLOWED_HEADERS = [
  'Authorization',
  'X-API-Key',
  'Content-Type',
  'X-Request-Id',
  'Tus-Resumable',
  'Upload-Length',
  'Upload-Offset',
  'Upload-Metadata',
  'Upload-Defer-Length',
  'Upload-Concat',
  'X-HTTP-Method-Override',
];

// The routes an end-user app calls from its own origin; everything else under /api is the console's.
const PUBLIC_ROUTE =
  /^\/api\/projects\/([^/?#]+)\/(?:data|auth|files|realtime|functions)(?:[/?#]|$)/;
const REALTIME_ROUTE = /^\/api\/realtime(?:[/?#]|$)/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The project whose public (app-facing) route a URL names, or null for admin routes. */
export function publicRouteProject(url: string): { projectId: string | null } | null {
  if (REALTIME_ROUTE.test(url)) return { projectId: null };
  const m = PUBLIC_ROUTE.exec(url);
  if (!m) return null;
  let id: string;
  try {
    id = decodeURIComponent(m[1]).toLowerCase();
  } catch {
    return { projectId: null };
  }
  return { projectId: UUID.test(id) ? id : null };
}

export interface CorsPolicyOptions {
  /** `CORS_ORIGINS`: the console's origins, with credentials. */
  adminOrigins: string[];
  /** A project's `allowed_origins` (null or empty = any origin). */
  projectOrigins: (projectId: string) => Promise<string[] | null>;
}

/**
 * One CORS policy keyed by route: a project's public routes answer any origin (or the project's
 * `allowed_origins`) without credentials; admin routes answer only `CORS_ORIGINS`, with credentials.
 */
export function corsDelegator(opts: CorsPolicyOptions) {
  const admin: FastifyCorsOptions = {
    origin: opts.adminOrigins,
    credentials: true,
    methods: METHODS,
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  };
  const app = (origin: FastifyCorsOptions['origin']): FastifyCorsOptions => ({
    origin,
    credentials: false,
    methods: METHODS,
    allowedHeaders: APP_ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  });
  const anyOrigin = app('*');
  const none: FastifyCorsOptions = { origin: false };
  return async (req: FastifyRequest): Promise<FastifyCorsOptions> => {
    // Servers, scripts and same-origin GETs send no Origin: no CORS work on the hot path.
    if (req.headers.origin === undefined) return none;
    const route = publicRouteProject(req.url);
    if (!route) return admin;
    if (!route.projectId) return anyOrigin;
    const allowed = await opts.projectOrigins(route.projectId);
    if (!allowed || allowed.length === 0) return anyOrigin;
    const origin = req.headers.origin;
    // A refused origin gets no CORS headers (the browser blocks it); the route itself still answers.
    return app(typeof origin === 'string' && allowed.includes(origin) ? origin : false);
  };
}
