import {
  createParamDecorator,
  type CanActivate,
  type ExecutionContext,
  Injectable,
} from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import { AppAuthErrors } from './app-auth.errors';
import { AppTokenService, type AppUserIdentity } from './app-token.service';
import { isUuid } from '../../common/util/uuid';

interface AppAuthRequest {
  headers: Record<string, string | string[] | undefined>;
  params: Record<string, string>;
  appUser?: AppUserIdentity;
}

export function bearerToken(req: {
  headers: Record<string, string | string[] | undefined>;
}): string | null {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return null;
  const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return m ? m[1] : null;
}

/** Requires an app-user access token of the project in the path; disabled users get 403. */
@Injectable()
export class AppUserAuthGuard implements CanActivate {
  constructor(private readonly tokens: AppTokenService) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<AppAuthRequest>();
    const projectId = req.params.projectId?.toLowerCase();
    if (!projectId || !isUuid(projectId)) throw AppError.notFound('Project');
    const token = bearerToken(req);
    if (!token) throw AppAuthErrors.notAuthenticated();
    const who = await this.tokens.verifyAccessToken(projectId, token);
    if (who.disabled) throw AppAuthErrors.disabled();
    req.appUser = who;
    return true;
  }
}

export const CurrentAppUser = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): AppUserIdentity =>
    ctx.switchToHttp().getRequest<AppAuthRequest>().appUser as AppUserIdentity,
);
