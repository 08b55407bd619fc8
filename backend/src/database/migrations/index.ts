import { Foundation1763700000000 } from './1763700000000-foundation';
import { Catalog1763700100000 } from './1763700100000-catalog';
import { PoliciesRbac1763700200000 } from './1763700200000-policies-rbac';
import { AppAuth1763700300000 } from './1763700300000-app-auth';
import { ProjectRateLimits1763700400000 } from './1763700400000-project-rate-limits';
import { ProjectAllowedOrigins1764800100000 } from './1764800100000-project-allowed-origins';
import { AdminVerificationInvitations1764800200000 } from './1764800200000-admin-verification-invitations';
import { ChangeLog1764800600000 } from './1764800600000-change-log';
import { Webhooks1764900000000 } from './1764900000000-webhooks';
import { CacheVersions1764900100000 } from './1764900100000-cache-versions';
import { Workflows1765000000000 } from './1765000000000-workflows';
import { ChangeEventsNoProjectFk1765000900000 } from './1765000900000-change-events-no-project-fk';
import { ApiKeyKinds1765100000000 } from './1765100000000-api-key-kinds';
import { Files1766000000000 } from './1766000000000-files';
import { Views1766100000000 } from './1766100000000-views';
import { SqlHistory1766200000000 } from './1766200000000-sql-history';
import { Backups1766300000000 } from './1766300000000-backups';
import { Usage1766400000000 } from './1766400000000-usage';

/** Every system-schema migration, in order. Never edit one after it lands; add a new one. */
export const MIGRATIONS = [
  Foundation1763700000000,
  Catalog1763700100000,
  PoliciesRbac1763700200000,
  AppAuth1763700300000,
  ProjectRateLimits1763700400000,
  ProjectAllowedOrigins1764800100000,
  AdminVerificationInvitations1764800200000,
  ChangeLog1764800600000,
  Webhooks1764900000000,
  CacheVersions1764900100000,
  Workflows1765000000000,
  ChangeEventsNoProjectFk1765000900000,
  ApiKeyKinds1765100000000,
  Files1766000000000,
  Views1766100000000,
  SqlHistory1766200000000,
  Backups1766300000000,
  Usage1766400000000,
];
