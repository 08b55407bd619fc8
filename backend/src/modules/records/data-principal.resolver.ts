import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ADMIN_AUDIENCE, type TokenClaims } from '../../common/auth/principal';
import { AppError } from '../../common/errors/app-error';
import type { DataPrincipal } from '../access/access-context';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { AppTokenService } from '../app-auth/app-token.service';
import { ProjectsService } from '../projects/projects.service';
import { RbacService } from '../rbac/rbac.service';

/** What a caller of a project's data presents: a bearer JWT (admin or app user) or an API key. */
export interface DataCredentials {
  token?: string | null;
  apiKey?: string | null;
}

export interface ResolvedPrincipal {
  principal: DataPrincipal;
  /** When the token stops being valid (ms since the epoch); null for keys and anonymous callers. */
  expiresAt: number | null;
}

/**
 * Who a caller of a project's data is, for the data routes and realtime alike: a member admin or
 * an app user of this project (JWT verified before any claim is read), an API key of this
 * project, or anonymous. Credentials that are present but wrong are 401, never a silent
 * fall-through to anonymous; a non-member admin gets 404, as for a project that does not exist.
 */
@Injectable()
export class DataPrincipalResolver {
  constructor(
    private readonly jwt: JwtService,
    private readonly apiKeys: ApiKeysService,
    private readonly projects: ProjectsService,
    private readonly appTokens: AppTokenService,
    private readonly rbac: RbacService,
  ) {}

  async resolve(projectId: string, creds: DataCredentials): Promise<ResolvedPrincipal> {
    if (creds.token) {
      let claims: TokenClaims;
      try {
        claims = this.jwt.verify<TokenClaims>(creds.token, { algorithms: ['HS256'] });
      } catch {
        throw AppError.unauthenticated('Invalid token');
      }
      const expiresAt = typeof claims.exp === 'number' ? claims.exp * 1000 : null;
      if (claims.typ === 'app_user') {
        // Verified again with this project's audience: a token of project A is refused on B.
        const who = await this.appTokens.verifyAccessToken(projectId, creds.token);
        if (who.disabled) throw AppError.unauthenticated('This account is disabled');
        const roles = await this.rbac.rolesOf(projectId, who.userId);
        return {
          principal: {
            kind: 'app_user',
            userId: who.userId,
            emailVerified: who.emailVerified,
            roles,
          },
          expiresAt,
        };
      }
      if (claims.typ === 'admin' && claims.aud === ADMIN_AUDIENCE) {
        const membership = await this.projects.findMembership(projectId, claims.sub);
        // A non-member admin learns nothing: the project does not exist for them.
        if (!membership) throw AppError.notFound('Project');
        return {
          principal: { kind: 'admin', userId: claims.sub, role: membership.role },
          expiresAt,
        };
      }
      throw AppError.unauthenticated('Invalid token');
    }
    if (creds.apiKey) {
      const identity = await this.apiKeys.authenticate(projectId, creds.apiKey);
      if (!identity) throw AppError.unauthenticated('Invalid API key');
      return {
        principal: { kind: 'api_key', keyId: identity.keyId, keyKind: identity.kind },
        expiresAt: null,
      };
    }
    return { principal: { kind: 'anonymous' }, expiresAt: null };
  }
}
