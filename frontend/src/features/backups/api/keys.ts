export const backupKeys = {
  all: ['backups'] as const,
  list: (projectId: string) => [...backupKeys.all, projectId, 'list'] as const,
  schedule: (projectId: string) => [...backupKeys.all, projectId, 'schedule'] as const,
};
