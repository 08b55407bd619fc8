import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { AppError } from '../../common/errors/app-error';
import { ChangeLogService } from '../change-log/change-log.service';
import type { MembershipEntity } from '../projects/membership.entity';
import type { RunSqlDto, SqlHistoryDto, SqlResultDto } from './dto/sql.dto';
import { sqlErrorOf, sqlWriteForbidden } from './sql-console.errors';
import {
  SqlConsoleRepository,
  type SqlHistoryInput,
  type SqlRunOutput,
} from './sql-console.repository';

/** DESIGN §5: at most this many rows come back; `truncated` says there were more. */
export const SQL_ROW_CAP = 1000;
/** DESIGN §5: `statement_timeout` of every console statement. */
export const SQL_STATEMENT_TIMEOUT_MS = 5000;
const AUDIT_ACTION = 'sql.execute';
const DEFAULT_HISTORY = 50;

type Outcome =
  | { ok: true; out: SqlRunOutput; rowCount: number; truncated: boolean }
  | { ok: false; sqlstate: string; message: string };

@Injectable()
export class SqlConsoleService {
  constructor(
    private readonly repo: SqlConsoleRepository,
    private readonly changeLog: ChangeLogService,
  ) {}

  /**
   * Runs one statement as the project's PostgreSQL role. Every run, refused ones included, leaves
   * a history row and a `sql.execute` change event: inside the run's transaction when it writes,
   * afterwards otherwise (a read-only run commits nothing to be atomic with).
   */
  async run(
    projectId: string,
    membership: MembershipEntity,
    dto: RunSqlDto,
  ): Promise<SqlResultDto> {
    const readOnly = dto.read_only ?? true;
    if (!readOnly && membership.role !== 'owner') throw sqlWriteForbidden();
    const schema = await this.repo.findSchema(projectId);
    if (!schema) throw AppError.notFound('Project');
    const params = (dto.params ?? []).map((v) => (v === null ? null : String(v)));
    const role = await this.repo.ensureRole(projectId, schema);
    const record = (o: Outcome): SqlHistoryInput => ({
      projectId,
      userId: membership.userId,
      query: dto.query,
      params: dto.params ?? null,
      read_only: readOnly,
      status: o.ok ? 'ok' : 'error',
      error_code: o.ok ? null : o.sqlstate,
      error: o.ok ? null : o.message,
      row_count: o.ok ? o.rowCount : null,
      truncated: o.ok ? o.truncated : false,
      duration_ms: o.ok ? o.out.durationMs : null,
    });
    const audit = async (client: PoolClient, o: Outcome) => {
      const h = record(o);
      await this.repo.insertHistory(client, h);
      await this.changeLog.appendAdmin(client, projectId, AUDIT_ACTION, {
        query: h.query,
        params: h.params,
        read_only: h.read_only,
        status: h.status,
        sqlstate: h.error_code,
        error: h.error,
        row_count: h.row_count,
        truncated: h.truncated,
        duration_ms: h.duration_ms,
      });
    };
    let out: SqlRunOutput;
    try {
      out = await this.repo.run(role, {
        projectId,
        schema,
        query: dto.query,
        params,
        readOnly,
        rowCap: SQL_ROW_CAP,
        timeoutMs: SQL_STATEMENT_TIMEOUT_MS,
        beforeCommit: readOnly ? undefined : (client, o) => audit(client, success(o)),
      });
    } catch (error) {
      const refused = error instanceof AppError ? error : sqlErrorOf(error);
      if (!refused) throw error;
      const sqlstate = 'sqlstate' in refused ? String(refused.sqlstate) : refused.code;
      await this.repo.inSystemTransaction((c) =>
        audit(c, { ok: false, sqlstate: sqlstate.slice(0, 5), message: refused.detail }),
      );
      throw refused;
    }
    const outcome = success(out);
    if (readOnly) await this.repo.inSystemTransaction((c) => audit(c, outcome));
    return toResult(outcome);
  }

  async history(projectId: string, userId: string, limit?: number): Promise<SqlHistoryDto> {
    const rows = await this.repo.listHistory(projectId, userId, limit ?? DEFAULT_HISTORY);
    return {
      history: rows.map((r) => ({ ...r, created_at: r.created_at.toISOString() })),
    };
  }
}

function success(out: SqlRunOutput): Outcome & { ok: true } {
  const truncated = out.rows.length > SQL_ROW_CAP;
  const rowCount = out.affected ?? Math.min(out.rows.length, SQL_ROW_CAP);
  return { ok: true, out, rowCount, truncated };
}

function toResult(o: Outcome & { ok: true }): SqlResultDto {
  const names = o.out.columns.map((c) => c.name);
  // fromEntries defines own properties, so a column named `__proto__` stays a column.
  const rows = o.out.rows
    .slice(0, SQL_ROW_CAP)
    .map((row) => Object.fromEntries(names.map((n, i) => [n, row[i]])));
  return {
    columns: o.out.columns,
    rows,
    row_count: o.rowCount,
    truncated: o.truncated,
    duration_ms: o.out.durationMs,
  };
}
