import type { HistoryFilters } from '../types';

export const evolutionKeys = {
  all: ['schema-evolution'] as const,
  project: (projectId: string) => [...evolutionKeys.all, projectId] as const,
  pending: (projectId: string, status: string) =>
    [...evolutionKeys.project(projectId), 'pending', status] as const,
  aliases: (projectId: string) => [...evolutionKeys.project(projectId), 'aliases'] as const,
  safe: (projectId: string) => [...evolutionKeys.project(projectId), 'safe-conversions'] as const,
  history: (projectId: string, f: HistoryFilters) =>
    [...evolutionKeys.project(projectId), 'history', f] as const,
  preview: (projectId: string, collectionId: string, operation: string, params: unknown) =>
    [...evolutionKeys.project(projectId), 'preview', collectionId, operation, params] as const,
};
