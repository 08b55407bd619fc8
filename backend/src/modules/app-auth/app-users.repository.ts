import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { PG_POOL } from '../../database/database.module';
import { projectSchemaName, quoteIdent, quoteQualified } from '../../schema-engine/identifiers';

export type Db = Pool | PoolClient;

/** An app user as services see it; `password_hash` never leaves the credential methods. */
export interface AppUser {
  id: string;
  email: string;
  isEmailVerified: boolean;
  isDisabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface AppUserWithHash extends AppUser {
  passwordHash: string | null;
}

interface Row {
  id: string;
  email: string;
  is_email_verified: boolean;
  is_disabled: boolean;
  created_at: Date;
  updated_at: Date;
  password_hash?: string | null;
}

const PUBLIC_COLUMNS = `id::text AS id, email, is_email_verified, is_disabled, created_at, updated_at`;

const toUser = (r: Row): AppUser => ({
  id: r.id,
  email: r.email,
  isEmailVerified: r.is_email_verified,
  isDisabled: r.is_disabled,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface AppUserPatch {
  email?: string;
  passwordHash?: string | null;
  isEmailVerified?: boolean;
  isDisabled?: boolean;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The project's `_users` table, through `pg` with quoted identifiers and bound values only. */
@Injectable()
export class AppUsersRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  private table(projectId: string): string {
    return quoteQualified(projectSchemaName(projectId), '_users');
  }

  async findById(projectId: string, id: string, db: Db = this.pool): Promise<AppUser | null> {
    const res = await db.query<Row>(
      `SELECT ${PUBLIC_COLUMNS} FROM ${this.table(projectId)} WHERE id = $1`,
      [id],
    );
    return res.rows[0] ? toUser(res.rows[0]) : null;
  }

  async findByEmail(projectId: string, email: string, db: Db = this.pool): Promise<AppUser | null> {
    const res = await db.query<Row>(
      `SELECT ${PUBLIC_COLUMNS} FROM ${this.table(projectId)} WHERE email = $1`,
      [email.toLowerCase()],
    );
    return res.rows[0] ? toUser(res.rows[0]) : null;
  }

  /** Every column of one user but its password hash, for change events (which drop hidden fields). */
  async findRow(
    projectId: string,
    id: string,
    db: Db,
    lock = false,
  ): Promise<Record<string, unknown> | null> {
    const res = await db.query<Record<string, unknown>>(
      `SELECT * FROM ${this.table(projectId)} WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    if (!res.rows[0]) return null;
    const { password_hash: _hash, ...row } = res.rows[0];
    return row;
  }

  /** For credential checks only. */
  async findCredentialsByEmail(projectId: string, email: string): Promise<AppUserWithHash | null> {
    const res = await this.pool.query<Row>(
      `SELECT ${PUBLIC_COLUMNS}, password_hash FROM ${this.table(projectId)} WHERE email = $1`,
      [email.toLowerCase()],
    );
    const r = res.rows[0];
    return r ? { ...toUser(r), passwordHash: r.password_hash ?? null } : null;
  }

  /** For credential checks only. */
  async findCredentialsById(projectId: string, id: string): Promise<AppUserWithHash | null> {
    const res = await this.pool.query<Row>(
      `SELECT ${PUBLIC_COLUMNS}, password_hash FROM ${this.table(projectId)} WHERE id = $1`,
      [id],
    );
    const r = res.rows[0];
    return r ? { ...toUser(r), passwordHash: r.password_hash ?? null } : null;
  }

  async insert(
    projectId: string,
    u: {
      email: string;
      passwordHash: string | null;
      isEmailVerified: boolean;
      isDisabled?: boolean;
      createdByUserId?: string | null;
      /** Admin-added columns (already parsed by their field types) → value. */
      extra?: Record<string, unknown>;
    },
    db: Db = this.pool,
  ): Promise<AppUser> {
    const extra = Object.entries(u.extra ?? {});
    const columns = extra.map(([column]) => `, ${quoteIdent(column)}`).join('');
    const params = extra.map((_, i) => `, $${i + 6}`).join('');
    const res = await db.query<Row>(
      `INSERT INTO ${this.table(projectId)} (email, password_hash, is_email_verified, is_disabled, created_by_user_id${columns})
       VALUES ($1, $2, $3, $4, $5${params}) RETURNING ${PUBLIC_COLUMNS}`,
      [
        u.email.toLowerCase(),
        u.passwordHash,
        u.isEmailVerified,
        u.isDisabled ?? false,
        u.createdByUserId ?? null,
        ...extra.map(([, v]) => v),
      ],
    );
    return toUser(res.rows[0]);
  }

  async update(
    projectId: string,
    id: string,
    patch: AppUserPatch,
    db: Db = this.pool,
  ): Promise<AppUser | null> {
    const sets: string[] = [];
    const values: unknown[] = [id];
    const add = (column: string, value: unknown) => {
      values.push(value);
      sets.push(`${column} = $${values.length}`);
    };
    if (patch.email !== undefined) add('email', patch.email.toLowerCase());
    if (patch.passwordHash !== undefined) add('password_hash', patch.passwordHash);
    if (patch.isEmailVerified !== undefined) add('is_email_verified', patch.isEmailVerified);
    if (patch.isDisabled !== undefined) add('is_disabled', patch.isDisabled);
    sets.push('updated_at = now()');
    const res = await db.query<Row>(
      `UPDATE ${this.table(projectId)} SET ${sets.join(', ')} WHERE id = $1 RETURNING ${PUBLIC_COLUMNS}`,
      values,
    );
    return res.rows[0] ? toUser(res.rows[0]) : null;
  }

  async delete(projectId: string, id: string, db: Db = this.pool): Promise<AppUser | null> {
    const res = await db.query<Row>(
      `DELETE FROM ${this.table(projectId)} WHERE id = $1 RETURNING ${PUBLIC_COLUMNS}`,
      [id],
    );
    return res.rows[0] ? toUser(res.rows[0]) : null;
  }

  async list(
    projectId: string,
    search: string | undefined,
    limit: number,
    offset: number,
  ): Promise<{ users: AppUser[]; total: number }> {
    const where = search ? `WHERE email ILIKE $1 ESCAPE '\\'` : '';
    const params = search ? [`%${escapeLike(search.toLowerCase())}%`] : [];
    const total = await this.pool.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM ${this.table(projectId)} ${where}`,
      params,
    );
    const rows = await this.pool.query<Row>(
      `SELECT ${PUBLIC_COLUMNS} FROM ${this.table(projectId)} ${where}
       ORDER BY created_at DESC, id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, limit, offset],
    );
    return { users: rows.rows.map(toUser), total: Number(total.rows[0].n) };
  }
}
