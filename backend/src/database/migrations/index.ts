import { Foundation1763700000000 } from './1763700000000-foundation';
import { Catalog1763700100000 } from './1763700100000-catalog';

/** Every system-schema migration, in order. Never edit one after it lands; add a new one. */
export const MIGRATIONS = [Foundation1763700000000, Catalog1763700100000];
