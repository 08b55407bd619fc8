export const apiKeyKeys = {
  all: ['api-keys'] as const,
  list: (projectId: string) => [...apiKeyKeys.all, projectId] as const,
};
