import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { isUuid } from '../../common/util/uuid';
import { AppAuthService } from './app-auth.service';

/**
 * Runs before the login throttles: a locked-out email is told LOCKED_OUT (with its Retry-After),
 * not RATE_LIMITED, whatever the password and whether or not rate limits are on.
 */
@Injectable()
export class LoginLockoutGuard implements CanActivate {
  constructor(private readonly auth: AppAuthService) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<{ params: { projectId?: string }; body?: unknown }>();
    const projectId = req.params.projectId;
    const body = req.body as { email?: unknown } | undefined;
    const email = typeof body?.email === 'string' ? body.email.trim().toLowerCase() : '';
    if (!projectId || !isUuid(projectId) || !email || email.length > 254) return true;
    const { settings } = await this.auth.context(projectId.toLowerCase());
    await this.auth.assertNotLockedOut(settings, email);
    return true;
  }
}
