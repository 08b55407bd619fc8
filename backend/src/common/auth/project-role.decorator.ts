import { SetMetadata } from '@nestjs/common';
import type { ProjectRole } from '../../modules/projects/membership.entity';

export const PROJECT_ROLE_KEY = 'backendify:project-role';

/** The lowest membership role a route needs (owner > admin > developer > viewer). */
export const RequireProjectRole = (role: ProjectRole) => SetMetadata(PROJECT_ROLE_KEY, role);
