import { backend } from '@/lib/backend';
import { useApiMutation } from '@/lib/use-api-mutation';
import type { Project } from '../types';
import { projectKeys } from './keys';

const projects = backend.admin.projects;

export function useCreateProject() {
  return useApiMutation({
    mutationFn: (body: { name: string }) => projects.create(body),
    onSuccess: (project, _v, queryClient) =>
      queryClient.setQueryData(projectKeys.detail(project.id), project),
    invalidate: [projectKeys.all],
    success: (_v, project) => `Project “${project.name}” created`,
  });
}

export function useUpdateProject(projectId: string) {
  return useApiMutation({
    mutationFn: (body: { name: string }) => projects.update(projectId, body),
    onSuccess: (project, _v, queryClient) =>
      queryClient.setQueryData(projectKeys.detail(projectId), (old: Project | undefined) =>
        old ? { ...old, ...project } : project,
      ),
    invalidate: [projectKeys.all],
    success: 'Project renamed',
  });
}

export function useDeleteProject(projectId: string) {
  return useApiMutation({
    mutationFn: () => projects.delete(projectId),
    onSuccess: (_r, _v, queryClient) =>
      queryClient.removeQueries({ queryKey: projectKeys.detail(projectId) }),
    invalidate: [projectKeys.list()],
    success: 'Project deleted',
  });
}
