import { queryOptions, useQuery, useSuspenseQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Project } from '../types';
import { projectKeys } from './keys';

export const projectsQueryOptions = () =>
  queryOptions({
    queryKey: projectKeys.list(),
    queryFn: ({ signal }) => api.get<Project[]>('/api/projects', { signal }),
  });

export const projectQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: projectKeys.detail(projectId),
    queryFn: ({ signal }) =>
      api.get<Project>(`/api/projects/${encodeURIComponent(projectId)}`, { signal }),
  });

export function useProjects() {
  return useQuery(projectsQueryOptions());
}

export function useProject(projectId: string) {
  return useSuspenseQuery(projectQueryOptions(projectId));
}
