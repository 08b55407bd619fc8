import { seg, type CallOptions, type Transport } from './http';

export type EvolutionOperation =
  | 'rename_table'
  | 'rename_column'
  | 'soft_delete_column'
  | 'restore_column'
  | 'drop_column'
  | 'change_column_type';

/** Parameters of an operation: `field_id`, `new_name`, `new_display_name`, `new_type`, `force`. */
export type EvolutionParams = Record<string, unknown> & {
  field_id?: string;
  new_name?: string;
  new_display_name?: string;
  new_type?: string;
  force?: boolean;
};

/** What an applied operation did. */
export interface EvolutionResult {
  success: boolean;
  operation: EvolutionOperation;
  details: Record<string, unknown>;
}

/** The SQL an operation would run, without running it. */
export interface MigrationPreview {
  operation: string;
  collection: string;
  steps: string[];
  descriptions: string[];
  warnings: string[];
  params: Record<string, unknown>;
}

export interface PendingChange {
  id: string;
  collection_id: string;
  operation: EvolutionOperation;
  params: EvolutionParams;
  status: 'pending' | 'applied' | 'discarded' | 'failed';
  error: string | null;
  created_by_user_id: string | null;
  created_at: string;
  applied_at: string | null;
  steps: string[];
  warnings: string[];
}

export interface ApplyResult {
  /** False when a change failed; the changes after it were not attempted. */
  success: boolean;
  applied: { id: string; success: boolean; operation: string; details: Record<string, unknown> }[];
  failed: { id: string; operation: string; code: string; error: string } | null;
  not_attempted: string[];
}

export interface SafeConversion {
  from: string;
  to: string;
  description: string;
}

/** Old names that still resolve after a rename, until they expire. */
export interface Aliases {
  collection_aliases: { old_name: string; collection_id: string; expires_at: string }[];
  field_aliases: {
    old_name: string;
    field_id: string;
    collection_id: string;
    expires_at: string;
  }[];
}

/** One DDL statement the schema engine ran (applied or failed). */
export interface SchemaOp {
  id: string;
  project_id: string;
  collection_id: string | null;
  op_type: string;
  payload_json: string;
  sql: string;
  status: 'applied' | 'failed';
  error: string | null;
  actor_user_id: string | null;
  created_at: string;
}

/**
 * Schema evolution of one project (`/schema/evolution`): renames, soft deletes, restores, drops
 * and type changes, applied at once or queued as pending changes.
 */
export interface EvolutionApi {
  renameCollection(
    collectionId: string,
    input: { new_name: string; new_display_name?: string },
  ): Promise<EvolutionResult>;
  renameField(
    collectionId: string,
    fieldId: string,
    input: { new_name: string; new_display_name?: string },
  ): Promise<EvolutionResult>;
  /** Hides the field from the API; its column and data stay until `dropField`. */
  softDeleteField(collectionId: string, fieldId: string): Promise<EvolutionResult>;
  restoreField(collectionId: string, fieldId: string): Promise<EvolutionResult>;
  /** Drops the column; `force` skips the soft-delete step. */
  dropField(
    collectionId: string,
    fieldId: string,
    options?: { force?: boolean },
  ): Promise<EvolutionResult>;
  changeFieldType(
    collectionId: string,
    fieldId: string,
    input: { new_type: string; options?: Record<string, unknown> },
  ): Promise<EvolutionResult>;
  /** The SQL `operation` would run (a POST that changes nothing). */
  preview(
    collectionId: string,
    input: { operation: EvolutionOperation | string; params?: EvolutionParams },
    call?: CallOptions,
  ): Promise<MigrationPreview>;
  aliases(call?: CallOptions): Promise<Aliases>;
  safeConversions(call?: CallOptions): Promise<{ safe_conversions: SafeConversion[] }>;
  /** Queues a change; `apply` runs the queue. */
  queue(input: {
    collection_id: string;
    operation: EvolutionOperation;
    params?: EvolutionParams;
  }): Promise<PendingChange>;
  pending(
    options?: { status?: 'pending' | 'failed' },
    call?: CallOptions,
  ): Promise<PendingChange[]>;
  /** Applies the queued changes (or the given ones) in order; the first failure stops the run. */
  apply(ids?: string[]): Promise<ApplyResult>;
  discard(pendingId: string): Promise<void>;
  /** The schema changes of the project, newest first (`/audit/schema-ops`). */
  history(
    filters?: { collection_id?: string; op_type?: string; limit?: number; offset?: number },
    call?: CallOptions,
  ): Promise<SchemaOp[]>;
}

export function createEvolutionApi(http: Transport, projectId: string): EvolutionApi {
  const base = `/api/projects/${seg(projectId)}/schema/evolution`;
  const coll = (id: string) => `${base}/collections/${seg(id)}`;
  const field = (cid: string, fid: string) => `${coll(cid)}/fields/${seg(fid)}`;
  return {
    renameCollection: (cid, body) => http.request('POST', `${coll(cid)}/rename`, { body }),
    renameField: (cid, fid, body) => http.request('POST', `${field(cid, fid)}/rename`, { body }),
    softDeleteField: (cid, fid) => http.request('POST', `${field(cid, fid)}/soft-delete`),
    restoreField: (cid, fid) => http.request('POST', `${field(cid, fid)}/restore`),
    dropField: (cid, fid, { force = false } = {}) =>
      http.request('POST', `${field(cid, fid)}/hard-delete`, {
        query: { force: force ? 'true' : 'false' },
      }),
    changeFieldType: (cid, fid, body) =>
      http.request('POST', `${field(cid, fid)}/change-type`, { body }),
    preview: (cid, body, call) =>
      http.request('POST', `${coll(cid)}/preview-migration`, { body, ...call }),
    aliases: (call) => http.request('GET', `${base}/aliases`, call),
    safeConversions: (call) => http.request('GET', `${base}/safe-conversions`, call),
    queue: (body) => http.request('POST', `${base}/pending`, { body }),
    pending: (options = {}, call) =>
      http.request('GET', `${base}/pending`, { query: { ...options }, ...call }),
    apply: (ids) => http.request('POST', `${base}/apply`, { body: ids ? { ids } : {} }),
    discard: (id) => http.request('DELETE', `${base}/pending/${seg(id)}`),
    history: (filters = {}, call) =>
      http.request('GET', `/api/projects/${seg(projectId)}/audit/schema-ops`, {
        query: { ...filters },
        ...call,
      }),
  };
}
