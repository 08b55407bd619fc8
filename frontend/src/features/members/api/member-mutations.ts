import { useMutation, useQueryClient } from '@tanstack/react-query';
import { toast } from '@/components/ui/toast';
import { api, errorMessage } from '@/lib/api-client';
import type { ProjectRole } from '@/lib/roles';
import type { InvitedMember, Member } from '../types';
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

/** Adds a verified admin at once; any other address is mailed an invitation (202). */
export function useAddMember(projectId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; role: ProjectRole }) =>
      api.post<Member | InvitedMember>(base(projectId), body),
    onSuccess: (data, vars) => {
      void queryClient.invalidateQueries({ queryKey: memberKeys.list(projectId) });
      if ('invited' in data) toast.success(`Invitation sent to ${data.email}`);
      else toast.success(`${vars.email} added as ${vars.role}`);
    },
    onError: (error) => toast.error(errorMessage(error)),
  });
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
