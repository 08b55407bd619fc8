import { Injectable } from '@nestjs/common';
import type { ThrottlerRequest } from '@nestjs/throttler';
import { RateLimitGuard } from '../../common/http/rate-limit.guard';

const PER_ACCOUNT_LIMIT = 10;
const PER_ACCOUNT_WINDOW_MS = 15 * 60_000;

/** Console sign-in attempts per account (10 per 15 minutes), beside the per-IP limit (30/min). */
@Injectable()
export class AdminLoginAccountLimitGuard extends RateLimitGuard {
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const body = req.body as { email?: unknown } | undefined;
    const email = typeof body?.email === 'string' ? body.email.trim().toLowerCase() : '';
    return `admin-login:${email.slice(0, 254)}`;
  }

  protected override handleRequest(props: ThrottlerRequest): Promise<boolean> {
    return super.handleRequest({
      ...props,
      limit: PER_ACCOUNT_LIMIT,
      ttl: PER_ACCOUNT_WINDOW_MS,
      blockDuration: PER_ACCOUNT_WINDOW_MS,
    });
  }
}
