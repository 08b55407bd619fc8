import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AdminPrincipal } from './principal';

export const CurrentAdmin = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): AdminPrincipal =>
    ctx.switchToHttp().getRequest<{ user: AdminPrincipal }>().user,
);
