import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import * as tar from 'tar-stream';
import { AppError } from '../../common/errors/app-error';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { JobsService } from '../../jobs/jobs.service';
import { CatalogService } from '../catalog/catalog.service';
import type { CatalogCollection } from '../catalog/catalog.types';
import { ChangeLogService } from '../change-log/change-log.service';
import { CollectionsService } from '../collections/collections.service';
import { FieldsService } from '../fields/fields.service';
import { FilesService } from '../files/files.service';
import type { StorageDriver } from '../files/storage/storage-driver';
import { PoliciesAdminService } from '../policies/policies-admin.service';
import { ProjectsService } from '../projects/projects.service';
import type { ProjectResponseDto } from '../projects/dto/project.dto';
import { RbacService } from '../rbac/rbac.service';
import { RelationsService } from '../relations/relations.service';
import { ValidationsService } from '../validations/validations.service';
import { WebhooksService } from '../webhooks/webhooks.service';
import { WorkflowsService } from '../workflows/workflows.service';
import { nextAfter, parseSchedule, ScheduleError } from '../workflows/runtime/cron';
import { AuthSettingsService } from '../auth-settings/auth-settings.service';
import {
  ArchiveWriter,
  BACKUP_FORMAT_VERSION,
  badArchive,
  byteLimit,
  DATA_PART_BYTES,
  parseEntryName,
  parseJson,
  partName,
  readEntry,
  RESTORE_MAX_BYTES,
  type ArchiveEntry,
  type BackupManifest,
} from './backup-archive';
import {
  BackupsRepository,
  type BackupRow,
  type BackupTarget,
  type ScheduleRow,
} from './backups.repository';
import type { BackupCatalog } from './backup-catalog';
import type { BackupDto, BackupScheduleDto, PutBackupScheduleDto } from './dto/backup.dto';

const VERSION = '0.1.0';
const PRESETS: Record<string, string> = {
  hourly: '0 * * * *',
  daily: '0 3 * * *',
  weekly: '0 3 * * 0',
};
const EXCLUDED = [
  'API keys and admin members (the restoring admin becomes the owner)',
  'app-user sessions, refresh tokens, OAuth identities and one-time codes',
  'webhook secrets (new ones are generated), OAuth client secrets, workflow secrets',
  'audit log, record history, webhook deliveries and workflow runs',
  'saved views',
];
const TICK = 'backups:tick';
const RUN = 'backups:run';

/** A file row as the files service hands it out for backups (its repository is its own). */
type FileRow = FilesService['filesForBackup'] extends (p: string) => AsyncGenerator<infer R>
  ? R
  : never;
type S3DriverModule = typeof import('../files/storage/s3-storage.driver');

const toBackupDto = (b: BackupRow): BackupDto => ({
  id: b.id,
  project_id: b.project_id,
  target: b.target,
  trigger: b.trigger,
  status: b.status,
  size_bytes: b.size_bytes === null ? null : Number(b.size_bytes),
  sha256: b.sha256,
  error: b.error,
  created_at: b.created_at.toISOString(),
  finished_at: b.finished_at ? b.finished_at.toISOString() : null,
});

