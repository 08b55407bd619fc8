export const appUserKeys = {
  all: ['app-users'] as const,
  project: (projectId: string) => [...appUserKeys.all, projectId] as const,
  list: (projectId: string, search: string, page: number) =>
    [...appUserKeys.project(projectId), 'list', { search, page }] as const,
  detail: (projectId: string, id: string) =>
    [...appUserKeys.project(projectId), 'user', id] as const,
  sessions: (projectId: string, id: string) =>
    [...appUserKeys.detail(projectId, id), 'sessions'] as const,
  roles: (projectId: string, id: string) =>
    [...appUserKeys.detail(projectId, id), 'roles'] as const,
  records: (projectId: string, id: string, collection: string) =>
    [...appUserKeys.detail(projectId, id), 'records', collection] as const,
  availableRoles: (projectId: string) => [...appUserKeys.project(projectId), 'all-roles'] as const,
};
