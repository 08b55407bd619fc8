import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import { JobsService } from '../../jobs/jobs.service';
import { SYSTEM_COLUMNS } from '../../schema-engine/catalog.types';
import { updateMeta, type ChangeEvent } from '../change-log/change-event';
import { ChangeLogService } from '../change-log/change-log.service';
import { CatalogService } from '../catalog/catalog.service';
import type { AccessContext } from '../access/access-context';
import { RecordsReadingService } from '../records/records-reading.service';
import { RecordsWritingService } from '../records/records-writing.service';
import { AuditRepository, type AuditFilter } from './audit.repository';
import type {
  AuditEventResponseDto,
  AuditEventsPageDto,
  AuditEventsQueryDto,
  AuditSettingsDto,
  RecordVersionDto,
} from './dto/audit.dto';

const RETENTION_JOB = 'audit_retention';
const EXPORT_MAX = 100_000;

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

/** The audit view of one change event; keeps the original's fields (JSON as text) beside the new ones. */
export function toAuditDto(e: ChangeEvent): AuditEventResponseDto {
  return {
    id: e.id,
    project_id: e.projectId,
    action: e.action,
    kind: e.kind,
    collection: e.collection,
    collection_id: e.collectionId,
    record_id: e.recordId,
    actor: { type: e.actorType, id: e.actorId, api_key_prefix: e.apiKeyPrefix },
    actor_user_id: e.actorType === 'admin' ? e.actorId : null,
    actor_api_key_id: e.apiKeyId,
    actor_app_user_id: e.actorType === 'app_user' ? e.actorId : null,
    record: e.record,
    old_record: e.oldRecord,
    changed: e.changed,
    meta: e.meta,
    new_data_json: json(e.record ?? (e.kind === 'record' ? null : e.meta)),
    old_data_json: json(e.oldRecord),
    ip_address: e.ip,
    user_agent: e.userAgent,
    request_id: e.requestId,
    created_at: e.createdAt.toISOString(),
  };
}

function parseDate(name: string, v: string | undefined): Date | undefined {
  if (v === undefined || v === '') return undefined;
  const d = new Date(v);
  if (Number.isNaN(d.getTime()))
    throw AppError.validation(`${name} must be an ISO date or date-time`, [
      { field: name, rule: 'date', message: `${name} must be an ISO date or date-time` },
    ]);
  return d;
}

/** Audit log, record history and revert, retention — all read from the one change log. */
@Injectable()
export class AuditService implements OnModuleInit {
  constructor(
    private readonly repo: AuditRepository,
    private readonly reading: RecordsReadingService,
    private readonly writing: RecordsWritingService,
    private readonly catalog: CatalogService,
    private readonly jobs: JobsService,
    private readonly changeLog: ChangeLogService,
  ) {}

  onModuleInit(): void {
    this.jobs.register(RETENTION_JOB, async () => {
      await this.enforceRetention();
    });
    this.jobs.schedule('17 * * * *', RETENTION_JOB);
  }

  filter(q: AuditEventsQueryDto): AuditFilter {
    const f: AuditFilter = {};
    if (q.action)
      f.action = q.action.endsWith('*') ? { prefix: q.action.slice(0, -1) } : { exact: q.action };
    f.collection = q.collection || undefined;
    f.collectionId = q.collection_id || undefined;
    f.recordId = q.record_id || undefined;
    if (q.actor_type) f.actorType = q.actor_type === 'admin_user' ? 'admin' : q.actor_type;
    if (q.actor) {
      const m = /^(admin|app_user|api_key|anonymous|system):(.*)$/.exec(q.actor);
      if (m) {
        f.actorType = m[1];
        f.actorId = m[2] || undefined;
      } else f.actorId = q.actor;
    }
    f.from = parseDate('from', q.from ?? q.start_date);
    f.to = parseDate('to', q.to ?? q.end_date);
    f.search = q.search || undefined;
    if (q.after !== undefined) {
      if (!/^[0-9]{1,19}$/.test(q.after))
        throw AppError.validation('after must be a next_cursor of this list', [
          { field: 'after', rule: 'cursor', message: 'after must be a next_cursor of this list' },
        ]);
      if (q.offset)
        throw AppError.validation('after and offset cannot be combined', [
          { field: 'after', rule: 'exclusive', message: 'after and offset cannot be combined' },
        ]);
      f.beforeId = q.after;
    }
    return f;
  }

  async list(projectId: string, q: AuditEventsQueryDto): Promise<AuditEventsPageDto> {
    const f = this.filter(q);
    const limit = q.limit ?? 100;
    const offset = q.offset ?? 0;
    const [events, total] = await Promise.all([
      this.repo.list(projectId, f, limit + 1, offset),
      q.count === 'false' ? Promise.resolve(null) : this.repo.count(projectId, f),
    ]);
    const page = events.slice(0, limit);
    return {
      events: page.map(toAuditDto),
      total,
      limit,
      offset,
      next_cursor: events.length > limit ? page[page.length - 1].id : null,
    };
  }

  /** Rows of a filtered view for export, newest first, capped. */
  async exportRows(projectId: string, q: AuditEventsQueryDto): Promise<AuditEventResponseDto[]> {
    const events = await this.repo.list(projectId, this.filter(q), EXPORT_MAX, 0);
    return events.map(toAuditDto);
  }

