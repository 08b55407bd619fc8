import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PoolClient } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { typeormTransaction } from '../../database/transaction';
import type { RuleRow } from './record-validator';

interface RuleDbRow {
  id: string;
  field_id: string;
  collection_id: string;
  rule_type: string;
  config: Record<string, unknown> | null;
  error_message: string | null;
  priority: number;
  is_active: boolean;
  created_at: Date;
  updated_at: Date;
}

/** A stored rule with the collection its field belongs to. */
export interface StoredRule extends RuleRow {
  collectionId: string;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `r.id, r.field_id, f.collection_id, r.rule_type, r.config, r.error_message,
  r.priority, r.is_active, r.created_at, r.updated_at`;
const FROM = `backendify.validation_rules r
  JOIN backendify.fields f ON f.id = r.field_id
  JOIN backendify.collections c ON c.id = f.collection_id`;
const ORDER = `ORDER BY r.priority, r.created_at, r.id`;

function toRule(r: RuleDbRow): StoredRule {
  return {
    id: r.id,
    fieldId: r.field_id,
    collectionId: r.collection_id,
    ruleType: r.rule_type,
    config: r.config ?? {},
    errorMessage: r.error_message,
    priority: r.priority,
    isActive: r.is_active,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

@Injectable()
export class ValidationsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** One transaction: writes below take its manager, the change log its pg client. */
  transaction<T>(fn: (m: EntityManager, client: PoolClient) => Promise<T>): Promise<T> {
    return typeormTransaction(this.ds, fn);
  }

  /** Every active rule of a project in one query (the original ran one query per field). */
  async activeForProject(projectId: string): Promise<StoredRule[]> {
    const rows: RuleDbRow[] = await this.ds.query(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE c.project_id = $1 AND r.is_active ${ORDER}`,
      [projectId],
    );
    return rows.map(toRule);
  }

  async forField(fieldId: string, includeInactive: boolean): Promise<StoredRule[]> {
    const rows: RuleDbRow[] = await this.ds.query(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE r.field_id = $1 AND ($2 OR r.is_active) ${ORDER}`,
      [fieldId, includeInactive],
    );
    return rows.map(toRule);
  }

  async find(projectId: string, ruleId: string): Promise<StoredRule | null> {
    const rows: RuleDbRow[] = await this.ds.query(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE c.project_id = $1 AND r.id = $2`,
      [projectId, ruleId],
    );
    return rows[0] ? toRule(rows[0]) : null;
  }

  async insert(
    m: EntityManager,
    row: {
      fieldId: string;
      ruleType: string;
      config: Record<string, unknown>;
      errorMessage: string | null;
      priority: number;
      isActive: boolean;
    },
  ): Promise<string> {
    const rows: { id: string }[] = await m.query(
      `INSERT INTO backendify.validation_rules (field_id, rule_type, config, error_message, priority, is_active)
       VALUES ($1, $2, $3::jsonb, $4, $5, $6) RETURNING id`,
      [
        row.fieldId,
        row.ruleType,
        JSON.stringify(row.config),
        row.errorMessage,
        row.priority,
        row.isActive,
      ],
    );
    return rows[0].id;
  }

  async update(
    m: EntityManager,
    ruleId: string,
    patch: {
      config: Record<string, unknown>;
      errorMessage: string | null;
      priority: number;
      isActive: boolean;
    },
  ): Promise<void> {
    await m.query(
      `UPDATE backendify.validation_rules
       SET config = $2::jsonb, error_message = $3, priority = $4, is_active = $5, updated_at = now()
       WHERE id = $1`,
      [ruleId, JSON.stringify(patch.config), patch.errorMessage, patch.priority, patch.isActive],
    );
  }

  async delete(m: EntityManager, ruleId: string): Promise<void> {
    await m.query(`DELETE FROM backendify.validation_rules WHERE id = $1`, [ruleId]);
  }
}
