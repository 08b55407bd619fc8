import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Collections, fields, aliases, validation rules and pending schema changes: the catalog. */
export class Catalog1763700100000 implements MigrationInterface {
  name = 'Catalog1763700100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE backendify.collections (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      project_id uuid NOT NULL REFERENCES backendify.projects(id) ON DELETE CASCADE,
      name text NOT NULL,
      display_name text NOT NULL,
      description text,
      icon text,
      sql_table_name text NOT NULL,
      display_field text,
      is_active boolean NOT NULL DEFAULT true,
      is_system boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (project_id, name)
    )`);
    await q.query(`CREATE TABLE backendify.fields (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      collection_id uuid NOT NULL REFERENCES backendify.collections(id) ON DELETE CASCADE,
      name text NOT NULL,
      display_name text NOT NULL,
      description text,
      field_type text NOT NULL,
      sql_column_name text NOT NULL,
      options jsonb NOT NULL DEFAULT '{}'::jsonb,
      is_required boolean NOT NULL DEFAULT false,
      is_unique boolean NOT NULL DEFAULT false,
      is_indexed boolean NOT NULL DEFAULT false,
      default_value text,
      is_hidden boolean NOT NULL DEFAULT false,
      is_system boolean NOT NULL DEFAULT false,
      is_deleted boolean NOT NULL DEFAULT false,
      deleted_at timestamptz,
      relation_target_collection_id uuid REFERENCES backendify.collections(id) ON DELETE CASCADE,
      relation_type text,
      relation_on_delete text,
      relation_display_field text,
      relation_junction_table text,
      position integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (collection_id, name)
    )`);
    await q.query(
      `CREATE INDEX ix_fields_relation_target ON backendify.fields (relation_target_collection_id)`,
    );
    await q.query(`CREATE TABLE backendify.collection_aliases (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      project_id uuid NOT NULL REFERENCES backendify.projects(id) ON DELETE CASCADE,
      collection_id uuid NOT NULL REFERENCES backendify.collections(id) ON DELETE CASCADE,
      old_name text NOT NULL,
      expires_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(
      `CREATE INDEX ix_collection_aliases_lookup ON backendify.collection_aliases (project_id, old_name)`,
    );
    await q.query(`CREATE TABLE backendify.field_aliases (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      collection_id uuid NOT NULL REFERENCES backendify.collections(id) ON DELETE CASCADE,
      field_id uuid NOT NULL REFERENCES backendify.fields(id) ON DELETE CASCADE,
      old_name text NOT NULL,
      expires_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(
      `CREATE INDEX ix_field_aliases_lookup ON backendify.field_aliases (collection_id, old_name)`,
    );
    await q.query(`CREATE TABLE backendify.validation_rules (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      field_id uuid NOT NULL REFERENCES backendify.fields(id) ON DELETE CASCADE,
      rule_type text NOT NULL,
      config jsonb NOT NULL DEFAULT '{}'::jsonb,
      error_message text,
      priority integer NOT NULL DEFAULT 0,
      is_active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(
      `CREATE INDEX ix_validation_rules_field ON backendify.validation_rules (field_id)`,
    );
    await q.query(`CREATE TABLE backendify.pending_schema_changes (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      project_id uuid NOT NULL REFERENCES backendify.projects(id) ON DELETE CASCADE,
      collection_id uuid REFERENCES backendify.collections(id) ON DELETE CASCADE,
      operation text NOT NULL,
      params jsonb NOT NULL DEFAULT '{}'::jsonb,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','applied','discarded','failed')),
      error text,
      created_by_user_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      applied_at timestamptz
    )`);
    await q.query(
      `CREATE INDEX ix_pending_schema_changes_project ON backendify.pending_schema_changes (project_id, status, created_at)`,
    );
    await q.query(`CREATE INDEX ix_schema_ops_collection ON backendify.schema_ops (collection_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS backendify.ix_schema_ops_collection`);
    for (const t of [
      'pending_schema_changes',
      'validation_rules',
      'field_aliases',
      'collection_aliases',
      'fields',
      'collections',
    ]) {
      await q.query(`DROP TABLE IF EXISTS backendify.${t}`);
    }
  }
}
