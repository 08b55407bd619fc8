import { AppError } from '../../common/errors/app-error';
import type { CollectionMeta } from '../../schema-engine/catalog.types';
import { foreignKeyName, indexName } from '../../schema-engine/schema-op';

/**
 * A PostgreSQL constraint violation on a collection's table → 409/400 naming the field (found from
 * the engine's deterministic constraint names); null for anything else. Never the SQL.
 */
export function constraintViolation(err: unknown, meta: CollectionMeta): AppError | null {
  const pg = err as { code?: string; constraint?: string; column?: string };
  if (err instanceof AppError || typeof pg?.code !== 'string') return null;
  if (!['23505', '23503', '23502'].includes(pg.code)) return null;
  const field = meta.fields.find(
    (f) =>
      pg.constraint === indexName(meta.table, f.column, 'unique') ||
      pg.constraint === foreignKeyName(meta.table, f.column) ||
      pg.column === f.column,
  );
  const name = field?.name ?? pg.column ?? '';
  if (pg.code === '23505') {
    return new AppError(
      'UNIQUE_VIOLATION',
      name
        ? `A record with this ${name} already exists`
        : 'A record with this value already exists',
      name ? [{ field: name, rule: 'unique', message: `${name} must be unique` }] : undefined,
    );
  }
  if (pg.code === '23503') {
    const detail = name
      ? `${name} refers to a record that does not exist`
      : 'The record is still referenced by other records';
    return new AppError(
      'FOREIGN_KEY_VIOLATION',
      detail,
      name ? [{ field: name, rule: 'foreign_key', message: detail }] : undefined,
    );
  }
  return AppError.validation(
    `${name || 'A field'} is required`,
    name ? [{ field: name, rule: 'required', message: `${name} is required` }] : undefined,
  );
}
