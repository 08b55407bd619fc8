import type { CollectionMeta, FieldMeta } from '../schema-engine/catalog.types';
import type { FieldOptions, FieldTypeName } from '../schema-engine/field-types/field-type';
import type { CatalogLookup } from './field-resolver';

/** Test-only builders for catalog metadata. */
export function makeField(
  name: string,
  type: FieldTypeName,
  extra: Partial<FieldMeta> & { options?: FieldOptions } = {},
): FieldMeta {
  return {
    id: `f_${name}`,
    name,
    displayName: name,
    column: name,
    type,
    options: {},
    isRequired: false,
    isUnique: false,
    isIndexed: false,
    isHidden: false,
    isSystem: false,
    isDeleted: false,
    defaultValue: null,
    ...extra,
  };
}

export function makeCollection(
  name: string,
  fields: FieldMeta[],
  extra: Partial<CollectionMeta> = {},
): CollectionMeta {
  return {
    id: `c_${name}`,
    projectId: '00000000-0000-4000-8000-000000000001',
    name,
    displayName: name,
    schema: 'p_test',
    table: name,
    isSystem: false,
    idType: 'bigint',
    fields,
    ...extra,
  };
}

/** A collection with one field of every type, plus a hidden and a deleted one. */
export function everyTypeCollection(schema = 'p_test', table = 'items'): CollectionMeta {
  return makeCollection(
    table,
    [
      makeField('title', 'string', { options: { max_length: 200 } }),
      makeField('body', 'text'),
      makeField('qty', 'int'),
      makeField('ratio', 'float'),
      makeField('price', 'decimal', { options: { precision: 10, scale: 2 } }),
      makeField('active', 'bool'),
      makeField('day', 'date'),
      makeField('at', 'datetime'),
      makeField('ref', 'uuid'),
      makeField('meta', 'json'),
      makeField('status', 'enum', { options: { values: ['draft', 'published', "it's"] } }),
      makeField('attachment', 'file'),
      makeField('owner', 'relation', {
        column: 'owner_id',
        relation: {
          kind: 'many_to_one',
          targetCollectionId: 'c_people',
          onDelete: 'SET NULL',
          displayField: null,
        },
      }),
      makeField('secret', 'string', { isHidden: true }),
      makeField('gone', 'string', { isDeleted: true }),
    ],
    { schema, table, id: `c_${table}` },
  );
}

export function makeCatalog(collections: CollectionMeta[]): CatalogLookup {
  return {
    getCollection: (id) => collections.find((c) => c.id === id),
    findCollectionByName: (name) => collections.find((c) => c.name === name),
  };
}
