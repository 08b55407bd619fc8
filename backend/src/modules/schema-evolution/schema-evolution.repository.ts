import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { PG_POOL } from '../../database/database.module';

export interface PendingChangeRow {
  id: string;
  project_id: string;
  collection_id: string | null;
  operation: string;
  params: Record<string, unknown>;
  status: 'pending' | 'applied' | 'discarded' | 'failed';
  error: string | null;
  created_by_user_id: string | null;
  created_at: Date;
  applied_at: Date | null;
}

export interface SchemaOpRow {
  id: string;
  project_id: string;
  collection_id: string | null;
  op_type: string;
  payload_json: unknown;
  sql: string;
  status: string;
  error: string | null;
  actor_user_id: string | null;
  created_at: Date;
}

export interface AliasRows {
  collectionAliases: { old_name: string; collection_id: string; expires_at: Date }[];
  fieldAliases: { old_name: string; field_id: string; collection_id: string; expires_at: Date }[];
}

/** Pending changes, aliases and the schema_ops log of one project. */
@Injectable()
export class SchemaEvolutionRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async insertPending(row: {
    projectId: string;
    collectionId: string;
    operation: string;
    params: Record<string, unknown>;
    userId: string;
  }): Promise<PendingChangeRow> {
    const { rows } = await this.pool.query<PendingChangeRow>(
      `INSERT INTO backendify.pending_schema_changes (project_id, collection_id, operation, params, created_by_user_id)
       VALUES ($1, $2, $3, $4, $5) RETURNING *`,
      [row.projectId, row.collectionId, row.operation, JSON.stringify(row.params), row.userId],
    );
    return rows[0];
  }

  async listPending(projectId: string, statuses: string[]): Promise<PendingChangeRow[]> {
    const { rows } = await this.pool.query<PendingChangeRow>(
      `SELECT * FROM backendify.pending_schema_changes WHERE project_id = $1 AND status = ANY($2)
       ORDER BY created_at, id`,
      [projectId, statuses],
    );
    return rows;
  }

  async findPending(projectId: string, id: string): Promise<PendingChangeRow | null> {
    const { rows } = await this.pool.query<PendingChangeRow>(
      `SELECT * FROM backendify.pending_schema_changes WHERE project_id = $1 AND id::text = $2`,
      [projectId, id],
    );
    return rows[0] ?? null;
  }

  /** Inside the change's transaction, so the change and its `applied` mark commit together. */
  async markApplied(client: PoolClient, id: string): Promise<boolean> {
    const res = await client.query(
      `UPDATE backendify.pending_schema_changes SET status = 'applied', applied_at = now(), error = NULL
       WHERE id = $1 AND status = 'pending'`,
      [id],
    );
    return res.rowCount === 1;
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.pool.query(
      `UPDATE backendify.pending_schema_changes SET status = 'failed', error = $2 WHERE id = $1 AND status = 'pending'`,
      [id, error],
    );
  }

  async discard(projectId: string, id: string): Promise<boolean> {
    const res = await this.pool.query(
      `UPDATE backendify.pending_schema_changes SET status = 'discarded'
       WHERE project_id = $1 AND id::text = $2 AND status IN ('pending', 'failed')`,
      [projectId, id],
    );
    return res.rowCount === 1;
  }

  async aliases(projectId: string): Promise<AliasRows> {
    const [collections, fields] = await Promise.all([
      this.pool.query<AliasRows['collectionAliases'][number]>(
        `SELECT old_name, collection_id, expires_at FROM backendify.collection_aliases
         WHERE project_id = $1 AND expires_at > now() ORDER BY created_at`,
        [projectId],
      ),
      this.pool.query<AliasRows['fieldAliases'][number]>(
        `SELECT a.old_name, a.field_id, a.collection_id, a.expires_at FROM backendify.field_aliases a
         JOIN backendify.collections c ON c.id = a.collection_id
         WHERE c.project_id = $1 AND a.expires_at > now() ORDER BY a.created_at`,
        [projectId],
      ),
    ]);
    return { collectionAliases: collections.rows, fieldAliases: fields.rows };
  }

  /** A catalog-only step (soft delete, restore) still leaves its trace in schema_ops. */
  async insertLogicalOp(
    client: PoolClient,
    op: {
      projectId: string;
      collectionId: string;
      opType: string;
      payload: Record<string, unknown>;
      actorUserId: string | null;
    },
  ): Promise<void> {
    await client.query(
      `INSERT INTO backendify.schema_ops (project_id, collection_id, op_type, payload_json, sql, status, actor_user_id)
       VALUES ($1, $2, $3, $4, '', 'applied', $5)`,
      [op.projectId, op.collectionId, op.opType, JSON.stringify(op.payload), op.actorUserId],
    );
  }

  async schemaOps(
    projectId: string,
    filter: { collectionId?: string; opType?: string; limit: number; offset: number },
  ): Promise<SchemaOpRow[]> {
    const values: unknown[] = [projectId];
    const where = ['project_id = $1'];
    if (filter.collectionId) {
      values.push(filter.collectionId);
      where.push(`collection_id::text = $${values.length}`);
    }
    if (filter.opType) {
      values.push(filter.opType);
      where.push(`op_type = $${values.length}`);
    }
    values.push(filter.limit, filter.offset);
    const { rows } = await this.pool.query<SchemaOpRow>(
      `SELECT id, project_id, collection_id, op_type, payload_json, sql, status, error, actor_user_id, created_at
       FROM backendify.schema_ops WHERE ${where.join(' AND ')}
       ORDER BY created_at DESC, id LIMIT $${values.length - 1} OFFSET $${values.length}`,
      values,
    );
    return rows;
  }
}
