import { useMutation, useQueryClient } from '@tanstack/react-query';
import { toast } from '@/components/ui/toast';
import { api, errorMessage } from '@/lib/api-client';
import type { ProjectRole } from '@/lib/roles';
import type { Member } from '../types';
import { memberKeys } from './keys';

const base = (projectId: string) => `/api/projects/${encodeURIComponent(projectId)}/members`;

function useMemberMutation<TVars, TResult>(
  projectId: string,
  fn: (vars: TVars) => Promise<TResult>,
  success: (vars: TVars) => string,
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (_data, vars) => {
      void queryClient.invalidateQueries({ queryKey: memberKeys.list(projectId) });
      toast.success(success(vars));
    },
    onError: (error) => toast.error(errorMessage(error)),
  });
}

export function useAddMember(projectId: string) {
  return useMemberMutation(
    projectId,
    (body: { email: string; role: ProjectRole }) => api.post<Member>(base(projectId), body),
    (v) => `${v.email} added as ${v.role}`,
  );
}

export function useChangeMemberRole(projectId: string) {
  return useMemberMutation(
    projectId,
    (v: { member: Member; role: ProjectRole }) =>
      api.patch<Member>(`${base(projectId)}/${encodeURIComponent(v.member.user_id)}`, {
        role: v.role,
      }),
    (v) => `${v.member.email} is now ${v.role}`,
  );
}

export function useRemoveMember(projectId: string) {
  return useMemberMutation(
    projectId,
    (member: Member) => api.delete(`${base(projectId)}/${encodeURIComponent(member.user_id)}`),
    (m) => `${m.email} removed from the project`,
  );
}
