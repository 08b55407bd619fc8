import { queryOptions, useQuery, useSuspenseQuery } from '@tanstack/react-query';
import { backend } from '@/lib/backend';
import { projectKeys } from './keys';

export const projectsQueryOptions = () =>
  queryOptions({
    queryKey: projectKeys.list(),
    queryFn: ({ signal }) => backend.admin.projects.list({ signal }),
  });

export const projectQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: projectKeys.detail(projectId),
    queryFn: ({ signal }) => backend.admin.projects.get(projectId, { signal }),
  });

export function useProjects() {
  return useQuery(projectsQueryOptions());
}

export function useProject(projectId: string) {
  return useSuspenseQuery(projectQueryOptions(projectId));
}
