import { useMutation, useQueryClient } from '@tanstack/react-query';
import { toast } from '@/components/ui/toast';
import { api, errorMessage } from '@/lib/api-client';
import type { ProjectRole } from '@/lib/roles';
import type { Invitation } from '../types';
import { memberKeys } from './keys';

const base = (projectId: string) => `/api/projects/${encodeURIComponent(projectId)}/invitations`;

export function useResendInvitation(projectId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (inv: Invitation) =>
      api.post<Invitation>(`${base(projectId)}/${encodeURIComponent(inv.id)}/resend`),
    onSuccess: (_data, inv) => {
      void queryClient.invalidateQueries({ queryKey: memberKeys.invitations(projectId) });
      toast.success(`Invitation sent again to ${inv.email}`);
    },
    onError: (error) => toast.error(errorMessage(error)),
  });
}

export function useRevokeInvitation(projectId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (inv: Invitation) => api.delete(`${base(projectId)}/${encodeURIComponent(inv.id)}`),
    onSuccess: (_data, inv) => {
      void queryClient.invalidateQueries({ queryKey: memberKeys.invitations(projectId) });
      toast.success(`Invitation for ${inv.email} revoked`);
    },
    onError: (error) => toast.error(errorMessage(error)),
  });
}

/** The signed-in admin joins the project of the mailed invitation. */
export function useAcceptInvitation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (token: string) =>
      api.post<{ project_id: string; role: ProjectRole }>('/api/auth/invitations/accept', {
        token,
      }),
    // The project list and the caller's verification state both changed.
    onSuccess: () => void queryClient.invalidateQueries(),
  });
}
