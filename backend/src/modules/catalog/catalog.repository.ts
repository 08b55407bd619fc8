import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { FieldOptions, FieldTypeName } from '../../schema-engine/field-types/field-type';
import type { OnDeleteAction, RelationKind } from '../../schema-engine/catalog.types';
import type { CatalogCollection, FieldMeta, ProjectCatalog } from './catalog.types';

interface CollectionRow {
  id: string;
  project_id: string;
  name: string;
  display_name: string;
  description: string | null;
  icon: string | null;
  display_field: string | null;
  sql_table_name: string;
  is_active: boolean;
  is_system: boolean;
  created_at: Date;
  updated_at: Date;
}

interface FieldRow {
  id: string;
  collection_id: string;
  name: string;
  display_name: string;
  description: string | null;
  field_type: FieldTypeName;
  sql_column_name: string;
  options: FieldOptions;
  is_required: boolean;
  is_unique: boolean;
  is_indexed: boolean;
  default_value: string | null;
  is_hidden: boolean;
  is_system: boolean;
  is_deleted: boolean;
  deleted_at: Date | null;
  relation_target_collection_id: string | null;
  relation_type: RelationKind | null;
  relation_on_delete: OnDeleteAction | null;
  relation_display_field: string | null;
  relation_junction_table: string | null;
  position: number;
  created_at: Date;
  updated_at: Date;
}

export function fieldMetaFromRow(f: FieldRow): FieldMeta {
  const meta: FieldMeta = {
    id: f.id,
    name: f.name,
    displayName: f.display_name,
    column: f.sql_column_name,
    type: f.field_type,
    options: f.options ?? {},
    isRequired: f.is_required,
    isUnique: f.is_unique,
    isIndexed: f.is_indexed,
    isHidden: f.is_hidden,
    isSystem: f.is_system,
    isDeleted: f.is_deleted,
    defaultValue: f.default_value,
  };
  if (f.field_type === 'relation' && f.relation_target_collection_id && f.relation_type) {
    meta.relation = {
      kind: f.relation_type,
      targetCollectionId: f.relation_target_collection_id,
      onDelete: f.relation_on_delete ?? 'RESTRICT',
      displayField: f.relation_display_field,
    };
    if (f.relation_type === 'many_to_many' && f.relation_junction_table) {
      meta.relation.junctionTable = f.relation_junction_table;
      meta.relation.junctionSourceColumn = 'source_id';
      meta.relation.junctionTargetColumn = 'target_id';
    }
  }
  return meta;
}

@Injectable()
export class CatalogRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async projectSchema(projectId: string): Promise<string | null> {
    const rows: { schema_name: string }[] = await this.ds.query(
      `SELECT schema_name FROM backendify.projects WHERE id = $1`,
      [projectId],
    );
    return rows[0]?.schema_name ?? null;
  }

  /** Loads a project's whole catalog in four queries. */
  async load(projectId: string): Promise<ProjectCatalog | null> {
    const schema = await this.projectSchema(projectId);
    if (!schema) return null;
    const [collections, fields, collectionAliases, fieldAliases]: [
      CollectionRow[],
      FieldRow[],
      { old_name: string; collection_id: string }[],
      { old_name: string; collection_id: string; name: string }[],
    ] = await Promise.all([
      this.ds.query(
        `SELECT * FROM backendify.collections WHERE project_id = $1 AND is_active ORDER BY created_at, name`,
        [projectId],
      ),
      this.ds.query(
        `SELECT f.* FROM backendify.fields f JOIN backendify.collections c ON c.id = f.collection_id
         WHERE c.project_id = $1 ORDER BY f.position, f.created_at`,
        [projectId],
      ),
      this.ds.query(
        `SELECT old_name, collection_id FROM backendify.collection_aliases WHERE project_id = $1 AND expires_at > now()`,
        [projectId],
      ),
      this.ds.query(
        `SELECT a.old_name, a.collection_id, f.name FROM backendify.field_aliases a
         JOIN backendify.fields f ON f.id = a.field_id
         JOIN backendify.collections c ON c.id = a.collection_id
         WHERE c.project_id = $1 AND a.expires_at > now()`,
        [projectId],
      ),
    ]);
    const catalog: ProjectCatalog = {
      projectId,
      schema,
      byName: new Map(),
      byId: new Map(),
      collectionAliases: new Map(collectionAliases.map((a) => [a.old_name, a.collection_id])),
      fieldAliases: new Map(),
    };
    for (const c of collections) {
      const entry: CatalogCollection = {
        meta: {
          id: c.id,
          projectId,
          name: c.name,
          displayName: c.display_name,
          schema,
          table: c.sql_table_name,
          isSystem: c.is_system,
          idType: c.name === '_users' && c.is_system ? 'uuid' : 'bigint',
          fields: [],
        },
        record: {
          id: c.id,
          projectId,
          name: c.name,
          displayName: c.display_name,
          description: c.description,
          icon: c.icon,
          displayField: c.display_field,
          sqlTableName: c.sql_table_name,
          isActive: c.is_active,
          isSystem: c.is_system,
          createdAt: c.created_at,
          updatedAt: c.updated_at,
        },
        fieldRecords: new Map(),
      };
      catalog.byName.set(c.name, entry);
      catalog.byId.set(c.id, entry);
    }
    for (const f of fields) {
      const entry = catalog.byId.get(f.collection_id);
      if (!entry) continue;
      entry.meta.fields.push(fieldMetaFromRow(f));
      entry.fieldRecords.set(f.id, {
        id: f.id,
        collectionId: f.collection_id,
        description: f.description,
        position: f.position,
        deletedAt: f.deleted_at,
        createdAt: f.created_at,
        updatedAt: f.updated_at,
      });
    }
    for (const a of fieldAliases) {
      let map = catalog.fieldAliases.get(a.collection_id);
      if (!map) catalog.fieldAliases.set(a.collection_id, (map = new Map()));
      map.set(a.old_name, a.name);
    }
    return catalog;
  }
}