/** Catalog order for data: a collection's many-to-one targets come before it (cycles broken). */
function dataOrder(collections: CatalogCollection[]): CatalogCollection[] {
  const byId = new Map(collections.map((c) => [c.meta.id, c]));
  const out: CatalogCollection[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (c: CatalogCollection) => {
    if (state.get(c.meta.id)) return;
    state.set(c.meta.id, 'visiting');
    for (const f of c.meta.fields) {
      const t =
        f.relation?.kind === 'many_to_one' && !f.isDeleted
          ? byId.get(f.relation.targetCollectionId)
          : undefined;
      if (t && t !== c) visit(t);
    }
    state.set(c.meta.id, 'done');
    out.push(c);
  };
  for (const c of collections) visit(c);
  return out;
}

/**
 * Backups (DESIGN §5): one streamed archive per project, restored into a new project through
 * the same services that made the original (real DDL, validation, audit), stored backups on a
 * schedule with retention.
 */
@Injectable()
export class BackupsService implements OnModuleInit {
  private readonly log = new Logger('Backups');
  private s3: StorageDriver | null | undefined;

  constructor(
    private readonly repo: BackupsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: JobsService,
    private readonly catalog: CatalogService,
    private readonly changeLog: ChangeLogService,
    private readonly projects: ProjectsService,
    private readonly collections: CollectionsService,
    private readonly fields: FieldsService,
    private readonly relations: RelationsService,
    private readonly validations: ValidationsService,
    private readonly policies: PoliciesAdminService,
    private readonly rbac: RbacService,
    private readonly authSettings: AuthSettingsService,
    private readonly webhooks: WebhooksService,
    private readonly workflows: WorkflowsService,
    private readonly files: FilesService,
  ) {}

  onModuleInit(): void {
    this.jobs.register(TICK, () => this.tick().then(() => undefined));
    this.jobs.register<{ project_id: string }>(RUN, (p) => this.runScheduled(p.project_id));
    this.jobs.schedule('* * * * *', TICK);
  }

  // ------------------------------------------------------------------ archive

  /** The project's archive as a gzip'd tar stream, written as it is read (memory stays flat). */
  archive(projectId: string, actorUserId: string | null): Readable {
    const writer = new ArchiveWriter();
    this.writeArchive(projectId, actorUserId, writer).catch((err: Error) => {
      this.log.error(`backup of ${projectId} failed: ${err.message}`);
      writer.fail(err);
    });
    return writer.output;
  }

  private async writeArchive(
    projectId: string,
    actorUserId: string | null,
    w: ArchiveWriter,
  ): Promise<void> {
    const name = await this.projects.nameOf(projectId);
    const manifest: BackupManifest = {
      format: 'backendify-backup',
      format_version: BACKUP_FORMAT_VERSION,
      backendify_version: VERSION,
      created_at: new Date().toISOString(),
      project: { id: projectId, name },
      excluded: EXCLUDED,
    };
    await w.add('manifest.json', JSON.stringify(manifest, null, 2));
    const cat = await this.catalog.project(projectId);
    const ordered = dataOrder([...cat.byId.values()]);
    await w.add('catalog.json', JSON.stringify(await this.describe(projectId, ordered)));

    for await (const f of this.files.filesForBackup(projectId)) {
      const body = await this.files.openObject(f);
      if (!body) continue;
      await w.add(`files/${f.id}.json`, JSON.stringify(fileMeta(f, cat.byId)));
      await w.addStream(`files/${f.id}.bin`, Number(f.size_bytes), body);
      w.count('files', 1);
    }
    for (const c of ordered) {
      const columns = await this.repo.columns(cat.schema, c.meta.table);
      await this.writeTable(w, `data/${c.meta.name}`, cat.schema, c.meta.table, columns, ['id']);
    }
    for (const c of ordered)
      for (const f of c.meta.fields) {
        const j =
          f.relation?.kind === 'many_to_many' && !f.isDeleted ? f.relation.junctionTable : null;
        if (!j) continue;
        const columns = await this.repo.columns(cat.schema, j);
        await this.writeTable(
          w,
          `junctions/${c.meta.name}/${f.name}`,
          cat.schema,
          j,
          columns,
          columns,
        );
      }
    const assignments = await this.repo.assignments(projectId);
    await w.add('roles/assignments.ndjson', assignments.map((a) => JSON.stringify(a)).join('\n'));
    await w.finish();
    await this.repo.transaction((client) =>
      this.changeLog.appendAdmin(client, projectId, 'project.backup', {
        project_id: projectId,
        by: actorUserId,
      }),
    );
  }

  private async writeTable(
    w: ArchiveWriter,
    prefix: string,
    schema: string,
    table: string,
    columns: string[],
    orderBy: string[],
  ): Promise<void> {
    const header = JSON.stringify({ columns });
    let lines: string[] = [header];
    let size = header.length;
    let part = 0;
    let rows = 0;
    const flush = async () => {
      await w.add(`${prefix}/${partName(part++)}`, lines.join('\n'));
      lines = [header];
      size = header.length;
    };
    for await (const batch of this.repo.rows(schema, table, columns, orderBy)) {
      for (const row of batch) {
        const line = JSON.stringify(row);
        lines.push(line);
        size += line.length + 1;
        rows++;
        if (size >= DATA_PART_BYTES) await flush();
      }
    }
    if (lines.length > 1 || part === 0) await flush();
    w.count(prefix, rows);
  }

  private async describe(projectId: string, ordered: CatalogCollection[]): Promise<BackupCatalog> {
    const project = await this.projects.get(projectId, { role: 'owner' } as never);
    const auth = await this.authSettings.getDto(projectId);
    const out: BackupCatalog = {
      project: {
        name: project.name,
        rate_limits: project.rate_limits,
        allowed_origins: project.allowed_origins,
      },
      auth_settings: auth as unknown as Record<string, unknown>,
      collections: [],
      relations: [],
      validations: [],
      policies: [],
      roles: (await this.rbac.listRoles(projectId)).map((r) => ({
        name: r.name,
        display_name: r.display_name,
        description: r.description,
        is_default: r.is_default,
      })),
      buckets: (await this.files.listBuckets(projectId)).map((b) => ({
        name: b.name,
        is_public: b.is_public,
        max_size_bytes: b.max_size_bytes,
        allowed_types: b.allowed_types,
        policies: b.policies,
      })),
      webhooks: (await this.webhooks.list(projectId)).map((h) => ({
        name: h.name,
        url: h.url,
        events: h.events,
        collections: h.collections,
        is_active: h.is_active,
      })),
      workflows: (await this.workflows.list(projectId)).map((x) => ({
        name: x.name,
        description: x.description,
        is_active: x.is_active,
        trigger_type: x.trigger_type,
        trigger_config: x.trigger_config,
        steps: x.steps,
      })),
      data_order: ordered.map((c) => c.meta.name),
    };
    for (const c of ordered) {
      const r = c.record;
      const fields = (await this.fields.list(projectId, c.meta.name))
        .filter((f) => !f.is_system && f.field_type !== 'relation')
        .map((f) => ({
          name: f.name,
          display_name: f.display_name,
          description: f.description,
          field_type: f.field_type,
          options: f.options,
          is_required: f.is_required,
          is_unique: f.is_unique,
          is_indexed: f.is_indexed,
          is_hidden: f.is_hidden,
          default_value: f.default_value,
        }));
      out.collections.push({
        name: r.name,
        display_name: r.displayName,
        description: r.description,
        icon: r.icon,
        display_field: r.displayField,
        is_system: r.isSystem,
        fields,
      });
      for (const f of c.meta.fields.filter((x) => !x.isDeleted && x.type !== 'relation')) {
        if (f.isSystem && f.isHidden) continue;
        for (const v of await this.validations
          .list(projectId, c.meta.name, f.name, true)
          .catch(() => []))
          out.validations.push({
            collection: c.meta.name,
            field: f.name,
            rule_type: v.rule_type,
            config: v.config,
            error_message: v.error_message,
            priority: v.priority,
            is_active: v.is_active,
          });
      }
      for (const p of await this.policies.list(projectId, c.meta.name, true))
        out.policies.push({
          ...(p as unknown as Record<string, unknown>),
          collection: c.meta.name,
        });
    }
    for (const rel of await this.relations.listAll(projectId))
      out.relations.push({
        collection: rel.collection_name,
        target: rel.target_collection_name,
        name: rel.name,
        display_name: rel.display_name,
        relation_type: rel.relation_type as 'many_to_one' | 'many_to_many',
        on_delete: rel.relation_on_delete,
        display_field: rel.relation_display_field,
        is_required: rel.is_required,
      });
    return out;
  }

  // ------------------------------------------------------------------ restore

  /** Creates a new project from an archive; any failure drops what was made of it. */
  async restore(adminId: string, body: Readable, name?: string): Promise<ProjectResponseDto> {
    const extract = tar.extract();
    const gunzip = createGunzip();
    const feeding = pipeline(body, byteLimit(RESTORE_MAX_BYTES), gunzip, extract).catch(
      (err: Error) => err,
    );
    const entries = extract[Symbol.asyncIterator]();
    const sums: Record<string, string> = {};
    let projectId: string | null = null;
    try {
      const next = async (): Promise<{
        entry: ArchiveEntry;
        name: string;
        stream: Readable;
      } | null> => {
        const r = await entries.next();
        if (r.done) return null;
        const e = r.value;
        if (e.header.type !== 'file') throw badArchive('The archive holds a link or directory');
        return {
          entry: parseEntryName(e.header.name),
          name: e.header.name,
          stream: e as unknown as Readable,
        };
      };
      const readJson = async <T>(item: { name: string; stream: Readable }, what: string) => {
        const buf = await readEntry(item.stream);
        sums[item.name] = createHash('sha256').update(buf).digest('hex');
        return { value: parseJson<T>(buf, what), buf };
      };
      const first = await next();
      if (first?.entry.kind !== 'manifest')
        throw badArchive('The archive does not start with manifest.json');
      const manifest = (await readJson<BackupManifest>(first, 'manifest')).value;
      if (
        manifest.format !== 'backendify-backup' ||
        manifest.format_version !== BACKUP_FORMAT_VERSION
      )
        throw badArchive(`Unsupported backup format version ${String(manifest.format_version)}`);
      const second = await next();
      if (second?.entry.kind !== 'catalog')
        throw badArchive('catalog.json must follow the manifest');
      const catalog = (await readJson<BackupCatalog>(second, 'catalog')).value;

      const project = await this.projects.create(
        adminId,
        (name ?? `${manifest.project?.name ?? 'Project'} (restored)`).slice(0, 200),
      );
      projectId = project.id;
      const collIds = await this.restoreCatalog(projectId, adminId, catalog);

      // Files: pairs of metadata and bytes; ids change, so file fields are remapped below.
      const fileIds = new Map<string, string>();
      let item = await next();
      while (item?.entry.kind === 'fileMeta') {
        const meta = (await readJson<ArchivedFile>(item, 'file metadata')).value;
        const id = item.entry.fileId;
        const bodyItem = await next();
        if (bodyItem?.entry.kind !== 'fileBody' || bodyItem.entry.fileId !== id)
          throw badArchive(`files/${id}.bin must follow its metadata`);
        const hash = createHash('sha256');
        const tap = new Transform({
          transform(chunk: Buffer, _e, cb) {
            hash.update(chunk);
            cb(null, chunk);
          },
        });
        const newId = await this.files.restoreFile(
          projectId,
          adminId,
          {
            ...meta,
            size_bytes: String(meta.size_bytes),
            collection_id: meta.collection ? (collIds.get(meta.collection) ?? null) : null,
          },
          bodyItem.stream.pipe(tap),
        );
        sums[bodyItem.name] = hash.digest('hex');
        fileIds.set(id, newId);
        item = await next();
      }

      // Data, in one transaction: ids kept, identity sequences moved past them.
      const cat = await this.catalog.project(projectId);
      item = await this.repo.transaction(async (client) => {
        const loaded = new Set<string>();
        const deferred: { table: string; column: string; pairs: [string, string][] }[] = [];
        const tables = new Set<string>();
        let current: string | null = null;
        while (item && (item.entry.kind === 'data' || item.entry.kind === 'junction')) {
          const e = item.entry;
          const c = cat.byName.get(e.collection);
          if (!c)
            throw badArchive(`The archive holds data of an unknown collection '${e.collection}'`);
          if (current !== e.collection && current) loaded.add(current);
          current = e.collection;
          let table = c.meta.table;
          if (e.kind === 'junction') {
            const f = c.meta.fields.find(
              (x) => x.name === e.field && x.relation?.kind === 'many_to_many',
            );
            if (!f?.relation?.junctionTable)
              throw badArchive(`Unknown many-to-many field '${e.field}'`);
            table = f.relation.junctionTable;
          } else tables.add(table);
          const buf = await readEntry(item.stream);
          sums[item.name] = createHash('sha256').update(buf).digest('hex');
          const lines = buf.toString('utf8').split('\n');
          const head = parseJson<{ columns?: unknown }>(Buffer.from(lines[0] ?? ''), 'data header');
          const existing = new Set(await this.repo.columns(cat.schema, table, client));
          const columns = head.columns;
          if (
            !Array.isArray(columns) ||
            columns.some((x) => typeof x !== 'string' || !existing.has(x))
          )
            throw badArchive(`The data of '${e.collection}' names columns its table does not have`);
          const cols = columns as string[];
          const fileCols = new Set(
            c.meta.fields
              .filter((f) => f.type === 'file' && !f.isDeleted)
              .map((f) => cols.indexOf(f.column)),
          );
          const defer = new Map<number, [string, string][]>();
          if (e.kind === 'data')
            for (const f of c.meta.fields) {
              const rel = f.relation;
              if (rel?.kind !== 'many_to_one' || f.isDeleted || f.isRequired) continue;
              const target = cat.byId.get(rel.targetCollectionId)?.meta.name;
              if (target === e.collection || (target && !loaded.has(target))) {
                const pairs: [string, string][] = [];
                deferred.push({ table, column: f.column, pairs });
                defer.set(cols.indexOf(f.column), pairs);
              }
            }
          const idAt = cols.indexOf('id');
          const rows = lines.slice(1).map((l) => {
            const row = parseJson<unknown>(Buffer.from(l), 'data row');
            if (
              !Array.isArray(row) ||
              row.length !== cols.length ||
              row.some((v) => v !== null && typeof v !== 'string')
            )
              throw badArchive(`A row of '${e.collection}' does not match its columns`);
            const out = row as (string | null)[];
            for (const i of fileCols)
              if (i >= 0 && out[i] !== null) out[i] = fileIds.get(out[i] as string) ?? null;
            for (const [i, pairs] of defer)
              if (i >= 0 && out[i] !== null) {
                pairs.push([out[idAt] as string, out[i] as string]);
                out[i] = null;
              }
            return out;
          });
          await this.repo.insertRows(client, cat.schema, table, cols, rows);
          item = await next();
        }
        for (const d of deferred)
          await this.repo.setColumn(client, cat.schema, d.table, d.column, d.pairs);
        for (const t of tables)
          if (t !== '_users') await this.repo.resetIdentity(client, cat.schema, t);
        return item;
      });

      if (item?.entry.kind === 'assignments') {
        const rows = (await readEntry(item.stream)).toString('utf8');
        sums[item.name] = createHash('sha256').update(rows).digest('hex');
        const roles = new Map((await this.rbac.listRoles(projectId)).map((r) => [r.name, r.id]));
        const byUser = new Map<string, string[]>();
        for (const line of rows.split('\n').filter(Boolean)) {
          const a = parseJson<{ app_user_id: string; role: string }>(
            Buffer.from(line),
            'role assignment',
          );
          const roleId = roles.get(a.role);
          if (roleId) byUser.set(a.app_user_id, [...(byUser.get(a.app_user_id) ?? []), roleId]);
        }
        for (const [user, ids] of byUser) await this.rbac.assign(projectId, user, ids, adminId);
        item = await next();
      }
      if (item?.entry.kind !== 'checksums')
        throw badArchive('The archive does not end with checksums.json');
      const checks = parseJson<{ sha256?: Record<string, string> }>(
        await readEntry(item.stream),
        'checksums',
      );
      const expected = checks.sha256 ?? {};
      const names = new Set([...Object.keys(expected), ...Object.keys(sums)]);
      for (const n of names)
        if (expected[n] !== sums[n])
          throw badArchive(`The archive entry '${n}' fails its checksum`);
      if (await next()) throw badArchive('The archive holds entries after checksums.json');
      const fed = await feeding;
      if (fed) throw fed;
      await this.repo.transaction((client) =>
        this.changeLog.appendAdmin(client, projectId as string, 'project.restore', {
          source_project_id: manifest.project?.id ?? null,
          source_name: manifest.project?.name ?? null,
          backup_created_at: manifest.created_at ?? null,
        }),
      );
      const membership = await this.projects.findMembership(projectId, adminId);
      return this.projects.get(projectId, membership!);
    } catch (err) {
      extract.destroy();
      body.resume();
      if (projectId) await this.dropHalfMade(projectId, adminId);
      const fed = await Promise.race([feeding, Promise.resolve(null)]);
      if (fed instanceof AppError) throw fed;
      if (err instanceof AppError) throw err;
      // The database refusing the archive's values (data exceptions, integrity) is bad input;
      // anything else it says is a fault of ours or of the server, answered by the shared filter.
      if (isServerSideDbError(err)) throw err;
      this.log.warn(`restore failed: ${(err as Error).message}`);
      throw badArchive('The archive is not a readable Backendify backup');
    }
  }

  private async dropHalfMade(projectId: string, adminId: string): Promise<void> {
    await this.files.removeProjectObjects(projectId).catch(() => undefined);
    await this.projects
      .delete(projectId, adminId)
      .catch((e: Error) =>
        this.log.error(`could not drop half-restored project ${projectId}: ${e.message}`),
      );
  }

  /** Re-creates the catalog through the services that made it; returns name → new collection id. */
  private async restoreCatalog(
    pid: string,
    adminId: string,
    c: BackupCatalog,
  ): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    for (const col of c.collections ?? []) {
      const made = col.is_system
        ? await this.collections.get(pid, col.name)
        : await this.collections.create(pid, adminId, {
            name: col.name,
            display_name: col.display_name,
            description: col.description ?? undefined,
            icon: col.icon ?? undefined,
          });
      ids.set(col.name, made.id);
      for (const f of col.fields ?? [])
        await this.fields.create(pid, adminId, col.name, {
          ...f,
          description: f.description ?? undefined,
          default_value: f.default_value ?? undefined,
        } as never);
    }
    for (const r of c.relations ?? []) {
      const source = ids.get(r.collection);
      const target = ids.get(r.target);
      if (!source || !target) throw badArchive(`Relation '${r.name}' names an unknown collection`);
      await this.relations.create(pid, adminId, source, {
        name: r.name,
        display_name: r.display_name,
        target_collection_id: target,
        relation_type: r.relation_type,
        on_delete:
          r.relation_type === 'many_to_one' ? ((r.on_delete ?? undefined) as never) : undefined,
        display_field: r.display_field,
        is_required: r.is_required,
      });
    }
    for (const col of c.collections ?? [])
      if (col.display_field)
        await this.collections.update(pid, col.name, { display_field: col.display_field });
    for (const v of c.validations ?? [])
      await this.validations.create(pid, v.collection, v.field, {
        rule_type: v.rule_type,
        config: v.config ?? undefined,
        error_message: v.error_message,
        priority: v.priority,
        is_active: v.is_active,
      });
    const existingRoles = new Set((await this.rbac.listRoles(pid)).map((r) => r.name));
    for (const r of c.roles ?? [])
      if (!existingRoles.has(r.name))
        await this.rbac.createRole(pid, {
          name: r.name,
          display_name: r.display_name,
          description: r.description,
          is_default: r.is_default,
        });
    for (const p of c.policies ?? []) {
      const { collection, ...dto } = p;
      await this.policies.create(pid, String(collection), pickPolicy(dto));
    }
    for (const b of c.buckets ?? []) await this.files.createBucket(pid, b as never);
    for (const h of c.webhooks ?? []) await this.webhooks.create(pid, adminId, h);
    for (const w of c.workflows ?? []) await this.workflows.create(pid, adminId, w as never);
    await this.authSettings.update(pid, authWithoutSecrets(c.auth_settings) as never);
    const membership = await this.projects.findMembership(pid, adminId);
    await this.projects.update(pid, membership!, {
      rate_limits: c.project?.rate_limits ?? undefined,
      allowed_origins: c.project?.allowed_origins ?? null,
    });
    return ids;
  }

  // ------------------------------------------------------------------ stored backups

  async list(projectId: string): Promise<BackupDto[]> {
    return (await this.repo.listBackups(projectId)).map(toBackupDto);
  }

  /** Writes the archive to the target and records it; applies the schedule's retention. */
  async store(
    projectId: string,
    trigger: 'manual' | 'schedule',
    actorUserId: string | null,
    target?: BackupTarget,
  ): Promise<BackupDto> {
    const schedule = await this.repo.schedule(projectId);
    const where = target ?? schedule?.target ?? 'local';
    if (where === 's3') this.s3Driver();
    const id = randomUUID();
    const key = `${projectId}/backups/${id}.tar.gz`;
    await this.repo.insertBackup({
      id,
      project_id: projectId,
      target: where,
      storage_key: key,
      trigger,
      created_by: actorUserId,
    });
    const hash = createHash('sha256');
    let size = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _e, cb) {
        hash.update(chunk);
        size += chunk.length;
        cb(null, chunk);
      },
    });
    try {
      const stream = this.archive(projectId, actorUserId).pipe(tap);
      if (where === 's3') await this.s3Driver().put(key, stream, 'application/gzip');
      else {
        const path = this.localPath(key);
        mkdirSync(dirname(path), { recursive: true });
        await pipeline(stream, createWriteStream(path));
      }
      await this.repo.finishBackup(id, { status: 'ready', size, sha256: hash.digest('hex') });
    } catch (err) {
      await this.repo.finishBackup(id, {
        status: 'failed',
        error: (err as Error).message.slice(0, 500),
      });
      throw err;
    }
    if (schedule) await this.applyRetention(projectId, schedule.keep_last);
    return toBackupDto((await this.repo.backup(projectId, id))!);
  }

  async open(projectId: string, id: string): Promise<{ row: BackupDto; body: Readable }> {
    const b = await this.repo.backup(projectId, id);
    if (!b || b.status !== 'ready') throw AppError.notFound('Backup');
    const body =
      b.target === 's3'
        ? await this.s3Driver().get(b.storage_key)
        : createReadStream(this.localPath(b.storage_key));
    if (!body) throw AppError.notFound('Backup');
    return { row: toBackupDto(b), body };
  }

  async remove(projectId: string, id: string): Promise<void> {
    const b = await this.repo.backup(projectId, id);
    if (!b) throw AppError.notFound('Backup');
    await this.removeStored(b);
  }

  async restoreStored(
    projectId: string,
    id: string,
    adminId: string,
    name?: string,
  ): Promise<ProjectResponseDto> {
    const { body } = await this.open(projectId, id);
    return this.restore(adminId, body, name);
  }

  private async removeStored(b: BackupRow): Promise<void> {
    if (b.target === 's3') await this.s3Driver().delete(b.storage_key);
    else rmSync(this.localPath(b.storage_key), { force: true });
    await this.repo.deleteBackup(b.project_id, b.id);
    await this.repo.transaction((client) =>
      this.changeLog.appendAdmin(client, b.project_id, 'backup.delete', { backup_id: b.id }),
    );
  }

  private async applyRetention(projectId: string, keep: number): Promise<void> {
    for (const old of await this.repo.beyondRetention(projectId, keep))
      await this.removeStored(old);
  }

  private localPath(key: string): string {
    // Keys are built here from uuids only (`<project>/backups/<id>.tar.gz`).
    return join(this.config.dataDir, 'backups', key.replace('/backups/', '/'));
  }

  private s3Driver(): StorageDriver {
    if (this.s3 === undefined) {
      if (this.config.s3) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: only s3 servers load the AWS SDK
        const { S3StorageDriver } = require('../files/storage/s3-storage.driver') as S3DriverModule;
        this.s3 = new S3StorageDriver(this.config.s3);
      } else this.s3 = null;
    }
    if (!this.s3)
      throw AppError.validation('The s3 target needs the S3 settings (S3_BUCKET, …)', [
        { field: 'target', rule: 'configured', message: 'S3 is not configured on this server' },
      ]);
    return this.s3;
  }

  // ------------------------------------------------------------------ schedules

  async getSchedule(projectId: string): Promise<BackupScheduleDto> {
    const s = await this.repo.schedule(projectId);
    return s
      ? toScheduleDto(s)
      : { enabled: false, cron: PRESETS.daily, keep_last: 7, target: 'local', next_run_at: null };
  }

  async putSchedule(projectId: string, dto: PutBackupScheduleDto): Promise<BackupScheduleDto> {
    const cron = PRESETS[dto.cron] ?? dto.cron;
    let next: Date | null;
    try {
      next = nextAfter(parseSchedule(cron), new Date());
    } catch (err) {
      if (!(err instanceof ScheduleError)) throw err;
      throw AppError.validation(err.message, [
        { field: 'cron', rule: 'cron', message: err.message },
      ]);
    }
    if (dto.target === 's3') this.s3Driver();
    const row = await this.repo.putSchedule({
      project_id: projectId,
      enabled: dto.enabled,
      cron,
      keep_last: dto.keep_last,
      target: dto.target,
      next_run_at: dto.enabled ? next : null,
    });
    await this.repo.transaction((client) =>
      this.changeLog.appendAdmin(client, projectId, 'backup_schedule.update', {
        enabled: row.enabled,
        cron: row.cron,
        keep_last: row.keep_last,
        target: row.target,
      }),
    );
    return toScheduleDto(row);
  }

  /** Claims due schedules and queues one backup job each (in the same transaction). */
  async tick(): Promise<string[]> {
    const due = await this.repo.claimDue(
      (s) => nextAfter(parseSchedule(s.cron), new Date()),
      (client, rows) =>
        this.jobs.addEach(
          RUN,
          rows.map((s) => ({
            payload: { project_id: s.project_id },
            jobKey: `backup:${s.project_id}`,
          })),
          {},
          client,
        ),
    );
    return due.map((s) => s.project_id);
  }

  private async runScheduled(projectId: string): Promise<void> {
    const s = await this.repo.schedule(projectId);
    if (!s?.enabled) return;
    await this.store(projectId, 'schedule', null, s.target);
  }
}

