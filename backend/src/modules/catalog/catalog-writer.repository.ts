import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import type { CollectionPatch, FieldExtras, FieldMeta, NewCollectionRow } from './catalog.types';

/** Catalog writes, always on the client of a schema-change transaction so DDL and metadata commit together. */
@Injectable()
export class CatalogWriterRepository {
  async insertCollection(client: PoolClient, c: NewCollectionRow): Promise<void> {
    await client.query(
      `INSERT INTO backendify.collections (id, project_id, name, display_name, description, icon, sql_table_name, is_system, display_field)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        c.id,
        c.projectId,
        c.name,
        c.displayName,
        c.description,
        c.icon,
        c.sqlTableName,
        c.isSystem,
        c.displayField ?? null,
      ],
    );
  }

  async updateCollection(client: PoolClient, id: string, patch: CollectionPatch): Promise<void> {
    const sets: string[] = [];
    const values: unknown[] = [];
    const add = (column: string, value: unknown) => {
      values.push(value);
      sets.push(`${column} = $${values.length}`);
    };
    if (patch.displayName !== undefined) add('display_name', patch.displayName);
    if (patch.description !== undefined) add('description', patch.description);
    if (patch.icon !== undefined) add('icon', patch.icon);
    if (patch.displayField !== undefined) add('display_field', patch.displayField);
    if (patch.name !== undefined) add('name', patch.name);
    if (patch.sqlTableName !== undefined) add('sql_table_name', patch.sqlTableName);
    if (!sets.length) return;
    values.push(id);
    await client.query(
      `UPDATE backendify.collections SET ${sets.join(', ')}, updated_at = now() WHERE id = $${values.length}`,
      values,
    );
  }

  async deleteCollection(client: PoolClient, id: string): Promise<void> {
    await client.query(`DELETE FROM backendify.collections WHERE id = $1`, [id]);
  }

  async insertField(
    client: PoolClient,
    collectionId: string,
    f: FieldMeta,
    extras: FieldExtras = {},
  ): Promise<void> {
    await client.query(
      `INSERT INTO backendify.fields (id, collection_id, name, display_name, description, field_type, sql_column_name, options,
         is_required, is_unique, is_indexed, default_value, is_hidden, is_system, relation_target_collection_id, relation_type,
         relation_on_delete, relation_display_field, relation_junction_table, position)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,
         COALESCE($20, (SELECT COALESCE(max(position), 0) + 1 FROM backendify.fields WHERE collection_id = $2)))`,
      [
        f.id,
        collectionId,
        f.name,
        f.displayName,
        extras.description ?? null,
        f.type,
        f.column,
        JSON.stringify(f.options ?? {}),
        f.isRequired,
        f.isUnique,
        f.isIndexed,
        f.defaultValue,
        f.isHidden,
        f.isSystem,
        f.relation?.targetCollectionId ?? null,
        f.relation?.kind ?? null,
        f.relation?.onDelete ?? null,
        f.relation?.displayField ?? null,
        f.relation?.junctionTable ?? null,
        extras.position ?? null,
      ],
    );
  }

  async updateField(
    client: PoolClient,
    f: FieldMeta,
    extras: { description?: string | null } = {},
  ): Promise<void> {
    await client.query(
      `UPDATE backendify.fields SET name = $2, display_name = $3, sql_column_name = $4, field_type = $5, options = $6,
         is_required = $7, is_unique = $8, is_indexed = $9, default_value = $10, is_hidden = $11, is_deleted = $12,
         deleted_at = CASE WHEN $12 THEN COALESCE(deleted_at, now()) ELSE NULL END,
         relation_on_delete = $13, relation_display_field = $14,
         description = CASE WHEN $15 THEN $16 ELSE description END, updated_at = now()
       WHERE id = $1`,
      [
        f.id,
        f.name,
        f.displayName,
        f.column,
        f.type,
        JSON.stringify(f.options ?? {}),
        f.isRequired,
        f.isUnique,
        f.isIndexed,
        f.defaultValue,
        f.isHidden,
        f.isDeleted,
        f.relation?.onDelete ?? null,
        f.relation?.displayField ?? null,
        extras.description !== undefined,
        extras.description ?? null,
      ],
    );
  }

  async deleteField(client: PoolClient, id: string): Promise<void> {
    await client.query(`DELETE FROM backendify.fields WHERE id = $1`, [id]);
  }

  async insertCollectionAlias(
    client: PoolClient,
    projectId: string,
    collectionId: string,
    oldName: string,
    expiresAt: Date,
  ) {
    await client.query(
      `INSERT INTO backendify.collection_aliases (project_id, collection_id, old_name, expires_at) VALUES ($1, $2, $3, $4)`,
      [projectId, collectionId, oldName, expiresAt],
    );
  }

  async insertFieldAlias(
    client: PoolClient,
    collectionId: string,
    fieldId: string,
    oldName: string,
    expiresAt: Date,
  ) {
    await client.query(
      `INSERT INTO backendify.field_aliases (collection_id, field_id, old_name, expires_at) VALUES ($1, $2, $3, $4)`,
      [collectionId, fieldId, oldName, expiresAt],
    );
  }

  /** Removes aliases that would shadow a name now in use again. */
  async deleteAliasesNamed(
    client: PoolClient,
    projectId: string,
    collectionId: string | null,
    name: string,
  ) {
    if (collectionId) {
      await client.query(
        `DELETE FROM backendify.field_aliases WHERE collection_id = $1 AND old_name = $2`,
        [collectionId, name],
      );
    } else {
      await client.query(
        `DELETE FROM backendify.collection_aliases WHERE project_id = $1 AND old_name = $2`,
        [projectId, name],
      );
    }
  }
}
