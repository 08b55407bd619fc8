export type EvolutionOperation =
  | 'rename_table'
  | 'rename_column'
  | 'soft_delete_column'
  | 'restore_column'
  | 'drop_column'
  | 'change_column_type';

export const OPERATION_LABEL: Record<EvolutionOperation, string> = {
  rename_table: 'Rename collection',
  rename_column: 'Rename field',
  soft_delete_column: 'Soft-delete field',
  restore_column: 'Restore field',
  drop_column: 'Hard-delete field',
  change_column_type: 'Change field type',
};

export type EvolutionParams = Record<string, unknown> & {
  field_id?: string;
  new_name?: string;
  new_display_name?: string;
  new_type?: string;
  force?: boolean;
};

export interface PreviewResult {
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

export interface Aliases {
  collection_aliases: { old_name: string; collection_id: string; expires_at: string }[];
  field_aliases: {
    old_name: string;
    field_id: string;
    collection_id: string;
    expires_at: string;
  }[];
}

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

export const OP_TYPES = [
  'create_table',
  'drop_table',
  'rename_table',
  'add_column',
  'add_relation_column',
  'rename_column',
  'change_column_type',
  'drop_column',
  'soft_delete_column',
  'restore_column',
  'create_junction_table',
  'create_index',
  'drop_index',
  'add_foreign_key',
  'set_not_null',
  'drop_not_null',
  'set_default',
  'drop_default',
];

export type EvolutionTab = 'pending' | 'history' | 'aliases';

export interface HistoryFilters {
  collectionId?: string;
  opType?: string;
  offset: number;
  limit: number;
}