interface ArchivedFile {
  bucket: string;
  original_filename: string;
  content_type: string;
  size_bytes: number;
  checksum_sha256: string | null;
  is_public: boolean;
  collection: string | null;
  record_id: string | null;
  field_name: string | null;
}

/** A PostgreSQL error outside classes 22 (data exception) and 23 (integrity constraint). */
function isServerSideDbError(err: unknown): boolean {
  const e = err as { code?: unknown; severity?: unknown };
  return (
    typeof e?.severity === 'string' &&
    typeof e.code === 'string' &&
    /^[0-9A-Z]{5}$/.test(e.code) &&
    !/^2[23]/.test(e.code)
  );
}

function fileMeta(f: FileRow, byId: Map<string, CatalogCollection>): ArchivedFile {
  return {
    bucket: f.bucket,
    original_filename: f.original_filename,
    content_type: f.content_type,
    size_bytes: Number(f.size_bytes),
    checksum_sha256: f.checksum_sha256,
    is_public: f.is_public,
    collection: f.collection_id ? (byId.get(f.collection_id)?.meta.name ?? null) : null,
    record_id: f.record_id,
    field_name: f.field_name,
  };
}

const POLICY_KEYS = [
  'name',
  'action',
  'effect',
  'condition',
  'priority',
  'is_active',
  'allowed_principals',
  'require_email_verified',
  'allowed_roles',
  'read_fields',
  'write_fields',
] as const;

