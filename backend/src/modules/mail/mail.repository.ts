import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { PG_POOL } from '../../database/database.module';

export type MailStatus = 'pending' | 'sent' | 'failed' | 'dev';

export interface OutboxInsert {
  projectId: string | null;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  kind: string;
  status: MailStatus;
}

export interface OutboxRow {
  id: string;
  project_id: string | null;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  kind: string;
  status: MailStatus;
  attempts: number;
  created_at: Date;
}

type Queryable = Pool | PoolClient;

/** `backendify.mail_outbox`: the only code touching it. */
@Injectable()
export class MailRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async insert(db: Queryable, row: OutboxInsert): Promise<string> {
    const res = await db.query<{ id: string }>(
      `INSERT INTO backendify.mail_outbox (project_id, to_address, subject, text_body, html_body, kind, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [row.projectId, row.to, row.subject, row.text, row.html, row.kind, row.status],
    );
    return res.rows[0].id;
  }

  /** Claims a sendable row (skip-locked, so several processes can run the sender). */
  async claim(id: string): Promise<OutboxRow | null> {
    const res = await this.pool.query<OutboxRow>(
      `UPDATE backendify.mail_outbox SET attempts = attempts + 1
       WHERE id = (SELECT id FROM backendify.mail_outbox WHERE id = $1 AND status IN ('pending','failed')
                   AND attempts < 5 FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [id],
    );
    return res.rows[0] ?? null;
  }

  /** Platform mail (no project) kept while SMTP_URL is unset. */
  async findPlatformDev(id: string): Promise<OutboxRow | null> {
    const res = await this.pool.query<OutboxRow>(
      `SELECT * FROM backendify.mail_outbox WHERE id = $1 AND project_id IS NULL AND status = 'dev'`,
      [id],
    );
    return res.rows[0] ?? null;
  }

  async retryable(limit: number): Promise<string[]> {
    const res = await this.pool.query<{ id: string }>(
      `SELECT id FROM backendify.mail_outbox
       WHERE status IN ('pending','failed') AND attempts < 5 AND created_at < now() - interval '20 seconds'
       ORDER BY created_at LIMIT $1`,
      [limit],
    );
    return res.rows.map((r) => r.id);
  }

  /** Once delivered, the bodies (which carry one-time secrets) are dropped from the table. */
  async markSent(id: string): Promise<void> {
    await this.pool.query(
      `UPDATE backendify.mail_outbox SET status = 'sent', sent_at = now(), error = NULL,
         text_body = '', html_body = NULL WHERE id = $1`,
      [id],
    );
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.pool.query(
      `UPDATE backendify.mail_outbox SET status = 'failed', error = $2 WHERE id = $1`,
      [id, error.slice(0, 1000)],
    );
  }

  async listDev(projectId: string, limit: number): Promise<OutboxRow[]> {
    const res = await this.pool.query<OutboxRow>(
      `SELECT * FROM backendify.mail_outbox WHERE project_id = $1 AND status = 'dev'
       ORDER BY created_at DESC, id DESC LIMIT $2`,
      [projectId, limit],
    );
    return res.rows;
  }

  async clearDev(projectId: string): Promise<number> {
    const res = await this.pool.query(
      `DELETE FROM backendify.mail_outbox WHERE project_id = $1 AND status = 'dev'`,
      [projectId],
    );
    return res.rowCount ?? 0;
  }
}
