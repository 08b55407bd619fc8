import type { EvolutionOperation } from '@backendify/client';

export type {
  Aliases,
  ApplyResult,
  EvolutionOperation,
  EvolutionParams,
  MigrationPreview as PreviewResult,
  PendingChange,
  SafeConversion,
  SchemaOp,
} from '@backendify/client';

export const OPERATION_LABEL: Record<EvolutionOperation, string> = {
  rename_table: 'Rename collection',
  rename_column: 'Rename field',
  soft_delete_column: 'Soft-delete field',
  restore_column: 'Restore field',
  drop_column: 'Hard-delete field',
  change_column_type: 'Change field type',
};

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
