import { SetMetadata } from '@nestjs/common';
import type { ProjectRole } from '../../modules/projects/membership.entity';

export const DATA_VERB_KEY = 'backendify:data-verb';

/** What a data route does; the data guard checks the member role (DESIGN §5) from it. */
export type DataVerb =
  'list' | 'get' | 'export' | 'create' | 'update' | 'delete' | 'bulk' | 'import';

/** The lowest member role per data verb: viewers read, developers also write. */
export const DATA_VERB_ROLE: Readonly<Record<DataVerb, ProjectRole>> = {
  list: 'viewer',
  get: 'viewer',
  export: 'viewer',
  create: 'developer',
  update: 'developer',
  delete: 'developer',
  bulk: 'developer',
  import: 'developer',
};

/** Names the verb of a data route; a route without it counts as a write unless it is a GET. */
export const DataRoute = (verb: DataVerb) => SetMetadata(DATA_VERB_KEY, verb);
