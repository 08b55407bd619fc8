import type { OnDeleteAction } from '../catalog.types';

const ON_DELETE: Record<OnDeleteAction, string> = {
  RESTRICT: 'RESTRICT',
  CASCADE: 'CASCADE',
  'SET NULL': 'SET NULL',
};

/** Looks the action up rather than pasting it, so a widened string type cannot reach the SQL. */
export function onDeleteSql(action: OnDeleteAction): string {
  const sql = ON_DELETE[action];
  if (!sql) throw new Error(`Unsupported ON DELETE action '${String(action)}'`);
  return sql;
}
