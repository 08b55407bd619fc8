import { useMutation, useQueryClient } from '@tanstack/react-query';
import { toast } from '@/components/ui/toast';
import { api, errorMessage } from '@/lib/api-client';
import type { Project } from '../types';
import { projectKeys } from './keys';

export function useUpdateProject(projectId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string }) =>
      api.patch<Project>(`/api/projects/${encodeURIComponent(projectId)}`, body),
    onSuccess: (project) => {
      queryClient.setQueryData(projectKeys.detail(projectId), (old: Project | undefined) =>
        old ? { ...old, ...project } : project,
      );
      void queryClient.invalidateQueries({ queryKey: projectKeys.all });
      toast.success('Project renamed');
    },
    onError: (error) => toast.error(errorMessage(error)),
  });
}
