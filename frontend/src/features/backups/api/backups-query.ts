import { queryOptions, useQuery } from '@tanstack/react-query';
import { backend } from '@/lib/backend';
import { backupKeys } from './keys';

export const backupsOf = (projectId: string) => backend.admin.backups(projectId);

export const backupsQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: backupKeys.list(projectId),
    queryFn: ({ signal }) => backupsOf(projectId).list({ signal }),
    // A backup in progress finishes by itself; keep the list fresh while one runs.
    refetchInterval: (q) => (q.state.data?.some((b) => b.status === 'running') ? 2000 : false),
  });

export function useBackups(projectId: string) {
  return useQuery(backupsQueryOptions(projectId));
}

export function useBackupSchedule(projectId: string) {
  return useQuery({
    queryKey: backupKeys.schedule(projectId),
    queryFn: ({ signal }) => backupsOf(projectId).schedule({ signal }),
  });
}

/** Hands bytes to the browser as a file download. */
export function saveArchive(bytes: Uint8Array, filename: string): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/gzip' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const stamp = (iso: string) => iso.replace(/[:.]/g, '-');

/** Downloads a fresh archive of the project (the token goes in a header, so not a plain link). */
export async function downloadCurrent(projectId: string): Promise<void> {
  const bytes = await backupsOf(projectId).download();
  saveArchive(bytes, `backup-${projectId}-${stamp(new Date().toISOString())}.tar.gz`);
}

export async function downloadStored(
  projectId: string,
  backup: { id: string; created_at: string },
): Promise<void> {
  const bytes = await backupsOf(projectId).downloadStored(backup.id);
  saveArchive(bytes, `backup-${projectId}-${stamp(backup.created_at)}.tar.gz`);
}
