import { Injectable } from '@nestjs/common';
import { RateLimitGuard } from '../../common/http/rate-limit.guard';

/** Same limits as the route's @Throttle, counted per (project, email) instead of per IP. */
@Injectable()
export class EmailRateLimitGuard extends RateLimitGuard {
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const pick = (src: unknown) =>
      src && typeof src === 'object' && typeof (src as { email?: unknown }).email === 'string'
        ? (src as { email: string }).email
        : undefined;
    const email = (pick(req.body) ?? pick(req.query) ?? '').trim().toLowerCase().slice(0, 254);
    const params = (req.params ?? {}) as { projectId?: string };
    const project = String(params.projectId ?? '').toLowerCase();
    return `email:${project}:${email}`;
  }
}
