import { Injectable, Logger, Optional } from '@nestjs/common';
import { RbacService } from '../rbac/rbac.service';

/** Where app-user lifecycle events meet RBAC (default role on signup, role clean-up on delete). */
@Injectable()
export class AppUserHooks {
  private readonly logger = new Logger('AppUserHooks');

  constructor(@Optional() private readonly rbac?: RbacService) {}

  /** Called after every new app user (signup, OTP/magic link, OAuth, admin create). */
  async onSignup(projectId: string, appUserId: string): Promise<void> {
    try {
      await this.rbac?.assignDefaultRole(projectId, appUserId);
    } catch (err) {
      this.logger.warn(`default role not assigned to ${appUserId}: ${(err as Error).message}`);
    }
  }

  /** Called while the app user still exists, right before it is deleted. */
  async beforeDelete(projectId: string, appUserId: string): Promise<void> {
    if (!this.rbac) return;
    const { roles } = await this.rbac.userRoles(projectId, appUserId);
    for (const role of roles) await this.rbac.unassign(projectId, appUserId, role.id);
  }
}
