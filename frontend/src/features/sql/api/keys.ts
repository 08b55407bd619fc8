export const sqlKeys = {
  all: ['sql'] as const,
  history: (projectId: string) => [...sqlKeys.all, projectId, 'history'] as const,
};
