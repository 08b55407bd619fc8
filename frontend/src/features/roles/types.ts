import type { Role as ClientRole } from '@backendify/client';

/** A role as the server answers it now: with how many app users hold it. */
export type Role = ClientRole & { user_count?: number };

/** A policy of any collection that names roles (`GET /policies?role=`). */
export interface RolePolicy {
  id: string;
  name: string;
  action: string;
  effect: 'allow' | 'deny';
  collection: string;
  is_active: boolean;
  allowed_roles: string | null;
}

/** The server's rule for role names (they travel inside comma lists). */
export const ROLE_NAME_PATTERN = /^[A-Za-z0-9_.:-]{1,63}$/;
