import { Inject, Injectable } from '@nestjs/common';
import { InjectThrottlerStorage, ThrottlerStorage } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { AppError } from '../../common/errors/app-error';
import { ProjectsService, type ProjectRateLimits } from '../projects/projects.service';
import type { AccessContext } from '../access/access-context';

const WINDOW_MS = 60_000;

/** Per-project limits on data routes, counted per API key, app user, member admin or IP, shared through Redis when configured. */
@Injectable()
export class DataRateLimiter {
  constructor(
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
    private readonly projects: ProjectsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async check(access: AccessContext, reply: FastifyReply): Promise<void> {
    if (!this.config.rateLimit) return;
    const p = access.principal;
    const limits: ProjectRateLimits = await this.projects.rateLimits(access.projectId);
    const limit =
      p.kind === 'api_key'
        ? limits.api_key
        : p.kind === 'app_user'
          ? limits.app_user
          : p.kind === 'admin'
            ? limits.admin
            : limits.anonymous;
    if (!limit) return;
    const who =
      p.kind === 'api_key'
        ? `k:${p.keyId}`
        : p.kind === 'app_user'
          ? `u:${p.userId}`
          : p.kind === 'admin'
            ? `a:${p.userId}`
            : `ip:${access.ip ?? '-'}`;
    const hit = await this.storage.increment(
      `${access.projectId}:${who}`,
      WINDOW_MS,
      limit,
      0,
      'data',
    );
    const remaining = Math.max(0, limit - hit.totalHits);
    reply.header('X-RateLimit-Limit', String(limit));
    reply.header('X-RateLimit-Remaining', String(remaining));
    reply.header('X-RateLimit-Reset', String(hit.timeToExpire));
    if (hit.totalHits > limit) {
      const retry = Math.max(1, hit.timeToExpire);
      throw new AppError(
        'RATE_LIMITED',
        `Rate limit exceeded. Try again in ${retry} seconds.`,
        undefined,
        {
          'Retry-After': String(retry),
          'X-RateLimit-Limit': String(limit),
          'X-RateLimit-Remaining': '0',
          'X-RateLimit-Reset': String(retry),
        },
      );
    }
  }
}
