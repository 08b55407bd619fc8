import { queryOptions, useSuspenseQuery } from '@tanstack/react-query';
import { backend } from '@/lib/backend';
import { useApiMutation } from '@/lib/use-api-mutation';

export const mailboxKeys = {
  all: ['mailbox'] as const,
  list: (projectId: string) => [...mailboxKeys.all, projectId] as const,
};

export const mailboxQueryOptions = (projectId: string) =>
  queryOptions({
    queryKey: mailboxKeys.list(projectId),
    queryFn: ({ signal }) => backend.admin.mailbox(projectId).list({ signal }),
  });

export function useMailbox(projectId: string) {
  return useSuspenseQuery(mailboxQueryOptions(projectId));
}

export function useClearMailbox(projectId: string) {
  return useApiMutation({
    mutationFn: () => backend.admin.mailbox(projectId).clear(),
    invalidate: [mailboxKeys.list(projectId)],
    success: 'Mailbox cleared',
  });
}
