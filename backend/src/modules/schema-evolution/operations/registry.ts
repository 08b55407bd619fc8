import type { EvolutionOperation } from '../dto/schema-evolution.dto';
import { CHANGE_COLUMN_TYPE_OPERATION } from './change-column-type.operation';
import { DROP_COLUMN_OPERATION } from './drop-column.operation';
import type { EvolutionOperationDefinition } from './evolution-operation';
import { RENAME_COLUMN_OPERATION } from './rename-column.operation';
import { RENAME_TABLE_OPERATION } from './rename-table.operation';
import { RESTORE_COLUMN_OPERATION } from './restore-column.operation';
import { SOFT_DELETE_COLUMN_OPERATION } from './soft-delete-column.operation';

/** Every evolution operation by its canonical (schema_ops) name; adding one is a file and a line here. */
export const EVOLUTION_OPERATION_REGISTRY: {
  readonly [Op in EvolutionOperation]: EvolutionOperationDefinition<Op, unknown>;
} = {
  rename_table: RENAME_TABLE_OPERATION,
  rename_column: RENAME_COLUMN_OPERATION,
  soft_delete_column: SOFT_DELETE_COLUMN_OPERATION,
  restore_column: RESTORE_COLUMN_OPERATION,
  drop_column: DROP_COLUMN_OPERATION,
  change_column_type: CHANGE_COLUMN_TYPE_OPERATION,
};
