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

/** How often an open Mailbox page looks for new mail (only while the tab is visible). */
export const MAILBOX_POLL_MS = 3000;

export function useMailbox(projectId: string) {
  return useSuspenseQuery({ ...mailboxQueryOptions(projectId), refetchInterval: MAILBOX_POLL_MS });
}

export function useClearMailbox(projectId: string) {
  return useApiMutation({
    mutationFn: () => backend.admin.mailbox(projectId).clear(),
    invalidate: [mailboxKeys.list(projectId)],
    success: 'Mailbox cleared',
  });
}
