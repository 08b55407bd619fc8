import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  DATA_VERB_KEY,
  DATA_VERB_ROLE,
  type DataVerb,
} from '../../common/auth/data-verb.decorator';
import { AppError } from '../../common/errors/app-error';
import { USERS_TABLE } from '../../schema-engine/schema-op';
import { CatalogService } from '../catalog/catalog.service';
import { roleAtLeast } from '../projects/projects.service';
import type { AccessContext, DataPrincipal } from '../access/access-context';
import { DataPrincipalResolver } from './data-principal.resolver';
import { DataRateLimiter } from './data-rate-limiter';
import { isUuid } from '../../common/util/uuid';

export type DataRequest = FastifyRequest & { access?: AccessContext };

/**
 * Resolves the caller of a data route (DataPrincipalResolver: member admin, app user, API key or
 * anonymous; wrong credentials are 401, never anonymous). Member admins need the role of the route's verb (DESIGN §5)
 * before any policy is consulted, and nobody writes `_users` system fields or rows here.
 */
@Injectable()
export class DataAccessGuard implements CanActivate {
  constructor(
    private readonly principals: DataPrincipalResolver,
    private readonly limiter: DataRateLimiter,
    private readonly reflector: Reflector,
    private readonly catalog: CatalogService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<DataRequest>();
    const verb =
      this.reflector.get<DataVerb | undefined>(DATA_VERB_KEY, ctx.getHandler()) ??
      (req.method === 'GET' || req.method === 'HEAD' ? 'get' : 'update');
    await this.authorize(req, ctx.switchToHttp().getResponse<FastifyReply>(), verb);
    return true;
  }

  /**
   * The guard's work for one request: sets `req.access`, or throws. Also called directly by the
   * data routes served without Nest's router (records-direct-routes.ts).
   */
  async authorize(req: DataRequest, reply: FastifyReply, verb: DataVerb): Promise<void> {
    const projectId = (req.params as Record<string, string>).projectId?.toLowerCase();
    if (!projectId || !isUuid(projectId)) throw AppError.notFound('Project');
    const principal = await this.resolve(req, projectId);
    req.access = {
      projectId,
      principal,
      ip: req.ip ?? null,
      userAgent: (req.headers['user-agent'] ?? '').slice(0, 512) || null,
    };
    await this.limiter.check(req.access, reply);
    if (principal.kind === 'admin' && !roleAtLeast(principal.role, DATA_VERB_ROLE[verb])) {
      throw AppError.forbidden(
        `This action needs the ${DATA_VERB_ROLE[verb]} role or higher (your role: ${principal.role})`,
      );
    }
    const collection = (req.params as Record<string, string>).collection;
    if (collection === USERS_TABLE && DATA_VERB_ROLE[verb] !== 'viewer') {
      await this.assertUsersWrite(projectId, verb, req.body);
    }
  }

  /**
   * App users are created, deleted and have their system fields changed only through the app-user
   * routes, which revoke sessions; data routes may write the fields admins added to `_users`.
   */
  private async assertUsersWrite(projectId: string, verb: DataVerb, body: unknown): Promise<void> {
    const route = `/api/projects/${projectId}/settings/auth/users`;
    if (verb === 'create' || verb === 'import' || verb === 'delete') {
      throw AppError.forbidden(
        `App users are ${verb === 'delete' ? 'deleted' : 'created'} through ${route}, not through the data API`,
      );
    }
    const meta = (await this.catalog.collectionByName(projectId, USERS_TABLE)).meta;
    const system = new Set(['id', ...meta.fields.filter((f) => f.isSystem).map((f) => f.name)]);
    let rows: unknown[] = [body];
    if (verb === 'bulk') {
      const b = (body ?? {}) as { create?: unknown; update?: unknown; delete?: unknown };
      const has = (v: unknown) => Array.isArray(v) && v.length > 0;
      if (has(b.create) || has(b.delete)) {
        throw AppError.forbidden(
          `App users are created and deleted through ${route}, not through the data API`,
        );
      }
      // In a bulk update `id` names the row, it is not a write.
      rows = Array.isArray(b.update) ? b.update.map((r) => omitId(r)) : [];
    }
    const managed = new Set<string>();
    for (const row of rows) {
      if (!row || typeof row !== 'object' || Array.isArray(row)) continue;
      for (const key of Object.keys(row)) if (system.has(key)) managed.add(key);
    }
    if (managed.size > 0) {
      const fields = [...managed];
      const message = (f: string) => `Field ${f} of _users changes only through ${route}`;
      throw new AppError(
        'FORBIDDEN',
        `${message(fields[0])}, which also ends the user's sessions`,
        fields.map((f) => ({ field: f, rule: 'system_field', message: message(f) })),
      );
    }
  }

  private async resolve(req: FastifyRequest, projectId: string): Promise<DataPrincipal> {
    const auth = req.headers.authorization;
    let token: string | null = null;
    if (auth) {
      const match = /^Bearer\s+(\S+)$/i.exec(auth);
      if (!match) throw AppError.unauthenticated('Invalid authorization header');
      token = match[1];
    }
    const key = req.headers['x-api-key'];
    const apiKey = typeof key === 'string' && key.length > 0 ? key : null;
    return (await this.principals.resolve(projectId, { token, apiKey })).principal;
  }
}

function omitId(row: unknown): unknown {
  if (!row || typeof row !== 'object' || Array.isArray(row)) return row;
  return Object.fromEntries(Object.entries(row).filter(([k]) => k !== 'id'));
}
