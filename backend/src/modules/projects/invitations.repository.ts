import { typeormTransaction } from '../../database/transaction';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PoolClient } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import type { ProjectRole } from './membership.entity';

export interface InvitationRow {
  id: string;
  project_id: string;
  email: string;
  role: ProjectRole;
  invited_by: string | null;
  created_at: Date;
  expires_at: Date;
  accepted_at: Date | null;
}

const COLUMNS = `id::text, project_id::text, email, role, invited_by::text, created_at, expires_at, accepted_at`;

/** `backendify.project_invitations`: the only code touching it. Tokens are stored as sha256. */
@Injectable()
export class InvitationsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  transaction<T>(fn: (m: EntityManager, client: PoolClient) => Promise<T>): Promise<T> {
    return typeormTransaction(this.ds, fn);
  }

  /** One open invitation per address: inviting again replaces role, token and expiry. */
  async upsert(
    m: EntityManager,
    i: {
      projectId: string;
      email: string;
      role: ProjectRole;
      tokenHash: string;
      invitedBy: string;
      expiresAt: Date;
    },
  ): Promise<InvitationRow> {
    const rows = (await m.query(
      `INSERT INTO backendify.project_invitations (project_id, email, role, token_hash, invited_by, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (project_id, lower(email)) WHERE accepted_at IS NULL
       DO UPDATE SET role = EXCLUDED.role, token_hash = EXCLUDED.token_hash,
         invited_by = EXCLUDED.invited_by, created_at = now(), expires_at = EXCLUDED.expires_at
       RETURNING ${COLUMNS}`,
      [i.projectId, i.email, i.role, i.tokenHash, i.invitedBy, i.expiresAt],
    )) as InvitationRow[];
    return rows[0];
  }

  async listPending(projectId: string): Promise<InvitationRow[]> {
    return (await this.ds.query(
      `SELECT ${COLUMNS} FROM backendify.project_invitations
       WHERE project_id = $1 AND accepted_at IS NULL ORDER BY created_at ASC, id ASC`,
      [projectId],
    )) as InvitationRow[];
  }

  async findPending(
    m: EntityManager,
    projectId: string,
    id: string,
  ): Promise<InvitationRow | null> {
    const rows = (await m.query(
      `SELECT ${COLUMNS} FROM backendify.project_invitations
       WHERE project_id = $1 AND id = $2 AND accepted_at IS NULL FOR UPDATE`,
      [projectId, id],
    )) as InvitationRow[];
    return rows[0] ?? null;
  }

  async renew(
    m: EntityManager,
    id: string,
    tokenHash: string,
    invitedBy: string,
    expiresAt: Date,
  ): Promise<InvitationRow> {
    const rows = (await m.query(
      `UPDATE backendify.project_invitations SET token_hash = $2, invited_by = $3, expires_at = $4
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, tokenHash, invitedBy, expiresAt],
    )) as [InvitationRow[], number];
    return rows[0][0];
  }

  /** Deletes a pending invitation and answers it as it was; null when there was none. */
  async delete(m: EntityManager, projectId: string, id: string): Promise<InvitationRow | null> {
    const res = (await m.query(
      `DELETE FROM backendify.project_invitations WHERE project_id = $1 AND id = $2 AND accepted_at IS NULL RETURNING ${COLUMNS}`,
      [projectId, id],
    )) as [InvitationRow[], number];
    return res[0][0] ?? null;
  }

  async deletePendingFor(m: EntityManager, projectId: string, email: string): Promise<void> {
    await m.query(
      `DELETE FROM backendify.project_invitations WHERE project_id = $1 AND lower(email) = lower($2) AND accepted_at IS NULL`,
      [projectId, email],
    );
  }

  async findByTokenForUpdate(m: EntityManager, tokenHash: string): Promise<InvitationRow | null> {
    const rows = (await m.query(
      `SELECT ${COLUMNS} FROM backendify.project_invitations WHERE token_hash = $1 FOR UPDATE`,
      [tokenHash],
    )) as InvitationRow[];
    return rows[0] ?? null;
  }

  async markAccepted(m: EntityManager, id: string): Promise<void> {
    await m.query(`UPDATE backendify.project_invitations SET accepted_at = now() WHERE id = $1`, [
      id,
    ]);
  }

  /** Joins (keeping an existing role) and returns the role the admin now holds. */
  async join(
    m: EntityManager,
    projectId: string,
    userId: string,
    role: ProjectRole,
  ): Promise<ProjectRole> {
    await m.query(
      `INSERT INTO backendify.memberships (project_id, user_id, role) VALUES ($1, $2, $3)
       ON CONFLICT (project_id, user_id) DO NOTHING`,
      [projectId, userId, role],
    );
    const rows = (await m.query(
      `SELECT role FROM backendify.memberships WHERE project_id = $1 AND user_id = $2`,
      [projectId, userId],
    )) as { role: ProjectRole }[];
    return rows[0].role;
  }

  async markAdminVerified(m: EntityManager, userId: string): Promise<void> {
    await m.query(
      `UPDATE backendify.users SET email_verified_at = COALESCE(email_verified_at, now()), updated_at = now() WHERE id = $1`,
      [userId],
    );
  }
}
