export type { Role } from '@backendify/client';

/** The server's rule for role names (they travel inside comma lists). */
export const ROLE_NAME_PATTERN = /^[A-Za-z0-9_.:-]{1,63}$/;
