import type { Backup, BackupScheduleInput } from '@backendify/client';
import { projectKeys } from '@/features/projects/api/keys';
import { backend } from '@/lib/backend';
import { useApiMutation } from '@/lib/use-api-mutation';
import { backupsOf } from './backups-query';
import { backupKeys } from './keys';

export function useCreateBackup(projectId: string) {
  return useApiMutation({
    mutationFn: () => backupsOf(projectId).create(),
    invalidate: [backupKeys.list(projectId)],
    success: 'Backup stored',
  });
}

export function useDeleteBackup(projectId: string) {
  return useApiMutation({
    mutationFn: (b: Backup) => backupsOf(projectId).delete(b.id),
    invalidate: [backupKeys.list(projectId)],
    success: 'Backup deleted',
  });
}

export function useRestoreBackup(projectId: string) {
  return useApiMutation({
    mutationFn: (b: Backup) => backupsOf(projectId).restore(b.id),
    invalidate: [projectKeys.list()],
    success: (_b, project) => `Restored into “${project.name}”`,
  });
}

export function useRestoreArchive() {
  return useApiMutation({
    mutationFn: (file: File) => backend.admin.restoreProject(file),
    invalidate: [projectKeys.list()],
    success: (_f, project) => `Restored into “${project.name}”`,
  });
}

/** The form shows validation errors inline. */
export function useSaveBackupSchedule(projectId: string) {
  return useApiMutation({
    mutationFn: (body: BackupScheduleInput) => backupsOf(projectId).setSchedule(body),
    onSuccess: (schedule, _v, qc) => qc.setQueryData(backupKeys.schedule(projectId), schedule),
    success: 'Backup schedule saved',
    errorToast: false,
  });
}
