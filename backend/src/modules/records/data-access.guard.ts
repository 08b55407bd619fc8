import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ADMIN_AUDIENCE, type TokenClaims } from '../../common/auth/principal';
import { AppError } from '../../common/errors/app-error';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { AppTokenService } from '../app-auth/app-token.service';
import { RbacService } from '../rbac/rbac.service';
import { ProjectsRepository } from '../projects/projects.repository';
import type { AccessContext, DataPrincipal } from '../access/access-context';
import { DataRateLimiter } from './data-rate-limiter';
import { isUuid } from '../../common/util/uuid';

export type DataRequest = FastifyRequest & { access?: AccessContext };

/**
 * Resolves the caller of a data route: a member admin or an app user of this project (JWT
 * verified before any claim is read), an API key of this project, or anonymous. Credentials that are present but wrong are 401, never
 * a silent fall-through to anonymous.
 */
@Injectable()
export class DataAccessGuard implements CanActivate {
  constructor(
    private readonly jwt: JwtService,
    private readonly apiKeys: ApiKeysService,
    private readonly projects: ProjectsRepository,
    private readonly limiter: DataRateLimiter,
    private readonly appTokens: AppTokenService,
    private readonly rbac: RbacService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<DataRequest>();
    const projectId = (req.params as Record<string, string>).projectId?.toLowerCase();
    if (!projectId || !isUuid(projectId)) throw AppError.notFound('Project');
    const principal = await this.resolve(req, projectId);
    req.access = {
      projectId,
      principal,
      ip: req.ip ?? null,
      userAgent: (req.headers['user-agent'] ?? '').slice(0, 512) || null,
    };
    await this.limiter.check(req.access, ctx.switchToHttp().getResponse<FastifyReply>());
    return true;
  }

  private async resolve(req: FastifyRequest, projectId: string): Promise<DataPrincipal> {
    const auth = req.headers.authorization;
    if (auth) {
      const match = /^Bearer\s+(\S+)$/i.exec(auth);
      if (!match) throw AppError.unauthenticated('Invalid authorization header');
      let claims: TokenClaims;
      try {
        claims = this.jwt.verify<TokenClaims>(match[1], { algorithms: ['HS256'] });
      } catch {
        throw AppError.unauthenticated('Invalid token');
      }
      if (claims.typ === 'app_user') {
        // Verified again with this project's audience: a token of project A is refused on B.
        const who = await this.appTokens.verifyAccessToken(projectId, match[1]);
        if (who.disabled) throw AppError.unauthenticated('This account is disabled');
        const roles = await this.rbac.rolesOf(projectId, who.userId);
        return { kind: 'app_user', userId: who.userId, emailVerified: who.emailVerified, roles };
      }
      if (claims.typ === 'admin' && claims.aud === ADMIN_AUDIENCE) {
        const membership = await this.projects.findMembership(projectId, claims.sub);
        // A non-member admin learns nothing: the project does not exist for them.
        if (!membership) throw AppError.notFound('Project');
        return { kind: 'admin', userId: claims.sub, role: membership.role };
      }
      throw AppError.unauthenticated('Invalid token');
    }
    const key = req.headers['x-api-key'];
    if (typeof key === 'string' && key.length > 0) {
      const identity = await this.apiKeys.authenticate(projectId, key);
      if (!identity) throw AppError.unauthenticated('Invalid API key');
      return { kind: 'api_key', keyId: identity.keyId };
    }
    return { kind: 'anonymous' };
  }
}
