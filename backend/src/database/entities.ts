import { AdminRefreshTokenEntity } from '../modules/auth/admin-refresh-token.entity';
import { AdminUserEntity } from '../modules/auth/admin-user.entity';
import { ApiKeyEntity } from '../modules/api-keys/api-key.entity';
import { MembershipEntity } from '../modules/projects/membership.entity';
import { ProjectEntity } from '../modules/projects/project.entity';

/** Every TypeORM entity of the system schema. */
export const ENTITIES = [
  AdminUserEntity,
  AdminRefreshTokenEntity,
  ProjectEntity,
  MembershipEntity,
  ApiKeyEntity,
];
