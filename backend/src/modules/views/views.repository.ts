import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { PG_POOL } from '../../database/database.module';
import { inTransaction } from '../../database/transaction';
import type { ViewDefinition } from '../../query-engine/view-definition';

export interface Db {
  query: Pool['query'];
}

export interface ViewRow {
  id: string;
  project_id: string;
  name: string;
  display_name: string;
  description: string | null;
  base_collection_id: string;
  definition: ViewDefinition;
  version: number;
  is_active: boolean;
  created_by_user_id: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface ViewVersionRow {
  id: string;
  view_id: string;
  version: number;
  display_name: string;
  description: string | null;
  definition: ViewDefinition;
  created_by_user_id: string | null;
  created_at: Date;
}

const COLUMNS = `id, project_id, name, display_name, description, base_collection_id, definition,
  version, is_active, created_by_user_id, created_at, updated_at`;

/** The only code that touches the views tables. */
@Injectable()
export class ViewsRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  transaction<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, fn);
  }

  db(): Db {
    return this.pool;
  }

  async list(projectId: string): Promise<ViewRow[]> {
    const { rows } = await this.pool.query<ViewRow>(
      `SELECT ${COLUMNS} FROM backendify.views WHERE project_id = $1 AND is_active ORDER BY name`,
      [projectId],
    );
    return rows;
  }

  /** The active view of that name; `lock` takes a row lock for a change in `db`'s transaction. */
  async byName(db: Db, projectId: string, name: string, lock = false): Promise<ViewRow | null> {
    const { rows } = await db.query<ViewRow>(
      `SELECT ${COLUMNS} FROM backendify.views WHERE project_id = $1 AND name = $2 AND is_active${lock ? ' FOR UPDATE' : ''}`,
      [projectId, name],
    );
    return rows[0] ?? null;
  }

  async insert(
    db: Db,
    v: Pick<
      ViewRow,
      'project_id' | 'name' | 'display_name' | 'description' | 'base_collection_id' | 'definition'
    > & { created_by_user_id: string | null },
  ): Promise<ViewRow> {
    const { rows } = await db.query<ViewRow>(
      `INSERT INTO backendify.views (project_id, name, display_name, description, base_collection_id, definition, created_by_user_id)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7) RETURNING ${COLUMNS}`,
      [
        v.project_id,
        v.name,
        v.display_name,
        v.description,
        v.base_collection_id,
        JSON.stringify(v.definition),
        v.created_by_user_id,
      ],
    );
    return rows[0];
  }

  /** Writes a new current definition and bumps the version. */
  async update(
    db: Db,
    id: string,
    v: Pick<ViewRow, 'display_name' | 'description' | 'base_collection_id' | 'definition'>,
  ): Promise<ViewRow> {
    const { rows } = await db.query<ViewRow>(
      `UPDATE backendify.views SET display_name = $2, description = $3, base_collection_id = $4,
         definition = $5::jsonb, version = version + 1, updated_at = now()
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, v.display_name, v.description, v.base_collection_id, JSON.stringify(v.definition)],
    );
    return rows[0];
  }

  async deactivate(db: Db, id: string): Promise<void> {
    await db.query(
      `UPDATE backendify.views SET is_active = false, updated_at = now() WHERE id = $1`,
      [id],
    );
  }

  /** The snapshot of the view's current version. */
  async snapshot(db: Db, v: ViewRow, userId: string | null): Promise<void> {
    await db.query(
      `INSERT INTO backendify.view_versions (view_id, version, display_name, description, definition, created_by_user_id)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6)`,
      [v.id, v.version, v.display_name, v.description, JSON.stringify(v.definition), userId],
    );
  }

  async versions(viewId: string): Promise<ViewVersionRow[]> {
    const { rows } = await this.pool.query<ViewVersionRow>(
      `SELECT id, view_id, version, display_name, description, definition, created_by_user_id, created_at
       FROM backendify.view_versions WHERE view_id = $1 ORDER BY version DESC`,
      [viewId],
    );
    return rows;
  }

  async version(db: Db, viewId: string, version: number): Promise<ViewVersionRow | null> {
    const { rows } = await db.query<ViewVersionRow>(
      `SELECT id, view_id, version, display_name, description, definition, created_by_user_id, created_at
       FROM backendify.view_versions WHERE view_id = $1 AND version = $2`,
      [viewId, version],
    );
    return rows[0] ?? null;
  }

  async exists(projectId: string, name: string): Promise<boolean> {
    const { rows } = await this.pool.query(
      `SELECT 1 FROM backendify.views WHERE project_id = $1 AND name = $2 AND is_active`,
      [projectId, name],
    );
    return rows.length > 0;
  }
}
