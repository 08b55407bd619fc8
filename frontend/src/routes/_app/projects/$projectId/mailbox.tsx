import { createFileRoute } from '@tanstack/react-router';
import { mailboxQueryOptions } from '@/features/mailbox/api/mailbox';
import { MailboxPanel, MailboxSkeleton } from '@/features/mailbox/components/mailbox-panel';

export const Route = createFileRoute('/_app/projects/$projectId/mailbox')({
  validateSearch: (search: Record<string, unknown>): { message?: string } => ({
    message: typeof search.message === 'string' ? search.message : undefined,
  }),
  loader: ({ context, params }) =>
    context.queryClient.ensureQueryData(mailboxQueryOptions(params.projectId)),
  pendingComponent: MailboxSkeleton,
  component: MailboxPage,
});

function MailboxPage() {
  const { projectId } = Route.useParams();
  const { message } = Route.useSearch();
  const navigate = Route.useNavigate();
  return (
    <MailboxPanel
      projectId={projectId}
      selectedId={message}
      onSelect={(id) => void navigate({ search: { message: id }, replace: true })}
    />
  );
}
