export const viewKeys = {
  all: ['views'] as const,
  list: (projectId: string) => [...viewKeys.all, projectId] as const,
  versions: (projectId: string, name: string) =>
    [...viewKeys.list(projectId), name, 'versions'] as const,
  preview: (projectId: string, body: unknown) =>
    [...viewKeys.all, 'preview', projectId, body] as const,
};
