import type { AuditSearch } from '../types';

export const auditKeys = {
  all: ['audit'] as const,
  project: (projectId: string) => [...auditKeys.all, projectId] as const,
  list: (projectId: string, filters: AuditSearch) =>
    [...auditKeys.project(projectId), 'events', filters] as const,
  settings: (projectId: string) => [...auditKeys.project(projectId), 'settings'] as const,
  members: (projectId: string) => [...auditKeys.project(projectId), 'members'] as const,
};
