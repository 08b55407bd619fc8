import { seg, type BinaryBody, type CallOptions, type Transport } from './http';
import type { Project } from './admin';

export type BackupTarget = 'local' | 's3';

/** A stored backup of one project. */
export interface Backup {
  id: string;
  project_id: string;
  target: BackupTarget;
  trigger: 'manual' | 'schedule';
  status: 'running' | 'ready' | 'failed';
  size_bytes: number | null;
  sha256: string | null;
  error: string | null;
  created_at: string;
  finished_at: string | null;
}

export interface BackupSchedule {
  enabled: boolean;
  /** A 5-field cron or a preset: `hourly`, `daily` (03:00 UTC), `weekly`. */
  cron: string;
  /** Stored backups kept; older ones are deleted after each run. */
  keep_last: number;
  target: BackupTarget;
  next_run_at: string | null;
}

export type BackupScheduleInput = Omit<BackupSchedule, 'next_run_at'>;

/** Backups of one project (`/api/projects/{pid}/backup(s)`); owners and admins only. */
export interface BackupsApi {
  /** A fresh archive of the project (gzip tar), built as it is downloaded. */
  download(call?: CallOptions): Promise<Uint8Array>;
  /** Stored backups, newest first. */
  list(call?: CallOptions): Promise<Backup[]>;
  /** Backs up now to `target` (default: the schedule's target, else local). */
  create(input?: { target?: BackupTarget }): Promise<Backup>;
  /** The bytes of a stored backup. */
  downloadStored(backupId: string, call?: CallOptions): Promise<Uint8Array>;
  delete(backupId: string): Promise<void>;
  /** Restores a stored backup into a new project (named `name`, else "<name> (restored)"). */
  restore(backupId: string, options?: { name?: string }): Promise<Project>;
  schedule(call?: CallOptions): Promise<BackupSchedule>;
  setSchedule(input: BackupScheduleInput): Promise<BackupSchedule>;
}

export function createBackupsApi(http: Transport, pid: string): BackupsApi {
  const at = `/api/projects/${seg(pid)}`;
  const one = (id: string) => `${at}/backups/${seg(id)}`;
  return {
    download: (call) => http.request('GET', `${at}/backup`, { response: 'bytes', ...call }),
    list: (call) => http.request('GET', `${at}/backups`, call),
    create: (body = {}) => http.request('POST', `${at}/backups`, { body }),
    downloadStored: (id, call) =>
      http.request('GET', `${one(id)}/download`, { response: 'bytes', ...call }),
    delete: (id) => http.request('DELETE', one(id)),
    restore: (id, options = {}) =>
      http.request('POST', `${one(id)}/restore`, { query: { name: options.name } }),
    schedule: (call) => http.request('GET', `${at}/backups/schedule`, call),
    setSchedule: (body) => http.request('PUT', `${at}/backups/schedule`, { body }),
  };
}

/**
 * `POST /api/projects/restore`: a new project from an archive (a `Blob`/`File` in browsers, bytes
 * anywhere), sent as `application/gzip`.
 */
export function restoreArchive(
  http: Transport,
  archive: BinaryBody,
  options: { name?: string } = {},
): Promise<Project> {
  return http.request('POST', '/api/projects/restore', {
    raw: archive,
    contentType: 'application/gzip',
    query: { name: options.name },
  });
}
