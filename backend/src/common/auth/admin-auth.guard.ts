import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { AppError } from '../errors/app-error';

/** Requires a valid admin access token; anything else is 401 problem+json. */
@Injectable()
export class AdminAuthGuard extends AuthGuard('admin-jwt') {
  override handleRequest<T>(
    err: unknown,
    user: T | false,
    _info: unknown,
    ctx: ExecutionContext,
  ): T {
    if (err || !user) {
      const req = ctx.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>();
      const hasBearer = /^Bearer\s+\S+/i.test(req.headers.authorization ?? '');
      throw AppError.unauthenticated(hasBearer ? 'Invalid token' : 'Not authenticated');
    }
    return user;
  }
}