  /** Versions of one record, newest first; the caller must be able to read the record now. */
  async history(
    access: AccessContext,
    collection: string,
    id: string,
  ): Promise<RecordVersionDto[]> {
    const meta = (
      await this.catalog.collectionByName(access.projectId, collection, { aliases: true })
    ).meta;
    const exists = await this.assertReadable(access, collection, id);
    const events = await this.repo.history(access.projectId, meta.id, canonicalId(id));
    if (!exists && events.length === 0) throw AppError.notFound('Record');
    return events.map((e) => ({
      id: e.id,
      action: e.action,
      actor: { type: e.actorType, id: e.actorId, api_key_prefix: e.apiKeyPrefix },
      at: e.createdAt.toISOString(),
      record: e.action === 'delete' ? e.oldRecord : e.record,
      changed: e.changed,
    }));
  }

  /** Writes a version back through the normal update path: policies, validations, a new version. */
  async revert(
    access: AccessContext,
    collection: string,
    id: string,
    versionId: string,
  ): Promise<Record<string, unknown>> {
    const meta = (
      await this.catalog.collectionByName(access.projectId, collection, { aliases: true })
    ).meta;
    const version = await this.repo.event(access.projectId, versionId);
    if (!version || version.collectionId !== meta.id || version.recordId !== canonicalId(id))
      throw AppError.notFound('Version');
    if (version.action === 'delete' || !version.record)
      throw AppError.validation('A delete cannot be reverted to; revert to a version before it');
    const current = await this.reading.get(access, collection, id, {});
    const writable = new Set(
      meta.fields
        .filter(
          (f) => !f.isDeleted && !f.isHidden && !f.isSystem && f.relation?.kind !== 'one_to_many',
        )
        .flatMap((f) => [f.name]),
    );
    const body: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(version.record)) {
      if ((SYSTEM_COLUMNS as readonly string[]).includes(k) || k === 'id' || !writable.has(k))
        continue;
      if (JSON.stringify(current[k] ?? null) !== JSON.stringify(v ?? null)) body[k] = v;
    }
    if (Object.keys(body).length === 0) return current;
    return this.writing.update(access, collection, id, body);
  }

  /** False only for an admin looking at a record that is gone (its history stays theirs to see). */
  private async assertReadable(
    access: AccessContext,
    collection: string,
    id: string,
  ): Promise<boolean> {
    try {
      await this.reading.get(access, collection, id, {});
      return true;
    } catch (err) {
      // Everyone but admins needs read access to the record as it is now.
      if (!(
        access.principal.kind === 'admin' &&
        err instanceof AppError &&
        err.code === 'NOT_FOUND'
      ))
        throw err;
      return false;
    }
  }

  async settings(projectId: string): Promise<AuditSettingsDto> {
    const s = await this.repo.settings(projectId);
    return { retention_days: s.retentionDays, max_rows: s.maxRows };
  }

  async saveSettings(projectId: string, dto: AuditSettingsDto): Promise<AuditSettingsDto> {
    return this.repo.transaction(async (client) => {
      const now = await this.repo.settings(projectId, client);
      const next = {
        retentionDays: dto.retention_days === undefined ? now.retentionDays : dto.retention_days,
        maxRows: dto.max_rows === undefined ? now.maxRows : dto.max_rows,
      };
      await this.repo.saveSettings(client, projectId, next);
      const saved = { retention_days: next.retentionDays, max_rows: next.maxRows };
      const change = updateMeta(
        { retention_days: now.retentionDays, max_rows: now.maxRows },
        saved,
      );
      await this.changeLog.appendAdmin(client, projectId, 'audit_settings.update', change);
      return saved;
    });
  }

  /** The scheduled retention run: every project with settings, in batches. Returns rows deleted. */
  async enforceRetention(): Promise<number> {
    let total = 0;
    for (const p of await this.repo.projectsWithRetention()) {
      for (;;) {
        const n = await this.repo.deleteBatch(p.projectId, p);
        total += n;
        if (n === 0) break;
      }
    }
    return total;
  }
}

/** Record ids are stored as text; a numeric id given as `007` is the record `7`. */
function canonicalId(id: string): string {
  return /^[0-9]+$/.test(id) ? String(BigInt(id)) : id.toLowerCase();
}

const FORMULA = /^[=+\-@\t\r]/;

/** RFC 4180 CSV; cells a spreadsheet would run as formulas are prefixed with `'`. */
export function toCsv(rows: AuditEventResponseDto[]): string {
  const cols = [
    'id',
    'created_at',
    'action',
    'kind',
    'collection',
    'record_id',
    'actor_type',
    'actor_id',
    'api_key_prefix',
    'ip_address',
    'user_agent',
    'request_id',
    'changed',
    'record',
    'old_record',
    'meta',
  ];
  const cell = (v: unknown): string => {
    let s = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
    if (FORMULA.test(s)) s = `'${s}`;
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [cols.join(',')];
  for (const r of rows) {
    lines.push(
      [
        r.id,
        r.created_at,
        r.action,
        r.kind,
        r.collection,
        r.record_id,
        r.actor.type,
        r.actor.id,
        r.actor.api_key_prefix,
        r.ip_address,
        r.user_agent,
        r.request_id,
        r.changed ? r.changed.join(' ') : null,
        r.record,
        r.old_record,
        r.meta,
      ]
        .map(cell)
        .join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}
