export const relationKeys = {
  all: ['relations'] as const,
  project: (projectId: string) => [...relationKeys.all, projectId] as const,
  list: (projectId: string) => [...relationKeys.project(projectId), 'list'] as const,
  options: (projectId: string) => [...relationKeys.project(projectId), 'options'] as const,
};
