export const projectKeys = {
  all: ['projects'] as const,
  list: () => [...projectKeys.all, 'list'] as const,
  detail: (projectId: string) => [...projectKeys.all, 'detail', projectId] as const,
  counts: (projectId: string) => [...projectKeys.all, 'counts', projectId] as const,
  usage: (projectId: string, range: string) =>
    [...projectKeys.all, 'usage', projectId, range] as const,
  stats: (projectId: string, range: string) =>
    [...projectKeys.all, 'stats', projectId, range] as const,
};