function pickPolicy(p: Record<string, unknown>): never {
  const out: Record<string, unknown> = {};
  for (const k of POLICY_KEYS) if (p[k] !== undefined && p[k] !== null) out[k] = p[k];
  if (p.read_fields === null) out.read_fields = null;
  if (p.write_fields === null) out.write_fields = null;
  return out as never;
}

/** OAuth client secrets stay out of archives: providers come back disabled, client ids kept. */
function authWithoutSecrets(s: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!s) return {};
  const out: Record<string, unknown> = { ...s };
  const providers = (s.oauth_providers ?? {}) as Record<string, Record<string, unknown>>;
  const next: Record<string, Record<string, unknown>> = {};
  for (const [name, p] of Object.entries(providers)) {
    next[name] = { client_id: p.client_id ?? null, enabled: false };
    if (name === 'oidc') next[name].issuer = p.issuer ?? null;
  }
  out.oauth_providers = next;
  for (const k of ['enable_oauth_google', 'enable_oauth_github', 'enable_oauth_oidc'])
    out[k] = false;
  return out;
}

function toScheduleDto(s: ScheduleRow): BackupScheduleDto {
  return {
    enabled: s.enabled,
    cron: s.cron,
    keep_last: s.keep_last,
    target: s.target,
    next_run_at: s.next_run_at ? s.next_run_at.toISOString() : null,
  };
}
