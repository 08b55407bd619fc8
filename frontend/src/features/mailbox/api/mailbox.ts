import { queryOptions, useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { toast } from '@/components/ui/toast';
import { api, errorMessage } from '@/lib/api-client';
import type { MailboxMessage } from '../types';

export const mailboxKeys = {
  all: ['mailbox'] as const,
  list: (projectId: string) => [...mailboxKeys.all, projectId] as const,
};

const path = (projectId: string) => `/api/projects/${encodeURIComponent(projectId)}/mailbox`;

export const mailboxQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: mailboxKeys.list(projectId),
    queryFn: ({ signal }) => api.get<{ messages: MailboxMessage[] }>(path(projectId), { signal }),
  });

export function useMailbox(projectId: string) {
  return useSuspenseQuery(mailboxQueryOptions(projectId));
}

export function useClearMailbox(projectId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete(path(projectId)),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: mailboxKeys.list(projectId) });
      toast.success('Mailbox cleared');
    },
    onError: (error) => toast.error(errorMessage(error)),
  });
}
