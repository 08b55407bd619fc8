import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { MembershipEntity } from '../../modules/projects/membership.entity';

export const CurrentMembership = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): MembershipEntity =>
    ctx.switchToHttp().getRequest<{ membership: MembershipEntity }>().membership,
);
