import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyRequest } from 'fastify';
import type { AdminPrincipal } from '../../common/auth/principal';
import type { AccessContext } from '../access/access-context';
import { actorFromPrincipal, type ChangeActor } from './change-event';

type ContextRequest = FastifyRequest & { user?: AdminPrincipal; access?: AccessContext };

/** The HTTP request a change is made under, so the change log can name its actor and origin. */
export const REQUEST_CONTEXT = new AsyncLocalStorage<{ req: ContextRequest }>();

/** The actor of the current request: its data principal, its admin, or `system` outside a request. */
export function currentActor(): ChangeActor {
  const req = REQUEST_CONTEXT.getStore()?.req;
  if (!req) return { type: 'system', id: null };
  const origin = {
    ip: req.ip ?? null,
    userAgent: (req.headers['user-agent'] ?? '').slice(0, 512) || null,
    requestId: typeof req.id === 'string' ? req.id : null,
  };
  if (req.access) return { ...actorFromPrincipal(req.access.principal), ...origin };
  if (req.user?.kind === 'admin') return { type: 'admin', id: req.user.userId, ...origin };
  return { type: 'anonymous', id: null, ...origin };
}

/** Origin of the current request, for callers that know the actor themselves. */
export function withRequestOrigin(actor: ChangeActor): ChangeActor {
  const here = currentActor();
  return {
    ...actor,
    ip: actor.ip ?? here.ip ?? null,
    userAgent: actor.userAgent ?? here.userAgent ?? null,
    requestId: actor.requestId ?? here.requestId ?? null,
  };
}
