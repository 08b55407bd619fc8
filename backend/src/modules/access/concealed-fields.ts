import type { CollectionMeta, FieldMeta } from '../../schema-engine/catalog.types';

/** System fields that are secret whatever their flags say (DESIGN §4 `_users`). */
export const SECRET_SYSTEM_FIELDS: ReadonlySet<string> = new Set(['password_hash']);

export function isSecretSystemField(field: FieldMeta): boolean {
  return field.isSystem && SECRET_SYSTEM_FIELDS.has(field.name);
}

/**
 * A hidden or secret field (by name or column): never named by a policy condition or field list,
 * since which rows a rule admits would leak its value.
 */
export function isConcealedField(collection: CollectionMeta, name: string): boolean {
  return collection.fields.some(
    (f) =>
      !f.isDeleted &&
      (f.name === name || f.column === name) &&
      (f.isHidden || isSecretSystemField(f)),
  );
}
