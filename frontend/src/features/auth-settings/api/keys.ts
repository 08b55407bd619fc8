export const authSettingsKeys = {
  all: ['auth-settings'] as const,
  detail: (projectId: string) => [...authSettingsKeys.all, projectId] as const,
};
