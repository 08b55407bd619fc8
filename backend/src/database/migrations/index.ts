import { Foundation1763700000000 } from './1763700000000-foundation';

/** Every system-schema migration, in order. Never edit one after it lands; add a new one. */
export const MIGRATIONS = [Foundation1763700000000];
