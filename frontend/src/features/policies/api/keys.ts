export const policyKeys = {
  all: ['policies'] as const,
  project: (projectId: string) => [...policyKeys.all, projectId] as const,
  list: (projectId: string, collection: string) =>
    [...policyKeys.project(projectId), 'list', collection] as const,
  explain: (projectId: string, collection: string, action: string, as: string) =>
    [...policyKeys.project(projectId), 'explain', collection, action, as] as const,
  roles: (projectId: string) => [...policyKeys.project(projectId), 'roles'] as const,
  appUsers: (projectId: string, search: string) =>
    [...policyKeys.project(projectId), 'app-users', search] as const,
};
